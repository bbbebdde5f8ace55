import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileHashCache, hashFiles, SourceCache, estimateTableBytes } from '../../../src/core/sources';
import { column, load, tempDir } from './helpers';

describe('sources/cache and provenance', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('serves an unchanged source from the cache and re-reads after a change', async () => {
    const file = join(tmp.path, 'c.jsonl');
    writeFileSync(file, '{"a":1}\n{"a":2}\n');
    const cache = new SourceCache();
    const first = await load(file, { cache });
    const second = await load(file, { cache });
    assert.equal(second, first);
    assert.deepEqual(cache.stats, { hits: 1, misses: 1, evictions: 0 });

    appendFileSync(file, '{"a":3}\n'); // size changes
    const third = await load(file, { cache });
    assert.notEqual(third, first);
    assert.deepEqual(column(third, 'a'), [1n, 2n, 3n]);

    writeFileSync(file, '{"a":7}\n{"a":8}\n{"a":9}\n'); // same size, new content
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const fourth = await load(file, { cache });
    assert.deepEqual(column(fourth, 'a'), [7n, 8n, 9n]);
    assert.equal(cache.stats.hits, 1);
    assert.equal(cache.size, 1);
  });

  it('notices a file rewritten with its size and modification time kept (cp -p, touch -r), or replaced by another', async () => {
    const file = join(tmp.path, 'kept.jsonl');
    writeFileSync(file, '{"a":1}\n');
    const stamp = new Date(Date.UTC(2026, 5, 9));
    utimesSync(file, stamp, stamp);
    const cache = new SourceCache();
    const hashes = new FileHashCache();
    assert.deepEqual(column(await load(file, { cache }), 'a'), [1n]);
    const [before] = await hashFiles([file], undefined, hashes);
    // A corrected export of the same size, its times restored; change time and inode the system sets.
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(file, '{"a":2}\n');
    utimesSync(file, stamp, stamp);
    assert.deepEqual(column(await load(file, { cache }), 'a'), [2n], 'read again, not served from the cache');
    const [after] = await hashFiles([file], undefined, hashes);
    assert.notEqual(after.sha256, before.sha256);
    assert.equal(after.sha256, createHash('sha256').update(readFileSync(file)).digest('hex'));
    // Another file renamed over it, with the same size and times.
    const other = join(tmp.path, 'kept.new');
    writeFileSync(other, '{"a":3}\n');
    utimesSync(other, stamp, stamp);
    renameSync(other, file);
    assert.deepEqual(column(await load(file, { cache }), 'a'), [3n]);
    assert.equal((await hashFiles([file], undefined, hashes))[0].sha256, createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it('re-reads when a glob matches a new file', async () => {
    writeFileSync(join(tmp.path, 'r-1.jsonl'), '{"r":1}\n');
    const cache = new SourceCache();
    await load('r-*.jsonl', { baseDir: tmp.path, cache });
    writeFileSync(join(tmp.path, 'r-2.jsonl'), '{"r":2}\n');
    const s = await load('r-*.jsonl', { baseDir: tmp.path, cache });
    assert.deepEqual(column(s, 'r'), [1n, 2n]);
    assert.equal(cache.stats.hits, 0);
  });

  it('keys on everything that changes the result', async () => {
    const file = join(tmp.path, 'k.jsonl');
    writeFileSync(file, '{"t":"2026-06-09T10:00:00","x":1,"y":"a"}\n');
    const cache = new SourceCache();
    const utc = await load(file, { cache });
    const berlin = await load({ path: file, timezone: 'Europe/Berlin' }, { cache });
    assert.notEqual(berlin, utc);
    const projected = await load(file, { cache, fields: ['y'] });
    assert.deepEqual(projected.table.schema.map((c) => c.name), ['y']);
    assert.equal(projected.table.columns[0], utc.table.column('y')); // cut from the cached full load
    const filtered = await load(file, { cache, mustContain: ['nope'] });
    assert.equal(filtered.rowCount, 0);
    assert.equal((await load(file, { cache, fields: ['y', 'x'] })).table.schema.map((c) => c.name).join(), 'x,y');
  });

  it('evicts the least recently used entries beyond its budget', async () => {
    const files = ['e1', 'e2', 'e3'].map((n) => {
      const f = join(tmp.path, `${n}.jsonl`);
      writeFileSync(f, Array.from({ length: 1000 }, (_, i) => `{"s":"${n}-${i}-padding-padding"}`).join('\n'));
      return f;
    });
    const probe = await load(files[0]);
    const one = estimateTableBytes(probe.table);
    const cache = new SourceCache({ budgetBytes: Math.floor(one * 2.5) });
    await load(files[0], { cache });
    await load(files[1], { cache });
    await load(files[0], { cache }); // e1 is now the most recently used
    await load(files[2], { cache }); // evicts e2
    assert.equal(cache.stats.evictions, 1);
    assert.equal(cache.size, 2);
    assert.ok(cache.sizeBytes <= cache.budgetBytes);
    const hits = cache.stats.hits;
    await load(files[0], { cache });
    assert.equal(cache.stats.hits, hits + 1);
    await load(files[1], { cache });
    assert.equal(cache.stats.hits, hits + 1);
  });

  it('estimates table memory from its columns', async () => {
    const s = await load('auth.jsonl');
    const bytes = estimateTableBytes(s.table);
    assert.ok(bytes > 5 * 8 && bytes < 100_000, String(bytes));
  });

  it('hashes files exactly like crypto, and only again when size or mtime change', async () => {
    const a = join(tmp.path, 'h-a.bin');
    const b = join(tmp.path, 'h-b.bin');
    // Over two 4 MiB read chunks, with bytes that differ per position so a reordered chunk would show.
    writeFileSync(a, Buffer.from(Array.from({ length: 9 * 1024 * 1024 + 17 }, (_, i) => (i * 31 + (i >> 12)) & 0xff)));
    writeFileSync(b, 'hello\n');
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    const cache = new FileHashCache();
    const digests = await hashFiles([a, { path: b }], undefined, cache);
    assert.deepEqual(digests.map((d) => [d.path, d.size, d.sha256]), [[a, 9 * 1024 * 1024 + 17, sha(a)], [b, 6, sha(b)]]);
    assert.equal(cache.filesHashed, 2);

    await hashFiles([a, b], undefined, cache);
    assert.equal(cache.filesHashed, 2); // unchanged: nothing read

    writeFileSync(b, 'hellO\n'); // same size
    utimesSync(b, new Date(), new Date(Date.now() + 10_000));
    const [, changed] = await hashFiles([a, b], undefined, cache);
    assert.equal(cache.filesHashed, 3);
    assert.equal(changed.sha256, sha(b));

    appendFileSync(b, 'more');
    const [grown] = await hashFiles([b], undefined, cache);
    assert.equal(grown.size, 10);
    assert.equal(grown.sha256, sha(b));
  });

  it('hashes the files of a loaded source and can be cancelled', async () => {
    const s = await load('access-*.jsonl');
    const digests = await hashFiles(s.files, undefined, new FileHashCache());
    assert.deepEqual(digests.map((d) => d.size), s.files.map((f) => f.size));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(hashFiles(s.files, controller.signal, new FileHashCache()), (e: Error) => e.name === 'AbortError');
    // Cancelled while reading: the loop stops between chunks and closes the file.
    const big = join(tmp.path, 'h-big.bin');
    writeFileSync(big, Buffer.alloc(64 * 1024 * 1024, 1));
    const midway = new AbortController();
    const cache = new FileHashCache();
    const hashing = hashFiles([big], midway.signal, cache);
    setTimeout(() => midway.abort(), 5);
    await assert.rejects(hashing, (e: Error) => e.name === 'AbortError');
    assert.equal(cache.filesHashed, 0);
  });
});
