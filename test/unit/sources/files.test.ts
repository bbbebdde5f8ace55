import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zlibConstants, gunzipSync, gzipSync } from 'node:zlib';
import { SourceLoadError } from '../../../src/core/sources';
import { fileReadError } from '../../../src/core/sources/errors';
import { naturalCompare } from '../../../src/core/sources/paths';
import { column, FIXTURES, load, tempDir } from './helpers';

describe('sources/files: globs, gzip, limits', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('reads rotated files matched by a glob as one table in natural order', async () => {
    const s = await load('access-*.jsonl');
    assert.deepEqual(s.files.map((f) => f.path.split('/').pop()), ['access-1.jsonl', 'access-2.jsonl', 'access-10.jsonl']);
    assert.deepEqual(column(s, 'file'), ['access-1', 'access-1', 'access-2', 'access-2', 'access-10', 'access-10']);
    for (const f of s.files) assert.ok(f.size > 0 && f.mtimeMs > 0);
  });

  it('supports ? and ** and lists of paths without duplicates', async () => {
    mkdirSync(join(tmp.path, 'logs/2026/06'), { recursive: true });
    writeFileSync(join(tmp.path, 'logs/a.jsonl'), '{"f":"a"}\n');
    writeFileSync(join(tmp.path, 'logs/2026/06/b.jsonl'), '{"f":"b"}\n');
    writeFileSync(join(tmp.path, 'logs/2026/06/.hidden.jsonl'), '{"f":"hidden"}\n');
    const deep = await load('logs/**/*.jsonl', { baseDir: tmp.path });
    assert.deepEqual(column(deep, 'f'), ['b', 'a']);
    const listed = await load({ path: ['logs/?.jsonl', 'logs/a.jsonl'] }, { baseDir: tmp.path });
    assert.deepEqual(column(listed, 'f'), ['a']);
  });

  it('fails clearly when nothing matches or a file is missing', async () => {
    await assert.rejects(load('nothing-*.jsonl'), (e: Error) => e instanceof SourceLoadError && /source "src": no files match nothing-\*\.jsonl/.test(e.message));
    await assert.rejects(load('missing.jsonl'), (e: Error) => e instanceof SourceLoadError && /source "src": file not found: missing\.jsonl/.test(e.message));
    writeFileSync(join(tmp.path, 'data.bin'), 'x');
    await assert.rejects(load('data.bin', { baseDir: tmp.path }), /cannot tell the format of .*data\.bin/);
  });

  it('compares digit runs by value', () => {
    const names = ['a.log.10', 'a.log.2', 'a.log', 'a.log.1', 'b.log', 'a.log.02'];
    assert.deepEqual([...names].sort(naturalCompare), ['a.log', 'a.log.1', 'a.log.2', 'a.log.02', 'a.log.10', 'b.log']);
  });

  it('puts a name before the longer names it begins', () => {
    // Compared as runs, "app." came after "app", so app2.log sorted before app.log.
    const names = ['app2.log', 'app10.log', 'app.log.1', 'app.log', 'app-eu.log', 'app'];
    assert.deepEqual([...names].sort(naturalCompare), ['app', 'app-eu.log', 'app.log', 'app.log.1', 'app2.log', 'app10.log']);
  });

  it('streams gzip files (.jsonl.gz) and rotated gzip globs', async () => {
    for (const n of [1, 2, 10]) writeFileSync(join(tmp.path, `access-${n}.jsonl.gz`), gzipSync(readFileSync(join(FIXTURES, `access-${n}.jsonl`))));
    const s = await load('access-*.jsonl.gz', { baseDir: tmp.path });
    assert.equal(s.format, 'jsonl');
    assert.deepEqual(column(s, 'file'), ['access-1', 'access-1', 'access-2', 'access-2', 'access-10', 'access-10']);
    // Concatenated gzip members read as one stream.
    writeFileSync(join(tmp.path, 'multi.ndjson.gz'), Buffer.concat([gzipSync('{"m":1}\n'), gzipSync('{"m":2}\n')]));
    assert.deepEqual(column(await load('multi.ndjson.gz', { baseDir: tmp.path }), 'm'), [1n, 2n]);
  });

  it('stops a gzip bomb at maxDecompressedBytes with an error naming the file and the setting', async () => {
    const bomb = join(tmp.path, 'bomb.jsonl.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(64 * 1024 * 1024, '{"a":1}\n'), { level: 9 }));
    assert.ok(readFileSync(bomb).length < 1024 * 1024);
    await assert.rejects(
      load({ path: 'bomb.jsonl.gz', maxDecompressedBytes: '4 MiB' }, { baseDir: tmp.path }),
      (e: Error) => e instanceof SourceLoadError && e.message.includes(bomb) && e.message.includes('maxDecompressedBytes (4194304 bytes)') && e.message.includes('source "src"'),
    );
  });

  it('keeps the rows before a truncated gzip stream and warns', async () => {
    const whole = gzipSync(Buffer.from(Array.from({ length: 2000 }, (_, i) => `{"i":${i}}\n`).join('')));
    writeFileSync(join(tmp.path, 'cut.jsonl.gz'), whole.subarray(0, Math.floor(whole.length * 0.6)));
    const s = await load('cut.jsonl.gz', { baseDir: tmp.path });
    assert.ok(s.rowCount > 0 && s.rowCount < 2000);
    assert.match(s.warnings.join('\n'), /cut\.jsonl\.gz: gzip data is corrupt or truncated/);
  });

  it('keeps every complete line before the cut of a truncated gzip file', async () => {
    // Checked against zlib's own reading of the cut data, flushed as far as it goes.
    const whole = gzipSync(Buffer.from(Array.from({ length: 60_000 }, (_, i) => `{"i":${i},"pad":"${'x'.repeat(i % 50)}"}\n`).join('')));
    for (const cut of [1017, 4008, 100_000, whole.length - 9]) {
      const oracle = gunzipSync(whole.subarray(0, cut), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      const complete = oracle.toString('latin1').split('\n').length - 1;
      writeFileSync(join(tmp.path, 'cut-at.jsonl.gz'), whole.subarray(0, cut));
      const s = await load('cut-at.jsonl.gz', { baseDir: tmp.path });
      assert.equal(s.rowCount, complete, `cut at ${cut}`);
      assert.match(s.warnings.join('\n'), /gzip data is corrupt or truncated after \d+ decompressed bytes \(unexpected end of file\)/);
    }
  });

  it('reads a file once however its path is written: a//b, a/../a/b, a link and its target', async () => {
    mkdirSync(join(tmp.path, 'once'), { recursive: true });
    writeFileSync(join(tmp.path, 'once', 'app.log'), 'only line\n');
    symlinkSync(join(tmp.path, 'once', 'app.log'), join(tmp.path, 'once', 'current.log'));
    const dir = join(tmp.path, 'once');
    const s = await load({ path: [`${dir}/app.log`, `${dir}//app.log`, `${dir}/../once/app.log`, 'once/app.log'] }, { baseDir: tmp.path });
    assert.equal(s.rowCount, 1);
    assert.equal((await load('once/*.log', { baseDir: tmp.path })).rowCount, 1);
  });

  it('names the source and the file when the file system refuses a file, rather than calling it missing or an internal failure', async () => {
    // A link to itself: stat fails with ELOOP (for every user, unlike a permission).
    symlinkSync('loop.log', join(tmp.path, 'loop.log'));
    await assert.rejects(load('loop.log', { baseDir: tmp.path }), (e: unknown) => e instanceof SourceLoadError && /source "src": cannot read .*loop\.log: too many symbolic links \(ELOOP\)/.test(e.message));
    // What a reader meets while reading (permission denied) becomes the same kind of error.
    const denied = Object.assign(new Error("EACCES: permission denied, open '/x/a.log'"), { code: 'EACCES', syscall: 'open', path: '/x/a.log' });
    assert.equal(fileReadError(denied, 'auth')?.message, 'source "auth": cannot read /x/a.log: permission denied (EACCES)');
    assert.equal(fileReadError(new Error('not a file system error'), 'auth'), undefined);
  });

  it('leaves out the line a truncated gzip file cuts short, in text and CSV too, and says so', async () => {
    // JSON Lines counted the fragment as a malformed line; text and CSV read it as a row, a
    // fragment passed off as a whole line (`line 099` for `line 09912 yyy...`).
    const text = gzipSync(Buffer.from(Array.from({ length: 20_000 }, (_, i) => `line ${String(i).padStart(5, '0')} ${'y'.repeat(40)}\n`).join('')));
    const csv = gzipSync(Buffer.from('id,msg\n' + Array.from({ length: 20_000 }, (_, i) => `${i},${'abcdefghij'.repeat(4)}\n`).join('')));
    for (const [name, whole, header] of [['cut.log.gz', text, 0], ['cut.csv.gz', csv, 1]] as const) {
      const cut = Math.floor(whole.length / 2);
      const oracle = gunzipSync(whole.subarray(0, cut), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('latin1');
      assert.ok(!oracle.endsWith('\n'), 'the cut falls inside a line');
      writeFileSync(join(tmp.path, name), whole.subarray(0, cut));
      const s = await load(name, { baseDir: tmp.path });
      assert.equal(s.rowCount, oracle.split('\n').length - 1 - header, name);
      const last = s.table.columns[s.table.columns.length - 1];
      const widths = new Set(Array.from({ length: s.table.rowCount }, (_, r) => String(last.get(r)).length));
      assert.equal(widths.size, 1, `${name}: every row is a whole line`);
      assert.match(s.warnings.join('\n'), /unexpected end of file\); its last line, cut short, was left out/);
    }
  });

  it('reports progress in disk bytes and can be cancelled between chunks', async () => {
    const file = join(tmp.path, 'progress.jsonl');
    writeFileSync(file, '{"msg":"a fairly ordinary log line with some padding"}\n'.repeat(200_000));
    const seen: [number, number][] = [];
    const s = await load(file, { onProgress: (p) => seen.push([p.bytesRead, p.totalBytes]) });
    assert.equal(s.rowCount, 200_000);
    assert.ok(seen.length >= 2);
    const total = s.files[0].size;
    assert.deepEqual(seen[seen.length - 1], [total, total]);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i][0] > seen[i - 1][0]);

    const controller = new AbortController();
    await assert.rejects(
      load(file, { signal: controller.signal, onProgress: () => controller.abort() }),
      (e: Error) => e.name === 'AbortError',
    );
    const already = new AbortController();
    already.abort();
    await assert.rejects(load(file, { signal: already.signal }), (e: Error) => e.name === 'AbortError');
  });

  it('accepts a gzip file whose name does not say so, by its magic bytes', async () => {
    copyFileSync(join(tmp.path, 'access-1.jsonl.gz'), join(tmp.path, 'renamed.jsonl'));
    assert.deepEqual(column(await load('renamed.jsonl', { baseDir: tmp.path }), 'file'), ['access-1', 'access-1']);
  });
});
