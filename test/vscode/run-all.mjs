// `npm run test:vscode`: makes sure code-server and Chromium are present (installing them when
// this machine allows), packages the extension, then runs the extension-host integration tests and
// the UI end-to-end test in real VS Code. Fails loudly; never skips.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumInstalled, chromiumPath, codeServerInstalled, installCodeServer } from './environment.mjs';
import { runIntegration } from './integration.mjs';
import { runE2E } from './e2e.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function aptInstall(packages) {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error(`missing system packages: ${packages.join(', ')}. Install them (Debian: sudo apt-get install -y ${packages.join(' ')}) and run again.`);
  }
  console.error(`installing ${packages.join(', ')} with apt-get`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const t0 = Date.now();
const missing = [];
if (!chromiumInstalled()) missing.push('chromium');
if (!codeServerInstalled() && !fs.existsSync('/usr/include/krb5.h')) missing.push('libkrb5-dev');
if (missing.length) aptInstall(missing);
if (!chromiumInstalled()) throw new Error(`Chromium not found at ${chromiumPath}`);
if (!codeServerInstalled()) installCodeServer();

execFileSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const integration = await runIntegration('trusted');
const untrusted = await runIntegration('untrusted');
const e2e = await runE2E();
const seconds = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`real VS Code tests passed: ${integration.passes} extension-host tests (trusted workspace), ${untrusted.passes} (untrusted workspace), ${e2e.length} UI scenario(s) (${e2e.map((s) => `${s.name} ${s.seconds.toFixed(1)} s`).join(', ')}); ${seconds} s in all`);
