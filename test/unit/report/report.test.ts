import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartToSvg } from '../../../src/core/charts/svg';
import { parseNotebook } from '../../../src/core/format';
import { runNotebook } from '../../../src/core/notebook/runner';
import { drawChart, inertSvg } from '../../../src/core/report/drawnChart';
import { renderHtmlReport } from '../../../src/core/report/html';
import { renderMarkdownReport } from '../../../src/core/report/markdownReport';
import { markdownToHtml } from '../../../src/core/report/markdown';

const PAYLOADS = ['<img src=x onerror="window.pwned=1">', '<script>window.pwned=1</script>', 'javascript:window.pwned=1', '"><svg onload=alert(1)>', '| --> <!-- ```'];

async function hostileRun() {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-report-'));
  writeFileSync(
    join(dir, 'logs.jsonl'),
    PAYLOADS.map((p, i) => JSON.stringify({ timestamp: `2026-06-09T02:0${i}:00Z`, user: p, room: p, action: 'read' })).join('\n') + '\n',
  );
  const text = [
    '---',
    'title: <script>window.pwned=1</script> report',
    'sources:',
    '  logs: logs.jsonl',
    '---',
    '',
    '# Notes <img src=x onerror=alert(1)>',
    '',
    '[click](javascript:alert(1)) ![remote](https://evil.example/x.png)',
    '',
    '```kql #seen',
    'logs | project timestamp, user, room',
    '```',
    '',
    '```claim #c',
    'claim: "<b>nothing</b> was read"',
    'by: "<i>operator</i>"',
    'contradicted-if: seen has rows',
    '```',
    '',
    '```timeline #t',
    'from: seen',
    'lane: user',
    'tooltip: [room]',
    '```',
    '',
  ].join('\n');
  const parsed = parseNotebook(text);
  assert.ok(parsed.ok);
  const run = await runNotebook(parsed.notebook, { baseDir: dir });
  assert.ok(run.ok, JSON.stringify(run.cells.map((c) => c.result.error)));
  return { file: parsed.notebook, run };
}

