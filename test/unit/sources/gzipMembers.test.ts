import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { gunzipFile } from '../../../src/core/sources/gzipMembers';
import { column, load, tempDir } from './helpers';

/** Everything gunzipFile yields: the data, and the problem if one ended it. */
async function gunzip(path: string, chunkBytes?: number): Promise<{ data: Buffer; problem: string | null; diskBytes: number }> {
  const parts: Buffer[] = [];
  let problem: string | null = null;
  let diskBytes = 0;
  for await (const item of gunzipFile(path, { chunkBytes, onDiskBytes: (n) => (diskBytes += n) })) {
    if (Buffer.isBuffer(item)) {
      assert.equal(problem, null, 'no data after a problem');
      parts.push(Buffer.from(item));
    } else problem = item.problem;
  }
  return { data: Buffer.concat(parts), problem, diskBytes };
}

/** Lines `{"i":N}` for N in [from, to). */
function lines(from: number, to: number): Buffer {
  return Buffer.from(Array.from({ length: to - from }, (_, k) => `{"i":${from + k}}\n`).join(''));
}

/** A gzip member written field by field (RFC 1952), with the optional header fields given. */
function member(data: Buffer, header: { extra?: Buffer; name?: string; comment?: string; headerCrc?: boolean } = {}): Buffer {
  const flags = (header.headerCrc ? 2 : 0) | (header.extra ? 4 : 0) | (header.name !== undefined ? 8 : 0) | (header.comment !== undefined ? 16 : 0);
  const parts: Buffer[] = [Buffer.from([0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3])];
  if (header.extra) parts.push(Buffer.from([header.extra.length & 0xff, header.extra.length >> 8]), header.extra);
  if (header.name !== undefined) parts.push(Buffer.from(`${header.name}\0`, 'latin1'));
  if (header.comment !== undefined) parts.push(Buffer.from(`${header.comment}\0`, 'latin1'));
  if (header.headerCrc) parts.push(Buffer.alloc(2)); // gzip itself does not check it
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length >>> 0, 4);
  parts.push(deflateRawSync(data), trailer);
  return Buffer.concat(parts);
}

