/**
 * The byte scanner (reading every field, or projected) and the raw prefilter must give exactly
 * what `JSON.parse` of every line gives (the reference path) after keeping those columns / those
 * lines. Random JSON lines (including odd ones) check that.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { KEYS, line, snapshot } from './jsonLines';
import { load, tempDir } from './helpers';

describe('sources/projection and prefilter (property)', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());
  let run = 0;

  it('full and projected loads through the scanner equal JSON.parse of every line (restricted to those fields)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 25 }), fc.subarray(KEYS, { minLength: 1 }), async (lines, fields) => {
        const file = join(tmp.path, `p${run++}.jsonl`);
        writeFileSync(file, Buffer.from(lines.join('\n'), 'latin1'));
        const full = await load(file, { parseEveryLine: true });
        const scanned = snapshot(await load(file));
        assert.deepEqual(scanned, snapshot(full));
        const projected = await load(file, { fields });
        const expected = snapshot(full, fields);
        const actual = snapshot(projected);
        assert.deepEqual(actual.schema, expected.schema);
        assert.deepEqual(actual.rows, expected.rows);
        assert.equal(projected.timeField, expected.timeField);
        assert.equal(actual.malformed, expected.malformed);
        assert.deepEqual(actual.lines, expected.lines);
      }),
      { seed: 20260609, numRuns: 300 },
    );
  });

  it('a full load of a wide log goes on through JSON.parse once it has met many fields, and still equals the reference', async () => {
    // The scanner matches keys one by one against those it wants: on logs of hundreds of fields
    // it was several times slower than JSON.parse. Objects read as text before the switch are
    // values after it.
    const lines: string[] = [];
    for (let n = 0; n < 300; n++) {
      const row: Record<string, unknown> = { ts: `2026-06-09T10:00:${String(n % 60).padStart(2, '0')}Z`, actor: { user: `u${n % 7}` }, tags: n % 3 ? [n] : 'none' };
      const width = n < 100 ? 5 : n < 200 ? 80 : 20;
      for (let k = 0; k < width; k++) row[`f${(k * 7 + n) % 120}`] = k % 2 ? n : `v${k}`;
      lines.push(JSON.stringify(row));
    }
    const file = join(tmp.path, `wide${run++}.jsonl`);
    writeFileSync(file, lines.join('\n'));
    const scanned = await load(file);
    assert.ok(scanned.table.schema.length > 100);
    assert.deepEqual(snapshot(scanned), snapshot(await load(file, { parseEveryLine: true })));
  });

  it('prefiltered loads equal a full load of just the lines holding the literal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 25 }), fc.constantFrom('needle', '"a"', 'é', '2026', '\\u00e9'), fc.option(fc.subarray(KEYS, { minLength: 1 })), async (lines, literal, fields) => {
        const raw = lines.map((l) => Buffer.from(l, 'latin1'));
        const file = join(tmp.path, `f${run++}.jsonl`);
        writeFileSync(file, Buffer.concat(raw.flatMap((b) => [b, Buffer.from('\n')])));
        const kept = join(tmp.path, `k${run++}.jsonl`);
        writeFileSync(kept, Buffer.concat(raw.filter((b) => b.includes(Buffer.from(literal))).flatMap((b) => [b, Buffer.from('\n')])));
        const expected = snapshot(await load(kept, { parseEveryLine: true }), fields ?? undefined);
        const actual = snapshot(await load(file, { mustContain: [literal], fields: fields ?? undefined }));
        assert.deepEqual(actual.schema, expected.schema);
        assert.deepEqual(actual.rows, expected.rows);
        assert.equal(actual.malformed, expected.malformed);
      }),
      { seed: 9062026, numRuns: 200 },
    );
  });

  it('projected loads running at once on one thread each read what they would alone (their scanners are reused)', async () => {
    const file = join(tmp.path, 'together.jsonl');
    // Several chunks, so the reads take turns; struct fields, numbers and strings.
    writeFileSync(file, Array.from({ length: 60_000 }, (_, n) => JSON.stringify({ a: `a${n % 97}`, b: n, c: { d: `d${n % 13}` } })).join('\n'));
    const asks = [{ fields: ['a'] }, { fields: ['b', 'c'], fieldPaths: { c: [['d']] } }, { fields: ['a', 'b'] }];
    const alone = [];
    for (const ask of asks) alone.push(snapshot(await load(file, ask)));
    const together = (await Promise.all([...asks, ...asks].map((ask) => load(file, ask)))).map((s) => snapshot(s));
    assert.deepEqual(together, [...alone, ...alone]);
  });

  it('gives true line numbers for malformed lines found behind a prefilter', async () => {
    const file = join(tmp.path, 'numbers.jsonl');
    writeFileSync(file, ['{"a":"x"}', '{"a":"y"}', '{"a":"needle"', '{"a":"z"}', '{"a":"needle"}', 'needle'].join('\n'));
    const s = await load(file, { mustContain: ['needle'] });
    assert.equal(s.rowCount, 1);
    assert.deepEqual(s.malformed.samples.map((m) => m.line), [3, 6]);
  });
});
