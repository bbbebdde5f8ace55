/**
 * Turns a file (plain or gzip) into regions of whole lines inside a reused buffer, so parsers can
 * decode line-aligned slices instead of one huge string and never see a split line.
 *
 * A region is only valid until the consumer asks for the next event: the buffer is reused.
 */
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { SourceLoadError } from './errors';
import { gunzipFile, onlyZerosFrom } from './gzipMembers';

export type LineEvent =
  /**
   * Whole lines in buf[start, end): each ends with `\n` except possibly the file's last one.
   * `offset`: the file offset of `start` (plain files only).
   */
  | { readonly kind: 'lines'; readonly buf: Buffer; readonly start: number; readonly end: number; readonly offset?: number }
  /** One line longer than maxLineBytes that was skipped without being kept in memory (`offset`: where it starts, plain files). */
  | { readonly kind: 'overlong'; readonly bytes: number; readonly offset?: number }
  /** The file could not be read to its end (a corrupt or truncated gzip stream), or ends in bytes that are not gzip data. */
  | { readonly kind: 'truncated'; readonly reason: string };

/**
 * The decompressed bytes of all the gzip files of one source, counted against maxDecompressedBytes
 * together (so a glob over many small bombs is stopped too). Shared memory, so the worker threads
 * reading a source's files count into the same total.
 */
export class DecompressedBudget {
  private readonly total: BigInt64Array;

  constructor(readonly shared = new SharedArrayBuffer(8)) {
    this.total = new BigInt64Array(shared);
  }

  /** Adds `bytes`; returns the source's total so far. */
  add(bytes: number): number {
    return Number(Atomics.add(this.total, 0, BigInt(bytes))) + bytes;
  }

  /** The source's total so far. */
  used(): number {
    return Number(Atomics.load(this.total, 0));
  }

  /** Sets the total back (to what it was before a read that is done again). */
  setUsed(bytes: number): void {
    Atomics.store(this.total, 0, BigInt(bytes));
  }
}

export interface ReadLinesOptions {
  readonly maxLineBytes: number;
  /** For the source's gzip files together when `decompressed` is given, else per file. */
  readonly maxDecompressedBytes: number;
  readonly decompressed?: DecompressedBudget;
  readonly signal?: AbortSignal;
  /** Called with the number of bytes newly read from disk (compressed bytes for gzip). */
  readonly onDiskBytes?: (bytes: number) => void;
  /** Used to name the file and the setting in errors. */
  readonly sourceName?: string;
  readonly chunkBytes?: number;
  /** Allocates the buffer regions are handed out in (default: a plain Buffer). */
  readonly allocate?: (size: number) => Buffer;
  /**
   * Only bytes [start, end) of a plain file; both must be line starts (see `lineStartAtOrAfter`).
   * Gzip files cannot be split and are always read whole.
   */
  readonly range?: { readonly start: number; readonly end: number };
}

export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
const NEWLINE = 10;

