/**
 * Loading for a query (projection, prefilter, member paths, the cache) must give every query the
 * result it gets from a full load. Random queries over generated lines check that, with one cache
 * shared by all of them so later queries meet entries of earlier ones.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseQuery, runQuery, Scope, type QueryResult } from '../../../src/core/query';
import { DateTime } from '../../../src/core/query/values';
import { loadForQuery, loadSource, parseSourceSpec, SourceCache } from '../../../src/core/sources';
import { tempDir } from './helpers';

const EVENTS = ['login.failed', 'login.success', 'message.send', 'file.upload'];
const USERS = ['alice', 'bob', 'carol', 'dave'];

/** Deterministic lines with nested values, optional fields, escapes that spell literals, and malformed lines. */
function lines(count: number, seed: number): string[] {
  let x = seed;
  const next = (n: number) => ((x = (x * 1103515245 + 12345) & 0x7fffffff) % n);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const event = EVENTS[next(EVENTS.length)];
    const user = USERS[next(USERS.length)];
    const ts = new Date(Date.UTC(2026, 2, 1) + i * 997_000).toISOString();
    const escaped = next(9) === 0;
    const ev = escaped ? event.replace('.', '\\u002e') : event;
    const us = escaped && next(2) === 0 ? user.replace(/^./, (c) => `\\u00${c.charCodeAt(0).toString(16)}`) : user;
    const note = next(4) === 0 ? `,"note":"n${next(3)}"` : '';
    const a = next(6) === 0 ? 'null' : `{"b":"${USERS[next(USERS.length)]}","c":${next(50)},"d":{"e":"${EVENTS[next(2)]}"}}`;
    if (next(40) === 0) out.push(`{"ts":"${ts}","event":"${ev}" "user":"broken"}`);
    else out.push(`{"ts":"${ts}","event":"${ev}","user":"${us}","n":${next(10)},"a":${a}${note}}`);
  }
  return out;
}

const ATOMS = [
  ...EVENTS.map((e) => `event == "${e}"`),
  ...USERS.map((u) => `user == "${u}"`),
  'a.b == "bob"',
  'a.d.e == "login.failed"',
  'user has_cs "aro"',
  'event in ("file.upload")',
  'n > 3',
  'isnotempty(note)',
];
const TAILS = [
  '| count',
  '| summarize count() by event',
  '| summarize dcount(user) by tostring(a.b)',
  '| summarize c = count(), s = sum(n) by user, bin(ts, 1h)',
  '| project user, n, x = tostring(a.b), y = a.d.e',
  '| project ts, note',
  '| take 3 | project user, event',
  '',
  '| extend k = strcat(user, "/", event) | summarize count() by k',
  '| summarize make_set(a.c) by event',
  '| top 3 by n desc, ts asc | project ts, n',
];

function rowsOf(r: QueryResult): unknown {
  const t = r.table!;
  const rows = [];
  for (let i = 0; i < t.rowCount; i++) rows.push(t.columns.map((c) => c.get(i)));
  return JSON.parse(JSON.stringify({ schema: t.schema, rows }, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof DateTime ? v.toISOString() : v)));
}

describe('sources/loading for a query', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());
  const now = DateTime.fromMillis(Date.UTC(2026, 5, 1));

  async function both(file: string, query: string, cache: SourceCache): Promise<[unknown, unknown]> {
    const spec = parseSourceSpec('T', file);
    const full = await loadSource(spec, { baseDir: tmp.path });
    const reference = await runQuery(parseQuery(query), { resolveTable: async (n) => (n === 'T' ? full.table : undefined), scope: Scope.empty, now }, new AbortController().signal);
    const pushed = await runQuery(
      parseQuery(query),
      { resolveTable: async (n, _s, request) => (n === 'T' ? (await loadForQuery(spec, request, { baseDir: tmp.path, cache }, { prefilterMinBytes: 0, sampleBytes: 4096 })).table : undefined), scope: Scope.empty, now },
      new AbortController().signal,
    );
    return [rowsOf(pushed), rowsOf(reference)];
  }

  it('random filtered queries give the full load’s results, sharing one cache', async () => {
    const file = join(tmp.path, 'q.jsonl');
    writeFileSync(file, lines(600, 7).join('\n') + '\n');
    const cache = new SourceCache();
    const atom = fc.constantFrom(...ATOMS);
    const filter = fc.oneof(
      fc.constant(''),
      atom.map((a) => `| where ${a} `),
      fc.tuple(atom, atom, fc.constantFrom('and', 'or')).map(([a, b, op]) => `| where ${a} ${op} ${b} `),
      fc.tuple(atom, atom).map(([a, b]) => `| where ${a} | where ${b} `),
    );
    await fc.assert(
      fc.asyncProperty(filter, fc.constantFrom(...TAILS), async (f, tail) => {
        const query = `T ${f}${tail}`;
        const [actual, expected] = await both(file, query, cache);
        assert.deepEqual(actual, expected, query);
      }),
      { seed: 20260701, numRuns: 150 },
    );
    assert.ok(cache.stats.hits > 0, 'later queries reused earlier loads');
  });

  it('reads lines whose escapes spell the literal, and keeps malformed lines out', async () => {
    const file = join(tmp.path, 'esc.jsonl');
    writeFileSync(file, ['{"event":"login\\u002efailed","u":"a"}', '{"event":"login.failed","u":"b"}', '{"event":"other","u":"c"}', '{"event":"login.failed" "u":"d"}'].join('\n'));
    const [actual, expected] = await both(file, 'T | where event == "login.failed" | summarize count()', new SourceCache());
    assert.deepEqual(actual, expected);
    assert.deepEqual((actual as { rows: unknown[] }).rows, [['2n']]);
  });

  it('never hands a query a cached table with other columns or other rows', async () => {
    const file = join(tmp.path, 'c.jsonl');
    writeFileSync(file, lines(300, 3).join('\n'));
    const cache = new SourceCache();
    for (const q of [
      'T | where event == "login.failed" | count',
      'T | where event == "message.send" | count',
      'T | where event == "login.failed" | summarize sum(n)',
      'T | summarize count() by event',
      'T | where event == "login.failed" | project user, x = a.b',
      'T | project x = a.b, y = a.c',
      'T | project a',
      'T | where user == "bob" | project x = a.d',
    ]) {
      const [actual, expected] = await both(file, q, cache);
      assert.deepEqual(actual, expected, q);
    }
  });

  it('falls back to reading every line when the sample shows a column would type differently', async () => {
    const file = join(tmp.path, 'mixed.jsonl');
    // `v` is a long on the matching lines but a real elsewhere: a full load types it real.
    const text = Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? `{"k":"hit","v":${i}}` : `{"k":"miss","v":${i}.5}`)).join('\n');
    writeFileSync(file, text);
    const [actual, expected] = await both(file, 'T | where k == "hit" | project v2 = v / 2', new SourceCache());
    assert.deepEqual(actual, expected);
    const [a2, e2] = await both(file, 'T | where k == "hit" | project note', new SourceCache()).catch((e: Error) => [e.message, e.message]);
    assert.deepEqual(a2, e2);
  });
});
