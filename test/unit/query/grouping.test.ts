/** Grouping ids on typed tables must match a Map (SameValueZero) reference for any numbers. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { groupRows, releaseGrouping, type Grouping } from '../../../src/core/query/grouping';
import type { Compiled } from '../../../src/core/query/compiled';
import { dictionaryOf } from '../../../src/core/query/dictionary';
import { binMicros } from '../../../src/core/query/datetime-functions';
import { stringColumnFromCodes, Table } from '../../../src/core/query/table';
import { DynamicColumn } from '../../../src/core/query/structColumn';
import { runQuery, Scope } from '../../../src/core/query';
import { DateTime } from '../../../src/core/query/values';

function reference(values: (number | null)[][]): number[] {
  const ids = new Map<string, number>();
  return values[0].map((_, r) => {
    // String(), not JSON: JSON writes both infinities as null.
    const key = values.map((col) => (col[r] === null ? 'null' : Object.is(col[r], -0) ? '0' : String(col[r]))).join('|');
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  });
}

/**
 * Row ids as dense first-seen ids: as they are, or through `order` when a grouping uses its key's
 * codes as ids.
 */
function denseIds(g: Grouping, rows: number): number[] {
  assert.equal(g.groupOf.length, rows, 'an id per row');
  const ids = Array.from(g.groupOf);
  if (!g.order) return ids;
  const rank = new Map(Array.from(g.order, (id, k) => [id, k]));
  return ids.map((id) => rank.get(id)!);
}

/** The first row of each group, in first-seen order. */
function firstRows(g: Grouping): number[] {
  return g.order ? Array.from(g.order, (id) => g.firstRow[id]) : Array.from(g.firstRow.subarray(0, g.groupCount));
}

function key(values: (number | null)[]): Compiled {
  return { type: 'real', eval: (r) => values[r], evalRaw: (r) => values[r] };
}

/** A key over a column's arrays (as compiled for a column reference or its bin), read without calls. */
function arrayKey(values: (number | null)[], bin?: { size: number; fromYearOne: boolean }): Compiled {
  const nulls = values.some((v) => v === null) ? Uint8Array.from(values, (v) => (v === null ? 1 : 0)) : undefined;
  // What a null row's number is does not matter: make it one a row could hold.
  const array = Float64Array.from(values, (v) => v ?? 3);
  const fail = () => assert.fail('an array key is read from its arrays');
  return { type: bin?.fromYearOne ? 'datetime' : 'real', eval: fail, evalRaw: fail, rawArray: { values: array, nulls, bin } };
}

