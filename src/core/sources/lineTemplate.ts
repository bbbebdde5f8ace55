/**
 * Line templates: the bytes of a JSON line that are not values (braces, keys, colons, commas and
 * the spaces between them) as literals. Log lines mostly repeat the shape of the lines before, so
 * the scanner (jsonScanner.ts) learns a template from a line it has read and then checks a new line
 * against it in WebAssembly (assembly/jsonScan.ts, matchLine): each literal is compared 16 bytes at
 * a time and each value is skipped as the token walk would skip it. A line of another shape simply
 * fails to match and is read token by token.
 *
 * Objects that are not wanted are descended into, so their keys become literal too; wanted values,
 * arrays and deeper objects are values (a wanted object is read with its member paths afterwards).
 */
import type { LineTemplate } from './wasmScan';

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d;

/** Objects at this nesting depth or deeper are values (the line's object is 1). */
const DESCEND_LIMIT = 5;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/**
 * The template of the line whose object starts at `brace` (a line the scanner accepted); null when
 * it has a key with an escape (two spellings of one key would make a literal ambiguous to read).
 * `slotOf` gives a top-level key's wanted slot (or -1); `skipValue` the index after the value at
 * `i`, at nesting depth `depth`, or -1.
 */
export function lineTemplate(
  buf: Uint8Array,
  brace: number,
  end: number,
  slotOf: (keyStart: number, keyStop: number, ascii: boolean) => number,
  skipValue: (i: number, depth: number) => number,
): LineTemplate | null {
  const literals: Uint8Array[] = [];
  const depths: number[] = [];
  const slots: number[] = [];
  let literalStart = brace;
  let i = brace;
  const skipWs = () => {
    while (i < end && isWs(buf[i])) i++;
  };
  /** `i` at an object's `{` at nesting depth `depth`: walks to just past its `}`. */
  const object = (depth: number): boolean => {
    i++;
    skipWs();
    if (buf[i] === CLOSE_OBJECT) {
      i++;
      return true;
    }
    for (;;) {
      if (i >= end || buf[i] !== QUOTE) return false;
      const keyStart = i + 1;
      let j = keyStart;
      let ascii = true;
      for (; j < end && buf[j] !== QUOTE; j++) {
        if (buf[j] === BACKSLASH || buf[j] < 0x20) return false;
        if (buf[j] >= 0x80) ascii = false;
      }
      if (j >= end) return false;
      i = j + 1;
      skipWs();
      if (buf[i] !== COLON) return false;
      i++;
      skipWs();
      if (i >= end) return false;
      const slot = depth === 1 ? slotOf(keyStart, j, ascii) : -1;
      if (slot < 0 && buf[i] === OPEN_OBJECT && depth + 1 < DESCEND_LIMIT) {
        if (!object(depth + 1)) return false;
      } else {
        literals.push(buf.slice(literalStart, i));
        depths.push(depth + 1);
        slots.push(slot);
        i = skipValue(i, depth + 1);
        if (i < 0) return false;
        literalStart = i;
      }
      skipWs();
      if (i >= end) return false;
      if (buf[i] === COMMA) {
        i++;
        skipWs();
        continue;
      }
      if (buf[i] !== CLOSE_OBJECT) return false;
      i++;
      return true;
    }
  };
  if (buf[i] !== OPEN_OBJECT || !object(1)) return null;
  literals.push(buf.slice(literalStart, i));
  return { literals, depths, slots };
}
