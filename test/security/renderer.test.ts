/**
 * The notebook renderer (tables, claim cards, charts) in headless Chromium, fed the outputs the
 * hostile notebook really produces (core session → wire payloads → JSON, as the worker and VS Code
 * pass them). Nothing may run or load; payloads read as text (also in chart tooltips); the table's
 * "Copy CSV" neutralises formulas and "Copy Markdown" stays one escaped table; oversized or
 * outward-looking chart specs are refused with a message.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import * as esbuild from 'esbuild';
import { Marked } from 'marked';
import { parseNotebook } from '../../src/core/format';
import { toWireResult } from '../../src/core/output/cellResult';
import { CHART_MIME } from '../../src/core/output/wire';
import { runNotebook } from '../../src/core/notebook/runner';
import { controlPayloadRuns, HOSTILE, HOSTILE_NOTEBOOK, inspectPage, launchChromium, ROOT, scratchDir, VISIBLE_PAYLOADS } from './helpers';

type Browser = Awaited<ReturnType<typeof launchChromium>>;
type Page = import('playwright-core').Page;

const ORIGIN = 'http://casebook.invalid';

const HARNESS = `<!doctype html><html><head><meta charset="utf-8"></head>
<body class="vscode-light" style="width: 1100px">
<script type="module">
  import { activate } from './index.js';
  window.__messages = [];
  window.__clipboard = [];
  Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (text) => { window.__clipboard.push(text); } } });
  window.casebook = activate({ postMessage: (m) => window.__messages.push(m) });
  window.renderItem = async (id, mime, data) => {
    const host = document.createElement('div');
    host.className = 'output';
    host.dataset.id = id;
    document.body.append(host);
    await window.casebook.renderOutputItem({ id, mime, json: () => data, text: () => JSON.stringify(data) }, host, new AbortController().signal);
    return host.innerText;
  };
  window.__ready = true;
</script></body></html>`;

/** Every output item the hostile notebook gives the renderer, as JSON (what crosses to the webview). */
async function hostileOutputs(): Promise<{ cell: string; mime: string; data: unknown }[]> {
  const parsed = parseNotebook(readFileSync(join(HOSTILE, HOSTILE_NOTEBOOK), 'utf8'));
  assert.ok(parsed.ok);
  const run = await runNotebook(parsed.notebook, { baseDir: HOSTILE });
  assert.ok(run.ok, JSON.stringify(run.cells.map((c) => c.result.error)));
  const items: { cell: string; mime: string; data: unknown }[] = [];
  for (const report of run.cells) {
    const wire = JSON.parse(JSON.stringify(toWireResult(report.result, 10_000))) as ReturnType<typeof toWireResult>;
    for (const output of wire.outputs) {
      const richest = output.items[0];
      if (richest.mime.startsWith('application/vnd.casebook.')) items.push({ cell: report.id ?? `cell-${report.index}`, mime: richest.mime, data: richest.data });
    }
  }
  return items;
}

async function openHarness(browser: Browser, dir: string) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const outside: string[] = [];
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Anything not served from the bundle is recorded and refused.
  await page.route('**/*', (route) => {
    outside.push(route.request().url());
    return route.abort();
  });
  await page.route(`${ORIGIN}/**`, (route) => {
    const name = new URL(route.request().url()).pathname.slice(1) || 'index.html';
    if (name === 'index.html') return route.fulfill({ contentType: 'text/html', body: HARNESS });
    if (!/^[\w.-]+\.js$/.test(name)) return route.fulfill({ status: 404, body: '' });
    let body: Buffer;
    try {
      body = readFileSync(join(dir, name));
    } catch {
      return route.fulfill({ status: 404, body: '' });
    }
    return route.fulfill({ contentType: 'text/javascript', body });
  });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => (window as unknown as { __ready?: boolean }).__ready === true);
  return { page, outside, errors };
}

async function render(page: Page, id: string, mime: string, data: unknown): Promise<string> {
  return page.evaluate(([i, m, d]) => (window as unknown as { renderItem(id: string, mime: string, data: unknown): Promise<string> }).renderItem(i as string, m as string, d), [id, mime, data] as const);
}

