// UI end-to-end test: the packaged .vsix installed into a real VS Code (code-server), driven by
// headless Chromium like a person would: open a notebook, Run All, read the rendered outputs,
// save a screenshot. Scenarios live in e2e-scenarios.mjs.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer } from './codeServer.mjs';
import { chromiumArgs, chromiumPath, codeServerEntry, node24 } from './environment.mjs';
import { scenarios } from './e2e-scenarios.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const workDir = path.join(root, 'test-artifacts', 'e2e');

export async function runE2E() {
  const t0 = Date.now();
  const log = (...a) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
  fs.rmSync(workDir, { recursive: true, force: true });
  fs.mkdirSync(workDir, { recursive: true });
  const vsix = path.join(root, 'dist', 'casebook.vsix');
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing; run npm run package first`);
  const extensionsDir = path.join(workDir, 'extensions');
  execFileSync(node24, [codeServerEntry, '--extensions-dir', extensionsDir, '--install-extension', vsix], { stdio: ['ignore', 'pipe', 'inherit'] });
  log('installed', path.relative(root, vsix));

  const results = [];
  // CASEBOOK_E2E_ONLY=hijack,hostile runs just those scenarios (while working on them; CI runs all).
  const only = process.env.CASEBOOK_E2E_ONLY ? [...new Set(process.env.CASEBOOK_E2E_ONLY.split(',').map((s) => s.trim()).filter(Boolean))] : undefined;
  const chosen = only?.length ? scenarios.filter((s) => only.includes(s.name)) : scenarios;
  if (only?.length && chosen.length !== only.length) throw new Error(`CASEBOOK_E2E_ONLY names unknown scenarios (known: ${scenarios.map((s) => s.name).join(', ')})`);
  for (const scenario of chosen) {
    const scenarioDir = path.join(workDir, scenario.name);
    fs.mkdirSync(scenarioDir, { recursive: true });
    const workspace = path.join(scenarioDir, 'workspace');
    scenario.prepare(workspace, root);
    const server = await startCodeServer({ workDir: scenarioDir, workspace, extensionsDir, settings: scenario.settings });
    let browser;
    const started = Date.now();
    try {
      browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
      const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
      page.on('pageerror', (e) => log('page error:', String(e).slice(0, 200)));
      await page.goto(`${server.base}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
      await scenario.run(page, { log, workspace, screenshot: (name) => page.screenshot({ path: path.join(workDir, name) }) });
      results.push({ name: scenario.name, seconds: (Date.now() - started) / 1000 });
      log(`scenario ${scenario.name} passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (e) {
      const pages = browser?.contexts()[0]?.pages() ?? [];
      await pages[0]?.screenshot({ path: path.join(workDir, `${scenario.name}-failure.png`) }).catch(() => {});
      throw new Error(`e2e scenario ${scenario.name} failed: ${e instanceof Error ? e.message : e}\n(screenshot: test-artifacts/e2e/${scenario.name}-failure.png, log: ${server.logFile})`);
    } finally {
      await browser?.close();
      await server.stop();
    }
  }
  log(`all ${results.length} e2e scenarios passed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runE2E().catch((e) => {
    console.error(e.message);
    process.exitCode = 1;
  });
}
