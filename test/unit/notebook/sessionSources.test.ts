/**
 * Sources as a session reads them: warnings about a read (skipped lines, an assumed year) belong to
 * every cell whose result depends on it, also through an earlier cell's `let`; the notebook's
 * `now` places yearless stamps.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellHandlers } from '../../../src/core/notebook/handlers';
import { createSession } from '../../../src/core/notebook/runner';
import { NotebookSession } from '../../../src/core/notebook/session';
import { createSourceCache, createSourceProvider } from '../../../src/core/notebook/sourceProvider';
import type { DateTime } from '../../../src/core/query/values';

describe('notebook session: warnings about a source reach the cells that use it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-warnings-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'x.jsonl'), '{"user":"a","n":1}\n{"user":"b","n":2}\n{"user":"c","n":3}\n{broken\n{"user":"d","n":4}\n');
  const skipped = /^T: skipped 1 malformed line, first at x\.jsonl:4 /;

  async function run(cells: { key: string; source: string; id?: string; kind?: string }[]) {
    const sources = createSourceProvider({ T: 'x.jsonl' }, dir);
    assert.ok(sources.ok);
    const session = new NotebookSession({ baseDir: dir }, sources.provider, cellHandlers);
    session.setCells(cells.map((c) => ({ kind: 'kql', ...c, records: [] })));
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

  it('reports it on claim cells (inline evidence) and timeline cells (their query), once', async () => {
    const results = await run([
      { key: 'c', kind: 'claim', source: 'claim: d never signed in\nby: X\nevidence:\n  f: T | where user == "d"\ncontradicted-if: f has rows\nsupported-if: f has no rows' },
      { key: 't', kind: 'timeline', source: 'query: T | extend timestamp = datetime(2026-01-01) + n * 1m | project timestamp, user' },
    ]);
    for (const key of ['c', 't']) {
      const r = results.get(key)!;
      assert.ok(r.ok, key);
      assert.equal(r.warnings.length, 1, `${key}: ${r.warnings.join('\n')}`);
      assert.match(r.warnings[0], skipped, key);
    }
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

describe('notebook session: the notebook\'s now places yearless stamps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-now-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'auth.log'), 'Jun  9 10:11:12 host sshd[1]: Accepted password for a\n');

  async function stamp(frontMatter: string, cache = createSourceCache()): Promise<{ value: unknown; warnings: readonly string[] }> {
    const created = createSession(frontMatter, { baseDir: dir, cache });
    assert.ok(created.ok);
    created.session.setCells([{ key: 'q', kind: 'kql', source: 'A | project timestamp', records: [] }]);
    const result = await created.session.runCell('q', new AbortController().signal);
    assert.ok(result.ok, result.error?.message);
    const table = result.outputs.find((o) => o.type === 'table');
    assert.ok(table && table.type === 'table');
    return { value: (table.table.columns[0].get(0) as DateTime).toISOString(), warnings: result.warnings };
  }

  it('uses the front matter\'s now, not the clock, so a re-check gives the same year on any day', async () => {
    const sources = 'sources:\n  A: {path: auth.log, time: {format: syslog}}\n';
    // On 1 March 2026, 9 June is last year's.
    const march = await stamp(`${sources}now: 2026-03-01T00:00:00Z`);
    assert.equal(march.value, '2025-06-09T10:11:12Z');
    assert.match(march.warnings.join('\n'), /timestamps carry no year; assumed 2025, the latest year that puts each no later than 2026-03-02T00:00:00Z/);
    // A cache shared with a notebook of another now gives that notebook's years, not these.
    const cache = createSourceCache();
    assert.equal((await stamp(`${sources}now: 2026-03-01T00:00:00Z`, cache)).value, '2025-06-09T10:11:12Z');
    assert.equal((await stamp(`${sources}now: 2026-07-01T00:00:00Z`, cache)).value, '2026-06-09T10:11:12Z');
    // A declared year is the year, whatever now says.
    assert.equal((await stamp('sources:\n  A: {path: auth.log, time: {format: syslog, year: 2024}}\nnow: 2026-03-01T00:00:00Z')).value, '2024-06-09T10:11:12Z');
  });
});
