/**
 * The benchmark's answer-equality check on tiny data, so the bench cannot silently rot: Casebook
 * (the CLI from source), DuckDB and jq (when installed) must agree on all five canonical queries.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeDisagreement, checkAnswers } from '../../../bench/check';
import { generate, writeAccessLog } from '../../../bench/generate';
import { openDuckdb, SOURCE_CLI } from '../../../bench/tools';

describe('bench: answer check (quick mode, tiny data)', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'casebook-bench-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the same bytes for the same seed', () => {
    const a: string[] = [];
    const b: string[] = [];
    generate({ lines: 2000, seed: 3 }, (c) => a.push(c));
    generate({ lines: 2000, seed: 3 }, (c) => b.push(c));
    assert.equal(a.join(''), b.join(''));
    assert.equal(a.join('').split('\n').length - 1, 2000);
    const c: string[] = [];
    generate({ lines: 2000, seed: 4 }, (x) => c.push(x));
    assert.notEqual(a.join(''), c.join(''));
  });

  it('Casebook, DuckDB and jq return the same answers on 10k lines', async () => {
    const file = join(dir, 'access.jsonl');
    writeAccessLog(file, { lines: 10_000, seed: 11 });
    assert.match(readFileSync(file, 'utf8'), /\\"/, 'the data has lines with JSON escapes');
    const problems = await checkAnswers(file, { casebook: SOURCE_CLI, duckdb: await openDuckdb(2) });
    assert.deepEqual(problems.map(describeDisagreement), []);
  });
});
