/**
 * The hostile notebook's reports, exported by the `casebook` command and opened in headless
 * Chromium: nothing runs, nothing loads, and the payloads read as text. The HTML report is checked
 * twice: as written (its content security policy forbids scripts) and with the policy removed, so
 * the escaping is shown to hold on its own.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Marked } from 'marked';
import { cli, controlPayloadRuns, HOSTILE_NOTEBOOK, hostileWorkspace, inspectPage, launchChromium, VISIBLE_PAYLOADS } from './helpers';

type Browser = Awaited<ReturnType<typeof launchChromium>>;

async function openInChromium(browser: Browser, file: string) {
  const page = await browser.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => {
    // x:control is the control payload's own image (see controlPayloadRuns).
    if (!r.url().startsWith('file:') && r.url() !== 'x:control') requests.push(r.url());
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForLoadState('load');
  // Give error handlers of broken images and toggles a moment to fire.
  await page.waitForTimeout(300);
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => ((d as HTMLDetailsElement).open = true)));
  await page.waitForTimeout(200);
  return { page, requests, dialogs };
}

describe('security: exported reports of the hostile notebook', function () {
  this.timeout(180_000);
  let browser: Browser;
  let ws: string;
  let html: string;
  let markdown: string;

  before(async () => {
    ws = hostileWorkspace();
    const r = cli(['export', join(ws, HOSTILE_NOTEBOOK), '--html', join(ws, 'out', 'report.html'), '--md', join(ws, 'out', 'report.md')], { cwd: ws });
    assert.equal(r.status, 0, r.stderr);
    html = readFileSync(join(ws, 'out', 'report.html'), 'utf8');
    markdown = readFileSync(join(ws, 'out', 'report.md'), 'utf8');
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  it('the HTML report runs nothing, loads nothing and shows every payload as text', async () => {
    const { page, requests, dialogs } = await openInChromium(browser, join(ws, 'out', 'report.html'));
    const found = await inspectPage(page);
    assert.deepEqual(found.pwned, [], 'window.__pwned was set');
    assert.deepEqual(found.active, [], 'active elements or attributes in the report');
    assert.deepEqual(requests, [], 'the report made network requests');
    assert.deepEqual(dialogs, []);
    for (const p of VISIBLE_PAYLOADS) assert.ok(found.text.includes(p), `payload shown as text: ${p}`);
    assert.ok(found.text.includes('Hostile <img src=x onerror="window.__pwned=1"> investigation'), 'the title reads as text');
    // The policy itself: with it, even an injected handler cannot run.
    assert.equal(await controlPayloadRuns(page.mainFrame()), false, 'the content security policy blocks inline handlers');
    // Both charts are in the report as inline SVG, their hostile labels as SVG text.
    assert.equal(await page.locator('figure.chart svg').count(), 2);
    const chartText = (await page.locator('figure.chart svg').allTextContents()).join('\n');
    assert.ok(chartText.includes('<img src=x onerror="window.__pwned=1">'), 'a chart title from the notebook is SVG text');
    assert.ok(chartText.includes('mallory"><svg'), 'an axis label from the logs is SVG text');
    await page.close();
  });

  it('the HTML report shows control and bidi characters from the logs as visible escapes', () => {
    // ESC, BEL, C1 and RLO from the payloads would otherwise sit in the page unseen (RLO reverses what follows).
    const invisible = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.exec(html);
    assert.equal(invisible, null, `raw control character U+${invisible?.[0].charCodeAt(0).toString(16).padStart(4, '0')} in the report`);
    assert.ok(html.includes('\\x1b]0;owned\\x07'), 'the ESC payload is shown as escapes');
    assert.ok(html.includes('\\u202egnp.exe'), 'the RLO payload is shown as an escape');
  });

  it('the HTML report is inert without its content security policy too', async () => {
    const policy = /<meta http-equiv="Content-Security-Policy" content="[^"]*">/;
    assert.match(html, policy);
    const file = join(ws, 'out', 'report-without-policy.html');
    writeFileSync(file, html.replace(policy, ''));
    const { page, requests, dialogs } = await openInChromium(browser, file);
    // Inline handlers do run in this page: a payload that got in would be caught.
    assert.equal(await controlPayloadRuns(page.mainFrame()), true, 'control payload must run without the policy');
    await page.evaluate(() => delete (window as unknown as { __casebookControl?: number }).__casebookControl);
    const found = await inspectPage(page);
    assert.deepEqual(found.pwned, []);
    assert.deepEqual(found.active, []);
    assert.deepEqual(requests, []);
    assert.deepEqual(dialogs, []);
    for (const p of VISIBLE_PAYLOADS) assert.ok(found.text.includes(p), `payload shown as text: ${p}`);
    await page.close();
  });

  it('the Markdown report renders (marked, GFM, no sanitiser) without raw tags, handlers or remote images', async () => {
    // What a code host or wiki without a sanitiser would show.
    const rendered = new Marked({ gfm: true }).parse(markdown, { async: false }) as string;
    // (Markdown cells are the analyst's text and are copied as written; the fixture's hold no markup.)
    const body = rendered;
    const tags = new Set([...body.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()));
    // Lists are the report's own too: each rule of a claim, a line that starts "- ✓", "- ✗" or "- ?".
    const allowed = new Set(['h1', 'h2', 'p', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'em', 'blockquote', 'img', 'a', 'ul', 'li']);
    for (const item of body.matchAll(/<li>(.)/g)) assert.match(item[1], /[✓✗?]/, 'every list item is a rule of a claim');
    assert.deepEqual([...tags].filter((t) => !allowed.has(t)), [], 'only the report\'s own elements');
    // Images: only the report's own chart files; links: only autolinked http(s) text from the logs.
    for (const m of body.matchAll(/<img [^>]*src="([^"]*)"/g)) assert.match(m[1], /^report-charts\/[\w.-]+\.svg$/);
    for (const m of body.matchAll(/<a [^>]*href="([^"]*)"/g)) assert.match(m[1], /^https?:\/\//, `link ${m[1]}`);
    // And in a browser, without any policy.
    const file = join(ws, 'out', 'report-md.html');
    writeFileSync(file, `<!doctype html><meta charset="utf-8"><body>${body}</body>`);
    const { page, requests } = await openInChromium(browser, file);
    const found = await inspectPage(page, ['img']);
    assert.deepEqual(found.pwned, []);
    assert.deepEqual(found.active, []);
    assert.deepEqual(requests, [], 'no remote image or style was requested');
    for (const p of VISIBLE_PAYLOADS) assert.ok(found.text.includes(p), `payload shown as text: ${p}`);
    await page.close();
  });
});