export async function isGzipFile(path: string): Promise<boolean> {
  // Read at once rather than through the thread pool: three small calls cost less than three
  // round trips to it (this runs before every parallel read, and once per planned file). Sources
  // are read off the extension host's thread (in the cell worker), so blocking for them is harmless.
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Read buffers of finished reads on this thread, by allocator, for the next read to reuse:
 * memory is paid for page by page when first written, which shows when a thread reads many ranges.
 */
const spareBuffers = new Map<(size: number) => Buffer, Buffer[]>();
const MAX_SPARE_BUFFERS = 4;
const plainBuffer = (size: number): Buffer => Buffer.allocUnsafe(size);

/** The buffer of that size left last (a scanner's line templates live with the buffer it read: see jsonlReader.ts). */
function takeBuffer(size: number, allocate: (size: number) => Buffer): Buffer {
  const spares = spareBuffers.get(allocate) ?? [];
  for (let at = spares.length - 1; at >= 0; at--) if (spares[at].length === size) return spares.splice(at, 1)[0];
  return allocate(size);
}

function giveBack(buf: Buffer, allocate: (size: number) => Buffer): void {
  let spares = spareBuffers.get(allocate);
  if (!spares) spareBuffers.set(allocate, (spares = []));
  if (spares.length < MAX_SPARE_BUFFERS) spares.push(buf);
}

export async function* readLineRegions(path: string, options: ReadLinesOptions): AsyncGenerator<LineEvent> {
  const allocate = options.allocate ?? plainBuffer;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const assembler = new LineAssembler(chunkBytes, options.maxLineBytes, allocate, takeBuffer(chunkBytes, allocate));
  try {
    if (await isGzipFile(path)) yield* readGzip(path, options, assembler);
    else yield* readPlain(path, options, assembler);
  } finally {
    // Regions are valid only until the next event, so no reader holds the buffer after the last.
    // One that grew for a long line is left to the garbage collector (reads start at chunk size).
    if (assembler.buffer.length === chunkBytes) giveBack(assembler.buffer, allocate);
  }
}

/**
 * Reads straight into the assembler's buffer, so each byte is copied once (from the page cache).
 * The read itself is synchronous: an asynchronous read into a second buffer cost a second copy of
 * every byte. Between chunks the generator yields to the event loop, so cancellation, progress
 * and (for a parallel read's reader on the calling thread) the threads' messages get through.
 */
async function* readPlain(path: string, options: ReadLinesOptions, assembler: LineAssembler): AsyncGenerator<LineEvent> {
  // Opened synchronously as it is read: node:fs/promises, loaded for an open alone, cost each reader
  // thread 1-5 ms of its start.
  const fd = openSync(path, 'r');
  let position = options.range?.start ?? 0;
  const end = options.range?.end ?? Infinity;
  if (position > 0) assembler.notAtFileStart();
  assembler.trackOffsets(position);
  try {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
      const target = assembler.writable();
      const want = Math.min(target.length, end - position);
      const bytesRead = want <= 0 ? 0 : readSync(fd, target.buf, target.offset, want, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      options.onDiskBytes?.(bytesRead);
      const event = assembler.commit(bytesRead);
      if (event) yield event;
    }
    const last = assembler.finish();
    if (last) yield last;
  } finally {
    closeSync(fd);
  }
}

/**
 * Gzip through Node.js's Gunzip stream, which walks concatenated members in native code. When it
 * fails (corrupt data, or bytes after the gzip data), the file is read again member by member
 * (gzipMembers.ts), which keeps everything before the damage, and reading goes on from where the
 * stream stopped: the stream drops what it decompressed from the write the damage came in.
 */
async function* readGzip(path: string, options: ReadLinesOptions, assembler: LineAssembler): AsyncGenerator<LineEvent> {
  // Loaded when first needed: most sources are plain, and every reader thread would load it
  // (required, not imported: code run from a code cache cannot import in Node.js 20).
  const { createGunzip } = require('node:zlib') as typeof import('node:zlib');
  let decompressed = 0;
  /** Counts bytes against the limits and hands them to the assembler. */
  function* take(chunk: Buffer): Generator<LineEvent> {
    decompressed += chunk.length;
    const total = options.decompressed ? options.decompressed.add(chunk.length) : decompressed;
    if (total > options.maxDecompressedBytes) {
      const who = options.sourceName ? `source "${options.sourceName}": ` : '';
      const what = total === decompressed ? `${path} decompresses` : `its gzip files decompress (so far ${path} and others)`;
      throw new SourceLoadError(`${who}${what} to more than maxDecompressedBytes (${options.maxDecompressedBytes} bytes); stopped reading. If the data is genuine, raise maxDecompressedBytes for this source.`);
    }
    for (let offset = 0; offset < chunk.length; ) {
      const target = assembler.writable();
      const n = Math.min(target.length, chunk.length - offset);
      chunk.copy(target.buf, target.offset, offset, offset + n);
      offset += n;
      const event = assembler.commit(n);
      if (event) yield event;
    }
  }
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  let reported = 0;
  let failure: Error | null = null;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      options.signal?.throwIfAborted();
      if (input.bytesRead > reported) {
        options.onDiskBytes?.(input.bytesRead - reported);
        reported = input.bytesRead;
      }
      yield* take(chunk);
    }
  } catch (e) {
    if (e instanceof SourceLoadError || (e as { name?: string }).name === 'AbortError' || options.signal?.aborted) throw e;
    if (!(e as NodeJS.ErrnoException).code?.startsWith('Z_')) throw e;
    failure = e as Error;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  // Gunzip stops without a word at a zero byte after a member, whatever follows: only zeros may.
  if (!failure && gunzip.bytesWritten < input.bytesRead && !onlyZerosFrom(path, gunzip.bytesWritten)) failure = new Error('bytes after the gzip data');
  if (failure) {
    let skip = decompressed;
    for await (const item of gunzipFile(path)) {
      options.signal?.throwIfAborted();
      if (!Buffer.isBuffer(item)) {
        // Lines decompressed before the problem are kept, but not a last one the problem cut
        // short: read as a row, a fragment would pass for a whole line. A problem met before the
        // point the stream reached (a header this reader refuses) is told as the stream's.
        const last = assembler.finish();
        const dropped = last !== null && last.kind !== 'overlong' && item.cutShort === true;
        if (last && !dropped) yield last;
        const reason = skip > 0 ? `gzip data is corrupt or truncated after ${decompressed} decompressed bytes (${failure.message})` : item.problem;
        yield { kind: 'truncated', reason: dropped ? `${reason}; its last line, cut short, was left out` : reason };
        return;
      }
      if (skip >= item.length) skip -= item.length;
      else {
        yield* take(skip > 0 ? item.subarray(skip) : item);
        skip = 0;
      }
    }
  }
  const last = assembler.finish();
  if (last) yield last;
}

/**
 * Keeps the partial last line of what was read so far and hands out the complete lines before it.
 * Memory stays bounded by maxLineBytes: a line that outgrows it is skipped up to its newline.
 */
