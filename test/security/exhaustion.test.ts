/**
 * Resource exhaustion through the real code paths (the bundled `casebook` command and the core
 * API): gzip bombs, a 200 MB line, deep nesting, millions of distinct values, runaway operators,
 * results and charts too large to show. Each ends in bounded time and memory with a message that
 * says what happened; nothing is cut silently.
 */
import { strict as assert } from 'node:assert';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { timelineSpec } from '../../src/core/charts/timeline';
import { parseNotebook } from '../../src/core/format';
import { renderHtmlReport } from '../../src/core/report/html';
import { runNotebook } from '../../src/core/notebook/runner';
import { parseQuery, QueryRuntimeError, runQuery, Scope } from '../../src/core/query';
import { Table } from '../../src/core/query/table';
import { DateTime } from '../../src/core/query/values';
import { loadSource, parseSourceSpec } from '../../src/core/sources';
import { tableToWire, WIRE_TEXT_BUDGET, WIRE_VALUE_CHARS } from '../../src/core/output/wire';
import { rowCountText } from '../../src/renderer/table';
import { checkChartSpec } from '../../src/core/output/chartSafety';
import { cli, scratchDir } from './helpers';

const MiB = 1 << 20;

/** A preload that reports the process's peak resident memory (KiB) on stderr when it exits. */
function rssProbe(dir: string): string[] {
  const file = join(dir, 'rss-probe.cjs');
  writeFileSync(file, "process.on('exit', () => process.stderr.write(`\\npeak-rss-kib=${process.resourceUsage().maxRSS}\\n`));\n");
  return ['--require', file];
}

function peakRssMiB(stderr: string): number {
  const m = /peak-rss-kib=(\d+)/.exec(stderr);
  assert.ok(m, 'the probe reported memory');
  return Number(m[1]) / 1024;
}

/** Writes `head`, then `size` bytes of `fill`, then `tail`, streaming (gzip-compressed when asked). */
async function writeHuge(file: string, head: string, size: number, tail: string, gzip = false): Promise<void> {
  const out = createWriteStream(file);
  const sink = gzip ? createGzip({ level: 1 }) : undefined;
  sink?.pipe(out);
  const target = sink ?? out;
  const write = (chunk: Buffer | string) => new Promise<void>((resolve, reject) => (target.write(chunk, (e) => (e ? reject(e) : resolve())) ? undefined : undefined));
  await write(head);
  const block = Buffer.alloc(MiB, 'a');
  for (let n = 0; n < size; n += MiB) await write(n + MiB <= size ? block : block.subarray(0, size - n));
  await write(tail);
  target.end();
  await finished(out);
}

async function query(text: string, tables: Record<string, Table> = {}, limits?: { maxRows?: number }) {
  return runQuery(parseQuery(text), { resolveTable: async (n) => tables[n], scope: Scope.empty, now: DateTime.fromMillis(Date.UTC(2026, 5, 10)), ...(limits ? { limits } : {}) }, new AbortController().signal);
}

async function seconds<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await f();
  return [value, (performance.now() - t0) / 1000];
}

