import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAX_JSON_DEPTH } from '../../../src/core/sources';
import { column, iso, load, schemaOf, tempDir } from './helpers';
import { runQuery, Scope } from '../../../src/core/query';
import { DateTime } from '../../../src/core/query/values';
import { tableRows } from '../query/helpers';

describe('sources/jsonl', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('keeps objects and arrays of a projected field as their JSON text, read into the same values as a full read gives', async () => {
    const lines = [
      { ts: '2026-06-09T10:00:00Z', actor: { user: 'u1', ip: '10.0.0.1' }, tags: ['a'], mixed: { k: 1 } },
      { ts: '2026-06-09T10:00:01Z', actor: { user: 'u1', ip: '10.0.0.1' }, tags: [], mixed: 'text' },
      { ts: '2026-06-09T10:00:02Z', actor: null, tags: [1, { n: 12345678901234567890n }], mixed: { k: 2 } },
      { ts: '2026-06-09T10:00:03Z', actor: { user: 'u2', __proto__: { x: 1 } } },
    ];
    const text = lines.map((l) => JSON.stringify(l, (_k, v) => (typeof v === 'bigint' ? `#${v}#` : v)).replace(/"#(\d+)#"/g, '$1')).join('\n');
    // `__proto__` in an object literal sets the prototype; the line must hold it as a key.
    writeFileSync(join(tmp.path, 'nested.jsonl'), text.replace('{"user":"u2"}', '{"user":"u2","__proto__":{"x":1}}'));
    const full = await load(join(tmp.path, 'nested.jsonl'));
    const projected = await load(join(tmp.path, 'nested.jsonl'), { fields: ['actor', 'tags', 'mixed'] });
    for (const name of ['actor', 'tags', 'mixed']) assert.deepEqual(column(projected, name), column(full, name), name);
    const actor = column(projected, 'actor');
    assert.equal(Object.getPrototypeOf(actor[0]), null);
    assert.deepEqual(Object.keys(actor[3] as object), ['user', '__proto__']);
    assert.equal((column(projected, 'tags')[2] as { n: bigint }[])[1].n, 12345678901234567890n); // exact beyond 2^53
    // Objects only: kept as text; a string among them: kept as values, as before.
    const storage = (name: string) => (projected.table.columns[projected.table.columnIndex(name)] as unknown as { storage?: { kind: string } }).storage?.kind;
    assert.equal(storage('actor'), 'json');
    assert.equal(storage('tags'), 'json');
    assert.notEqual(storage('mixed'), 'json');
    assert.deepEqual(column(projected, 'mixed'), [{ k: 1n }, 'text', { k: 2n }, null].map((v) => (typeof v === 'object' && v ? Object.assign(Object.create(null), v) : v)));
  });

  it('parses each text of a column of few distinct objects once, and keeps nothing parsed for a column of many', async () => {
    // Kept for every column, the parsed objects of a column of distinct objects took about three
    // times what the source cache counts for it.
    const lines = Array.from({ length: 6000 }, (_, n) => JSON.stringify({ room: { id: `r${n % 3}` }, actor: { id: `u${n}` } }));
    writeFileSync(join(tmp.path, 'distinct.jsonl'), lines.join('\n'));
    const s = await load(join(tmp.path, 'distinct.jsonl'));
    const storage = (name: string) => (s.table.columns[s.table.columnIndex(name)] as unknown as { storage: { kind: string; parsed: unknown[] } }).storage;
    for (const name of ['room', 'actor']) assert.equal(storage(name).kind, 'json', name);
    const room = s.table.columns[s.table.columnIndex('room')], actor = s.table.columns[s.table.columnIndex('actor')];
    for (let r = 0; r < 6000; r++) {
      assert.deepEqual(room.get(r), Object.assign(Object.create(null), { id: `r${r % 3}` }));
      assert.deepEqual(actor.get(r), Object.assign(Object.create(null), { id: `u${r}` }));
    }
    assert.equal(room.get(0), room.get(3), 'one value for one text');
    assert.equal(storage('room').parsed.filter((v) => v !== undefined).length, 3);
    assert.equal(storage('actor').parsed.filter((v) => v !== undefined).length, 0);
  });

  it('infers columns in first-seen order with their types', async () => {
    const s = await load('auth.jsonl');
    assert.equal(s.format, 'jsonl');
    assert.equal(s.timeField, 'timestamp');
    assert.deepEqual(schemaOf(s), [
      'timestamp:datetime', 'user:string', 'action:string', 'status:dynamic', 'latency:real', 'ok:bool', 'tags:dynamic', 'geo:dynamic', 'note:string',
    ]);
    assert.equal(s.rowCount, 5);
    assert.deepEqual(column(s, 'user'), ['alice', 'bob', 'alice', 'mallory', 'eve']);
    assert.deepEqual(column(s, 'status'), [200n, 401n, 200n, 'denied', 200n]); // long and string mix: dynamic
    assert.deepEqual(column(s, 'latency'), [0.25, 1.5, 0.5, 2, 0.75]); // long and real mix: real
    assert.deepEqual(column(s, 'ok'), [true, false, true, true, true]);
    assert.deepEqual(column(s, 'note'), ['', '', '', '', 'café 😀']); // missing strings are ""
    const tags = column(s, 'tags');
    assert.deepEqual(tags[0], ['vpn', 'mfa']);
    assert.equal(tags[2], null);
    const geo = column(s, 'geo')[0] as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(geo), null);
    assert.equal(geo.country, 'DE');
  });

  it('normalises the time field to UTC with microseconds', async () => {
    const s = await load('auth.jsonl');
    assert.deepEqual(column(s, 'timestamp').map(iso), [
      '2026-06-09T10:11:12Z', '2026-06-09T10:11:13.123456Z', '2026-06-09T08:11:14Z', '2026-06-09T10:11:15Z', '2026-06-09T10:11:17Z',
    ]);
  });

  it('counts malformed lines with file and line number and keeps going', async () => {
    const s = await load('auth.jsonl');
    assert.equal(s.malformed.count, 3);
    assert.deepEqual(s.malformed.samples.map((m) => [m.file, m.line]), [['auth.jsonl', 5], ['auth.jsonl', 6], ['auth.jsonl', 9]]);
    assert.match(s.malformed.samples[0].reason, /^invalid JSON/);
    assert.match(s.malformed.samples[1].reason, /not a JSON object/);
    assert.match(s.malformed.samples[2].reason, /^invalid JSON/); // truncated last line without newline
  });

  it('reads the Europe/Berlin zone for offset-less times, across both DST changes', async () => {
    const s = await load({ path: 'berlin.jsonl', timezone: 'Europe/Berlin' });
    assert.equal(s.timeField, 'time');
    assert.deepEqual(column(s, 'time').map(iso), [
      '2026-03-29T00:59:59Z',
      '2026-03-29T01:00:00Z',
      '2026-03-29T01:30:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-25T02:00:00Z',
      '2026-06-09T10:00:00.000001Z',
      '2026-06-09T12:00:00Z',
    ]);
  });

  it('computes with an integer beyond 64 bits as a real number, never wrapped', async () => {
    writeFileSync(join(tmp.path, 'beyond64.jsonl'), '{"n":18446744073709551617}\n{"n":5}\n');
    const s = await load('beyond64.jsonl', { baseDir: tmp.path });
    const t = await runQuery('T | project t = gettype(n), p = todouble(n + 1) > 1e19, l = tolong(n), m = todouble(-n) < -1e19', { resolveTable: async (name) => (name === 'T' ? s.table : undefined), scope: Scope.empty, now: DateTime.fromMillis(0) }, new AbortController().signal);
    assert.deepEqual(tableRows(t.table!), [['real', true, null, true], ['int', false, 5, false]]);
  });

  it('does not take a small number for an epoch when choosing the time field (a duration in time, a yyyymmdd date)', async () => {
    writeFileSync(join(tmp.path, 'durations.jsonl'), '{"time":0.253,"path":"/a"}\n{"time":1.5,"path":"/b"}\n');
    const d = await load('durations.jsonl', { baseDir: tmp.path });
    assert.equal(d.timeField, null);
    assert.deepEqual(schemaOf(d), ['time:real', 'path:string']);
    writeFileSync(join(tmp.path, 'yyyymmdd.jsonl'), '{"date":20260609,"x":1}\n');
    assert.deepEqual(schemaOf(await load('yyyymmdd.jsonl', { baseDir: tmp.path })), ['date:long', 'x:long']);
    // A real epoch still is one, and a declared field is read as declared.
    writeFileSync(join(tmp.path, 'epoch-now.jsonl'), '{"ts":1780999872,"x":1}\n');
    assert.equal((await load('epoch-now.jsonl', { baseDir: tmp.path })).timeField, 'ts');
    const declared = await load({ path: 'durations.jsonl', time: { field: 'time' } }, { baseDir: tmp.path });
    assert.deepEqual(column(declared, 'time').map(iso), ['1970-01-01T00:00:00.253Z', '1970-01-01T00:00:01.5Z']);
  });

  it('chooses the time field past an empty first value, as for an empty CSV cell', async () => {
    writeFileSync(join(tmp.path, 'empty-first-time.jsonl'), '{"timestamp":"","m":1}\n{"timestamp":"2026-06-09T10:00:00Z","m":2}\n');
    const s = await load('empty-first-time.jsonl', { baseDir: tmp.path });
    assert.equal(s.timeField, 'timestamp');
    assert.deepEqual(column(s, 'timestamp').map(iso), [null, '2026-06-09T10:00:00Z']);
  });

  it('reads epoch seconds and milliseconds, guessed or declared', async () => {
    const s = await load('epoch-s.jsonl');
    assert.deepEqual(column(s, 'ts').map(iso), ['2026-06-09T10:11:12Z', '2026-06-09T10:11:13Z']);
    const ms = await load({ path: 'epoch-ms.jsonl', time: { field: 'ts', format: 'epoch_ms' } });
    assert.deepEqual(column(ms, 'ts').map(iso), ['2026-06-09T10:11:12.123Z', '2026-06-09T10:11:13.456Z']);
    const wrong = await load({ path: 'epoch-s.jsonl', time: { field: 'ts', format: 'iso' } });
    assert.deepEqual(column(wrong, 'ts'), [null, null]);
    assert.match(wrong.warnings.join('\n'), /2 value\(s\) of time field "ts" could not be read as times and are null \(first at epoch-s\.jsonl:1: "1780999872"\)/);
  });

  it('keeps integers exact: beyond 2^53 as bigint, beyond 64 bits in a dynamic column', async () => {
    const s = await load('bigints.jsonl');
    assert.deepEqual(schemaOf(s), ['id:long', 'small:long', 'neg:long', 'huge:dynamic', 'real:real', 'intish:long', 'exp:real']);
    assert.deepEqual(column(s, 'id'), [9007199254740993n, 9007199254740995n]);
    assert.deepEqual(column(s, 'neg'), [-9223372036854775808n, 9223372036854775807n]);
    assert.deepEqual(column(s, 'huge'), [123456789012345678901234567890n, 1n]);
    assert.deepEqual(column(s, 'real'), [1.5, 2]);
    assert.deepEqual(column(s, 'intish'), [2n, 3n]); // 2.0 is an integral value: long
    assert.deepEqual(column(s, 'exp'), [1000, 1e300]); // 1e3 is a long, mixed with a real: real
  });

  it('reads integers past a double\'s range exactly in full and projected loads alike, and 1e999 as an infinite real', async () => {
    // A 310-digit integer gave an infinite real in a full load and the digits in a projected one.
    const file = join(tmp.path, 'past-double.jsonl');
    const digits = '1'.repeat(310);
    writeFileSync(file, `{"id":1,"n":${digits}}\n{"id":2,"n":1e999}\n`);
    for (const s of [await load(file), await load(file, { fields: ['id', 'n'] })]) {
      assert.deepEqual(schemaOf(s), ['id:long', 'n:dynamic']);
      assert.deepEqual(column(s, 'n'), [BigInt(digits), Infinity]);
    }
  });

  it('reads a line needing exact integers whatever its strings hold: escapes, and millions of characters', async () => {
    // A regex over a 9-million-character string overflowed its stack, and the line was taken for malformed.
    const file = join(tmp.path, 'exact-long.jsonl');
    const long = 'a'.repeat(9_000_000);
    writeFileSync(file, `{"n":12345678901234567890,"s":"${long}"}\n{"n":12345678901234567891,"a":"x\\\\","b":"q\\"x","c":"\\u00e9\\n"}\n{"n":12345678901234567892,"bad":"tab\there"}\n`);
    const s = await load(file);
    assert.deepEqual(column(s, 'n'), [12345678901234567890n, 12345678901234567891n]);
    assert.equal((column(s, 's')[0] as string).length, long.length);
    assert.deepEqual([column(s, 'a')[1], column(s, 'b')[1], column(s, 'c')[1]], ['x\\', 'q"x', 'é\n']);
    assert.deepEqual(s.malformed.samples.map((m) => m.line), [3], 'a raw tab in a string is not JSON');
  });

  it('names the line of the first unreadable time in a prefiltered gzip file, past 20 malformed lines', async () => {
    // Behind a prefilter a gzip file's lines are counted only while a line number is wanted; the
    // count stopped once 20 malformed lines were sampled, and the time's line came out as 21.
    const lines = ['{"ts":"2026-01-01T00:00:00Z","msg":"zzz"}', ...Array(25).fill('{broken zzz'), ...Array.from({ length: 100 }, (_, i) => `{"ts":"2026-01-01T00:00:00Z","msg":"other ${i}"}`), '{"ts":"notatime","msg":"zzz"}'];
    const file = join(tmp.path, 'late-bad-time.jsonl.gz');
    writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
    const s = await load({ path: file, time: { field: 'ts' } }, { mustContain: ['zzz'] });
    assert.equal(s.rowCount, 2);
    assert.match(s.warnings.join('\n'), /1 value\(s\) of time field "ts" could not be read as times and are null \(first at \S*late-bad-time\.jsonl\.gz:127: "notatime"\)/);
  });

  it('refuses a long line nested too deep before building it, and reads brackets inside strings as text', async () => {
    const file = join(tmp.path, 'deep-long.jsonl');
    const n = 600_000; // a line over 1 MiB
    const brackets = '[{'.repeat(100);
    writeFileSync(file, `{"a":${'['.repeat(n)}${']'.repeat(n)}}\n{"a":"${brackets.repeat(6000)}","q":"\\"[[["}\n{"a":[[1]]}\n`);
    const s = await load(file);
    assert.equal(s.rowCount, 2);
    assert.deepEqual(s.malformed.samples.map((m) => [m.line, m.reason]), [[1, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`]]);
    assert.equal((column(s, 'a')[0] as string).length, brackets.length * 6000);
    assert.deepEqual(column(s, 'q')[0], '"[[[');
  });

  it('keeps exact integers inside dynamic values', async () => {
    const file = join(tmp.path, 'nested-big.jsonl');
    writeFileSync(file, '{"a":{"id":18446744073709551617,"f":0.5,"list":[1,9007199254740993]}}\n');
    const s = await load(file);
    assert.deepEqual(column(s, 'a')[0], Object.assign(Object.create(null), { id: 18446744073709551617n, f: 0.5, list: [1n, 9007199254740993n] }));
  });

  it('treats prototype-polluting keys as plain data', async () => {
    const s = await load('pollution.jsonl');
    assert.deepEqual(schemaOf(s), ['__proto__:dynamic', 'constructor:long', 'toString:string', 'hasOwnProperty:bool', 'nested:dynamic']);
    const proto = column(s, '__proto__')[0] as Record<string, unknown>;
    assert.equal(proto.x, 1n);
    assert.equal(column(s, 'constructor')[0], 1n);
    const nested = column(s, 'nested')[1] as Record<string, Record<string, unknown>>;
    assert.equal(Object.getPrototypeOf(nested), null);
    assert.ok(Object.hasOwn(nested, '__proto__'));
    assert.equal(nested['__proto__'].polluted, true);
    const row = s.table.row(0);
    assert.equal(Object.getPrototypeOf(row), null);
    assert.equal(({} as Record<string, unknown>).x, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(({} as Record<string, unknown>).y, undefined);
  });

  it('decodes invalid UTF-8 with replacement characters and keeps lone surrogates from escapes', async () => {
    const file = join(tmp.path, 'utf8.jsonl');
    writeFileSync(file, Buffer.concat([
      Buffer.from('{"s":"ok-'), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from('-'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}\n'),
      Buffer.from('{"s":"\\ud800 lone"}\n'),
      Buffer.from('{"s":"pair \\ud83d\\ude00"}\n'),
    ]));
    const s = await load(file);
    assert.equal(s.malformed.count, 0);
    assert.deepEqual(column(s, 's'), ['ok-\uFFFD\uFFFD(-\uFFFD\uFFFD\uFFFD', '\uD800 lone', 'pair 😀']);
  });

  it('marks lines over maxLineBytes as malformed, including a 1 MB+ line', async () => {
    const file = join(tmp.path, 'long.jsonl');
    const big = `{"msg":"${'x'.repeat(1_200_000)}"}`;
    writeFileSync(file, `{"msg":"short"}\n${big}\n{"msg":"after"}\n`);
    const s = await load({ path: file, maxLineBytes: '64 KiB' });
    assert.deepEqual(column(s, 'msg'), ['short', 'after']);
    assert.equal(s.malformed.count, 1);
    assert.equal(s.malformed.samples[0].line, 2);
    assert.match(s.malformed.samples[0].reason, /line is 1200010 bytes, over maxLineBytes \(65536\)/);
    const whole = await load({ path: file });
    assert.equal((column(whole, 'msg')[1] as string).length, 1_200_000);
  });

  it('measures lines exactly against a small maxLineBytes', async () => {
    const file = join(tmp.path, 'edge.jsonl');
    writeFileSync(file, '{"a":"123456"}\n{"a":"1234567"}\n{"a":"12345678"}\n');
    const s = await load({ path: file, maxLineBytes: 15 });
    assert.deepEqual(column(s, 'a'), ['123456', '1234567']);
    assert.deepEqual(s.malformed.samples.map((m) => m.line), [3]);
  });

  it(`rejects JSON nested deeper than ${MAX_JSON_DEPTH} levels without crashing`, async () => {
    const file = join(tmp.path, 'deep.jsonl');
    const ok = `{"a":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`;
    const tooDeep = `{"a":${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}}`;
    const absurd = `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    writeFileSync(file, [ok, tooDeep, absurd, '{"a":1}'].join('\n') + '\n');
    const s = await load(file);
    assert.equal(s.rowCount, 2);
    assert.deepEqual(s.malformed.samples.map((m) => [m.line, m.reason]), [
      [2, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`],
      [3, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`],
    ]);
  });

  it('handles CRLF line ends, a BOM, blank lines and a missing final newline', async () => {
    const file = join(tmp.path, 'crlf.jsonl');
    writeFileSync(file, '\uFEFF{"a":1}\r\n\r\n   \r\n{"a":2}\r\n{"a":3}');
    const s = await load(file);
    assert.deepEqual(column(s, 'a'), [1n, 2n, 3n]);
    assert.equal(s.malformed.count, 0);
  });

  it('picks the first time candidate that holds a time, and can be told there is none', async () => {
    const file = join(tmp.path, 'candidates.jsonl');
    writeFileSync(file, '{"date":"tomorrow","ts":null,"x":1}\n{"date":"2026-06-09","ts":"2026-06-09T10:00:00Z","x":2}\n');
    const s = await load(file);
    assert.equal(s.timeField, 'ts');
    assert.deepEqual(schemaOf(s), ['date:string', 'ts:datetime', 'x:long']);
    assert.deepEqual(column(s, 'ts').map(iso), [null, '2026-06-09T10:00:00Z']);
    const none = await load({ path: file, time: false });
    assert.equal(none.timeField, null);
    assert.deepEqual(schemaOf(none), ['date:string', 'ts:string', 'x:long']);
    const missing = await load({ path: file, time: 'when' });
    assert.equal(missing.timeField, null);
    assert.match(missing.warnings.join('\n'), /time field "when" does not occur in any row/);
  });

  it('orders integer-like keys first among keys first seen in the same row', async () => {
    const file = join(tmp.path, 'order.jsonl');
    writeFileSync(file, '{"b":1,"10":2,"a":3,"2":4}\n{"z":1,"b":2,"1":3}\n');
    const s = await load(file);
    assert.deepEqual(s.table.schema.map((c) => c.name), ['2', '10', 'b', 'a', '1', 'z']);
  });

  it('a column that only holds nulls is dynamic', async () => {
    const file = join(tmp.path, 'nulls.jsonl');
    writeFileSync(file, '{"a":null}\n{"a":null,"b":"x"}\n');
    const s = await load(file);
    assert.deepEqual(schemaOf(s), ['a:dynamic', 'b:string']);
    assert.deepEqual(column(s, 'b'), ['', 'x']);
  });
});

describe('sources/jsonl column widening', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('gives the same dynamic values whatever the order of mixed rows', async () => {
    const rows = ['{"v":1}', '{"v":0.5}', '{"v":"x"}', '{"v":9007199254740993}', '{"v":true}'];
    const expected = [1n, 0.5, 'x', 9007199254740993n, true];
    const orders = [[0, 1, 2, 3, 4], [2, 0, 1, 3, 4], [1, 0, 3, 2, 4], [3, 1, 0, 4, 2], [4, 3, 2, 1, 0]];
    for (const [n, order] of orders.entries()) {
      const file = join(tmp.path, `mix-${n}.jsonl`);
      writeFileSync(file, order.map((i) => rows[i]).join('\n'));
      const s = await load(file);
      assert.equal(s.table.schema[0].type, 'dynamic');
      assert.deepEqual(column(s, 'v'), order.map((i) => expected[i]), `order ${order}`);
    }
  });

  it('keeps missing values null when a string column widens to dynamic', async () => {
    const file = join(tmp.path, 'string-then-mixed.jsonl');
    writeFileSync(file, '{"v":"a"}\n{"w":1}\n{"v":null}\n{"v":2}\n{"w":2}\n');
    const s = await load(file);
    assert.deepEqual(column(s, 'v'), ['a', null, null, 2n, null]);
    const strings = await load({ path: file, time: false }, { fields: ['v'], mustContain: ['"v"'] });
    assert.deepEqual(column(strings, 'v'), ['a', null, 2n]);
  });

  it('widens long and real to real only while every long is exact as a double', async () => {
    const file = join(tmp.path, 'widen.jsonl');
    writeFileSync(file, '{"a":1,"b":1,"c":0.5}\n{"a":0.5,"b":9007199254740993,"c":2}\n{"a":3,"b":0.5,"c":9007199254740993}\n');
    const s = await load(file);
    assert.deepEqual(schemaOf(s), ['a:real', 'b:dynamic', 'c:dynamic']);
    assert.deepEqual(column(s, 'a'), [1, 0.5, 3]);
    assert.deepEqual(column(s, 'b'), [1n, 9007199254740993n, 0.5]);
    assert.deepEqual(column(s, 'c'), [0.5, 2n, 9007199254740993n]);
  });

  it('deduplicates many distinct strings exactly', async () => {
    const file = join(tmp.path, 'many.jsonl');
    writeFileSync(file, Array.from({ length: 50_000 }, (_, i) => `{"id":"id-${i % 20_000}","u":"${i % 3 ? 'same' : ''}"}`).join('\n'));
    const s = await load(file);
    const ids = s.table.column('id')!;
    assert.equal((ids as unknown as { dictionary: readonly string[] }).dictionary.length, 20_000);
    for (const i of [0, 1, 19_999, 20_000, 49_999]) assert.equal(ids.get(i), `id-${i % 20_000}`);
    assert.deepEqual(column(s, 'u').slice(0, 4), ['', 'same', 'same', '']);
  });
});
