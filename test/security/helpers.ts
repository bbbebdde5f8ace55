/** Shared by the security tests: the hostile fixture, the bundled CLI, headless Chromium. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const HOSTILE = join(ROOT, 'test', 'fixtures', 'hostile');
export const HOSTILE_NOTEBOOK = 'hostile.casebook.md';

/** Strings from the hostile fixture that must show up as text wherever the value is shown. */
export const VISIBLE_PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '"><svg onload="window.__pwned=1">',
  'javascript:window.__pwned=1',
];

/** A scratch copy of the hostile fixture (tests write records and reports into it). */
export function hostileWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-hostile-'));
  cpSync(HOSTILE, dir, { recursive: true });
  return dir;
}

export function scratchDir(prefix = 'casebook-sec-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

let cliBundle: string | undefined;
/**
 * The bundled `casebook` command: `dist/cli.js` when the build is newer than every source file
 * (as in `npm test`, which builds first), otherwise a fresh bundle with the same settings in a
 * scratch folder, so the test never runs stale code.
 */
export function cliPath(): string {
  if (cliBundle) return cliBundle;
  const dist = join(ROOT, 'dist', 'cli.js');
  const bundles = ['cli.js', 'cliMain.js', 'cliQuery.js', 'jsonlWorker.js', 'jsonlReader.js'].map((f) => join(ROOT, 'dist', f));
  const newestSource = newestMtime(join(ROOT, 'src'));
  if (bundles.every((f) => existsSync(f) && statSync(f).mtimeMs > newestSource)) return (cliBundle = dist);
  const out = scratchDir('casebook-cli-bundle-');
  // Same options as esbuild.mjs's node builds (vega-canvas's browser build: no native canvas).
  const script = `
    const esbuild = require('esbuild');
    const node = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error', legalComments: 'none',
      alias: { 'vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js' } };
    Promise.all([
      esbuild.build({ ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: ${JSON.stringify(out)} }),
      esbuild.build({ ...node, entryPoints: { jsonlWorker: 'src/core/sources/jsonlWorker.ts' }, outdir: ${JSON.stringify(out)} }),
    ]).catch((e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not bundle the CLI: ${r.stderr}`);
  return (cliBundle = join(out, 'cli.js'));
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  signal: NodeJS.Signals | null;
}

/** Runs the bundled CLI like a user would. */
export function cli(args: readonly string[], options: { cwd?: string; timeoutMs?: number; nodeArgs?: readonly string[] } = {}): CliRun {
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [...(options.nodeArgs ?? []), cliPath(), ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: options.timeoutMs ?? 120_000,
    maxBuffer: 256 << 20,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

export const CHROMIUM = process.env.CASEBOOK_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Headless Chromium through playwright-core (the same browser the VS Code UI tests drive). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (Debian: apt-get install chromium; or set CASEBOOK_CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Characters that drive a terminal: C0 controls except tab and newline, DEL, C1 controls. */
export const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

type Page = import('playwright-core').Page;

export interface PageFindings {
  /** Frames (by URL) where `window.__pwned` was set. */
  readonly pwned: string[];
  /** Elements and attributes that could run script or load something: tag names, `on*` attributes, script URLs. */
  readonly active: string[];
  readonly text: string;
}

/**
 * What a page shows and whether anything ran: `window.__pwned` in every frame, active elements
 * (script, iframe, object, embed, img, image, foreignObject, use, animate, set, meta refresh,
 * base, link) and attributes (`on*`, `javascript:`/`data:`/`vbscript:` URLs, `srcdoc`), and the text.
 */
export async function inspectPage(page: Page, allowedTags: readonly string[] = []): Promise<PageFindings> {
  const pwned: string[] = [];
  const active: string[] = [];
  let text = '';
  for (const frame of page.frames()) {
    const found = await withTimeout(frame
      .evaluate((allowed: string[]) => {
        const w = window as unknown as { __pwned?: unknown };
        const bad: string[] = [];
        const ACTIVE = ['script', 'iframe', 'frame', 'object', 'embed', 'img', 'image', 'foreignobject', 'use', 'animate', 'set', 'base', 'link', 'form', 'input', 'video', 'audio', 'source', 'picture', 'math'];
        for (const node of Array.from(document.querySelectorAll('*'))) {
          const tag = node.tagName.toLowerCase();
          if (ACTIVE.includes(tag) && !allowed.includes(tag)) bad.push(`<${tag}>`);
          if (tag === 'meta' && /refresh/i.test(node.getAttribute('http-equiv') ?? '')) bad.push('<meta refresh>');
          for (const attr of Array.from(node.attributes)) {
            const name = attr.name.toLowerCase();
            const value = attr.value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
            if (name.startsWith('on')) bad.push(`${tag}[${name}]`);
            if (name === 'srcdoc') bad.push(`${tag}[srcdoc]`);
            if (/(^|:)(href|src|action|formaction|xlink:href|data)$/.test(name) && /^(javascript|vbscript|data):/.test(value)) bad.push(`${tag}[${name}=${value.slice(0, 30)}]`);
          }
        }
        return { pwned: w.__pwned !== undefined, bad, text: document.body ? document.body.innerText : '' };
      }, [...allowedTags]), 5_000, `inspecting frame ${frame.url().slice(0, 80)}`)
      .catch((e: unknown) => {
        // A frame that is gone cannot be inspected; one that does not answer is a finding.
        if (e instanceof TimeoutError) return { pwned: false, bad: [`frame did not answer: ${frame.url().slice(0, 80)}`], text: '' };
        return undefined;
      });
    if (!found) continue;
    if (found.pwned) pwned.push(frame.url());
    active.push(...found.bad);
    text += found.text + '\n';
  }
  return { pwned, active, text };
}

/**
 * Checks that the frame detects a payload that does get in: inline handlers do run there, so a
 * clean result from `inspectPage` means no payload got in (not that nothing could have run).
 */
export async function controlPayloadRuns(frame: import('playwright-core').Frame): Promise<boolean> {
  await frame.evaluate(() => {
    const host = document.createElement('div');
    host.setAttribute('id', 'casebook-control');
    document.body.append(host);
    host.insertAdjacentHTML('beforeend', '<img src="x:control" onerror="window.__casebookControl=1">');
  });
  for (let i = 0; i < 40; i++) {
    if (await frame.evaluate(() => (window as unknown as { __casebookControl?: number }).__casebookControl === 1)) {
      await frame.evaluate(() => document.getElementById('casebook-control')?.remove());
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

class TimeoutError extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(`${what} took over ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
