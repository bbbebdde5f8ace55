/** Sorting and top by long columns: exact order whatever the values' size, with or without nulls. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runQuery, Scope } from '../../../src/core/query';
import { exactDoubles } from '../../../src/core/query/longWords';
import { Table } from '../../../src/core/query/table';
import { DateTime } from '../../../src/core/query/values';

const LIMIT = 2n ** 53n;

describe('query/sort and top by longs', () => {
  it('reads longs as doubles only when all are from -2^53 to 2^53 - 1', () => {
    const inside = [0n, 1n, -1n, 4294967295n, 4294967296n, -4294967297n, LIMIT - 1n, -LIMIT, 123456789012345n];
    assert.deepEqual(Array.from(exactDoubles(BigInt64Array.from(inside))!), inside.map(Number));
    for (const outside of [LIMIT, -LIMIT - 1n, 2n ** 63n - 1n, -(2n ** 63n)]) assert.equal(exactDoubles(BigInt64Array.of(1n, outside, 2n)), undefined, String(outside));
    assert.deepEqual(Array.from(exactDoubles(BigInt64Array.of(5n, -7n, 9n).subarray(1))!), [-7, 9], 'a view into a larger array');
  });

  it('orders rows as BigInt comparison does, near and beyond 2^53, nulls first or last', async () => {
    const long = fc.oneof(
      fc.bigInt({ min: -20n, max: 20n }),
      fc.constantFrom(LIMIT - 1n, LIMIT, LIMIT + 1n, -LIMIT, -LIMIT - 1n, -LIMIT + 1n, 2n ** 63n - 1n, -(2n ** 63n), 4294967296n, -4294967296n),
      fc.constant(null),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(long, { maxLength: 40 }), fc.constantFrom('asc', 'desc'), fc.constantFrom('first', 'last'), fc.integer({ min: 1, max: 8 }), async (values, order, nulls, k) => {
        const table = Table.fromRows(
          [
            { name: 'n', type: 'long' },
            { name: 'i', type: 'long' },
          ],
          values.map((n, i) => ({ n, i: BigInt(i) })),
        );
        const env = { resolveTable: async () => table, scope: Scope.empty, now: DateTime.fromMillis(0) };
        const run = async (q: string) => {
          const t = (await runQuery(q, env, new AbortController().signal)).table!;
          return Array.from({ length: t.rowCount }, (_, r) => Number(t.get(r, 1)));
        };
        // Reference: BigInt comparison, nulls on the requested side, ties in row order.
        const expected = values
          .map((n, i) => ({ n, i }))
          .sort((a, b) => {
            if (a.n === null || b.n === null) return a.n === b.n ? a.i - b.i : (a.n === null) === (nulls === 'first') ? -1 : 1;
            const c = a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
            return (order === 'asc' ? c : -c) || a.i - b.i;
          })
          .map((r) => r.i);
        assert.deepEqual(await run(`T | sort by n ${order} nulls ${nulls}`), expected, 'sort');
        assert.deepEqual(await run(`T | top ${k} by n ${order} nulls ${nulls}`), expected.slice(0, k), 'top');
        assert.deepEqual(await run(`T | sort by n ${order} nulls ${nulls}, i asc`), expected, 'sort by two keys');
      }),
      { seed: 61226, numRuns: 400 },
    );
  });
});
