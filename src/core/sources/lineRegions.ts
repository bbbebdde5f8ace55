/**
 * Turns a file (plain or gzip) into regions of whole lines inside a reused buffer, so parsers can
 * decode line-aligned slices instead of one huge string and never see a split line.
 *
 * A region is only valid until the consumer asks for the next event: the buffer is reused.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { SourceLoadError } from './errors';

export type LineEvent =
  /** Whole lines in buf[start, end): each ends with `\n` except possibly the file's last one. */
  | { readonly kind: 'lines'; readonly buf: Buffer; readonly start: number; readonly end: number }
  /** One line longer than maxLineBytes that was skipped without being kept in memory. */
  | { readonly kind: 'overlong'; readonly bytes: number }
  /** The file could not be read to its end (a corrupt or truncated gzip stream). */
  | { readonly kind: 'truncated'; readonly reason: string };

export interface ReadLinesOptions {
  readonly maxLineBytes: number;
  readonly maxDecompressedBytes: number;
  readonly signal?: AbortSignal;
  /** Called with the number of bytes newly read from disk (compressed bytes for gzip). */
  readonly onDiskBytes?: (bytes: number) => void;
  /** Used to name the file and the setting in errors. */
  readonly sourceName?: string;
  readonly chunkBytes?: number;
  /**
   * Only bytes [start, end) of a plain file; both must be line starts (see `lineStartAtOrAfter`).
   * Gzip files cannot be split and are always read whole.
   */
  readonly range?: { readonly start: number; readonly end: number };
}

export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;
const NEWLINE = 10;

export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

export async function* readLineRegions(path: string, options: ReadLinesOptions): AsyncGenerator<LineEvent> {
  const assembler = new LineAssembler(options.chunkBytes ?? DEFAULT_CHUNK_BYTES, options.maxLineBytes);
  if (await isGzipFile(path)) yield* readGzip(path, options, assembler);
  else yield* readPlain(path, options, assembler);
}

async function* readPlain(path: string, options: ReadLinesOptions, assembler: LineAssembler): AsyncGenerator<LineEvent> {
  const fh = await open(path, 'r');
  let position = options.range?.start ?? 0;
  const end = options.range?.end ?? Infinity;
  if (position > 0) assembler.notAtFileStart();
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const target = assembler.writable();
      const want = Math.min(target.length, end - position);
      if (want <= 0) break;
      const { bytesRead } = await fh.read(target.buf, target.offset, want, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      options.onDiskBytes?.(bytesRead);
      const event = assembler.commit(bytesRead);
      if (event) yield event;
    }
    const last = assembler.finish();
    if (last) yield last;
  } finally {
    await fh.close();
  }
}

async function* readGzip(path: string, options: ReadLinesOptions, assembler: LineAssembler): AsyncGenerator<LineEvent> {
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  let decompressed = 0;
  let reported = 0;
  try {
    try {
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        options.signal?.throwIfAborted();
        decompressed += chunk.length;
        if (decompressed > options.maxDecompressedBytes) {
          const who = options.sourceName ? `source "${options.sourceName}": ` : '';
          throw new SourceLoadError(
            `${who}${path} decompresses to more than maxDecompressedBytes (${options.maxDecompressedBytes} bytes); stopped reading. If the file is genuine, raise maxDecompressedBytes for this source.`,
          );
        }
        if (input.bytesRead > reported) {
          options.onDiskBytes?.(input.bytesRead - reported);
          reported = input.bytesRead;
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
    } catch (e) {
      if (e instanceof SourceLoadError || (e as { name?: string }).name === 'AbortError' || options.signal?.aborted) throw e;
      if ((e as NodeJS.ErrnoException).code?.startsWith('Z_') || /unexpected end of file|incorrect header|invalid/i.test(String((e as Error).message))) {
        const last = assembler.finish();
        if (last) yield last;
        yield { kind: 'truncated', reason: `gzip data is corrupt or truncated after ${decompressed} decompressed bytes (${(e as Error).message})` };
        return;
      }
      throw e;
    }
    const last = assembler.finish();
    if (last) yield last;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
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

  constructor(
    chunkBytes: number,
    private readonly maxLineBytes: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** For a read that starts inside a file: there is no byte order mark to strip. */
  notAtFileStart(): void {
    this.atFileStart = false;
  }

  /** Where to put the next bytes. */
  writable(): { buf: Buffer; offset: number; length: number } {
    this.compact();
    if (this.filled === this.buf.length) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
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
      return { kind: 'overlong', bytes };
    }
    const last = this.buf.lastIndexOf(NEWLINE, this.filled - 1);
    if (last >= this.consumed) {
      const start = this.consumed;
      this.consumed = last + 1;
      return { kind: 'lines', buf: this.buf, start, end: last + 1 };
    }
    if (this.filled - this.consumed > this.maxLineBytes) {
      this.skippedBytes = this.filled - this.consumed;
      this.consumed = this.filled;
    }
    return null;
  }

  /** The unterminated last line (or the overlong line being skipped) at end of input. */
  finish(): LineEvent | null {
    if (this.skippedBytes >= 0) {
      const bytes = this.skippedBytes;
      this.skippedBytes = -1;
      return { kind: 'overlong', bytes };
    }
    if (this.filled > this.consumed) {
      const start = this.consumed;
      this.consumed = this.filled;
      return { kind: 'lines', buf: this.buf, start, end: this.filled };
    }
    return null;
  }

  private compact(): void {
    if (this.consumed === 0) return;
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
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (let at = pos - 1; at < size; ) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, at);
      if (bytesRead === 0) break;
      const nl = buf.subarray(0, bytesRead).indexOf(NEWLINE);
      if (nl >= 0) return at + nl + 1;
      at += bytesRead;
    }
    return size;
  } finally {
    await fh.close();
  }
}