/** Hovers the marks of every chart, collecting what the tooltips show. */
async function hoverMarks(page: Page): Promise<string[]> {
  const seen: string[] = [];
  const marks = page.locator('.cb-chart-view svg [aria-roledescription="tick"], .cb-chart-view svg [aria-roledescription="bar"], .cb-chart-view svg [aria-roledescription="rule"]');
  const count = await marks.count();
  for (let i = 0; i < count; i++) {
    await marks.nth(i).scrollIntoViewIfNeeded();
    const box = await marks.nth(i).boundingBox();
    if (!box) continue;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForTimeout(30);
    const tip = page.locator('.cb-tooltip');
    if (await tip.count()) seen.push(await tip.innerText());
  }
  await page.mouse.move(1, 1);
  return seen;
}

describe('security: the notebook renderer in a browser', function () {
  this.timeout(240_000);
  let browser: Browser;
  let page: Page;
  let outside: string[];
  let errors: string[];
  let outputs: { cell: string; mime: string; data: unknown }[];

  before(async () => {
    const dir = scratchDir('casebook-renderer-');
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: { index: 'src/renderer/index.ts' },
      outdir: dir,
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      splitting: true,
      loader: { '.css': 'text' },
      logLevel: 'error',
    });
    outputs = await hostileOutputs();
    browser = await launchChromium();
    ({ page, outside, errors } = await openHarness(browser, dir));
    for (const [i, o] of outputs.entries()) await render(page, `${o.cell}-${i}`, o.mime, o.data);
    await page.waitForFunction((n) => document.querySelectorAll('.cb-chart-view svg').length >= n, outputs.filter((o) => o.mime === CHART_MIME).length, { timeout: 60_000 });
  });
  after(async () => {
    await browser?.close();
  });

  it('renders every hostile output as text: tables, claim cards, charts', async () => {
    assert.deepEqual(errors, []);
    assert.equal(await page.locator('.cb-claim').count(), 2);
    assert.ok((await page.locator('.cb-table').count()) >= 6);
    assert.equal(await page.locator('.cb-chart-view svg').count(), 2);
    const found = await inspectPage(page);
    for (const p of VISIBLE_PAYLOADS) assert.ok(found.text.includes(p), `payload shown as text: ${p}`);
    assert.ok(found.text.includes('<b>Only</b> public rooms were read <img src=x onerror="window.__pwned=1">'), 'the claim statement is text');
    assert.ok(found.text.includes('Analyst judgement: SUPPORTED — <svg onload="window.__pwned=1">'), 'the judgement is text');
    // Odd keys arrive as ordinary column names.
    const heads = await page.locator('.cb-colname').allTextContents();
    for (const name of ['__proto__', 'constructor', 'prototype', '', '<img src=x onerror=window.__pwned=1>', 'x"]);window.__pwned=1;//']) assert.ok(heads.includes(name), `column ${JSON.stringify(name)}`);
    const chartText = (await page.locator('.cb-chart-view svg').allTextContents()).join('\n');
    assert.ok(chartText.includes('<img src=x onerror="window.__pwned=1">'), 'chart titles and marker labels are SVG text');
  });

  it('shows chart tooltips as text, payloads included', async () => {
    const tips = await hoverMarks(page);
    assert.ok(tips.length >= 10, `tooltips seen: ${tips.length}`);
    const all = tips.join('\n');
    assert.ok(all.includes('<img src=x onerror="window.__pwned=1">'), 'a hostile value in a tooltip');
    assert.ok(all.includes('<script>window.__pwned=1</script>'), 'a hostile lane or colour in a tooltip');
    // The tooltip is made of text nodes in divs and spans only.
    const tags = await page.evaluate(() => Array.from(document.querySelectorAll('.cb-tooltip *')).map((e) => e.tagName.toLowerCase()));
    assert.deepEqual([...new Set(tags)].filter((t) => t !== 'div' && t !== 'span'), []);
  });

  it('ran nothing and loaded nothing', async () => {
    // Let pending image errors, toggles and animations fire.
    await page.waitForTimeout(300);
    // The harness's own module script and Vega's (empty) signal-binding forms are expected.
    const found = await inspectPage(page, ['script', 'form']);
    assert.deepEqual(found.pwned, [], 'window.__pwned was set');
    assert.deepEqual(found.active, [], 'active elements or attributes');
    assert.equal(await page.locator('script').count(), 1, 'only the harness script');
    assert.equal(await page.locator('form:not(.vega-bindings), form input, form select, form textarea').count(), 0, 'no forms but Vega\'s empty binding containers');
    assert.deepEqual(outside, [], 'requests outside the renderer bundle');
    assert.deepEqual(errors, []);
    // The harness has no content security policy: a payload that got in would have run.
    assert.equal(await controlPayloadRuns(page.mainFrame()), true);
  });

  it('"Copy CSV" neutralises formulas and control characters, and keeps every row', async () => {
    const tables = page.locator('.cb-table');
    const n = await tables.count();
    let copied = 0;
    for (let i = 0; i < n; i++) {
      const button = tables.nth(i).locator('button', { hasText: 'Copy CSV' });
      if (!(await button.count())) continue;
      await button.click();
      copied++;
    }
    const texts = await page.evaluate(() => (window as unknown as { __clipboard: string[] }).__clipboard.splice(0));
    assert.equal(texts.length, copied);
    let formulaCells = 0;
    for (const csv of texts) {
      assert.doesNotMatch(csv, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/, 'no terminal control characters');
      const records = parseCsv(csv, { relax_column_count: false }) as string[][];
      for (const record of records) {
        for (const field of record) {
          if (/^[=+\-@\t\r]/.test(field)) assert.match(field, /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/, `a formula cell got through: ${JSON.stringify(field)}`);
          if (/^'[=+\-@\t\r]/.test(field) || /^'\s+[=+\-@]/.test(field)) formulaCells++;
        }
      }
    }
    assert.ok(formulaCells >= 6, `hostile formula cells were neutralised (${formulaCells})`);
  });

  it('"Copy Markdown" is one table per result, every cell escaped', async () => {
    const tables = page.locator('.cb-table');
    const n = await tables.count();
    const expectedRows: number[] = [];
    for (let i = 0; i < n; i++) {
      const button = tables.nth(i).locator('button', { hasText: 'Copy Markdown' });
      if (!(await button.count())) continue;
      const count = (await tables.nth(i).locator('.cb-count').textContent()) ?? '';
      // "26 rows", or "Showing 20 of 26 rows (...)": the shown rows are copied.
      expectedRows.push(Number(/^(?:Showing )?([\d,]+)/.exec(count)?.[1].replace(/,/g, '')));
      await button.click();
    }
    const texts = await page.evaluate(() => (window as unknown as { __clipboard: string[] }).__clipboard.splice(0));
    assert.equal(texts.length, expectedRows.length);
    for (const [i, md] of texts.entries()) {
      const html = new Marked({ gfm: true }).parse(md, { async: false }) as string;
      const tags = new Set([...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()));
      assert.deepEqual([...tags].filter((t) => !['table', 'thead', 'tbody', 'tr', 'th', 'td'].includes(t)), [], `only a table: ${[...tags]}`);
      assert.equal((html.match(/<tr>/g) ?? []).length, expectedRows[i] + 1, 'one table row per result row');
    }
  });

  it('refuses charts with too many points, external data, images, links or embedding options', async () => {
    // Built in the page: sending 150,000 rows through the test driver would take longer than drawing them.
    const bigText = await page.evaluate((mime) => {
      const values = Array.from({ length: 150_001 }, (_, i) => ({ t: i }));
      const w = window as unknown as { renderItem(id: string, mime: string, data: unknown): Promise<string> };
      return w.renderItem('refused-big', mime, { spec: { mark: 'tick', data: { values }, encoding: { x: { field: 't', type: 'quantitative' } } }, title: 'big' });
    }, CHART_MIME);
    assert.match(bigText, /Casebook did not draw this chart: the chart has 150,001 data points, more than the 100,000/);
    const cases: [string, unknown, RegExp][] = [
      ['url', { spec: { mark: 'point', data: { url: 'https://attacker.invalid/data.json' }, encoding: {} } }, /load data from a URL/],
      ['image', { spec: { mark: { type: 'image' }, data: { values: [{ u: 'https://attacker.invalid/i.png' }] }, encoding: { url: { field: 'u' } } } }, /images|image URLs/],
      ['href', { spec: { mark: 'point', data: { values: [{ u: 'javascript:window.__pwned=1' }] }, encoding: { href: { field: 'u' } } } }, /links/],
      ['usermeta', { spec: { usermeta: { embedOptions: { actions: true, sourceHeader: '<img src=x onerror="window.__pwned=1">' } }, mark: 'point', data: { values: [] } } }, /embedding options/],
      ['layered url', { spec: { layer: [{ mark: 'point', data: { values: [{ a: 1 }] } }, { mark: 'rule', data: { url: '/etc/passwd' } }] } }, /load data from a URL/],
    ];
    for (const [name, payload, message] of cases) {
      const text = await render(page, `refused-${name}`, CHART_MIME, payload);
      assert.match(text, /Casebook did not draw this chart/, name);
      assert.match(text, message, name);
    }
    await page.waitForTimeout(200);
    assert.equal(await page.locator('.output[data-id^="refused-"] svg').count(), 0);
    assert.deepEqual(outside, []);
    assert.deepEqual((await inspectPage(page)).pwned, []);
  });

  it('"Save SVG" posts the chart as drawn to the extension', async () => {
    const chart = page.locator('.output').filter({ has: page.locator('.cb-chart-view svg') }).first();
    await chart.getByRole('button', { name: 'Save SVG' }).click();
    await page.waitForFunction(() => (window as unknown as { __messages: { type: string }[] }).__messages.some((m) => m.type === 'saveChart'));
    const saved = await page.evaluate(() => (window as unknown as { __messages: { type: string; format: string; content: string }[] }).__messages.find((m) => m.type === 'saveChart')!);
    assert.equal(saved.format, 'svg');
    assert.match(saved.content, /^<svg[\s\S]*<\/svg>$/);
    // The chart as drawn: its hostile labels included, escaped as SVG text.
    assert.ok(saved.content.includes('&lt;script&gt;window.__pwned=1&lt;/script&gt;</text>'), 'a hostile label is SVG text');
    assert.ok(!saved.content.includes('<script') && !saved.content.includes('<img'), 'and no markup');
  });

  it('follows a theme change, and stops once its output is disposed', async () => {
    const labelFill = (index: number) => page.locator('.output').filter({ has: page.locator('.cb-chart-view svg') }).nth(index).locator('.role-axis-title text').first().getAttribute('fill');
    const before = [await labelFill(0), await labelFill(1)];
    assert.equal(before[0], '#333333', 'light theme: the fallback foreground');
    // The second chart goes away first: it must not be drawn again.
    const ids = await page.locator('.output').filter({ has: page.locator('.cb-chart-view svg') }).evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id!));
    const disposed = page.locator(`.output[data-id="${ids[1]}"] .cb-chart-view svg`);
    const disposedSvg = await disposed.elementHandle();
    await page.evaluate((id) => (window as unknown as { casebook: { disposeOutputItem(id: string): void } }).casebook.disposeOutputItem(id), ids[1]);
    // Between two themes of the same kind only the colour variables change (on the document element).
    await page.evaluate(() => document.documentElement.style.setProperty('--vscode-editor-foreground', '#e1e2e3'));
    await page.waitForFunction(() => document.querySelector('.cb-chart-view svg .role-axis-title text')?.getAttribute('fill') === '#e1e2e3', undefined, { timeout: 20_000 });
    // A change of kind: the class, and with no variable set the kind's own fallback colour.
    await page.evaluate(() => {
      document.documentElement.style.removeProperty('--vscode-editor-foreground');
      document.body.className = 'vscode-dark';
    });
    await page.waitForFunction(() => document.querySelector('.cb-chart-view svg .role-axis-title text')?.getAttribute('fill') === '#cccccc', undefined, { timeout: 20_000 });
    await page.waitForTimeout(300);
    assert.equal(await disposedSvg!.evaluate((svg) => svg.isConnected && svg.querySelector('.role-axis-title text')?.getAttribute('fill')), before[1], 'the disposed chart was left as it was');
    await page.evaluate(() => (document.body.className = 'vscode-light'));
  });
});
