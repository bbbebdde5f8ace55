/**
 * Behind a prefilter, plain files' skipped lines are not counted while reading; malformed lines
 * are numbered afterwards from their offsets. The numbers must be the true line numbers.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLineRegions } from '../../../src/core/sources/lineRegions';
import { load, tempDir } from './helpers';

describe('sources/line numbers behind a prefilter', function () {
  this.timeout(60_000);
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('numbers malformed and overlong lines exactly across chunks, sequentially and in parallel', async () => {
    const lines: string[] = [];
    const bad = new Map<number, string>();
    for (let i = 1; i <= 120_000; i++) {
      if (i % 23_456 === 0) {
        lines.push(`{"k":"needle" "broken":${i}}`);
        bad.set(i, 'invalid');
      } else if (i === 77_777) {
        lines.push(`{"k":"needle","pad":"${'x'.repeat(3000)}"}`);
        bad.set(i, 'overlong');
      } else lines.push(`{"k":"${i % 97 === 0 ? 'needle' : 'hay'}","n":${i},"pad":"${'p'.repeat(i % 60)}"}`);
    }
    const file = join(tmp.path, 'big.jsonl');
    writeFileSync(file, '\ufeff' + lines.join('\n') + '\n');
    const expected = [...bad.keys()].sort((a, b) => a - b);
    for (const parallel of [false, { workers: 2, minBytes: 0, rangeBytes: 1_000_000 }] as const) {
      const s = await load({ path: file, maxLineBytes: 2048 }, { mustContain: ['needle'], fields: ['k', 'n'], parallel });
      assert.deepEqual(s.malformed.samples.map((m) => m.line), expected, JSON.stringify(parallel));
      assert.equal(s.malformed.count, expected.length);
      assert.ok(s.malformed.samples.every((m) => !('at' in m)));
      assert.match(s.malformed.samples.find((m) => m.line === 77_777)!.reason, /over maxLineBytes/);
      assert.equal(s.rowCount, lines.filter((l) => l.includes('needle')).length - expected.length);
    }
  });
});

describe('sources/line regions carry file offsets', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('gives the file offset of every region and of every skipped overlong line (plain files)', async () => {
    const text = ['short', 'x'.repeat(300), 'after', 'y'.repeat(50), 'z'.repeat(400), 'end'].join('\n');
    const file = join(tmp.path, 'offsets.txt');
    writeFileSync(file, text);
    const seen: [string, number][] = [];
    for await (const e of readLineRegions(file, { maxLineBytes: 100, maxDecompressedBytes: 1e9, chunkBytes: 64 })) {
      if (e.kind === 'lines') {
        let at = e.start;
        for (const line of e.buf.toString('latin1', e.start, e.end).split('\n')) {
          if (line) seen.push([line.slice(0, 3), e.offset! + (at - e.start)]);
          at += line.length + 1;
        }
      } else if (e.kind === 'overlong') seen.push(['overlong', e.offset!]);
    }
    const starts = text.split('\n').map((l, i, all) => [l.length > 100 ? 'overlong' : l.slice(0, 3), all.slice(0, i).reduce((a, x) => a + x.length + 1, 0)] as [string, number]);
    assert.deepEqual(seen, starts);
  });
});
