/**
 * Keys such as `__proto__`, `constructor` and `prototype`, empty and duplicate keys, lone
 * surrogates and bytes that are not UTF-8 travel from the sources through the engine to every
 * output as plain data: no object gains a prototype or property from them, and outputs stay valid.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNotebook } from '../../src/core/format';
import { renderHtmlReport } from '../../src/core/report/html';
import { chartToSvg } from '../../src/core/charts/svg';
import { renderMarkdownReport } from '../../src/core/report/markdownReport';
import { toWireResult } from '../../src/core/output/cellResult';
import { tableToMarkdown } from '../../src/core/output/markdown';
import { rowJsonWriter, rowToJson, stringifyJson } from '../../src/core/output/values';
import { tableToWire } from '../../src/core/output/wire';
import { runNotebook } from '../../src/core/notebook/runner';
import { parseQuery, runQuery, Scope } from '../../src/core/query';
import type { Table } from '../../src/core/query/table';
import { DateTime } from '../../src/core/query/values';
import { loadSource, parseSourceSpec } from '../../src/core/sources';
import { cli, HOSTILE, HOSTILE_NOTEBOOK, scratchDir } from './helpers';

/** Everything a polluted prototype would change, captured to compare before and after. */
function prototypeState(): string {
  const describe = (o: object) =>
    Reflect.ownKeys(o)
      .map((k) => {
        const d = Object.getOwnPropertyDescriptor(o, k)!;
        return `${String(k)}:${typeof d.value}:${String(d.writable)}:${typeof d.get}`;
      })
      .sort()
      .join(',');
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype, Object].map(describe).join('\n');
}

function assertClean(before: string): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.polluted, undefined, '({}).polluted');
  assert.equal(probe.isAdmin, undefined, '({}).isAdmin');
  assert.equal(Object.getPrototypeOf(probe), Object.prototype);
  assert.equal(prototypeState(), before, 'built-in prototypes changed');
}

const ODD_QUERIES = [
  `T | where ua == "keys" | project p = ['__proto__'].polluted, a = ['__proto__'].isAdmin, c = ['constructor'].prototype.polluted, k = bag_keys(['__proto__'])`,
  `T | where ua == "keys" | extend b = bag_pack("__proto__", dynamic({"polluted": 1}), "constructor", ['constructor']) | project b, t = gettype(b.__proto__)`,
  `T | where ua == "keys" | summarize bag = make_bag(['__proto__']), bag2 = make_bag(bag_pack("__proto__", 2)), l = make_list(['constructor'])`,
  `T | where ua == "keys" | mv-expand kv = ['__proto__'] | project kv`,
  `T | where ua == "keys" | mv-expand kind=array kv = ['constructor'] | project kv`,
  `print j = parse_json('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}, "a": {"__proto__": null}}') | project j, p = j.__proto__.polluted, keys = bag_keys(j)`,
  `print j = todynamic('{"__proto__": [1, 2], "prototype": "x"}') | mv-expand j | project j`,
  `print u = parse_url("https://h/p?__proto__=1&constructor=2&prototype=3") | project q = u["Query Parameters"]`,
  `T | where ua == "keys" | extend d = dynamic({"__proto__": {"polluted": 3}, "constructor": {"prototype": {"polluted": 4}}}) | project d, x = d.__proto__.polluted, y = d['constructor']['prototype'].polluted`,
  `T | where ua == "keys" | extend s = tostring(['__proto__']) | parse s with * '"polluted":"' v '"' * | project v, s`,
  `T | where ua == "keys" | project ['__proto__'], ['constructor'], ['prototype'], [''], dup | extend x = 1 | summarize count() by tostring(['__proto__']), tostring(['constructor'])`,
  `T | join kind=leftouter (T | where ua == "keys" | project ['__proto__'], user) on user | project ['__proto__'], ['__proto__1'] | take 3`,
  `T | summarize by ['prototype'], [''] | order by [''] asc`,
  `T | extend ['__proto__'] = 1, ['constructor'] = "c", ['toString'] = 2, ['hasOwnProperty'] = 3, ['valueOf'] = 4 | project ['__proto__'], ['constructor'], ['toString'], ['hasOwnProperty'], ['valueOf'] | take 2`,
];

