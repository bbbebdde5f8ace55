/** Kusto string predicates: term matching (`has`), substring, prefix and suffix families. */
import type { StringOp } from './ast';

/**
 * Upper case as Kusto (.NET's invariant culture) does it: one character for one, so `ß` stays `ß`
 * where JavaScript would write `SS`.
 */
export function upperInvariant(s: string): string {
  const upper = s.toUpperCase();
  // No character's upper case is shorter than itself: the same length means each mapped to one.
  if (upper.length === s.length) return upper;
  // Runs between the characters whose upper case is longer are upper-cased whole.
  return s.replace(upperKeepsLength(), (run) => run.toUpperCase());
}

/** Runs of characters whose upper case is one character (all such mappings lie in the BMP). */
let upperKeepsLengthRuns: RegExp | undefined;
function upperKeepsLength(): RegExp {
  if (!upperKeepsLengthRuns) {
    let expanding = '';
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      if (ch.toUpperCase().length > 1) expanding += `\\u${c.toString(16).padStart(4, '0')}`;
    }
    upperKeepsLengthRuns = new RegExp(`[^${expanding}]+`, 'g');
  }
  return upperKeepsLengthRuns;
}

/**
 * Lower case as .NET's invariant culture does it: one character for one and without context, so
 * `ΟΔΟΣ` is `οδοσ` (JavaScript writes a final `ς`) and `İ` is `i` (JavaScript adds a combining dot).
 */
export function lowerInvariant(s: string): string {
  if (!NEEDS_SIMPLE_LOWER.test(s)) return s.toLowerCase();
  let out = '';
  for (const c of s) {
    const l = c === '\u0130' ? 'i' : c.toLowerCase();
    out += l.length === c.length ? l : c;
  }
  return out;
}
/** Characters whose lower case JavaScript writes by context or as several characters. */
const NEEDS_SIMPLE_LOWER = /[\u03a3\u0130]/;

/**
 * The text case-insensitive operators compare (`=~`, `in~`, `has`, `contains`, ...): .NET's
 * ordinal ignore-case compares each character's upper case, so `ς` equals `σ` and the Kelvin sign
 * is not `k`.
 */
export function foldCase(s: string): string {
  if (!NON_ASCII_TO_ASCII.test(s)) return upperInvariant(s);
  // Ordinal casing leaves the dotless ı and the long ſ alone, where upper case would make them I and S.
  return s.replace(/[^\u0131\u017f]+/g, upperInvariant);
}
const NON_ASCII_TO_ASCII = /[\u0131\u017f]/;

/** Kusto terms are runs of alphanumeric characters; everything else separates terms. */
export function isTermChar(code: number): boolean {
  if (code < 128) return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return NON_ASCII_WORD.test(String.fromCharCode(code));
}
const NON_ASCII_WORD = /[\p{L}\p{N}]/u;

/**
 * Whether `needle` occurs in `hay` aligned to term boundaries: where the needle starts (ends) with
 * a term character, the character before (after) the match must not be one. So `has "log"` does
 * not match "login" but does match "log-in", and `has "10.0.0.1"` matches inside "src=10.0.0.1:443".
 */
export function hasTerm(hay: string, needle: string, prefixOnly = false, suffixOnly = false): boolean {
  if (needle.length === 0) return true;
  const checkStart = !suffixOnly && isTermChar(needle.charCodeAt(0));
  const checkEnd = !prefixOnly && isTermChar(needle.charCodeAt(needle.length - 1));
  let from = 0;
  for (;;) {
    const at = hay.indexOf(needle, from);
    if (at < 0) return false;
    const end = at + needle.length;
    const startOk = !checkStart || at === 0 || !isTermChar(hay.charCodeAt(at - 1));
    const endOk = !checkEnd || end === hay.length || !isTermChar(hay.charCodeAt(end));
    if (startOk && endOk) return true;
    from = at + 1;
    // A needle that starts with a term character can only match where a term starts: skip the
    // rest of this term, or a long needle retried at every character of a long value would cost
    // their lengths multiplied (100,000 characters in 400,000 took half a minute).
    if (checkStart) while (from < hay.length && isTermChar(hay.charCodeAt(from - 1))) from++;
  }
}

/** A predicate over the left string for one operator and a fixed right-hand string. */
export function stringPredicate(op: Exclude<StringOp, 'matches regex'>, needle: string): (hay: string) => boolean {
  const negated = op.startsWith('!');
  const base = negated ? op.slice(1) : op;
  const cs = base.endsWith('_cs');
  const name = cs ? base.slice(0, -3) : base;
  const n = cs ? needle : foldCase(needle);
  const norm = cs ? (s: string) => s : foldCase;
  let test: (s: string) => boolean;
  switch (name) {
    case 'has':
      test = (s) => hasTerm(norm(s), n);
      break;
    case 'hasprefix':
      test = (s) => hasTerm(norm(s), n, true);
      break;
    case 'hassuffix':
      test = (s) => hasTerm(norm(s), n, false, true);
      break;
    case 'contains':
      test = (s) => norm(s).includes(n);
      break;
    case 'startswith':
      test = (s) => norm(s).startsWith(n);
      break;
    case 'endswith':
      test = (s) => norm(s).endsWith(n);
      break;
    default:
      throw new Error(`not a string operator: ${op}`);
  }
  return negated ? (s) => !test(s) : test;
}

/**
 * Successive, possibly overlapping, occurrences of `needle` in `hay` from `from`, in linear time
 * (Knuth-Morris-Pratt). Searching again from each match plus one costs the needle's length per
 * try, which a long needle over repetitive text makes quadratic (minutes for a 100,000-character
 * needle in a 400,000-character value).
 */
export class Occurrences {
  private readonly border: Int32Array;
  private at: number;
  private matched = 0;

  constructor(
    private readonly hay: string,
    private readonly needle: string,
    from: number,
  ) {
    // border[j]: the longest proper prefix of needle[0..j] that is also its suffix.
    const m = needle.length;
    this.border = new Int32Array(m);
    for (let j = 1, k = 0; j < m; j++) {
      while (k > 0 && needle.charCodeAt(j) !== needle.charCodeAt(k)) k = this.border[k - 1];
      if (needle.charCodeAt(j) === needle.charCodeAt(k)) k++;
      this.border[j] = k;
    }
    this.at = from;
  }

  /** Where the next occurrence starts, or -1 when there is none (the needle must not be empty). */
  next(): number {
    const { hay, needle, border } = this;
    const m = needle.length;
    let k = this.matched;
    while (this.at < hay.length) {
      const c = hay.charCodeAt(this.at++);
      while (k > 0 && c !== needle.charCodeAt(k)) k = border[k - 1];
      if (c === needle.charCodeAt(k)) k++;
      if (k === m) {
        this.matched = border[m - 1];
        return this.at - m;
      }
    }
    this.matched = k;
    return -1;
  }
}
