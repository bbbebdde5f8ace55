/** Walking the lines of a region of whole lines, optionally only those containing literals. */
import { literalSearch } from './wasmScan';

const NEWLINE = 10;
const BACKSLASH = 0x5c;

export interface LineCursor {
  /** 1-based number of the last line handed out (exact while `exact()` holds). */
  lineNo: number;
}

/** Calls onLine(start, end) for each line in buf[start, end); `end` excludes the newline. */
export function eachLine(buf: Buffer, start: number, end: number, cursor: LineCursor, onLine: (ls: number, le: number) => void): void {
  let ls = start;
  while (ls < end) {
    let nl = buf.indexOf(NEWLINE, ls);
    if (nl < 0 || nl >= end) nl = end;
    cursor.lineNo++;
    onLine(ls, nl);
    ls = nl + 1;
  }
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE, from); i >= 0 && i < to; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * Like eachLine, but only for lines whose raw bytes contain every literal. The longest literal
 * is searched across the region (in WebAssembly SIMD when the buffer is a read buffer in its
 * memory, else a native memmem), so non-matching lines cost next to nothing.
 * Skipped lines are only counted while `exact()` says line numbers still matter.
 *
 * With `keepEscaped`, a line holding a backslash is handed out too, whatever it contains: a JSON
 * escape (`\u0041`, `\/`) can spell a literal without its bytes, so only lines without any can
 * be judged by their raw bytes.
 */
export function eachMatchingLine(
  buf: Buffer,
  start: number,
  end: number,
  literals: readonly Buffer[],
  cursor: LineCursor,
  exact: () => boolean,
  onLine: (ls: number, le: number) => void,
  keepEscaped = false,
): void {
  const primary = literals.reduce((a, b) => (b.length > a.length ? b : a));
  const region = buf.subarray(start, end);
  // Good until the next search over this buffer: none is made while this walk runs (it is
  // synchronous, and onLine only scans lines).
  const search = literalSearch(region, primary);
  let pos = 0;
  // Position of the next backslash at or after pos (region.length when none is left).
  let escape = keepEscaped ? region.indexOf(BACKSLASH, 0) : -1;
  if (escape < 0) escape = region.length;
  let hit = -1; // next occurrence of the primary literal at or after pos (region.length: none)
  while (pos < region.length) {
    if (hit < pos) {
      hit = search !== null ? search(pos, region.length) : region.indexOf(primary, pos);
      if (hit < 0) hit = region.length;
    }
    if (escape < pos) {
      escape = region.indexOf(BACKSLASH, pos);
      if (escape < 0) escape = region.length;
    }
    const at = Math.min(hit, escape);
    if (at >= region.length) {
      if (exact()) cursor.lineNo += countNewlines(region, pos, region.length) + (region[region.length - 1] === NEWLINE ? 0 : 1);
      return;
    }
    const ls = at === 0 ? 0 : region.lastIndexOf(NEWLINE, at - 1) + 1;
    let le = region.indexOf(NEWLINE, at);
    if (le < 0) le = region.length;
    if (exact()) cursor.lineNo += countNewlines(region, pos, ls) + 1;
    // The line holds `at`: the primary literal, or (with keepEscaped) a backslash.
    if (escape < le || literals.length === 1 || literals.every((lit) => lit === primary || region.subarray(ls, le).indexOf(lit) >= 0)) onLine(start + ls, start + le);
    pos = le + 1;
  }
}

const SLICE_BYTES = 64 * 1024;

/**
 * Decodes buf[start, end) as UTF-8 in line-aligned slices of at most 64 KiB (and at most
 * maxLineBytes, so any line in a multi-line slice is within the limit) and hands each line's
 * text to onText. Decoding small slices is much faster in V8 than one big string. A line
 * longer than a slice is decoded alone, or reported through onOverlong when over maxLineBytes.
 */
export function eachDecodedLine(
  buf: Buffer,
  start: number,
  end: number,
  maxLineBytes: number,
  cursor: LineCursor,
  onText: (text: string) => void,
  onOverlong: (bytes: number) => void,
): void {
  const sliceBytes = Math.min(SLICE_BYTES, maxLineBytes);
  let pos = start;
  while (pos < end) {
    let sliceEnd = end;
    if (end - pos > sliceBytes) {
      const nl = buf.lastIndexOf(NEWLINE, pos + sliceBytes - 1);
      if (nl >= pos) sliceEnd = nl + 1;
      else {
        const lineEnd = buf.indexOf(NEWLINE, pos);
        sliceEnd = lineEnd < 0 || lineEnd >= end ? end : lineEnd + 1;
        const bytes = sliceEnd - pos - (buf[sliceEnd - 1] === NEWLINE ? 1 : 0);
        if (bytes > maxLineBytes) {
          cursor.lineNo++;
          onOverlong(bytes);
          pos = sliceEnd;
          continue;
        }
      }
    }
    const text = buf.toString('utf8', pos, sliceEnd);
    let i = 0;
    while (i < text.length) {
      let nl = text.indexOf('\n', i);
      if (nl < 0) nl = text.length;
      cursor.lineNo++;
      onText(i === 0 && nl === text.length ? text : text.slice(i, nl));
      i = nl + 1;
    }
    pos = sliceEnd;
  }
}