async function query(text: string, table: Table): Promise<Table | undefined> {
  try {
    const r = await runQuery(parseQuery(text), { resolveTable: async (n) => (n === 'T' ? table : undefined), scope: Scope.empty, now: DateTime.fromMillis(Date.UTC(2026, 5, 10)) }, new AbortController().signal);
    return r.table;
  } catch (e) {
    throw new Error(`${text}\n→ ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Every output form of a table, each checked to be valid: JSON parses back, wire cells are scalars. */
function exerciseOutputs(table: Table): void {
  const rowJson = rowJsonWriter(table);
  for (let i = 0; i < table.rowCount; i++) {
    const json = stringifyJson(rowToJson(table, i));
    assert.equal(rowJson(i), json, 'the row writer writes what the row object gives');
    assert.doesNotMatch(json, /[\u007f-\u009f\u2028\u2029]/);
    const back = JSON.parse(json) as Record<string, unknown>;
    assert.deepEqual(Object.keys(back), table.schema.map((c) => c.name), 'JSON keys are the column names, __proto__ included');
  }
  const wire = JSON.parse(JSON.stringify(tableToWire(table, 100))) as ReturnType<typeof tableToWire>;
  for (const row of wire.rows) for (const cell of row) assert.ok(cell === null || ['string', 'number', 'boolean'].includes(typeof cell));
  tableToMarkdown(table, 100);
}

describe('security: prototype pollution and odd keys', function () {
  this.timeout(120_000);
  const before = prototypeState();
  afterEach(() => assertClean(before));

  it('sources read odd keys as ordinary columns, the last duplicate wins, bad text becomes U+FFFD', async () => {
    for (const options of [{}, { fields: ['__proto__', 'constructor', 'prototype', '', 'dup', 'ua'] }, { mustContain: ['keys'] }]) {
      const source = await loadSource(parseSourceSpec('events', 'data/events.jsonl'), { baseDir: HOSTILE, ...options });
      const t = source.table;
      for (const name of ['__proto__', 'constructor', 'prototype', '', 'dup']) assert.ok(t.columnIndex(name) >= 0, `column ${JSON.stringify(name)} (${JSON.stringify(options)})`);
      const rows = [...t.rows()];
      const odd = rows.find((r) => r.ua === 'keys')!;
      assert.ok(Object.hasOwn(odd, '__proto__'), 'a row holds __proto__ as its own key');
      const proto = odd['__proto__'] as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(proto), null, 'dynamic objects have no prototype');
      assert.equal(proto.polluted, 'yes');
      assert.equal(odd.dup, 'second');
      assert.equal(odd[''], 'empty key');
      assertClean(before);
    }
    const full = await loadSource(parseSourceSpec('events', 'data/events.jsonl'), { baseDir: HOSTILE });
    assert.equal(full.malformed.count, 1, 'the line that is not JSON is counted');
    const ua = full.table.column('ua')!;
    const values = Array.from({ length: ua.length }, (_, i) => ua.get(i));
    assert.ok(values.includes('lone \ud800 surrogate'));
    assert.ok(values.includes('bad \ufffd\ufffd bytes \ufffd('));
  });

  it('CSV headers named __proto__, constructor, prototype, empty or duplicated are ordinary columns', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 'odd.csv'), '__proto__,constructor,prototype,,dup,dup,toString\n{"polluted":1},c,p,e,1,2,t\n');
    const source = await loadSource(parseSourceSpec('odd', 'odd.csv'), { baseDir: dir });
    assert.deepEqual(source.table.schema.map((c) => c.name), ['__proto__', 'constructor', 'prototype', 'column4', 'dup', 'dup_1', 'toString']);
    const [row] = [...source.table.rows()];
    assert.equal(row['__proto__'], '{"polluted":1}');
    exerciseOutputs(source.table);
  });

  it('queries over odd keys treat them as data, and every output of their results is valid', async () => {
    const source = await loadSource(parseSourceSpec('events', 'data/events.jsonl'), { baseDir: HOSTILE });
    for (const q of ODD_QUERIES) {
      const t = await query(q, source.table);
      assert.ok(t, q);
      exerciseOutputs(t);
      assertClean(before);
    }
    const p = await query(ODD_QUERIES[0], source.table);
    assert.deepEqual([...p!.rows()].map((r) => [r.p, r.a, r.c]), [['yes', true, 'yes']]);
  });

  it('one line with an epoch beyond the range of dates (1e308) reads as no time and does not take down any output of the source', async () => {
    const dir = scratchDir();
    writeFileSync(join(dir, 't.jsonl'), '{"timestamp":"2026-06-09T02:00:00Z","user":"a"}\n{"timestamp":1e308,"user":"b"}\n');
    const source = await loadSource(parseSourceSpec('t', 't.jsonl'), { baseDir: dir });
    exerciseOutputs(source.table);
    const table = cli(['query', '--source', `t=${join(dir, 't.jsonl')}`, 't']);
    assert.equal(table.status, 0, table.stderr);
    // Only years 0001–9999 are times: the huge epoch is no time (null), and a warning says so.
    assert.match(table.stdout, /2026-06-09T02:00:00Z +a\n +b\n/);
    assert.match(table.stderr, /1 value\(s\) of time field "timestamp" could not be read as times and are null \(first at \S*t\.jsonl:2: "1e\+308"\)/);
    const jsonl = cli(['query', '--format', 'jsonl', '--source', `t=${join(dir, 't.jsonl')}`, 't']);
    assert.equal(jsonl.status, 0, jsonl.stderr);
    assert.deepEqual(jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown), [{ timestamp: '2026-06-09T02:00:00Z', user: 'a' }, { timestamp: null, user: 'b' }]);
    // A datetime beyond Kusto's range made inside a query is null, as Kusto's conversions give.
    const made = cli(['query', '--format', 'jsonl', '--source', `t=${join(dir, 't.jsonl')}`, 't | extend far = unixtime_seconds_todatetime(1e300) | project user, far']);
    assert.equal(made.status, 0, made.stderr);
    assert.deepEqual(made.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown), [{ user: 'a', far: null }, { user: 'b', far: null }]);
  });

  it('the hostile notebook end to end (wire payloads, reports, records) leaves every prototype alone', async () => {
    const parsed = parseNotebook(readFileSync(join(HOSTILE, HOSTILE_NOTEBOOK), 'utf8'));
    assert.ok(parsed.ok);
    const run = await runNotebook(parsed.notebook, { baseDir: HOSTILE });
    assert.ok(run.ok);
    for (const c of run.cells) JSON.parse(JSON.stringify(toWireResult(c.result, 10_000)));
    const html = await renderHtmlReport({ file: parsed.notebook, run, source: HOSTILE_NOTEBOOK, chartToSvg: async () => '<svg></svg>' });
    const md = await renderMarkdownReport({ file: parsed.notebook, run, source: HOSTILE_NOTEBOOK, chartToSvg, writeChart: async () => 'chart.svg' });
    // Written as files, both are valid UTF-8 (a lone surrogate cannot be written as itself).
    const dir = scratchDir();
    for (const [name, text] of [['r.html', html], ['r.md', md]] as const) {
      writeFileSync(join(dir, name), text);
      new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(join(dir, name)));
    }
    assert.ok(html.includes('<th>__proto__</th>') && html.includes('{&quot;polluted&quot;:&quot;yes&quot;,&quot;isAdmin&quot;:true}'), 'odd keys and their values appear as data in the report');
  });
});