describe('security: resource exhaustion', function () {
  this.timeout(300_000);

  describe('gzip bombs', () => {
    it('casebook run stops a bomb at maxDecompressedBytes, naming the file and the setting', () => {
      const ws = scratchDir();
      // 64 MiB of JSON lines compress to well under 1 MiB.
      const line = Buffer.from(JSON.stringify({ timestamp: '2026-06-09T02:00:00Z', x: 'a'.repeat(100) }) + '\n');
      writeFileSync(join(ws, 'bomb.jsonl.gz'), gzipSync(Buffer.concat(Array.from({ length: (64 * MiB) / line.length }, () => line)), { level: 9 }));
      writeFileSync(join(ws, 'b.casebook.md'), ['---', 'sources:', '  bomb: { path: bomb.jsonl.gz, maxDecompressedBytes: 4 MiB }', '---', '', '```kql #rows', 'bomb | count', '```', ''].join('\n'));
      const r = cli(['run', join(ws, 'b.casebook.md')], { cwd: ws, nodeArgs: rssProbe(ws) });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /bomb\.jsonl\.gz decompresses to more than maxDecompressedBytes \(4194304 bytes\); stopped reading\. If the data is genuine, raise maxDecompressedBytes for this source\./);
      assert.ok(peakRssMiB(r.stderr) < 512, `peak memory ${peakRssMiB(r.stderr).toFixed(0)} MiB`);
    });

    it('the core loader stops a bomb that is one endless line at the first limit it reaches', async () => {
      const dir = scratchDir();
      writeFileSync(join(dir, 'zeros.jsonl.gz'), gzipSync(Buffer.alloc(48 * MiB, 0x61), { level: 9 }));
      const [err, took] = await seconds(() =>
        loadSource(parseSourceSpec('zeros', { path: 'zeros.jsonl.gz', maxDecompressedBytes: '32 MiB', maxLineBytes: '64 MiB' }), { baseDir: dir }).then(
          () => undefined,
          (e: unknown) => e as Error,
        ),
      );
      assert.ok(err, 'the load fails');
      assert.match(err.message, /zeros\.jsonl\.gz decompresses to more than maxDecompressedBytes \(33554432 bytes\)/);
      assert.ok(took < 30, `took ${took.toFixed(1)} s`);
      // With a smaller line limit the same file is one malformed line, skipped without holding it.
      const loaded = await loadSource(parseSourceSpec('zeros', { path: 'zeros.jsonl.gz', maxDecompressedBytes: '64 MiB', maxLineBytes: '1 MiB' }), { baseDir: dir });
      assert.equal(loaded.table.rowCount, 0);
      assert.equal(loaded.malformed.count, 1);
      assert.match(loaded.malformed.samples[0].reason, /over maxLineBytes \(1048576\)/);
    });
  });

  describe('a single 200 MB line', () => {
    const ws = scratchDir();
    after(() => rmSync(ws, { recursive: true, force: true }));
    const before = JSON.stringify({ timestamp: '2026-06-09T02:00:00Z', n: 1 }) + '\n';
    const afterLine = '\n' + JSON.stringify({ timestamp: '2026-06-09T02:01:00Z', n: 2 }) + '\n';
    const cases: [string, string, string, string, boolean][] = [
      ['JSON Lines', 'long.jsonl', before + '{"x":"', '"}' + afterLine, false],
      ['gzip JSON Lines', 'long.jsonl.gz', before + '{"x":"', '"}' + afterLine, true],
      ['CSV', 'long.csv', 'timestamp,n\n2026-06-09T02:00:00Z,1\n"', '",2' + '\n2026-06-09T02:01:00Z,2\n', false],
      ['text', 'long.log', 'first line\n', '\nlast line\n', false],
    ];
    for (const [label, name, head, tail, gzip] of cases) {
      it(`${label}: reported as one malformed line; the rest is read; memory stays far below the line's size`, async () => {
        const file = join(ws, name);
        await writeHuge(file, head, 200 * 1000 * 1000, tail, gzip);
        const r = cli(['query', '--format', 'jsonl', '--source', `big=${file}`, 'big | count'], { cwd: ws, nodeArgs: rssProbe(ws) });
        rmSync(file);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, '{"Count":2}\n');
        assert.match(r.stderr, new RegExp(`skipped 1 malformed line, first at .*${name.replace(/\./g, '\\.')}:\\d+ \\(line is \\d+ bytes, over maxLineBytes \\(16777216\\)\\)`));
        const peak = peakRssMiB(r.stderr);
        assert.ok(peak < 400, `peak memory ${peak.toFixed(0)} MiB for a 200 MB line`);
      });
    }
  });

  describe('deep nesting', () => {
    it('JSON nested deeper than 64 levels makes its line malformed; a 100,000-deep line does not crash the reader', async () => {
      const dir = scratchDir();
      const deep = 100_000;
      writeFileSync(
        join(dir, 'deep.jsonl'),
        [
          JSON.stringify({ timestamp: '2026-06-09T02:00:00Z', ok: 1 }),
          `{"a":${'['.repeat(deep)}${']'.repeat(deep)}}`,
          `{"b":${'{"c":'.repeat(deep)}1${'}'.repeat(deep)}}`,
          `{"c":${'['.repeat(64)}${']'.repeat(64)}}`,
          `{"d":${'['.repeat(63)}${']'.repeat(63)}}`,
          '',
        ].join('\n'),
      );
      for (const options of [{}, { fields: ['a', 'b', 'ok'] }]) {
        const source = await loadSource(parseSourceSpec('deep', 'deep.jsonl'), { baseDir: dir, ...options });
        assert.equal(source.table.rowCount, 2, JSON.stringify(options));
        assert.equal(source.malformed.count, 3);
        assert.ok(source.malformed.samples.every((s) => /nested deeper than 64 levels/.test(s.reason)));
      }
    });

    it('parse_json and todynamic over deeply nested text finish and do not crash', async () => {
      const t = Table.fromRows([{ name: 's', type: 'string' }], [{ s: '['.repeat(200_000) + ']'.repeat(200_000) }, { s: '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) }, { s: '['.repeat(500) + ']'.repeat(500) }]);
      const [r, took] = await seconds(() => query('T | extend j = parse_json(s), k = todynamic(s) | project t = gettype(j), n = strlen(tostring(j)), u = tostring(k)', { T: t }));
      assert.ok(took < 20, `took ${took.toFixed(1)} s`);
      assert.deepEqual([...r.table!.rows()].map((row) => row.t), ['string', 'string', 'array']);
    });
  });

  describe('many distinct values and runaway operators', () => {
    it('a log that invents a new key on every line stops a full load at maxColumns; queries that name their fields still run', async () => {
      const ws = scratchDir();
      // 200,000 lines, each with its own key: a full load would be 200,000 columns over 200,000 rows.
      const lines = Array.from({ length: 200_000 }, (_, i) => `{"ts":"2026-06-09T02:00:00Z","user":"u${i % 7}","k${i}":${i}}`);
      writeFileSync(join(ws, 'keys.jsonl'), lines.join('\n') + '\n');
      const limitMessage = /^casebook: source "keys" has more than 1000 distinct top-level fields, which is unusual for a log \(it may be hostile\)\. .* only queries that project or summarize named fields read it\. To read every field, raise maxColumns for this source \(in the front matter, with the setting casebook\.sources\.maxColumns, or on the command line as --source NAME=\{path: PATH, maxColumns: N\}\)\.\n$/;

      const [full, took] = await seconds(() => cli(['query', '--source', `keys=${join(ws, 'keys.jsonl')}`, 'keys | take 3'], { cwd: ws, nodeArgs: rssProbe(ws) }));
      assert.equal(full.status, 2, full.stdout + full.stderr); // a source that cannot be loaded is a file error
      assert.match(full.stderr.replace(/\npeak-rss-kib=\d+\n$/, ''), limitMessage);
      assert.ok(took < 30, `took ${took.toFixed(1)} s`);
      assert.ok(peakRssMiB(full.stderr) < 512, `peak memory ${peakRssMiB(full.stderr).toFixed(0)} MiB`);

      const named = cli(['query', '--source', `keys=${join(ws, 'keys.jsonl')}`, 'keys | summarize n = count() by user | order by user asc', '--format', 'jsonl'], { cwd: ws });
      assert.equal(named.status, 0, named.stderr);
      assert.deepEqual(named.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown), Array.from({ length: 7 }, (_, u) => ({ user: `u${u}`, n: Math.ceil((200_000 - u) / 7) })));

      // The core loader gives the same error on one thread, with workers whose ranges are each over
      // the limit (1 MiB ranges, about 18,000 fields each), and with ranges that are each under it
      // (32 KiB, about 600 fields) so only the merge of their columns is over.
      const sameError = (e: Error) => e.name === 'SourceLoadError' && e.message === `${/^casebook: (.*)\n$/.exec(full.stderr.replace(/\npeak-rss-kib=\d+\n$/, ''))![1]}`;
      for (const parallel of [false, { workers: 2, minBytes: 0, rangeBytes: 1024 * 1024 }, { workers: 2, minBytes: 0, rangeBytes: 32 * 1024 }] as const) {
        await assert.rejects(loadSource(parseSourceSpec('keys', { path: 'keys.jsonl' }), { baseDir: ws, parallel }), sameError, JSON.stringify(parallel));
        const projected = await loadSource(parseSourceSpec('keys', { path: 'keys.jsonl' }), { baseDir: ws, parallel, fields: ['user', 'k5'] });
        assert.deepEqual([projected.table.rowCount, projected.table.schema.map((c) => c.name)], [200_000, ['user', 'k5']]);
      }
    });

    it('raising maxColumns lets a full load through, from the front matter and from the editor setting', async () => {
      const ws = scratchDir();
      const lines = Array.from({ length: 1500 }, (_, i) => `{"user":"u${i % 3}","k${i}":${i}}`);
      writeFileSync(join(ws, 'wide.jsonl'), lines.join('\n') + '\n');
      const loaded = await loadSource(parseSourceSpec('wide', { path: 'wide.jsonl', maxColumns: 1501 }), { baseDir: ws, parallel: false });
      assert.equal(loaded.table.schema.length, 1501);
      await assert.rejects(loadSource(parseSourceSpec('wide', { path: 'wide.jsonl', maxColumns: 1500 }), { baseDir: ws, parallel: false }), /more than 1500 distinct top-level fields/);
      // The editor passes casebook.sources.maxColumns as a default; the front matter still wins.
      const notebook = (sources: string) => parseNotebook(['---', 'sources:', `  wide: ${sources}`, '---', '', '```kql #all', 'wide | take 1', '```', ''].join('\n'));
      const run = async (sources: string, maxColumns: number) => {
        const parsed = notebook(sources);
        assert.ok(parsed.ok);
        const report = await runNotebook(parsed.notebook, { baseDir: ws, sourceDefaults: { maxColumns } });
        return report.cells.find((c) => c.id === 'all')!.result;
      };
      const tooFew = await run('wide.jsonl', 100);
      assert.ok(!tooFew.ok && /more than 100 distinct top-level fields/.test(tooFew.error?.message ?? ""), tooFew.summary);
      assert.ok((await run('wide.jsonl', 2000)).ok);
      assert.ok((await run('{ path: wide.jsonl, maxColumns: 2000 }', 100)).ok);
    });

    it('a million distinct group keys: summarize, dcount and distinct finish in bounded time', async () => {
      const [r, took] = await seconds(() => query('range i from 1 to 1000000 step 1 | extend k = strcat("key-", i) | summarize groups = dcount(k), rows = count() | extend d = toscalar(range i from 1 to 1000000 step 1 | extend k = strcat("key-", i) | summarize by k | count)'));
      assert.deepEqual([...r.table!.rows()].map((row) => [row.groups, row.rows, row.d]), [[1_000_000n, 1_000_000n, 1_000_000n]]);
      assert.ok(took < 60, `took ${took.toFixed(1)} s`);
    });

    it('range and join that would explode stop with a positioned error', async () => {
      const cases: [string, RegExp][] = [
        ['range x from 1 to 100000000000 step 1 | count', /range produces more than 10,000,000 rows/],
        ['range x from 1 to 8000 step 1 | extend k = 1 | join kind=inner (range y from 1 to 8000 step 1 | extend k = 1) on k | count', /join produces more than 50,000,000 rows/],
      ];
      for (const [text, message] of cases) {
        const [err, took] = await seconds(() => query(text).then(() => undefined, (e: unknown) => e));
        assert.ok(err instanceof QueryRuntimeError, `${text}: ${String(err)}`);
        assert.match(err.message, message);
        assert.equal(typeof err.offset, 'number', 'the error points into the query');
        assert.ok(took < 60, `${text}: took ${took.toFixed(1)} s`);
      }
    });
  });

  describe('results too large to show', () => {
    it('limits.maxRows cuts a result and says so (engine, notebook cell, CLI and renderer payload)', async () => {
      const r = await query('range i from 1 to 25000 step 1', {}, { maxRows: 1000 });
      assert.equal(r.table!.rowCount, 1000);
      assert.equal(r.totalRows, 25000);
      assert.deepEqual(r.warnings, ['the result has 25,000 rows; only the first 1,000 are kept (row limit)']);

      const parsed = parseNotebook(['```kql #big', 'range i from 1 to 25000 step 1', '```', ''].join('\n'));
      assert.ok(parsed.ok);
      const run = await runNotebook(parsed.notebook, { baseDir: scratchDir(), limits: { maxResultRows: 1000 } });
      assert.deepEqual(run.cells[0].result.warnings, ['the result has 25,000 rows; only the first 1,000 are kept (row limit)']);

      const shown = cli(['query', '--max-rows', '5', 'range i from 1 to 25000 step 1']);
      assert.equal(shown.status, 0, shown.stderr);
      assert.match(shown.stdout, /\(showing 5 of 25000 rows\)\n$/);

      const wire = tableToWire(r.table!, 100);
      assert.equal(wire.rows.length, 100);
      assert.equal(wire.totalRows, 1000, 'the renderer payload carries the full count, and the table says "Showing 100 of 1,000 rows"');
      assert.equal(wire.cutForSize, undefined);
    });

    it('the renderer payload stays bounded in size: rows past its text budget are left out and said so, and a value past its cap is cut saying so', async () => {
      // 300 rows of 1 MiB lines would be 300 MiB of text in one output: more than a notebook output should carry.
      const r = await query('range i from 1 to 300 step 1 | extend line = strrep("xy", 524288)', {}, { maxRows: 1000 });
      const wire = tableToWire(r.table!, 10_000);
      assert.equal(wire.totalRows, 300);
      assert.equal(wire.cutForSize, true);
      // Each row is 1 MiB of text and a few digits: 63 rows fit in 64 MiB, a 64th would not.
      assert.equal(WIRE_TEXT_BUDGET, 64 * 1048576);
      assert.equal(wire.rows.length, 63);
      assert.equal(rowCountText(wire), 'Showing 63 of 300 rows (more would be too large for a notebook output; project fewer or shorter columns, or use casebook query)');
      assert.equal(rowCountText(tableToWire(r.table!, 50)), 'Showing 50 of 300 rows (raise casebook.results.maxRows to see more)');
      const long = await query('print s = strrep("ab", 600000), d = pack_array(strrep("yz", 550000))', {}, {});
      const [s, d] = tableToWire(long.table!, 1).rows[0] as string[];
      assert.equal(s, 'ab'.repeat(524288) + '… (151,424 more characters)');
      // One row of many long values fits too: each keeps its share of the budget.
      const wide = await query(`print ${Array.from({ length: 100 }, (_, i) => `c${i} = strrep("ab", 600000)`).join(', ')}`, {}, {});
      const wideWire = tableToWire(wide.table!, 10);
      const share = Math.floor(WIRE_TEXT_BUDGET / 100);
      assert.equal(wideWire.rows.length, 1);
      assert.ok(wideWire.rows[0].every((v) => typeof v === 'string' && v.startsWith('ab'.repeat(100)) && v.endsWith(`… (${(1_200_000 - share).toLocaleString('en-US')} more characters)`)));
      assert.ok(wideWire.rows[0].reduce<number>((n, v) => n + String(v).length, 0) <= WIRE_TEXT_BUDGET + 100 * 40);
      // The array's JSON is 1,100,004 characters: 1,048,576 kept, 51,428 left out.
      assert.ok(d.startsWith('["yzyz') && d.endsWith('yz… (51,428 more characters)') && d.length === WIRE_VALUE_CHARS + '… (51,428 more characters)'.length, d.slice(-40));
    });
  });

  describe('charts too large to draw', () => {
    it('render refuses more than 20,000 points with a warning, and keeps the table', () => {
      const ws = scratchDir();
      writeFileSync(join(ws, 'r.casebook.md'), ['```kql #many', 'range i from 1 to 20001 step 1 | extend t = datetime(2026-06-09) + i * 1s | render timechart', '```', ''].join('\n'));
      const r = cli(['run', join(ws, 'r.casebook.md')], { cwd: ws });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /✓ kql #many {2}20,001 rows/);
      assert.match(r.stdout, /warning: render: 20,001 rows are too many to chart \(limit 20,000\); aggregate first/);
    });

    it('timelines bin dense events into a bounded number of marks', () => {
      const n = 200_000;
      const t0 = Date.UTC(2026, 5, 9);
      const rows = Array.from({ length: n }, (_, i) => ({ t: DateTime.fromMillis(t0 + i * 400), user: `user-${i % 1000}`, action: ['read', 'send', 'export'][i % 3] }));
      const table = Table.fromRows([{ name: 't', type: 'datetime' }, { name: 'user', type: 'string' }, { name: 'action', type: 'string' }], rows);
      const build = timelineSpec(table, { lane: 'user', color: 'action' });
      assert.ok(build.marks <= 240 * 40 * 3, `marks ${build.marks}`);
      assert.ok(build.lanes <= 40);
      assert.match(build.note ?? '', /binned to .*200,000 events/);
      assert.equal(checkChartSpec(build.spec).problem, undefined);
    });

    it('a timeline coloured by a unique value per event still bins into a bounded chart', async () => {
      const ws = scratchDir();
      mkdirSync(join(ws, 'data'));
      const n = 120_000;
      const t0 = Date.UTC(2026, 5, 9);
      writeFileSync(join(ws, 'data', 'e.jsonl'), Array.from({ length: n }, (_, i) => JSON.stringify({ timestamp: new Date(t0 + i * 1000).toISOString(), agent: `agent-${i}` })).join('\n') + '\n');
      const text = ['---', 'sources:', '  e: data/e.jsonl', '---', '', '```timeline #agents', 'query: e', 'color: agent', '```', ''].join('\n');
      const parsed = parseNotebook(text);
      assert.ok(parsed.ok);
      const run = await runNotebook(parsed.notebook, { baseDir: ws });
      const chart = run.cells[0].result.outputs.find((o) => o.type === 'chart');
      assert.ok(chart && chart.type === 'chart');
      assert.ok((chart.marks ?? Infinity) <= 5000, `marks ${chart.marks}`);
      assert.equal(checkChartSpec(chart.spec).problem, undefined);
    });

    it('a chart that still carries too many points is left out of the report with a note (and the renderer refuses it too)', async () => {
      // A spec no Casebook builder makes any more, as a notebook from elsewhere or a future chart kind might.
      const values = Array.from({ length: 120_000 }, (_, i) => ({ t: i, agent: `agent-${i}` }));
      const spec = { data: { values }, mark: 'tick', encoding: { x: { field: 't', type: 'quantitative' }, color: { field: 'agent', type: 'nominal' } } };
      const check = checkChartSpec(spec);
      assert.match(check.problem ?? '', /data points, more than the 100,000 a chart draws/);
      const parsed = parseNotebook('```timeline #agents\nquery: e\n```\n');
      assert.ok(parsed.ok);
      const run = { ok: true, problems: [], cells: [{ index: 0, kind: 'timeline', id: 'agents', durationMs: 1, result: { ok: true, outputs: [{ type: 'chart' as const, spec }], summary: '', warnings: [] } }] };
      let rendered = 0;
      const [html, took] = await seconds(() => renderHtmlReport({ file: parsed.notebook, run, source: 'x', chartToSvg: async () => (rendered++, '<svg></svg>') }));
      assert.equal(rendered, 0, 'the oversized chart is not rendered');
      assert.match(html, /<p class="error">A chart was left out: the chart has [\d,]+ data points, more than the 100,000 a chart draws/);
      assert.ok(took < 10, `took ${took.toFixed(1)} s`);
    });
  });
});
