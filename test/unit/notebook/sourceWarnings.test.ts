/**
 * Warnings about a source's read (skipped lines, an assumed year) belong to every cell whose
 * result depends on that read, also when the cell reads the source through an earlier cell's `let`.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellHandlers } from '../../../src/core/notebook/handlers';
import { NotebookSession } from '../../../src/core/notebook/session';
import { createSourceProvider } from '../../../src/core/notebook/sourceProvider';

describe('notebook session: warnings about a source reach the cells that use it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-warnings-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'x.jsonl'), '{"user":"a","n":1}\n{"user":"b","n":2}\n{"user":"c","n":3}\n{broken\n{"user":"d","n":4}\n');
  const skipped = /^T: skipped 1 malformed line, first at x\.jsonl:4 /;

  async function run(cells: { key: string; source: string; id?: string }[]) {
    const sources = createSourceProvider({ T: 'x.jsonl' }, dir);
    assert.ok(sources.ok);
    const session = new NotebookSession({ baseDir: dir }, sources.provider, cellHandlers);
    session.setCells(cells.map((c) => ({ ...c, kind: 'kql', records: [] })));
    const results = new Map<string, { ok: boolean; warnings: readonly string[]; summary?: string }>();
    for (const c of cells) results.set(c.key, await session.runCell(c.key, new AbortController().signal));
    return results;
  }

  it('reports the skipped line on the cell that evaluates an earlier cell\'s let', async () => {
    const results = await run([
      { key: 'defs', source: 'let Users = T | project user, n;' },
      { key: 'u', id: 'u', source: 'Users | where n > 1' },
    ]);
    assert.deepEqual(results.get('defs')!.warnings, [], 'the let alone reads nothing');
    const u = results.get('u')!;
    assert.ok(u.ok);
    assert.equal(u.summary, '3 rows');
    assert.equal(u.warnings.length, 1, u.warnings.join('\n'));
    assert.match(u.warnings[0], skipped);
  });

  it('reports it on every cell that uses the read, also when the defining cell read the source first', async () => {
    const results = await run([
      { key: 'defs', source: 'let Users = T | project user, n;\nT | count' },
      { key: 'u', source: 'Users | where n > 1' },
      { key: 'v', source: 'Users | count' },
    ]);
    for (const key of ['defs', 'u', 'v']) {
      const warnings = results.get(key)!.warnings;
      assert.equal(warnings.length, 1, `${key}: ${warnings.join('\n')}`);
      assert.match(warnings[0], skipped, key);
    }
  });
});
