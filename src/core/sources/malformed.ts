import { open } from 'node:fs/promises';
import { MALFORMED_SAMPLE_LIMIT } from './limits';

export interface MalformedSample {
  readonly file: string;
  /** 1-based physical line number in the (decompressed) file. */
  readonly line: number;
  readonly reason: string;
  /**
   * While reading: where the line starts in the file at `path`, when its number is not known yet
   * (prefiltered reads of plain files do not count the lines they skip). See `resolveLineNumbers`.
   */
  readonly at?: { readonly path: string; readonly offset: number };
}

/** Counts every malformed line and keeps the first few as samples. */
export class MalformedLog {
  count = 0;
  readonly samples: MalformedSample[] = [];

  /** While false, callers may skip the work of tracking exact line numbers. */
  get wantsSamples(): boolean {
    return this.samples.length < MALFORMED_SAMPLE_LIMIT;
  }

  add(file: string, line: number, reason: string): void {
    this.count++;
    if (this.wantsSamples) this.samples.push({ file, line, reason: shorten(reason) });
  }

  /** A malformed line known by its byte offset in the file at `path` (its number is found later). */
  addAt(file: string, path: string, offset: number, reason: string): void {
    this.count++;
    if (this.wantsSamples) this.samples.push({ file, line: 0, reason: shorten(reason), at: { path, offset } });
  }
}

function shorten(reason: string): string {
  return reason.length > 200 ? reason.slice(0, 200) + '…' : reason;
}

/**
 * Replaces samples known by offset with their line numbers, counting the newlines before each
 * offset (only the files and prefixes that hold such samples are read).
 */
export async function resolveLineNumbers(samples: MalformedSample[], signal?: AbortSignal): Promise<void> {
  const byPath = new Map<string, number[]>();
  samples.forEach((s, i) => s.at && (byPath.get(s.at.path) ?? byPath.set(s.at.path, []).get(s.at.path)!).push(i));
  for (const [path, indices] of byPath) {
    const wanted = indices.map((i) => samples[i].at!.offset).sort((a, b) => a - b);
    const lines = await newlinesBefore(path, wanted, signal);
    for (const i of indices) {
      const s = samples[i];
      samples[i] = { file: s.file, line: lines.get(s.at!.offset)! + 1, reason: s.reason };
    }
  }
}

/** For each offset (ascending): how many newlines the file has before it. */
async function newlinesBefore(path: string, offsets: readonly number[], signal?: AbortSignal): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
    let position = 0;
    let count = 0;
    let next = 0;
    while (next < offsets.length) {
      signal?.throwIfAborted();
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, offsets[offsets.length - 1] - position), position);
      const chunkEnd = position + bytesRead;
      let from = 0;
      while (next < offsets.length && offsets[next] <= chunkEnd) {
        const upTo = offsets[next] - position;
        for (let i = buf.indexOf(10, from); i >= 0 && i < upTo; i = buf.indexOf(10, i + 1)) count++, (from = i + 1);
        from = upTo;
        out.set(offsets[next++], count);
      }
      for (let i = buf.indexOf(10, from); i >= 0 && i < bytesRead; i = buf.indexOf(10, i + 1)) count++;
      if (bytesRead === 0) break;
      position = chunkEnd;
    }
    while (next < offsets.length) out.set(offsets[next++], count);
  } finally {
    await fh.close();
  }
  return out;
}
