/** sort and top by numbers with nulls, NaN and infinities; top against sort | take. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runQuery, Scope } from '../../../src/core/query';
import { Table } from '../../../src/core/query/table';
import { DateTime, type Value } from '../../../src/core/query/values';

const env = (table: Table) => ({ resolveTable: async () => table, scope: Scope.empty, now: DateTime.fromMillis(0) });
const columnOf = async (query: string, table: Table, column = 0): Promise<Value[]> => {
  const t = (await runQuery(query, env(table), new AbortController().signal)).table!;
  return Array.from({ length: t.rowCount }, (_, r) => t.get(r, column));
};

describe('query/sort and top', () => {
  it("orders null, NaN, -inf, numbers and +inf as Kusto's sort operator documents", async () => {
    // https://learn.microsoft.com/kusto/query/sort-operator: nulls and NaN stay together, at the nulls' end.
    const table = Table.fromRows([{ name: 'x', type: 'real' }], [5, null, Infinity, 0, Number.NaN, -5, -Infinity].map((x) => ({ x })));
    const expected: Record<string, Value[]> = {
      'asc nulls first': [null, Number.NaN, -Infinity, -5, 0, 5, Infinity],
      'desc nulls first': [null, Number.NaN, Infinity, 5, 0, -5, -Infinity],
      'asc nulls last': [-Infinity, -5, 0, 5, Infinity, Number.NaN, null],
      'desc nulls last': [Infinity, 5, 0, -5, -Infinity, Number.NaN, null],
    };
    for (const [order, values] of Object.entries(expected)) {
      assert.deepEqual(await columnOf(`T | sort by x ${order}`, table), values, `sort by x ${order}`);
      assert.deepEqual(await columnOf(`T | sort by x * 1.0 ${order}`, table), values, `sort by an expression, ${order}`);
      assert.deepEqual(await columnOf(`T | top 3 by x ${order}`, table), values.slice(0, 3), `top 3 by x ${order}`);
    }
  });

  it('top gives the rows sort by | take gives, for reals with NaN, infinities and nulls, longs, expressions and strings, over one or two keys', async () => {
    const real = fc.oneof(fc.integer({ min: -5, max: 5 }).map((n) => n / 2), fc.constantFrom(Number.NaN, Infinity, -Infinity, -0), fc.constant(null));
    const long = fc.oneof(fc.bigInt({ min: -4n, max: 4n }), fc.constant(null));
    const text = fc.constantFrom('a', 'b', 'B', 'ab', '', 'é');
    const row = fc.record({ r: real, l: long, s: text });
    const key = fc.record({ column: fc.constantFrom('r', 'l', 's', 'r * 2.0', 'l + 1'), order: fc.constantFrom('asc', 'desc'), nulls: fc.constantFrom('first', 'last') });
    await fc.assert(
      // From 24 rows, so that a heap of several rows is used (k * 8 < rows), and up to 200.
      fc.asyncProperty(fc.array(row, { minLength: 24, maxLength: 200 }), fc.array(key, { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 12 }), async (rows, keys, k) => {
        const table = Table.fromRows(
          [
            { name: 'i', type: 'long' },
            { name: 'r', type: 'real' },
            { name: 'l', type: 'long' },
            { name: 's', type: 'string' },
          ],
          rows.map((x, i) => ({ i: BigInt(i), ...x })) as unknown as Record<string, Value>[],
        );
        const by = keys.map((x) => `${x.column} ${x.order} nulls ${x.nulls}`).join(', ');
        // The row numbers: a wrong pick among rows that look alike shows.
        assert.deepEqual(await columnOf(`T | top ${k} by ${by}`, table), await columnOf(`T | sort by ${by} | take ${k}`, table), `top ${k} by ${by}`);
      }),
      { seed: 20261206, numRuns: 300 },
    );
  });
});
