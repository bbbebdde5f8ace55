// Starts and stops a private code-server instance for one test run.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { codeServerEntry, node24 } from './environment.mjs';

const SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': 'off',
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'notebook.experimental.generate': false,
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
};

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * @param {{ workDir: string, workspace: string, extensionsDir: string, smokeTestDriver?: boolean, settings?: object, untrusted?: boolean }} options
 */
export async function startCodeServer(options) {
  const port = await freePort();
  const userData = path.join(options.workDir, 'user-data');
  fs.rmSync(userData, { recursive: true, force: true });
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  const trust = options.untrusted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false } : {};
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...trust, ...(options.settings ?? {}) }, null, 2));
  fs.mkdirSync(options.extensionsDir, { recursive: true });
  const args = [
    codeServerEntry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userData,
    '--extensions-dir', options.extensionsDir, '--disable-telemetry', '--disable-update-check',
    '--disable-getting-started-override', '--ignore-last-opened',
  ];
  // Workspace trust is off unless a test is about it (then the folder opens untrusted).
  if (!options.untrusted) args.push('--disable-workspace-trust');
  // Built VS Code ignores extension-test payloads unless the smoke-test driver is enabled.
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(options.workspace);
  const logFile = path.join(options.workDir, 'code-server.log');
  const child = spawn(node24, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = fs.createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`code-server exited early (code ${child.exitCode}); see ${logFile}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 600) throw new Error(`code-server did not answer within 120 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    host: `127.0.0.1:${port}`,
    logFile,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((r) => {
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          r();
        }, 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          r();
        });
      });
    },
  };
}
