// Extension-host integration tests: mocha runs inside VS Code's real Node extension host (served by
// code-server, opened by headless Chromium) with the real `vscode` API and this repository loaded as
// the extension under development. Exit code 0 only when every test passed.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSuite } from './build-suite.mjs';
import { startCodeServer } from './codeServer.mjs';
import { chromiumArgs, chromiumPath } from './environment.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const t0 = Date.now();
const log = (...a) => console.log(`[integration ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

/**
 * @param {'trusted' | 'untrusted'} mode  untrusted: a fresh instance with workspace trust on, running
 *   only the `*.untrusted.test.ts` files (the rest run trusted).
 */
export async function runIntegration(mode = 'trusted') {
  const workDir = path.join(root, 'test-artifacts', `integration-${mode}`);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const workspace = path.join(workDir, 'workspace');
  fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const suite = await buildSuite(root, path.join(root, 'out', `vscode-suite-${mode}`));
  fs.writeFileSync(path.join(path.dirname(suite), 'mode.json'), JSON.stringify({ mode }));
  const resultsFile = path.join(path.dirname(suite), 'results.json');
  const server = await startCodeServer({ workDir, workspace, extensionsDir: path.join(workDir, 'extensions'), smokeTestDriver: true, untrusted: mode === 'untrusted' });
  log('code-server up at', server.base);
  let browser;
  let exitCode = 'not run';
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let resolveExit;
    const exited = new Promise((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    await page.exposeFunction('codeAutomationLog', () => {});
    page.on('console', (m) => {
      const text = m.text();
      if (/^\s*(✔|✓|\d+\)|passing|failing|pending)|casebook|Error|MOCHA/i.test(text)) console.log('  │', text.slice(0, 400));
    });
    const remote = (p) => `vscode-remote://${server.host}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(suite)],
    ]);
    await page.goto(`${server.base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const timer = setTimeout(() => resolveExit('timeout after 300 s'), 300_000);
    exitCode = await exited;
    clearTimeout(timer);
    if (exitCode !== 0) await page.screenshot({ path: path.join(workDir, 'failure.png') }).catch(() => {});
  } finally {
    await browser?.close();
    await server.stop();
  }
  const results = fs.existsSync(resultsFile) ? JSON.parse(fs.readFileSync(resultsFile, 'utf8')) : undefined;
  if (!results) throw new Error(`the extension-host suite wrote no results (exit ${exitCode}); see ${server.logFile}`);
  log(`extension-host tests (${mode}): ${results.passes} passed, ${results.failures} failed, ${results.pending} pending of ${results.tests}`);
  for (const f of results.failed) console.log(`  ✗ ${f.title}\n    ${f.error.split('\n').join('\n    ')}`);
  if (exitCode !== 0 || results.failures > 0 || results.pending > 0 || results.passes === 0) {
    throw new Error(`extension-host integration tests failed (exit ${exitCode})`);
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runIntegration(process.argv[2] ?? 'trusted').catch((e) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
