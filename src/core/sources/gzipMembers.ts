/**
 * Decompresses a gzip file member by member (RFC 1952), so every byte of good data is kept when
 * the file is damaged: Node.js's Gunzip stream, on bytes after the last member that are not gzip
 * data, fails the whole write they arrive in and drops the up to 256 KiB it had decompressed from
 * it — the newest lines of a log someone appended to. Here each member's header and trailer are
 * read by this module and its deflate data inflated raw, so the end of the data is known exactly:
 * what follows is another member, zero padding (ignored, as gzip does), or bytes that are reported
 * and ignored. A member cut short gives what it holds, then a problem.
 *
 * A member whose data lies within the bytes read is inflated at once; a larger one through a zlib
 * stream (which costs about 50 µs to set up, too much for files of many small members). Gunzip
 * still reads most files faster, walking members in native code: the reader (lineRegions.ts) uses
 * it and comes here only when it fails.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Why the file could not be decompressed to its end, or what follows its gzip data. Data yielded before it stands. */
export interface GzipProblem {
  readonly problem: string;
  /** The data stops inside a member (corrupt or truncated): its last line may be cut short. */
  readonly cutShort?: true;
}

export interface GunzipOptions {
  /** Compressed bytes read at a time (default 1 MiB). */
  readonly chunkBytes?: number;
  /** Called with the number of compressed bytes newly read from disk. */
  readonly onDiskBytes?: (bytes: number) => void;
}

const GZIP_ID1 = 0x1f;
const GZIP_ID2 = 0x8b;
const DEFLATE = 8;
const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const RESERVED_FLAGS = 0xe0;
const HEADER_BYTES = 10;
const TRAILER_BYTES = 8;
/** Longest file name or comment read in a header: real ones are short, and a hostile one must not grow memory. */
const MAX_HEADER_FIELD_BYTES = 1024 * 1024;
const OUTPUT_CHUNK_BYTES = 256 * 1024;
/** Bytes a member may decompress to and still be inflated at once; larger ones stream. */
const MAX_AT_ONCE_BYTES = 4 * 1024 * 1024;
/** Compressed bytes looked at for a member to inflate at once. */
const AT_ONCE_INPUT_BYTES = 64 * 1024;

/**
 * The decompressed data of a gzip file in chunks; the last item may be a problem (nothing follows
 * it). Concatenated members read as one stream, as `gzip -d` reads them.
 */