describe('sources/gzipMembers: decompressing without losing data', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());
  const file = (name: string, bytes: Buffer): string => {
    const path = join(tmp.path, name);
    writeFileSync(path, bytes);
    return path;
  };

  it('decompresses one member, and concatenated members as one stream, at any read size', async () => {
    const data = lines(0, 30_000);
    for (const chunkBytes of [16, 4096, undefined]) {
      const one = await gunzip(file('one.gz', gzipSync(data)), chunkBytes);
      assert.equal(one.problem, null);
      assert.ok(one.data.equals(data));
      const two = await gunzip(file('two.gz', Buffer.concat([gzipSync(lines(0, 10)), gzipSync(Buffer.alloc(0)), gzipSync(lines(10, 20))])), chunkBytes);
      assert.equal(two.problem, null);
      assert.ok(two.data.equals(lines(0, 20)));
    }
  });

  it('streams members too large to inflate at once (over 64 KiB compressed, or 4 MiB decompressed), at any read size', async () => {
    const incompressible = Buffer.from(Array.from({ length: 3000 }, (_, i) => `{"i":${i},"r":"${randomBytes(24).toString('base64')}"}\n`).join(''));
    const large = Buffer.alloc(5 * 1024 * 1024, 'abcdefgh\n');
    const gz = Buffer.concat([gzipSync(incompressible), gzipSync(large), gzipSync(incompressible)]);
    assert.ok(gzipSync(incompressible).length > 64 * 1024 && gzipSync(large).length < 64 * 1024);
    for (const chunkBytes of [1000, undefined]) {
      const out = await gunzip(file('large-members.gz', gz), chunkBytes);
      assert.equal(out.problem, null);
      assert.ok(out.data.equals(Buffer.concat([incompressible, large, incompressible])));
    }
  });

  it('reads the optional header fields: extra field, file name, comment and header checksum', async () => {
    const data = lines(0, 100);
    const gz = member(data, { extra: Buffer.from('BC\x02\x00\x00\x00', 'latin1'), name: 'access.log', comment: 'rotated', headerCrc: true });
    const out = await gunzip(file('fields.gz', gz), 8);
    assert.equal(out.problem, null);
    assert.ok(out.data.equals(data));
  });

  it('keeps every member before bytes that are not gzip data, and says where those start', async () => {
    // Node.js's own gunzip stream drops what it decompressed from the write the junk arrives in.
    const data = lines(0, 20_000);
    const good = gzipSync(data);
    const out = await gunzip(file('junk.gz', Buffer.concat([good, Buffer.from('appended junk')])));
    assert.ok(out.data.equals(data), `all ${data.length} bytes kept (got ${out.data.length})`);
    assert.equal(out.problem, `the 13 bytes after the gzip data (from byte ${good.length}) are not gzip data and were ignored`);
    assert.equal(out.diskBytes, good.length + 13);
  });

  it('ignores zero padding after the last member, as gzip does', async () => {
    const data = lines(0, 50);
    const out = await gunzip(file('padded.gz', Buffer.concat([gzipSync(data), Buffer.alloc(5000)])), 1024);
    assert.equal(out.problem, null);
    assert.ok(out.data.equals(data));
    const mixed = await gunzip(file('padded-junk.gz', Buffer.concat([gzipSync(data), Buffer.alloc(10), Buffer.from('x')])));
    assert.match(mixed.problem ?? '', /the 11 bytes after the gzip data .* are not gzip data/);
    assert.ok(mixed.data.equals(data));
  });

  it('gives what a member cut short holds, then says it is truncated', async () => {
    const data = lines(0, 20_000);
    const whole = gzipSync(data);
    for (const keep of [whole.length - 4, whole.length - 8, Math.floor(whole.length / 2), 5]) {
      const out = await gunzip(file('cut.gz', whole.subarray(0, keep)));
      assert.match(out.problem ?? '', /^gzip data is corrupt or truncated after \d+ decompressed bytes \(unexpected end of file/, `cut at ${keep}`);
      assert.ok(data.subarray(0, out.data.length).equals(out.data), `a prefix of the data when cut at ${keep}`);
      if (keep >= whole.length - 8) assert.equal(out.data.length, data.length, 'only the trailer was cut: all data is there');
    }
  });

  it('reports a checksum or size that does not match the data', async () => {
    const data = lines(0, 100);
    const gz = gzipSync(data);
    gz[gz.length - 8] ^= 0xff; // CRC-32
    const badCrc = await gunzip(file('crc.gz', gz));
    assert.ok(badCrc.data.equals(data));
    assert.equal(badCrc.problem, `gzip data is corrupt or truncated after ${data.length} decompressed bytes (incorrect data check)`);
    const gz2 = gzipSync(data);
    gz2[gz2.length - 1] ^= 0x01; // size
    assert.match((await gunzip(file('size.gz', gz2))).problem ?? '', /incorrect data check/);
  });

  it('reports corrupt deflate data, and headers it cannot read', async () => {
    const gz = gzipSync(lines(0, 2000));
    gz.fill(0xff, 40, 60);
    assert.match((await gunzip(file('bad-deflate.gz', gz))).problem ?? '', /^gzip data is corrupt or truncated after \d+ decompressed bytes \(.+\)$/);
    const method = gzipSync(lines(0, 10));
    method[2] = 7;
    assert.match((await gunzip(file('method.gz', method))).problem ?? '', /unsupported compression method at byte 0/);
    const reserved = gzipSync(lines(0, 10));
    reserved[3] = 0x80;
    assert.match((await gunzip(file('reserved.gz', reserved))).problem ?? '', /invalid header at byte 0/);
    const noName = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3]), Buffer.alloc(100, 0x41)]);
    assert.match((await gunzip(file('name.gz', noName))).problem ?? '', /unexpected end of file at byte 0/);
    const endless = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3]), Buffer.alloc(1_100_000, 0x41), Buffer.from([0])]);
    assert.match((await gunzip(file('endless-name.gz', endless))).problem ?? '', /invalid header at byte 0/);
  });

  it('reads header fields up to their own limits: a 64 KiB extra field, a long name and comment', async () => {
    // (A name or comment over 1 MiB is refused: see 'reports corrupt deflate data, and headers it cannot read'.)
    const data = lines(0, 10);
    for (const header of [{ extra: Buffer.alloc(65535, 1), name: 'n' }, { name: 'a'.repeat(400_000), comment: 'c'.repeat(300_000) }]) {
      const out = await gunzip(file('long-header.gz', member(data, header)), 4096);
      assert.equal(out.problem, null);
      assert.ok(out.data.equals(data));
    }
  });

  it('says which header is wrong in bytes after the data that start like gzip', async () => {
    const data = lines(0, 10);
    const good = gzipSync(data);
    const out = await gunzip(file('fake-member.gz', Buffer.concat([good, Buffer.from([0x1f, 0x8b, 0x41, 0x42])])));
    assert.ok(out.data.equals(data));
    assert.equal(out.problem, `gzip data is corrupt or truncated after ${data.length} decompressed bytes (unsupported compression method at byte ${good.length})`);
  });

  it('throws what a failing read throws, rather than wait for data that never comes', async () => {
    const path = file('failing.gz', gzipSync(lines(0, 200_000)));
    let reads = 0;
    const failing = async () => {
      for await (const _ of gunzipFile(path, { chunkBytes: 4096, onDiskBytes: () => { if (++reads === 3) throw new Error('the disk went away'); } }));
    };
    await assert.rejects(failing(), /the disk went away/);
  });

  it('reads many small members without reading the file again for each', async () => {
    // Block-compressed files (bgzip) are members of at most 64 KiB.
    const members = Array.from({ length: 2000 }, (_, m) => gzipSync(lines(m * 10, m * 10 + 10)));
    const gz = Buffer.concat(members);
    const out = await gunzip(file('blocks.gz', gz));
    assert.equal(out.problem, null);
    assert.ok(out.data.equals(lines(0, 20_000)));
    assert.equal(out.diskBytes, gz.length, 'each byte read from disk once');
  });

  it('stops reading when its consumer stops, and closes the file', async () => {
    const path = file('early.gz', gzipSync(lines(0, 200_000)));
    for await (const item of gunzipFile(path, { chunkBytes: 4096 })) {
      assert.ok(Buffer.isBuffer(item));
      break;
    }
    // Again, to see the generator's clean-up finished (an unsettled feeder would hang here).
    const again = await gunzip(path);
    assert.equal(again.data.length, lines(0, 200_000).length);
  });

  it('warns about bytes after zero padding, which the stream passes over without a word', async () => {
    const data = lines(0, 1000);
    const good = gzipSync(data);
    for (const [name, tail, warned] of [
      ['zeros-member.jsonl.gz', Buffer.concat([Buffer.alloc(4), gzipSync(lines(5000, 5001))]), true],
      ['zeros-junk.jsonl.gz', Buffer.from('\0junk'), true],
      ['zeros-only.jsonl.gz', Buffer.alloc(4096), false],
    ] as const) {
      file(name, Buffer.concat([good, tail]));
      const s = await load(name, { baseDir: tmp.path });
      assert.equal(s.rowCount, 1000, name);
      // As gzip -d: what follows zero padding is ignored (a member too), with a warning.
      if (warned) assert.deepEqual(s.warnings, [`${name}: the ${tail.length} bytes after the gzip data (from byte ${good.length}) are not gzip data and were ignored`]);
      else assert.deepEqual(s.warnings, [], name);
    }
  });

  it('loads a JSON Lines .gz with appended junk with every row, and warns', async () => {
    file('appended.jsonl.gz', Buffer.concat([gzipSync(lines(0, 20_000)), Buffer.from('garbage')]));
    const s = await load('appended.jsonl.gz', { baseDir: tmp.path });
    assert.equal(s.rowCount, 20_000);
    assert.equal(column(s, 'i').at(-1), 19_999n);
    assert.match(s.warnings.join('\n'), /appended\.jsonl\.gz: the 7 bytes after the gzip data \(from byte \d+\) are not gzip data and were ignored/);
  });
});
