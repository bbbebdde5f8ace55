/**
 * Line templates: the bytes of a JSON line that are not values (braces, keys, colons, commas and
 * the spaces between them) as literals. Log lines mostly repeat the shape of the lines before, so
 * the scanner (jsonScanner.ts) learns a template from a line it has read and then checks a new line
 * against it in WebAssembly (assembly/jsonScan.ts, matchLine): each literal is compared 16 bytes at
 * a time and each value is skipped as the token walk would skip it. A line of another shape simply
 * fails to match and is read token by token.
 *
 * Objects that are not wanted are descended into, so their keys become literal too. So are the
 * objects of struct fields (fields read only at some paths, such as `actor.user`): the values at
 * their paths become values of the template, and the rest literals and skipped values. Wanted
 * values, arrays and deeper objects are values.
 */
import type { LineTemplate } from './wasmScan';

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d;

/** Objects at this nesting depth or deeper are values (the line's object is 1). */
const DESCEND_LIMIT = 5;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/** A node of a struct field's wanted paths: a path's end (`leaf`, its index) or a node above ends (-1). */
export interface PathStep {
  readonly leaf: number;
}

/** What the template learner asks the scanner. */
export interface TemplateKeys<P extends PathStep> {
  /** A top-level key's wanted slot, or -1. */
  slotOf(keyStart: number, keyStop: number, ascii: boolean): number;
  /** The root of a struct field's paths, or null for a field read whole. */
  pathsOf(slot: number): P | null;
  /** The child of `node` for a key, or null. */
  childOf(node: P, keyStart: number, keyStop: number, ascii: boolean): P | null;
  /** The index after the value at `i`, at nesting depth `depth`, or -1. */
  skipValue(i: number, depth: number): number;
}

/**
 * The template of the line whose object starts at `brace` (a line the scanner accepted); null when
 * it has a key with an escape (two spellings of one key would make a literal ambiguous to read).
 * See LineTemplate for what it holds.
 */
export function lineTemplate<P extends PathStep>(buf: Uint8Array, brace: number, end: number, keys: TemplateKeys<P>): LineTemplate | null {
  const literals: Uint8Array[] = [];
  const depths: number[] = [];
  const slots: number[] = [];
  const leaves: number[] = [];
  const nodes: P[] = [];
  const structs: number[] = [];
  let wantedValues = 0;
  let literalStart = brace;
  let i = brace;
  const skipWs = () => {
    while (i < end && isWs(buf[i])) i++;
  };
  const value = (slot: number, leaf: number, depth: number): boolean => {
    if (slot >= 0) wantedValues++;
    literals.push(copyOf(buf, literalStart, i));
    depths.push(depth);
    slots.push(slot);
    leaves.push(leaf);
    i = keys.skipValue(i, Math.abs(depth));
    literalStart = i;
    return i >= 0;
  };
  /** Path nodes met in the struct field's object being descended (a repeated one is read whole). */
  let met = new Set<P>();
  /**
   * `i` at an object's `{` at nesting depth `depth`: walks to just past its `}`. `node` is the
   * object's place in the paths of struct field `slot` (null outside wanted paths).
   */
  const object = (depth: number, slot: number, node: P | null): boolean => {
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
      if (!member(depth, slot, node, keyStart, j, ascii)) return false;
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
  /** `i` at the value of a member of an object at `depth` (see object): takes it into the template. */
  const member = (depth: number, slot: number, node: P | null, keyStart: number, keyStop: number, ascii: boolean): boolean => {
    const canDescend = buf[i] === OPEN_OBJECT && depth + 1 < DESCEND_LIMIT;
    if (depth === 1) {
      const wanted = keys.slotOf(keyStart, keyStop, ascii);
      const paths = wanted >= 0 ? keys.pathsOf(wanted) : null;
      if (paths === null) return wanted < 0 && canDescend ? object(2, -1, null) : value(wanted, -1, 2);
      // A struct field: its object is descended, and a match stores the field where it starts.
      // Any other value must stay no object, or lines with one would be read the slow way.
      if (!canDescend) return value(wanted, -1, -2);
      structs.push(wanted, wantedValues);
      met = new Set();
      return object(2, wanted, paths);
    }
    const child = node === null ? null : keys.childOf(node, keyStart, keyStop, ascii);
    if (child === null) return canDescend ? object(depth + 1, -1, null) : value(-1, -1, depth + 1);
    if (child.leaf >= 0) return value(slot, child.leaf, depth + 1);
    // A node above paths' ends: descended once; read whole (its paths reset, as the walk does)
    // when repeated, deeper than templates go, or no object.
    if (canDescend && !met.has(child)) {
      met.add(child);
      return object(depth + 1, slot, child);
    }
    met.add(child);
    nodes.push(child);
    return value(slot, -2 - (nodes.length - 1), depth + 1);
  };
  if (buf[i] !== OPEN_OBJECT || !object(1, -1, null)) return null;
  literals.push(copyOf(buf, literalStart, i));
  return { literals, depths, slots, leaves, nodes, structs };
}

/**
 * A copy of bytes of the read buffer: a template outlives the line it was learnt from, whose buffer
 * (a Buffer, whose `slice` is a view) is written over by the lines read after it. Compared as
 * views, templates learnt from lines since overwritten looked alike where they were not, and a
 * match that failed one resumed in the other at a step whose values were another key's.
 */
function copyOf(buf: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(buf.subarray(start, end));
}
