/**
 * Member-path projection (`fieldPaths`): a field kept only at some paths must give, at every kept
 * path, the value a full load gives there (and the same column type), sequentially and in parallel.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { getProperty } from '../../../src/core/query/dynamic';
import { isStructColumn } from '../../../src/core/query/structColumn';
import type { Value } from '../../../src/core/query/values';
import type { LoadedSource } from '../../../src/core/sources';
import { load, tempDir } from './helpers';
import { KEYS, line } from './jsonLines';

function at(v: Value, path: readonly string[]): Value {
  for (const key of path) v = v === null ? null : getProperty(v, key);
  return v;
}

/** Per row: the value at each path, read the way the query engine reads it. */
function pathValues(s: LoadedSource, field: string, paths: readonly (readonly string[])[]): unknown {
  const col = s.table.column(field);
  if (!col) return null;
  const rows: Value[][] = [];
  for (let r = 0; r < s.rowCount; r++) {
    rows.push(
      paths.map((p) => {
        if (!isStructColumn(col)) return col.type === 'string' ? null : at(col.get(r), p); // strings: member access parses JSON text; compared below as a whole
        const found = col.at(p)!;
        return at(found.column.get(r), found.rest);
      }),
    );
  }
  return { type: s.table.schema.find((c) => c.name === field)!.type, rows };
}

const path = fc.array(fc.constantFrom(...KEYS), { minLength: 1, maxLength: 2 });

describe('sources/member paths', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());
  let run = 0;

  it('kept paths read exactly what a full load holds there', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 25 }), fc.constantFrom(...KEYS), fc.uniqueArray(path, { minLength: 1, maxLength: 3, selector: (p) => p.join('\u0000') }), async (lines, field, rawPaths) => {
        // As the pushdown gives them: no path is a prefix of another.
        const paths = rawPaths.filter((p) => !rawPaths.some((q) => q !== p && q.length < p.length && q.every((k, i) => p[i] === k)));
        const file = join(tmp.path, `p${run++}.jsonl`);
        writeFileSync(file, Buffer.from(lines.join('\n'), 'latin1'));
        const full = await load(file);
        const pruned = await load(file, { fields: [field], fieldPaths: { [field]: paths } });
        assert.equal(pruned.rowCount, full.rowCount);
        assert.deepEqual(pruned.malformed, full.malformed);
        assert.deepEqual(pathValues(pruned, field, paths), pathValues(full, field, paths));
        const col = pruned.table.column(field);
        const whole = full.table.column(field);
        if (col && !isStructColumn(col)) for (let r = 0; r < full.rowCount; r++) assert.deepEqual(col.get(r), whole!.get(r));
        if (col && isStructColumn(col)) for (let r = 0; r < full.rowCount; r++) if (col.objects[r] !== 1) assert.deepEqual(col.get(r), whole!.get(r));
      }),
      { seed: 707, numRuns: 300 },
    );
  });

  it('parallel reads keep the same paths', async () => {
    const lines = fc.sample(line, { seed: 99, numRuns: 1500 });
    const file = join(tmp.path, 'par.jsonl');
    writeFileSync(file, Buffer.from(lines.join('\n'), 'latin1'));
    const paths = [['a'], ['b', 'a'], ['1']];
    const fieldPaths = { a: paths, b: [['ts']] };
    const sequential = await load(file, { fields: ['a', 'b'], fieldPaths, parallel: false });
    const parallel = await load(file, { fields: ['a', 'b'], fieldPaths, parallel: { workers: 2, minBytes: 0, rangeBytes: 3000 } });
    assert.deepEqual(pathValues(parallel, 'a', paths), pathValues(sequential, 'a', paths));
    assert.deepEqual(pathValues(parallel, 'b', [['ts']]), pathValues(sequential, 'b', [['ts']]));
    const full = await load(file, { parallel: false });
    assert.deepEqual(pathValues(parallel, 'a', paths), pathValues(full, 'a', paths));
  });

  it('reads the paths of the benchmark’s nested objects into typed path columns', async () => {
    const file = join(tmp.path, 'nested.jsonl');
    writeFileSync(file, ['{"actor":{"user":"u1","ip":"10.0.0.1"},"n":1}', '{"actor":{"ip":"10.0.0.2","user":"u2","user":"u3"}}', '{"actor":null}', '{"actor":"text"}', '{"actor":{"user":{"deep":[1,2]}}}'].join('\n'));
    const s = await load(file, { fields: ['actor'], fieldPaths: { actor: [['user']] } });
    const col = s.table.column('actor')!;
    assert.ok(isStructColumn(col));
    const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x));
    assert.equal(json([0, 1, 2, 3, 4].map((r) => at(col.get(r), ['user']))), json(['u1', 'u3', null, null, { deep: [1n, 2n] }]));
    assert.equal(col.get(3), 'text');
  });
});