describe('reports: hostile log content stays inert', () => {
  it('the HTML report escapes every payload, has no script and forbids scripts by policy', async () => {
    const { file, run } = await hostileRun();
    const html = await renderHtmlReport({ file, run, source: 'hostile.casebook.md', title: '<script>x</script>', chartToSvg: (s) => chartToSvg(s) });
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
    assert.ok(!/<script/i.test(html), 'no script element');
    assert.ok(!/<img/i.test(html), 'no img element');
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    // Attribute names only: escaped text inside attribute values may mention handlers harmlessly.
    const withHandlers = tags.filter((t) => [...t.matchAll(/\s([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)].some(([, name]) => /^on/i.test(name)));
    assert.deepEqual(withHandlers, [], 'no element carries an event handler attribute');
    assert.ok(!/href="javascript:/i.test(html), 'no javascript: links');
    assert.match(html, /&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;/);
    assert.match(html, /<svg[^>]*class="marks"/, 'the timeline is embedded as SVG');
    assert.match(html, /CONTRADICTED|Contradicted/);
  });

  it('the Markdown report escapes payloads so a code host renders them as text', async () => {
    const { file, run } = await hostileRun();
    const charts: string[] = [];
    const svgs: string[] = [];
    const md = await renderMarkdownReport({ file, run, source: 'hostile.casebook.md', chartToSvg, writeChart: async (svg, name) => (charts.push(name), svgs.push(svg), `charts/${name}.svg`) });
    assert.deepEqual(charts, ['t']);
    // The chart file goes through the same steps as the HTML report's inline charts: an SVG with
    // active content is left out with a note, invisible characters are shown.
    const active = await renderMarkdownReport({ file, run, source: 'hostile.casebook.md', chartToSvg: async () => '<svg><script>x</script></svg>', writeChart: async () => assert.fail('an active SVG was written') });
    assert.match(active, /> \*\*Error:\*\* A chart was left out because its SVG contained active content\./);
    const written: string[] = [];
    await renderMarkdownReport({ file, run, source: 'hostile.casebook.md', chartToSvg: async () => '<svg><text>a\u0001</text></svg>', writeChart: async (svg) => (written.push(svg), 'c.svg') });
    assert.deepEqual(written, ['<svg><text>a\\x01</text></svg>']);
    for (const payload of PAYLOADS.filter((p) => p.includes('<'))) assert.ok(!svgs[0].includes(payload), `the chart file escapes ${payload}`);
    const generated = md.split('## Investigation')[1];
    assert.ok(!generated.includes('<img src=x onerror="window.pwned=1">'), 'raw payload does not appear in generated tables');
    assert.match(md, /\\<img src=x onerror="window.pwned=1"\\>/);
  });

  it('names each chart of the Markdown report after its own cell', async () => {
    const dir = join(__dirname, '../../fixtures/workspace');
    const text = ['---', 'sources:', '  auth: data/auth.jsonl', '---', '', '```kql #by-user', 'auth | summarize n = count() by user | render columnchart', '```', '', '```kql #by-outcome', 'auth | summarize n = count() by outcome | render barchart', '```', ''].join('\n');
    const parsed = parseNotebook(text);
    assert.ok(parsed.ok);
    const run = await runNotebook(parsed.notebook, { baseDir: dir });
    const charts: string[] = [];
    const md = await renderMarkdownReport({ file: parsed.notebook, run, source: 'charts.casebook.md', chartToSvg, writeChart: async (_svg, name) => (charts.push(name), `my report (v2)-charts/${name}.svg`) });
    assert.deepEqual(charts, ['by-user', 'by-outcome']);
    // A space or a parenthesis in the path would end the link; they are percent-encoded.
    assert.match(md, /!\[by-user\]\(my%20report%20%28v2%29-charts\/by-user\.svg\)/);
  });

  it('the Markdown report carries what the HTML report does: warnings and each rule of a claim', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebook-report-md-'));
    writeFileSync(join(dir, 'x.jsonl'), '{"timestamp":"2026-06-09T02:00:00Z","user":"a"}\nnot json\n');
    const text = ['---', 'sources:', '  x: x.jsonl', '---', '', '```kql #seen', 'x | project user', '```', '', '```claim #c', 'claim: nobody signed in', 'by: operator', 'supported-if: seen has no rows', 'contradicted-if: seen has rows', '```', ''].join('\n');
    const parsed = parseNotebook(text);
    assert.ok(parsed.ok);
    const run = await runNotebook(parsed.notebook, { baseDir: dir });
    const html = await renderHtmlReport({ file: parsed.notebook, run, source: 'md.casebook.md', chartToSvg });
    const md = await renderMarkdownReport({ file: parsed.notebook, run, source: 'md.casebook.md', chartToSvg, writeChart: async () => '' });
    assert.match(html, /⚠ x: skipped 1 malformed line/);
    assert.match(md, /> ⚠ x: skipped 1 malformed line/);
    assert.match(md, /^- ✗ supported-if: seen has no rows — /m);
    assert.match(md, /^- ✓ contradicted-if: seen has rows — /m);
  });

  it('Markdown narrative: raw HTML becomes text, unsafe links lose their href, images become text', () => {
    const html = markdownToHtml('<b>x</b> [a](javascript:alert(1)) [b](https://example.org/x) ![c](https://evil/x.png)');
    assert.match(html, /&lt;b&gt;x&lt;\/b&gt;/);
    assert.ok(!html.includes('javascript:'));
    assert.match(html, /<a href="https:\/\/example.org\/x" rel="noopener noreferrer">b<\/a>/);
    assert.match(html, /\[image: c\]/);
  });
});

describe('reports: SVG defence', () => {
  it('keeps escaped text that merely mentions handlers, drops SVG with active content', async () => {

    const text = '<svg><text>&lt;img onerror=alert(1)&gt; javascript:x</text></svg>';
    assert.equal(inertSvg(text), text);
    for (const bad of ['<svg><script>x</script></svg>', '<svg><g onclick="x"></g></svg>', '<svg><a href="javascript:x">a</a></svg>', '<svg><foreignObject></foreignObject></svg>']) {
      assert.equal(inertSvg(bad), undefined, bad);
    }
  });

  it('draws a chart file as the reports do: checked, drawn, inert, invisible characters shown', async () => {
    const spec = { data: { values: [{ x: 'a', y: 1 }] }, mark: 'bar' };
    assert.deepEqual(await drawChart(spec, async () => '<svg><text>alice\u0001 bob\u202e</text></svg>'), { svg: '<svg><text>alice\\x01 bob\\u202e</text></svg>' });
    assert.deepEqual(await drawChart(spec, async () => '<svg><script>x</script></svg>'), { problem: 'A chart was left out because its SVG contained active content.' });
    assert.deepEqual(await drawChart(spec, async () => Promise.reject(new Error('Expression parse error'))), { problem: 'A chart could not be drawn: Expression parse error' });
    assert.deepEqual(await drawChart({ data: { url: 'https://example.org/x.json' }, mark: 'bar' }, chartToSvg), { problem: 'A chart was left out: the chart would load data from a URL.' });
  });
});

describe('reports: long values', () => {
  it('show the first 2,000 characters of a value and say how many were left out, in both reports and the evidence record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebook-report-long-'));
    // Past 1 Mi characters too, where the notebook's own payload cuts values.
    const long = 'x'.repeat(1999) + '😀' + 'y'.repeat(2_000_000);
    writeFileSync(join(dir, 'logs.jsonl'), JSON.stringify({ timestamp: '2026-06-09T02:00:00Z', cmd: long }) + '\n');
    const text = ['---', 'sources:', '  logs: logs.jsonl', '---', '', '```kql #seen', 'logs | project cmd', '```', '', '```claim #c', 'claim: no command ran', 'by: operator', 'contradicted-if: seen has rows', '```', ''].join('\n');
    const parsed = parseNotebook(text);
    assert.ok(parsed.ok);
    const run = await runNotebook(parsed.notebook, { baseDir: dir });
    assert.ok(run.ok);
    // The emoji's two halves straddle the cut: the cut moves before it rather than split it.
    const shown = 'x'.repeat(1999) + '… (2,000,002 more characters)';
    const html = await renderHtmlReport({ file: parsed.notebook, run, source: 'long.casebook.md', chartToSvg: (s) => chartToSvg(s) });
    assert.equal(html.split(`<td>${shown}</td>`).length - 1, 2, 'the query table and the claim evidence');
    assert.ok(!html.includes('yyyy'));
    const md = await renderMarkdownReport({ file: parsed.notebook, run, source: 'long.casebook.md', chartToSvg, writeChart: async () => '' });
    const shownInMarkdown = 'x'.repeat(1999) + '… \\(2,000,002 more characters\\)';
    assert.equal(md.split(`| ${shownInMarkdown} |`).length - 1, 2, 'the query table and the claim evidence');
    const records = run.cells.flatMap((c) => c.result.records ?? []);
    assert.equal(records.length, 1);
    assert.ok(records[0].text.includes(`> | ${shownInMarkdown} |`), 'the evidence written into the notebook');
    assert.ok(!records[0].text.includes('yyyy'));
  });
});