export class LineAssembler {
  private buf: Buffer;
  private filled = 0;
  /** Bytes at the buffer's start that the consumer has seen and that can be dropped. */
  private consumed = 0;
  private skippedBytes = -1; // >= 0 while skipping an overlong line
  private atFileStart = true;
  /** With offsets tracked: the file offset of buf[0], and where the line being skipped starts. */
  private base = -1;
  private skipStart = -1;

  constructor(
    chunkBytes: number,
    private readonly maxLineBytes: number,
    private readonly allocate: (size: number) => Buffer = Buffer.allocUnsafe,
    /** A buffer of chunkBytes to start with (a reused one), else one is allocated. */
    initial?: Buffer,
  ) {
    this.buf = initial ?? allocate(chunkBytes);
  }

  /** The buffer regions are handed out in (it may have grown for a long line). */
  get buffer(): Buffer {
    return this.buf;
  }

  /** For a read that starts inside a file: there is no byte order mark to strip. */
  notAtFileStart(): void {
    this.atFileStart = false;
  }

  /** Events carry file offsets, the first byte given being at `position`. */
  trackOffsets(position: number): void {
    this.base = position;
  }

  private offsetOf(index: number): number | undefined {
    return this.base >= 0 ? this.base + index : undefined;
  }

  /** Where to put the next bytes. */
  writable(): { buf: Buffer; offset: number; length: number } {
    this.compact();
    if (this.filled === this.buf.length) {
      const bigger = this.allocate(this.buf.length * 2);
      this.buf.copy(bigger, 0, 0, this.filled);
      this.buf = bigger;
    }
    return { buf: this.buf, offset: this.filled, length: this.buf.length - this.filled };
  }

  /** Accounts for `n` bytes written at the writable offset; returns the event they complete, if any. */
  commit(n: number): LineEvent | null {
    const from = this.filled;
    this.filled += n;
    if (this.atFileStart) {
      this.atFileStart = false;
      if (this.filled >= 3 && this.buf[0] === 0xef && this.buf[1] === 0xbb && this.buf[2] === 0xbf) this.consumed = 3; // UTF-8 BOM
    }
    if (this.skippedBytes >= 0) {
      const nl = this.buf.indexOf(NEWLINE, from);
      if (nl < 0 || nl >= this.filled) {
        this.skippedBytes += this.filled - this.consumed;
        this.consumed = this.filled;
        return null;
      }
      const bytes = this.skippedBytes + (nl - this.consumed);
      this.skippedBytes = -1;
      this.consumed = nl + 1;
      return this.base >= 0 ? { kind: 'overlong', bytes, offset: this.skipStart } : { kind: 'overlong', bytes };
    }
    const last = this.buf.lastIndexOf(NEWLINE, this.filled - 1);
    if (last >= this.consumed) {
      const start = this.consumed;
      this.consumed = last + 1;
      return this.base >= 0 ? { kind: 'lines', buf: this.buf, start, end: last + 1, offset: this.base + start } : { kind: 'lines', buf: this.buf, start, end: last + 1 };
    }
    if (this.filled - this.consumed > this.maxLineBytes) {
      this.skippedBytes = this.filled - this.consumed;
      this.skipStart = this.offsetOf(this.consumed) ?? -1;
      this.consumed = this.filled;
    }
    return null;
  }

  /** The unterminated last line (or the overlong line being skipped) at end of input. */
  finish(): LineEvent | null {
    if (this.skippedBytes >= 0) {
      const bytes = this.skippedBytes;
      this.skippedBytes = -1;
      return this.base >= 0 ? { kind: 'overlong', bytes, offset: this.skipStart } : { kind: 'overlong', bytes };
    }
    if (this.filled > this.consumed) {
      const start = this.consumed;
      this.consumed = this.filled;
      return this.base >= 0 ? { kind: 'lines', buf: this.buf, start, end: this.filled, offset: this.base + start } : { kind: 'lines', buf: this.buf, start, end: this.filled };
    }
    return null;
  }

  private compact(): void {
    if (this.consumed === 0) return;
    if (this.base >= 0) this.base += this.consumed;
    this.buf.copyWithin(0, this.consumed, this.filled);
    this.filled -= this.consumed;
    this.consumed = 0;
  }
}

/**
 * The first line start at or after `pos` (the position after the first newline at or after
 * pos - 1), or the file size. Used to cut a file into ranges that hold whole lines.
 */
export async function lineStartAtOrAfter(path: string, pos: number, size: number): Promise<number> {
  if (pos <= 0) return 0;
  if (pos >= size) return size;
  // Read at once (see isGzipFile), a little at first: lines are usually short. A file without
  // newlines is read to its end here, without a check for cancellation: the read that follows
  // has nothing to split either, and stops at the first chunk over the line limit.
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(4 * 1024);
    for (let at = pos - 1; at < size; ) {
      const bytesRead = readSync(fd, buf, 0, buf.length, at);
      if (bytesRead === 0) break;
      const nl = buf.subarray(0, bytesRead).indexOf(NEWLINE);
      if (nl >= 0) return at + nl + 1;
      at += bytesRead;
      if (buf.length < 64 * 1024) buf = Buffer.allocUnsafe(64 * 1024);
    }
    return size;
  } finally {
    closeSync(fd);
  }
}
