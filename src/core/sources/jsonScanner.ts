/**
 * A lazy reader of one JSON line's top-level fields, straight from the bytes. It validates the
 * whole line (so it rejects exactly what `JSON.parse` rejects) but only materialises the values of
 * wanted keys. Anything it does not handle itself (escaped or odd keys, syntax errors, nesting
 * beyond the depth limit) returns `Fallback`, and the caller parses the line with `JSON.parse`,
 * which is the reference behaviour.
 */
import type { Value } from '../query/values';
import { jsonToValue, lastConversionProblem, numberTokenToValue, parseJsonExact } from './jsonValues';
import { MAX_JSON_DEPTH } from './limits';

export const enum ScanResult {
  Row,
  Blank,
  Fallback,
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a;
const OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e, ZERO = 0x30, NINE = 0x39;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** `"\/bfnrt` after a backslash. */
function isSimpleEscape(c: number): boolean {
  return c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;
}

/** A validated number token of at most 15 digits and no fraction or exponent, or NaN. */
function smallInteger(buf: Buffer, start: number, end: number): number {
  const negative = buf[start] === MINUS;
  let i = negative ? start + 1 : start;
  if (end - i > 15) return NaN;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return negative ? -n : n; // "-0" stays -0, as JSON.parse reads it
}

export class JsonFieldScanner {
  /** The wanted fields met in the last scanned row, in line order (duplicates: last value, first position). */
  readonly keys: string[] = [];
  readonly values: Value[] = [];
  count = 0;

  private wanted: string[] = [];
  private wantedBytes: Buffer[] = [];
  private byLength: number[][] = [];
  private wantedIndex = new Map<string, number>();
  private timeIndex = -1;
  private slotRow: Int32Array = new Int32Array(0);
  private slotPos: Int32Array = new Int32Array(0);
  private rowSerial = 0;
  private readonly stack = new Uint8Array(MAX_JSON_DEPTH + 2);
  private buf: Buffer = Buffer.alloc(0);
  private end = 0;
  /** Set by string scanning: whether the last string had an escape. */
  private sawEscape = false;

  /** Sets the fields to extract; `timeField` (if wanted) gets its numbers as plain doubles. */
  setWanted(fields: readonly string[], timeField: string | null): void {
    this.wanted = [...new Set(fields)];
    this.wantedBytes = this.wanted.map((f) => Buffer.from(f, 'utf8'));
    this.byLength = [];
    this.wantedIndex = new Map(this.wanted.map((f, i) => [f, i]));
    this.wantedBytes.forEach((b, i) => (this.byLength[b.length] ??= []).push(i));
    this.timeIndex = timeField === null ? -1 : (this.wantedIndex.get(timeField) ?? -1);
    this.slotRow = new Int32Array(this.wanted.length).fill(-1);
    this.slotPos = new Int32Array(this.wanted.length);
  }

  scan(buf: Buffer, start: number, end: number): ScanResult {
    this.buf = buf;
    this.end = end;
    this.count = 0;
    this.rowSerial = (this.rowSerial + 1) | 0;
    let i = this.skipWs(start);
    if (i === end) return ScanResult.Blank;
    if (buf[i] !== OPEN_OBJECT) return ScanResult.Fallback;
    i = this.skipWs(i + 1);
    if (buf[i] === CLOSE_OBJECT) return this.skipWs(i + 1) === end ? ScanResult.Row : ScanResult.Fallback;
    for (;;) {
      if (i >= end || buf[i] !== QUOTE) return ScanResult.Fallback;
      const keyStart = i + 1;
      let j = keyStart;
      let ascii = true;
      for (; j < end; j++) {
        const c = buf[j];
        if (c === QUOTE) break;
        if (c === BACKSLASH || c < 0x20) return ScanResult.Fallback;
        if (c >= 0x80) ascii = false;
      }
      if (j >= end) return ScanResult.Fallback;
      const slot = this.matchKey(keyStart, j, ascii);
      i = this.skipWs(j + 1);
      if (buf[i] !== COLON) return ScanResult.Fallback;
      i = this.skipWs(i + 1);
      if (i >= end) return ScanResult.Fallback;
      i = slot < 0 ? this.skipValue(i) : this.readValue(i, slot);
      if (i < 0) return ScanResult.Fallback;
      i = this.skipWs(i);
      const c = buf[i];
      if (i < end && c === COMMA) {
        i = this.skipWs(i + 1);
        continue;
      }
      if (i < end && c === CLOSE_OBJECT) return this.skipWs(i + 1) === end ? ScanResult.Row : ScanResult.Fallback;
      return ScanResult.Fallback;
    }
  }

  private skipWs(i: number): number {
    const buf = this.buf, end = this.end;
    while (i < end && isWs(buf[i])) i++;
    return i;
  }

  private matchKey(start: number, end: number, ascii: boolean): number {
    if (!ascii) return this.wantedIndex.get(this.buf.toString('utf8', start, end)) ?? -1;
    const candidates = this.byLength[end - start];
    if (candidates === undefined) return -1;
    const buf = this.buf;
    outer: for (const idx of candidates) {
      const want = this.wantedBytes[idx];
      for (let k = 0; k < want.length; k++) if (buf[start + k] !== want[k]) continue outer;
      return idx;
    }
    return -1;
  }

  /** Reads a wanted value into the row; returns the index after it, or -1 for Fallback. */
  private readValue(i: number, slot: number): number {
    const buf = this.buf;
    const c = buf[i];
    let value: Value;
    let next: number;
    if (c === QUOTE) {
      next = this.skipString(i);
      if (next < 0) return -1;
      value = this.sawEscape ? (JSON.parse(buf.toString('utf8', i, next)) as string) : buf.toString('utf8', i + 1, next - 1);
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      next = this.skipContainer(i);
      if (next < 0) return -1;
      const text = buf.toString('utf8', i, next);
      const converted = jsonToValue(JSON.parse(text), 2);
      if (converted !== undefined) value = converted;
      else if (lastConversionProblem() === 'inexact') value = parseJsonExact(text, 2);
      else return -1;
    } else if (c === MINUS || isDigit(c)) {
      next = this.skipNumber(i);
      if (next < 0) return -1;
      const small = smallInteger(buf, i, next);
      if (!Number.isNaN(small)) value = slot === this.timeIndex ? small : BigInt(small);
      else {
        const token = buf.toString('latin1', i, next);
        value = slot === this.timeIndex ? Number(token) : numberTokenToValue(token);
      }
    } else {
      next = this.skipLiteral(i);
      if (next < 0) return -1;
      value = c === 0x74 ? true : c === 0x66 ? false : null;
    }
    this.store(slot, value);
    return next;
  }

  private store(slot: number, value: Value): void {
    if (this.slotRow[slot] === this.rowSerial) {
      this.values[this.slotPos[slot]] = value; // a repeated key: the last value wins, like JSON.parse
      return;
    }
    this.slotRow[slot] = this.rowSerial;
    this.slotPos[slot] = this.count;
    this.keys[this.count] = this.wanted[slot];
    this.values[this.count++] = value;
  }

  private skipValue(i: number): number {
    const c = this.buf[i];
    if (c === QUOTE) return this.skipString(i);
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) return this.skipContainer(i);
    if (c === MINUS || isDigit(c)) return this.skipNumber(i);
    return this.skipLiteral(i);
  }

  /** i is at the opening quote; returns the index after the closing quote. */
  private skipString(i: number): number {
    const buf = this.buf, end = this.end;
    let escaped = false;
    i++;
    while (i < end) {
      const c = buf[i];
      if (c === QUOTE) {
        this.sawEscape = escaped;
        return i + 1;
      }
      if (c === BACKSLASH) {
        escaped = true;
        const e = buf[i + 1];
        if (e === 0x75) {
          if (i + 5 >= end || !isHex(buf[i + 2]) || !isHex(buf[i + 3]) || !isHex(buf[i + 4]) || !isHex(buf[i + 5])) return -1;
          i += 6;
        } else if (i + 1 < end && isSimpleEscape(e)) i += 2;
        else return -1;
      } else if (c < 0x20) return -1;
      else i++;
    }
    return -1;
  }

  /** JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
  private skipNumber(i: number): number {
    const buf = this.buf, end = this.end;
    if (buf[i] === MINUS) i++;
    if (i >= end) return -1;
    if (buf[i] === ZERO) i++;
    else if (isDigit(buf[i])) while (i < end && isDigit(buf[i])) i++;
    else return -1;
    if (i < end && buf[i] === DOT) {
      i++;
      if (i >= end || !isDigit(buf[i])) return -1;
      while (i < end && isDigit(buf[i])) i++;
    }
    if (i < end && (buf[i] === 0x65 || buf[i] === 0x45)) {
      i++;
      if (i < end && (buf[i] === PLUS || buf[i] === MINUS)) i++;
      if (i >= end || !isDigit(buf[i])) return -1;
      while (i < end && isDigit(buf[i])) i++;
    }
    return i;
  }

  private skipLiteral(i: number): number {
    const buf = this.buf, end = this.end;
    const c = buf[i];
    if (c === 0x74) return i + 3 < end && buf[i + 1] === 0x72 && buf[i + 2] === 0x75 && buf[i + 3] === 0x65 ? i + 4 : -1; // true
    if (c === 0x6e) return i + 3 < end && buf[i + 1] === 0x75 && buf[i + 2] === 0x6c && buf[i + 3] === 0x6c ? i + 4 : -1; // null
    if (c === 0x66) return i + 4 < end && buf[i + 1] === 0x61 && buf[i + 2] === 0x6c && buf[i + 3] === 0x73 && buf[i + 4] === 0x65 ? i + 5 : -1; // false
    return -1;
  }

  /**
   * i is at `{` or `[` of a top-level field's value (depth 2). Validates the whole container and
   * returns the index after it; -1 on bad syntax or nesting beyond MAX_JSON_DEPTH.
   */
  private skipContainer(i: number): number {
    const buf = this.buf, end = this.end, stack = this.stack;
    let depth = 0; // containers open; the value's own container is depth 2 overall
    const open = (c: number): boolean => {
      if (depth + 2 > MAX_JSON_DEPTH) return false;
      stack[depth++] = c === OPEN_OBJECT ? 1 : 0;
      return true;
    };
    if (!open(buf[i])) return -1;
    i = this.skipWs(i + 1);
    let first = true;
    for (;;) {
      if (i >= end) return -1;
      const inObject = stack[depth - 1] === 1;
      if (first && buf[i] === (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        i++;
        depth--;
      } else {
        if (inObject) {
          if (buf[i] !== QUOTE) return -1;
          i = this.skipString(i);
          if (i < 0) return -1;
          i = this.skipWs(i);
          if (buf[i] !== COLON) return -1;
          i = this.skipWs(i + 1);
          if (i >= end) return -1;
        }
        const c = buf[i];
        if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          if (!open(c)) return -1;
          i = this.skipWs(i + 1);
          first = true;
          continue;
        }
        i = c === QUOTE ? this.skipString(i) : c === MINUS || isDigit(c) ? this.skipNumber(i) : this.skipLiteral(i);
        if (i < 0) return -1;
      }
      // After a value (or a closed container): a comma, or the end of the enclosing container.
      for (;;) {
        if (depth === 0) return i;
        i = this.skipWs(i);
        if (i >= end) return -1;
        const c = buf[i];
        if (c === COMMA) {
          i = this.skipWs(i + 1);
          first = false;
          break;
        }
        if (c !== (stack[depth - 1] === 1 ? CLOSE_OBJECT : CLOSE_ARRAY)) return -1;
        i++;
        depth--;
      }
    }
  }
}
