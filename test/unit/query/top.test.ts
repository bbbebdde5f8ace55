/** top N by keys: the first N rows of a sort by the same keys, whichever path top takes. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runQuery, Scope } from '../../../src/core/query';
import { Table } from '../../../src/core/query/table';
import { DateTime, type Value } from '../../../src/core/query/values';

describe('query/top', () => {
  it('gives the rows sort by | take gives, for reals with NaN, infinities and nulls, longs and strings, over one or two keys', async () => {
    const real = fc.oneof(fc.integer({ min: -5, max: 5 }).map((n) => n / 2), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0), fc.constant(null));
    const long = fc.oneof(fc.bigInt({ min: -4n, max: 4n }), fc.constant(null));
    const text = fc.constantFrom('a', 'b', 'B', 'ab', '', 'é');
    const row = fc.record({ r: real, l: long, s: text });
    const key = fc.record({ column: fc.constantFrom('r', 'l', 's'), order: fc.constantFrom('asc', 'desc'), nulls: fc.constantFrom('first', 'last') });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 120 }), fc.array(key, { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 12 }), async (rows, keys, k) => {
        const table = Table.fromRows(
          [
            { name: 'r', type: 'real' },
            { name: 'l', type: 'long' },
            { name: 's', type: 'string' },
          ],
          rows as unknown as Record<string, Value>[],
        );
        const env = { resolveTable: async () => table, scope: Scope.empty, now: DateTime.fromMillis(0) };
        const by = keys.map((x) => `${x.column} ${x.order} nulls ${x.nulls}`).join(', ');
        const run = async (q: string) => {
          const t = (await runQuery(q, env, new AbortController().signal)).table!;
          return Array.from({ length: t.rowCount }, (_, r) => [t.get(r, 0), t.get(r, 1), t.get(r, 2)]);
        };
        // A heap is used when k is small against the rows (k * 8 < rows), a full sort otherwise.
        assert.deepEqual(await run(`T | top ${k} by ${by}`), await run(`T | sort by ${by} | take ${k}`), `top ${k} by ${by}`);
      }),
      { seed: 20261206, numRuns: 500 },
    );
  });
});
