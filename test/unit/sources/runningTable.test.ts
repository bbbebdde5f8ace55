/**
 * A reader thread adds all its ranges to one running table, sized once from its share of the
 * bytes. Later ranges estimate the rows again; an estimate that still fits must not grow the
 * columns, which would copy every row read so far into twice the memory.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JsonTableBuilder } from '../../../src/core/sources/jsonTable';
import { readJsonlTasks, type JsonlTask } from '../../../src/core/sources/jsonlReader';
import { MalformedLog } from '../../../src/core/sources/malformed';
import type { ReadContext } from '../../../src/core/sources/readContext';
import { SourceSpecSchema } from '../../../src/core/sources/spec';
import { TimeFieldPolicy } from '../../../src/core/sources/timeField';
import { tempDir } from './helpers';

describe('sources/running table of a reader thread', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  /** Capacity (in rows) of each typed column of the table, and its row count. */
  async function readRanges(fields: ReadonlySet<string> | undefined): Promise<{ rows: number; capacities: Map<string, number> }> {
    // Lines get shorter through the file, so each range estimates a few percent more rows per byte.
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) lines.push(JSON.stringify({ n: i, user: `u${i % 97}`, pad: 'x'.repeat(40 - Math.floor(i / 600)) }));
    const text = lines.join('\n') + '\n';
    const file = join(tmp.path, `shrinking-${fields ? 'projected' : 'full'}.jsonl`);
    writeFileSync(file, text);
    // Six line-aligned ranges of 1,000 lines, read in order by one thread whose share is the whole file.
    const tasks: JsonlTask[] = [];
    let offset = 0;
    for (let t = 0; t < 6; t++) {
      const bytes = lines.slice(t * 1000, (t + 1) * 1000).reduce((a, l) => a + Buffer.byteLength(l) + 1, 0);
      tasks.push({ file, range: { start: offset, end: offset + bytes }, expectBytes: text.length });
      offset += bytes;
    }
    const spec = { ...SourceSpecSchema.parse({ path: file, time: false }), name: 'logs' };
    const now = new Date('2026-12-01T00:00:00Z');
    const ctx: ReadContext = { spec, malformed: new MalformedLog(), timeFailures: new MalformedLog(), warnings: [], onDiskBytes: () => {}, mustContain: [], now, displayName: (p) => p, exactLineNumbers: true, ...(fields ? { fields } : {}) };
    const builder = new JsonTableBuilder(new TimeFieldPolicy(spec, now));
    await readJsonlTasks(tasks, ctx, builder);
    const capacities = new Map<string, number>();
    for (const part of builder.exportParts()) {
      const store = part.store;
      if (store.kind === 'long') capacities.set(part.name, store.values.buffer.byteLength / BigInt64Array.BYTES_PER_ELEMENT);
      if (store.kind === 'string') capacities.set(part.name, store.codes.buffer.byteLength / Uint32Array.BYTES_PER_ELEMENT);
    }
    return { rows: builder.rowCount, capacities };
  }

  for (const fields of [undefined, new Set(['n', 'user'])]) {
    it(`sizes its columns once for the whole share (${fields ? 'projected' : 'full'} read)`, async () => {
      const { rows, capacities } = await readRanges(fields);
      assert.equal(rows, 6000);
      assert.deepEqual([...capacities.keys()].sort(), fields ? ['n', 'user'] : ['n', 'pad', 'user']);
      for (const [name, capacity] of capacities) {
        assert.ok(capacity >= rows, `${name}: room for ${capacity} rows`);
        // Growing doubles a column; sized once, it has room for its estimate and a margin only.
        assert.ok(capacity < 2 * rows, `${name} grew while reading: room for ${capacity} rows`);
      }
    });
  }
});
