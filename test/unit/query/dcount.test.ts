/** dcount/dcountif over dictionary codes (bucketed by group) must match a Set per group. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runQuery, Scope } from '../../../src/core/query';
import { stringColumnFromCodes, Table } from '../../../src/core/query/table';
import { DateTime } from '../../../src/core/query/values';
import { countColumn } from '../../../src/core/query/aggregates';

describe('query/dcount on string columns', () => {
  it('counts codes beyond 16 bits apart (dictionaries of more than 65,536 entries)', async () => {
    // Codes 0 and 65,536 (and 1 and 65,537) would be one value in 16 bits.
    const dict = Array.from({ length: 70_000 }, (_, c) => `v${c}`);
    const codes = Uint32Array.of(0, 65_536, 1, 65_537, 0, 69_999);
    const groups = Uint32Array.of(0, 0, 0, 0, 1, 1);
    const table = new Table(
      [
        { name: 'g', type: 'string' },
        { name: 'v', type: 'string' },
      ],
      [stringColumnFromCodes(['a', 'b'], groups), stringColumnFromCodes(dict, codes)],
      codes.length,
    );
    const env = { resolveTable: async () => table, scope: Scope.empty, now: DateTime.fromMillis(0) };
    const t = (await runQuery('T | summarize d = dcount(v) by g', env, new AbortController().signal)).table!;
    assert.deepEqual([t.get(0, 0), t.get(0, 1), t.get(1, 0), t.get(1, 1)], ['a', 4n, 'b', 2n]);
  });

  it('counts distinct values per group, with and without a condition', async () => {
    const row = fc.record({ g: fc.constantFrom('a', 'b', 'c', ''), v: fc.constantFrom('x', 'y', 'z', '', 'w'), n: fc.integer({ min: 0, max: 3 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 60 }), async (rows) => {
        const table = Table.fromRows(
          [
            { name: 'g', type: 'string' },
            { name: 'v', type: 'string' },
            { name: 'n', type: 'long' },
          ],
          rows.map((r) => ({ g: r.g, v: r.v, n: BigInt(r.n) })),
        );
        const env = { resolveTable: async () => table, scope: Scope.empty, now: DateTime.fromMillis(0) };
        const result = await runQuery('T | summarize d = dcount(v), di = dcountif(v, n > 1) by g', env, new AbortController().signal);
        const expected = new Map<string, [Set<string>, Set<string>]>();
        for (const r of rows) {
          const e = expected.get(r.g) ?? expected.set(r.g, [new Set(), new Set()]).get(r.g)!;
          e[0].add(r.v);
          if (r.n > 1) e[1].add(r.v);
        }
        const t = result.table!;
        assert.equal(t.rowCount, expected.size);
        for (let i = 0; i < t.rowCount; i++) {
          const [all, some] = expected.get(t.get(i, 0) as string)!;
          assert.deepEqual([t.get(i, 1), t.get(i, 2)], [BigInt(all.size), BigInt(some.size)]);
        }
      }),
      { seed: 4711, numRuns: 300 },
    );
  });
});

describe('query/counts as a long column', () => {
  it('writes every whole number up to 2^53 exactly, beyond 32 bits too', () => {
    const counts = [0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5, 2 ** 40 + 123, 2 ** 53 - 1];
    const column = countColumn(Float64Array.from(counts));
    assert.equal(column.type, 'long');
    assert.deepEqual(
      counts.map((_, i) => column.get(i)),
      counts.map((c) => BigInt(c)),
    );
  });
});