describe('query/grouping', () => {
  it('numeric keys and key combinations give first-seen dense ids', () => {
    const num = fc.oneof(fc.constantFrom(0, -0, NaN, null, 1.5, -7), fc.integer({ min: -50, max: 50 }), fc.double());
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }).chain((k) => fc.array(fc.array(num, { minLength: 30, maxLength: 30 }), { minLength: k, maxLength: k })), (cols) => {
        const g = groupRows(cols.map(key), 30, new AbortController().signal);
        assert.deepEqual(Array.from(g.groupOf), reference(cols));
        assert.equal(g.groupCount, new Set(reference(cols)).size);
      }),
      { seed: 5150, numRuns: 400 },
    );
  });

  it('groupings handed back are written over by later ones, whatever their sizes, never read stale', () => {
    const signal = new AbortController().signal;
    const held: ReturnType<typeof groupRows>[] = [];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }).chain((k) => fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 300 }), { minLength: k, maxLength: k })), fc.boolean(), (raw, release) => {
        const rows = Math.min(...raw.map((c) => c.length));
        const cols = raw.map((c) => c.slice(0, rows));
        const g = groupRows(cols.map(key), rows, signal);
        assert.deepEqual(Array.from(g.groupOf), reference(cols));
        // Groupings still held are never among the arrays handed out.
        for (const other of held) assert.notEqual(other.groupOf.buffer, g.groupOf.buffer);
        if (release) releaseGrouping(g);
        else held.push(g);
      }),
      { seed: 77, numRuns: 300 },
    );
  });

  it('a grouping handed back lends its row ids to the next one, the larger kept', () => {
    const signal = new AbortController().signal;
    const rows = 1 << 20; // the largest kept
    const a = Array.from({ length: rows }, (_, i) => i % 7);
    // Held, these two take any spares this large (left by other tests), so the next one is ours.
    const held = [groupRows([key(a)], rows, signal), groupRows([key(a)], rows, signal)];
    const large = groupRows([key(a)], rows, signal);
    releaseGrouping(large);
    // Two small ones handed back after it: it is kept over them.
    for (const n of [10, 20]) releaseGrouping(groupRows([key(a.slice(0, n))], n, signal));
    const next = groupRows([key(a.slice(0, rows - 1))], rows - 1, signal);
    assert.equal(next.groupOf.buffer, large.groupOf.buffer);
    assert.deepEqual(Array.from(next.groupOf.subarray(0, 100)), reference([a.slice(0, 100)]));
    for (const g of [...held, next]) releaseGrouping(g);
  });

  it('keys over a column\'s arrays, binned or not, group as their values do', () => {
    const num = fc.oneof(fc.constantFrom(0, -0, NaN, null, 1.5, -7, 3), fc.integer({ min: -50, max: 50 }), fc.double(), fc.integer({ min: -1e15, max: 1e15 }));
    const bin = fc.option(fc.record({ size: fc.constantFrom(1, 2.5, 10, 3_600_000_000, 604_800_000_000, 1e-3), fromYearOne: fc.boolean() }));
    fc.assert(
      fc.property(fc.array(num, { minLength: 1, maxLength: 60 }), bin, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 60, maxLength: 60 }), (values, b, other) => {
        const rows = values.length;
        const binned = values.map((v) => (v === null ? null : b ? binMicros(v, b.size, b.fromYearOne) : v));
        const second = other.slice(0, rows);
        const g = groupRows([arrayKey(values, b ?? undefined), key(second)], rows, new AbortController().signal);
        assert.deepEqual(Array.from(g.groupOf), reference([binned, second]));
        const sorted = [...values].sort((x, y) => (x ?? 0) - (y ?? 0)); // runs of one bin, as in time order
        const one = groupRows([arrayKey(sorted, b ?? undefined)], rows, new AbortController().signal);
        assert.deepEqual(Array.from(one.groupOf), reference([sorted.map((v) => (v === null ? null : b ? binMicros(v, b.size, b.fromYearOne) : v))]));
      }),
      { seed: 27112026, numRuns: 500 },
    );
  });

  it('groups by bin() of a column as by the same bins computed first, nested bins included', async () => {
    // Grouping reads a column, or bin() of one, from its arrays; a bin of a bin must not read as
    // one bin of the column: bin(bin(x, 7), 5) puts 4 and 6 in one group (0), bin(x, 5) does not.
    const data = `datatable(x: real, t: datetime) [6.0, datetime(2026-03-04 12:00), -0.5, datetime(2026-03-02 00:00), real(null), datetime(null), 12.5, datetime(2026-03-08 23:59:59.999), 4.0, datetime(0001-01-08 05:00), real(nan), datetime(2026-03-09), 6.0, datetime(2026-03-04 13:00)]`;
    const keys = ['bin(x, 5.0)', 'bin(bin(x, 7.0), 5.0)', 'bin(x, 2.5)', 'bin(t, 7d)', 'bin(t, 1h)', 'bin(bin(t, 1d), 7d)', 'floor(t, 2d)'];
    const run = async (q: string) => (await runQuery(q, { resolveTable: async () => undefined, scope: Scope.empty, now: DateTime.fromMillis(0) }, new AbortController().signal)).table!;
    const cells = (t: Awaited<ReturnType<typeof run>>) => Array.from({ length: t.rowCount }, (_, r) => t.columns.map((c) => String(c.get(r))).join(' '));
    for (const k of keys) {
      const direct = await run(`${data} | summarize c = count() by k = ${k}`);
      const computed = await run(`${data} | extend k = ${k} | summarize c = count() by k`);
      assert.deepEqual(cells(direct), cells(computed), k);
    }
    const nested = await run(`${data} | summarize c = count() by k = bin(bin(x, 7.0), 5.0) | where k == 0`);
    assert.equal(String(nested.columns[1].get(0)), '3', 'the rows of x = 4 and 6 are in bin 0');
  });

  it('one string key groups by its codes, used as ids (no id written per row)', () => {
    const codes = Uint32Array.of(2, 0, 2, 1, 1, 0, 2);
    const column = stringColumnFromCodes(['a', 'b', 'c'], codes);
    const g = groupRows([{ type: 'string', eval: (r) => column.get(r), column }], codes.length, new AbortController().signal);
    assert.equal(g.groupOf.buffer, codes.buffer, 'the ids are the codes');
    assert.deepEqual(Array.from(g.order ?? []), [2, 0, 1]);
    assert.deepEqual(denseIds(g, codes.length), [0, 1, 0, 2, 2, 1, 0]);
    assert.deepEqual(firstRows(g), [0, 1, 3]);
    assert.deepEqual(Array.from(g.sizes ?? []), [2, 2, 3], 'rows counted per code on the way');
    // Released, the codes are not handed to a later grouping to write its ids over. Spare arrays
    // other tests left are taken first (a grouping of one row takes any; two are kept at most), so
    // a grouping of 7 rows would get the codes' array if it had been kept.
    const signal = new AbortController().signal;
    const held = [groupRows([key([1])], 1, signal), groupRows([key([1])], 1, signal)];
    releaseGrouping(g);
    const next = groupRows([key([5, 6, 7, 8, 9, 10, 11])], 7, signal);
    assert.notEqual(next.groupOf.buffer, codes.buffer);
    assert.deepEqual(Array.from(codes), [2, 0, 2, 1, 1, 0, 2], 'the codes are as they were');
    for (const h of [...held, next]) releaseGrouping(h);
  });

  it('codes that are a view into a larger array group as the view\'s rows', () => {
    const codes = Uint32Array.of(9, 9, 9, 2, 0, 2, 1, 9).subarray(3, 6); // rows 2, 0, 2 of a task's part
    const column = stringColumnFromCodes(['a', 'b', 'c'], codes);
    const g = groupRows([{ type: 'string', eval: (r) => column.get(r), column }], codes.length, new AbortController().signal);
    assert.ok(g.order, 'the codes serve as ids');
    assert.equal(g.groupOf.byteOffset, 12);
    assert.deepEqual(denseIds(g, 3), [0, 1, 0]);
    assert.deepEqual(firstRows(g), [0, 1]);
    assert.deepEqual(Array.from(g.sizes ?? []), [1, 0, 2], 'rows per code, of the view only');
    // Fewer rows than codes (a table's first rows): only those are counted.
    const longer = stringColumnFromCodes(['a', 'b', 'c'], Uint32Array.of(2, 0, 2, 1));
    const first = groupRows([{ type: 'string', eval: (r) => longer.get(r), column: longer }], 3, new AbortController().signal);
    assert.ok(first.order, 'the codes serve as ids');
    assert.deepEqual(Array.from(first.sizes ?? []), [1, 0, 2]);
  });

  it('codes serve as ids only when most of the dictionary is in use (a filtered table keeps its whole dictionary)', () => {
    const dict = Array.from({ length: 40 }, (_, c) => `s${c}`);
    const sparse = stringColumnFromCodes(dict, Uint32Array.from({ length: 40 }, (_, r) => [7, 3, 7][r % 3]));
    const g = groupRows([{ type: 'string', eval: (r) => sparse.get(r), column: sparse }], 40, new AbortController().signal);
    assert.equal(g.order, undefined);
    assert.equal(g.groupCount, 2);
    assert.deepEqual(denseIds(g, 40), Array.from({ length: 40 }, (_, r) => [0, 1, 0][r % 3]));
    releaseGrouping(g);
  });

  it('one key of codes groups as its strings do: unused and unordered dictionaries, nulls, dictionaries larger than the rows', () => {
    const signal = new AbortController().signal;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((size) => fc.tuple(fc.constant(size), fc.array(fc.oneof(fc.integer({ min: 0, max: size - 1 }), fc.constant(null)), { minLength: 1, maxLength: 40 }))),
        fc.boolean(),
        ([size, picks], dynamic) => {
          const dict = Array.from({ length: size }, (_, c) => `v${size - c}`); // distinct, as in any dictionary
          const rows = picks.length;
          const codes = Uint32Array.from(picks, (c) => c ?? 0);
          const nulls = picks.some((c) => c === null) ? Uint8Array.from(picks, (c) => (c === null ? 1 : 0)) : null;
          const column = dynamic ? new DynamicColumn({ kind: 'string', dict: dictionaryOf(dict), codes, nulls }) : stringColumnFromCodes(dict, Uint32Array.from(picks, (c) => c ?? 0));
          const values = picks.map((c) => (c === null ? (dynamic ? null : dict[0]) : dict[c]));
          const g = groupRows([{ type: dynamic ? 'dynamic' : 'string', eval: (r) => values[r], column }], rows, signal);
          const ids = new Map<string | null, number>();
          const expected = values.map((v) => ids.get(v) ?? ids.set(v, ids.size).get(v)!);
          assert.deepEqual(denseIds(g, rows), expected);
          assert.deepEqual(firstRows(g), [...ids.keys()].map((v) => values.indexOf(v)));
          // Codes serve as ids only without null rows, for a dictionary no larger than the rows, and
          // when at least a quarter of it is in use.
          const used = new Set(picks.map((c) => c ?? 0)).size;
          assert.equal(g.order !== undefined, (!dynamic || nulls === null) && size <= rows && used * 4 >= size);
          releaseGrouping(g);
        },
      ),
      { seed: 6122026, numRuns: 500 },
    );
  });

  it('summarize by one string key lists groups in first-seen order, with the aggregates of each, whatever the dictionary order', async () => {
    // Dictionary order differs from first-seen order, some entries are unused: as after a merge of
    // several readers' dictionaries, or a filter.
    const dict = ['u3', 'u1', 'unused', 'u2', 'r9', 'r8'];
    const users = Uint32Array.of(3, 1, 3, 0, 1, 1, 3, 0);
    const rooms = Uint32Array.of(4, 4, 5, 4, 5, 5, 4, 5);
    const n = BigInt64Array.of(1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n);
    const table = new Table(
      [
        { name: 'user', type: 'string' },
        { name: 'room', type: 'string' },
        { name: 'n', type: 'long' },
      ],
      [stringColumnFromCodes(dict, users), stringColumnFromCodes(dict, rooms), Table.fromRows([{ name: 'n', type: 'long' }], Array.from(n, (v) => ({ n: v }))).columns[0]],
      users.length,
    );
    const env = { resolveTable: async () => table, scope: Scope.empty, now: DateTime.fromMillis(0) };
    const result = (await runQuery('T | summarize c = count(), rooms = dcount(room), total = sum(n), first = take_any(n) by user', env, new AbortController().signal)).table!;
    const rows = Array.from({ length: result.rowCount }, (_, r) => result.columns.map((c) => String(c.get(r))).join(' '));
    assert.deepEqual(rows, ['u2 3 2 11 1', 'u1 3 2 13 2', 'u3 2 2 12 4']);
  });

  it('groups column arrays, codes and their combinations alike across the chunks loops check cancellation between', () => {
    // Not a multiple of the chunk (65536 rows): ids carry on from chunk to chunk, and the last is
    // short. Every key has values first seen in later chunks (`i >> 14` moves on every 16384 rows).
    const n = 3 * 65536 + 17;
    const numbers = Array.from({ length: n }, (_, i) => (i % 1000 === 999 ? null : (((i * 7919) % 9973) + (i >> 14) * 10_000) * 1e6));
    const small = Array.from({ length: n }, (_, i) => ((i * 31) % 5) + (i >> 14));
    const codes = Uint32Array.from({ length: n }, (_, i) => (((i * 13) % 7) % 4) + 4 * (i >> 14));
    const strings = stringColumnFromCodes(Array.from({ length: 4 * 13 }, (_, c) => `s${c}`), codes);
    const stringKey: Compiled = { type: 'string', eval: (r) => strings.get(r), column: strings };
    const dynamicNulls = Uint8Array.from({ length: n }, (_, i) => (i % 777 === 5 ? 1 : 0));
    const dynamicColumn = new DynamicColumn({ kind: 'string', dict: dictionaryOf(Array.from({ length: 4 * 13 }, (_, c) => `s${c}`)), codes, nulls: dynamicNulls });
    const dynamicStrings: Compiled = { type: 'dynamic', eval: (r) => dynamicColumn.get(r), column: dynamicColumn };
    const signal = new AbortController().signal;
    const hour = { size: 3600e6, fromYearOne: true };
    const cases: [Compiled[], (number | null)[][]][] = [
      [[arrayKey(numbers)], [numbers]],
      [[arrayKey(numbers, hour)], [numbers.map((v) => (v === null ? null : binMicros(v, hour.size, true)))]],
      [[stringKey], [Array.from(codes)]],
      [[stringKey, arrayKey(small)], [Array.from(codes), small]],
      // Codes after other keys combine as they are (null one more code).
      [[arrayKey(numbers, hour), stringKey], [numbers.map((v) => (v === null ? null : binMicros(v, hour.size, true))), Array.from(codes)]],
      [[arrayKey(small), dynamicStrings], [small, Array.from(codes, (c, i) => (dynamicNulls[i] === 1 ? null : c))]],
    ];
    for (const [keys, values] of cases) {
      const g = groupRows(keys, n, signal);
      const expected = reference(values);
      assert.deepEqual(denseIds(g, n), expected);
      const count = expected.reduce((a, id) => Math.max(a, id + 1), 0);
      assert.equal(g.order?.length ?? g.groupCount, count);
      const firstRow = new Array<number>(count).fill(-1);
      expected.forEach((id, r) => (firstRow[id] = firstRow[id] < 0 ? r : firstRow[id]));
      assert.deepEqual(firstRows(g), firstRow);
      if (keys.length === 1 && keys[0] === stringKey) assert.ok(g.sizes, 'one key of codes counts its rows');
      if (g.sizes) {
        // Rows per id, for the accumulators that need only those (counted across the chunks too).
        const sizes = new Array<number>(g.groupCount).fill(0);
        for (let r = 0; r < n; r++) sizes[g.groupOf[r]]++;
        assert.deepEqual(Array.from(g.sizes), sizes);
      }
      releaseGrouping(g);
    }
  });

  it('keeps many distinct values apart (table growth, wide combinations)', () => {
    const n = 200_000;
    const a = Array.from({ length: n }, (_, i) => (i * 7919) % 150_001);
    const b = Array.from({ length: n }, (_, i) => i % 3);
    const g = groupRows([key(a), key(b)], n, new AbortController().signal);
    assert.deepEqual(Array.from(g.groupOf), reference([a, b]));
  });
});
