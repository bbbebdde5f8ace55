/**
 * JSON text to the engine's value model. `JSON.parse` does the heavy lifting; its output is then
 * converted (null-prototype objects, integers to bigint) with a depth limit. Integers that a
 * double cannot hold exactly send the text through `parseJsonExact`, which reads number tokens
 * lexically, so `12345678901234567890` stays exact.
 *
 * Number rule (shared by every path so projected and full loads agree):
 * - a token made only of digits (and a leading `-`) is an exact bigint;
 * - any other token is read as a double; if that double is a safe integer (|n| < 2^53, e.g.
 *   `1.0`, `1e3`) it becomes a bigint too, otherwise it stays a number (`0.5`, `1e300`).
 */
import type { Value } from '../query/values';
import { MAX_JSON_DEPTH } from './limits';

/** Why the last `jsonToValue` call returned undefined. */
export type ConversionProblem = 'inexact' | 'too-deep';
let problem: ConversionProblem = 'inexact';
export function lastConversionProblem(): ConversionProblem {
  return problem;
}

/**
 * Converts a `JSON.parse` result; `depth` is the nesting depth the value sits at (a top-level
 * field's value is at depth 2). Returns undefined when the value nests too deep or holds an
 * integer that lost precision (see `lastConversionProblem`).
 */
export function jsonToValue(raw: unknown, depth: number): Value | undefined {
  switch (typeof raw) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return raw;
    case 'number':
      if (Number.isSafeInteger(raw)) return BigInt(raw);
      // A whole number past 2^53, or one past a double's range (300 digits, or 1e999): the exact
      // reading says which (an integer keeps its digits; an exponent makes an infinite real).
      if (Number.isInteger(raw) || !Number.isFinite(raw)) {
        problem = 'inexact';
        return undefined;
      }
      return raw;
    case 'object':
      if (raw === null) return null;
      if (depth > MAX_JSON_DEPTH) {
        problem = 'too-deep';
        return undefined;
      }
      if (Array.isArray(raw)) {
        const out = new Array<Value>(raw.length);
        for (let i = 0; i < raw.length; i++) {
          const v = jsonToValue(raw[i], depth + 1);
          if (v === undefined) return undefined;
          out[i] = v;
        }
        return out as Value;
      } else {
        const src = raw as Record<string, unknown>;
        const out: Record<string, Value> = Object.create(null);
        for (const key in src) {
          const v = jsonToValue(src[key], depth + 1);
          if (v === undefined) return undefined;
          out[key] = v; // on a null-prototype object `__proto__` is an ordinary key
        }
        return out as Value;
      }
    default:
      return undefined;
  }
}

/**
 * Whether JSON text nests objects and arrays deeper than `max` (brackets inside strings aside).
 * A scan without building anything: JSON.parse builds a 16 MB line nested 8 million levels deep,
 * about 900 MB, before the depth check can refuse it.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

const DIGITS_ONLY = /^-?\d+$/;

/** Applies the number rule to a JSON number token. */
export function numberTokenToValue(token: string): bigint | number {
  if (DIGITS_ONLY.test(token)) return BigInt(token);
  const n = Number(token);
  return Number.isSafeInteger(n) ? BigInt(n) : n;
}

export class JsonDepthError extends Error {
  constructor() {
    super(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

const NUMBER_TOKEN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/**
 * A small recursive-descent JSON parser that keeps integer tokens exact. Only used for text that
 * needs it, so clarity wins over speed. Throws SyntaxError or JsonDepthError.
 */
export function parseJsonExact(text: string, startDepth = 1): Value {
  let pos = 0;
  const skipWs = () => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${pos}`);
  };
  const readString = (): string => {
    // Found by hand, not by a regex: one over millions of characters overflows its backtracking
    // stack, and the line was taken for malformed. The closing quote is the first one not escaped.
    let end = pos;
    for (;;) {
      end = text.indexOf('"', end + 1);
      if (end < 0) return fail('bad string');
      let backslashes = 0;
      while (text.charCodeAt(end - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) break;
    }
    const token = text.slice(pos, end + 1);
    pos = end + 1;
    // JSON.parse checks the escapes and refuses control characters, as the grammar does.
    return JSON.parse(token) as string;
  };
  const readValue = (depth: number): Value => {
    skipWs();
    const c = text.charCodeAt(pos);
    if (c === 0x22) return readString();
    if (c === 0x7b || c === 0x5b) {
      if (depth > MAX_JSON_DEPTH) throw new JsonDepthError();
      pos++;
      skipWs();
      if (c === 0x5b) {
        const arr: Value[] = [];
        if (text.charCodeAt(pos) === 0x5d) {
          pos++;
          return arr as Value;
        }
        for (;;) {
          arr.push(readValue(depth + 1));
          skipWs();
          const d = text.charCodeAt(pos++);
          if (d === 0x5d) return arr as Value;
          if (d !== 0x2c) fail('expected , or ]');
        }
      }
      const obj: Record<string, Value> = Object.create(null);
      if (text.charCodeAt(pos) === 0x7d) {
        pos++;
        return obj as Value;
      }
      for (;;) {
        skipWs();
        if (text.charCodeAt(pos) !== 0x22) fail('expected a key');
        const key = readString();
        skipWs();
        if (text.charCodeAt(pos++) !== 0x3a) fail('expected :');
        obj[key] = readValue(depth + 1);
        skipWs();
        const d = text.charCodeAt(pos++);
        if (d === 0x7d) return obj as Value;
        if (d !== 0x2c) fail('expected , or }');
      }
    }
    if (text.startsWith('true', pos)) return (pos += 4), true;
    if (text.startsWith('false', pos)) return (pos += 5), false;
    if (text.startsWith('null', pos)) return (pos += 4), null;
    NUMBER_TOKEN.lastIndex = pos;
    const m = NUMBER_TOKEN.exec(text);
    if (!m) return fail('unexpected character');
    pos = NUMBER_TOKEN.lastIndex;
    return numberTokenToValue(m[0]);
  };
  const value = readValue(startDepth);
  skipWs();
  if (pos !== text.length) fail('unexpected text after the value');
  return value;
}

/** True when the text holds only JSON whitespace (such lines are skipped, not malformed). */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return false;
  }
  return true;
}