export async function* gunzipFile(path: string, options: GunzipOptions = {}): AsyncGenerator<Buffer | GzipProblem> {
  // Loaded when first needed: most sources are plain, and every reader thread would load it
  // (required, not imported: code run from a code cache cannot import in Node.js 20).
  const zlib = require('node:zlib') as typeof import('node:zlib');
  const fd = openSync(path, 'r');
  try {
    const input = new FileCursor(fd, options.chunkBytes ?? 1024 * 1024, options.onDiskBytes);
    const fileBytes = fstatSync(fd).size;
    let decompressed = 0;
    for (let member = 0; ; member++) {
      const memberStart = input.offset;
      const header = headerLength(input);
      if (header === 'end') return;
      if (header === 'not gzip') {
        if (member > 0 && zerosToEnd(fd, memberStart)) return; // padding, which gzip ignores too
        yield { problem: member === 0 ? 'not gzip data' : `the ${fileBytes - memberStart} bytes after the gzip data (from byte ${memberStart}) are not gzip data and were ignored` };
        return;
      }
      if (typeof header === 'string') {
        yield { problem: `gzip data is corrupt or truncated after ${decompressed} decompressed bytes (${header} at byte ${memberStart})`, cutShort: true };
        return;
      }
      input.skip(header);
      const whole = inflateBuffered(zlib, input);
      if (whole) {
        decompressed += whole.length;
        if (whole.length > 0) yield whole;
        const mismatch = trailerMismatch(input, zlib.crc32(whole), whole.length >>> 0);
        if (mismatch === null) continue;
        yield { problem: `gzip data is corrupt or truncated after ${decompressed} decompressed bytes (${mismatch})`, cutShort: true };
        return;
      }
      const inflate = zlib.createInflateRaw({ chunkSize: OUTPUT_CHUNK_BYTES, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      const feeding = feedDeflateData(inflate, input);
      let crc = 0;
      let size = 0;
      let failure: string | null = null;
      try {
        for await (const chunk of inflate as AsyncIterable<Buffer>) {
          crc = zlib.crc32(chunk, crc);
          size = (size + chunk.length) >>> 0;
          decompressed += chunk.length;
          yield chunk;
        }
      } catch (e) {
        // zlib's own errors describe the data; anything else (a failing disk) is the caller's.
        if (!(e as NodeJS.ErrnoException).code?.startsWith('Z_')) throw e;
        failure = (e as Error).message;
      } finally {
        // Stopped early (by the consumer, or a failure): the feeder must stop too, and it reads
        // from fd, so it must be done before the file is closed.
        if (!inflate.readableEnded) inflate.destroy();
        const ended = await feeding;
        failure ??= ended ? null : 'unexpected end of file';
      }
      if (failure === null) failure = trailerMismatch(input, crc, size);
      if (failure !== null) {
        yield { problem: `gzip data is corrupt or truncated after ${decompressed} decompressed bytes (${failure})`, cutShort: true };
        return;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The member's data when its deflate data ends within the bytes read (at least AT_ONCE_INPUT_BYTES
 * unless the file ends first) and decompresses to at most MAX_AT_ONCE_BYTES, inflated at once and
 * taken from `input`; null otherwise (also for corrupt data: the stream reads it and says where).
 */
function inflateBuffered(zlib: typeof import('node:zlib'), input: FileCursor): Buffer | null {
  input.fill(AT_ONCE_INPUT_BYTES);
  const chunk = input.chunk();
  if (chunk.length === 0) return null;
  try {
    const { buffer, engine } = zlib.inflateRawSync(chunk, { info: true, finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: MAX_AT_ONCE_BYTES }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    // All taken: the data may go on past these bytes (or end exactly with them; the stream tells).
    if (engine.bytesWritten >= chunk.length) return null;
    input.skip(engine.bytesWritten);
    return buffer;
  } catch {
    return null;
  }
}

/** Whether every byte of the file from `offset` on is zero (padding after gzip data). */
export function onlyZerosFrom(path: string, offset: number): boolean {
  const fd = openSync(path, 'r');
  try {
    return zerosToEnd(fd, offset);
  } finally {
    closeSync(fd);
  }
}

function zerosToEnd(fd: number, offset: number): boolean {
  const buf = Buffer.allocUnsafe(64 * 1024);
  for (let at = offset; ; ) {
    const n = readSync(fd, buf, 0, buf.length, at);
    if (n === 0) return true;
    for (let i = 0; i < n; i++) if (buf[i] !== 0) return false;
    at += n;
  }
}

/**
 * Writes the member's deflate data into `inflate`, chunk by chunk as it is taken, and ends it.
 * Resolves true when the deflate data ended (zlib left input unconsumed, which stays in `input`),
 * false when the file ended first or the stream was destroyed. A read that fails destroys the
 * stream with its error, which its reader then throws.
 */
async function feedDeflateData(inflate: import('node:zlib').InflateRaw, input: FileCursor): Promise<boolean> {
  let fed = 0;
  try {
    for (;;) {
      if (inflate.destroyed) return false;
      const chunk = input.chunk();
      if (chunk.length === 0) {
        inflate.end();
        return false;
      }
      fed += chunk.length;
      // The callback comes once zlib has taken the whole chunk (and, under back-pressure, once
      // its output has been read), so the chunk's bytes may be reused after it.
      // A stream destroyed meanwhile may never call back, hence 'close' too.
      await new Promise<void>((resolve, reject) => {
        const closed = (): void => reject(new Error('closed'));
        inflate.once('close', closed);
        inflate.write(chunk, (e) => {
          inflate.off('close', closed);
          if (e) reject(e);
          else resolve();
        });
      });
      const unused = fed - inflate.bytesWritten;
      input.skip(chunk.length - unused);
      if (unused > 0) {
        inflate.end();
        return true;
      }
    }
  } catch (e) {
    // The stream failed or was destroyed (its reader knows why), or reading failed: its reader
    // must hear of that, or it would wait for data forever.
    if (!inflate.destroyed) inflate.destroy(e as Error);
    return false;
  }
}

/** Null when the member's trailer (CRC-32 and size modulo 2^32) matches its data, else why not. */
function trailerMismatch(input: FileCursor, crc: number, size: number): string | null {
  if (input.fill(TRAILER_BYTES) < TRAILER_BYTES) return 'unexpected end of file';
  const ok = input.uint32(0) === crc >>> 0 && input.uint32(4) === size;
  input.skip(TRAILER_BYTES);
  return ok ? null : 'incorrect data check';
}

/**
 * The length of the member header at the cursor; 'end' at the end of the file, 'not gzip' when
 * the bytes there are not a gzip header, or why the header cannot be read.
 */
function headerLength(input: FileCursor): number | 'end' | 'not gzip' | 'unsupported compression method' | 'invalid header' | 'unexpected end of file' {
  const available = input.fill(HEADER_BYTES);
  if (available === 0) return 'end';
  if (available < 2 || input.byte(0) !== GZIP_ID1 || input.byte(1) !== GZIP_ID2) return 'not gzip';
  if (available > 2 && input.byte(2) !== DEFLATE) return 'unsupported compression method';
  if (available < HEADER_BYTES) return 'unexpected end of file';
  const flags = input.byte(3);
  if (flags & RESERVED_FLAGS) return 'invalid header';
  let length = HEADER_BYTES;
  if (flags & FEXTRA) {
    if (input.fill(length + 2) < length + 2) return 'unexpected end of file';
    length += 2 + (input.byte(length) | (input.byte(length + 1) << 8));
  }
  for (const field of [FNAME, FCOMMENT]) {
    if (!(flags & field)) continue;
    const end = input.indexOfZero(length, MAX_HEADER_FIELD_BYTES);
    if (end === 'missing') return 'unexpected end of file';
    if (end === 'too long') return 'invalid header';
    length = end + 1;
  }
  if (flags & FHCRC) length += 2;
  return input.fill(length) < length ? 'unexpected end of file' : length;
}

/** A file read forward through one reused buffer, with look-ahead for headers and trailers. */
class FileCursor {
  private buf: Buffer;
  private start = 0;
  private end = 0;
  /** File offset of buf[end]. */
  private filePosition = 0;

  constructor(
    private readonly fd: number,
    chunkBytes: number,
    private readonly onDiskBytes?: (bytes: number) => void,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** File offset of the next byte not yet taken. */
  get offset(): number {
    return this.filePosition - (this.end - this.start);
  }

  byte(at: number): number {
    return this.buf[this.start + at];
  }

  uint32(at: number): number {
    return this.buf.readUInt32LE(this.start + at);
  }

  skip(bytes: number): void {
    this.start += bytes;
  }

  /** Makes `wanted` bytes available from the cursor (fewer only at the end of the file); returns how many are. */
  fill(wanted: number): number {
    if (this.end - this.start >= wanted) return this.end - this.start;
    this.buf.copyWithin(0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    if (wanted > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(wanted, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    while (this.end < wanted && this.read() > 0);
    return this.end;
  }

  /** The bytes not yet taken, after reading more when there are none (empty at the end of the file). */
  chunk(): Buffer {
    if (this.start === this.end) {
      this.start = this.end = 0;
      this.read();
    }
    return this.buf.subarray(this.start, this.end);
  }

  /** Offset (from the cursor) of the first zero byte at or after `from`, looking at no more than `maxBytes` bytes. */
  indexOfZero(from: number, maxBytes: number): number | 'missing' | 'too long' {
    const limit = from + maxBytes;
    for (let at = from; ; ) {
      const available = Math.min(this.fill(Math.min(at + 4096, limit)), limit);
      const zero = this.buf.subarray(this.start + at, this.start + available).indexOf(0);
      if (zero >= 0) return at + zero;
      if (available >= limit) return 'too long';
      if (available === at) return 'missing';
      at = available;
    }
  }

  private read(): number {
    const bytesRead = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.filePosition);
    this.end += bytesRead;
    this.filePosition += bytesRead;
    if (bytesRead > 0) this.onDiskBytes?.(bytesRead);
    return bytesRead;
  }
}
