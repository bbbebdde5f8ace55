/**
 * Regular expressions over attacker-controlled data run on re2js (linear time, no backtracking),
 * never on JavaScript's RegExp. Compiled patterns are cached.
 */
import type { RE2JS } from 're2js';
import { QueryRuntimeError } from './errors';

/**
 * The engine, loaded on first use. It is required there rather than imported: loading it builds
 * its Unicode tables, which queries without a regular expression (most) and every reader thread's
 * start would otherwise pay for (its code is also a third of the command's and the threads'
 * bundles, so less to deserialize from the code cache).
 */
let engine: typeof RE2JS | undefined;
function re2(): typeof RE2JS {
  return (engine ??= (require('re2js') as typeof import('re2js')).RE2JS);
}

/** `text` as a pattern that matches it literally. */
export function quoteRegex(text: string): string {
  return re2().quote(text);
}

const cache = new Map<string, RE2JS>();
const CACHE_LIMIT = 512;

/** Flags as in Kusto/RE2: i (case-insensitive), m (multi-line), s (dot matches newline), U (ungreedy). */
export function compileRegex(pattern: string, flags = '', at?: { start: number; end: number }): RE2JS {
  const key = flags + '\u0000' + pattern;
  const hit = cache.get(key);
  if (hit) return hit;
  let bits = 0;
  const RE2 = re2();
  if (flags.includes('i')) bits |= RE2.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2.MULTILINE;
  if (flags.includes('s')) bits |= RE2.DOTALL;
  let re: RE2JS;
  try {
    const translated = unicodeClasses(pattern);
    re = RE2.compile(flags.includes('U') ? '(?U)' + translated : translated, bits);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new QueryRuntimeError(`invalid regular expression \`${pattern}\`: ${why}`, at?.start, at ? at.end - at.start : undefined, 'patterns use RE2 syntax (no backreferences or lookahead)');
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, re);
  return re;
}

/** Unicode letters, marks, decimal digits and connector punctuation: Kusto's `\w`. */
const WORD = '\\p{L}\\p{M}\\p{Nd}\\p{Pc}';
/**
 * Unicode white space: Kusto's `\s` (RE2 has no White_Space property to name; `\p{Z}` holds its
 * separators). It ends in a class, so a `-` after it in a class stays a literal (`[\s-.]`).
 */
const SPACE = '\\t-\\r\\x{85}\\p{Z}';
const OUTSIDE_CLASS: Readonly<Record<string, string>> = { d: '\\p{Nd}', D: '\\P{Nd}', w: `[${WORD}]`, W: `[^${WORD}]`, s: `[${SPACE}]`, S: `[^${SPACE}]` };
/** Inside a class only what adds items: `[^\w]` works, a negated `\W` or `\S` there stays RE2's ASCII one. */
const INSIDE_CLASS: Readonly<Record<string, string>> = { d: '\\p{Nd}', D: '\\P{Nd}', w: WORD, s: SPACE };

/**
 * The pattern with `\d`, `\w`, `\s` (and their negations) made Unicode classes, as Kusto documents
 * them (`\d` is `\p{Nd}`; accented and other letters are word characters): RE2 keeps them ASCII,
 * so `trim(@"[^\w]+", "--café--")` ate the é. Escapes, `\Q...\E` literals and classes are
 * followed so that only those escapes change.
 */
export function unicodeClasses(pattern: string): string {
  if (!/\\[dDwWsS<>b]|&&|--|~~/.test(pattern)) return pattern;
  let out = '';
  let inClass = false;
  let posixEnds = pattern.length;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next === 'Q') {
        // Literal text up to \E (or the end), as it is.
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end < 0 ? pattern.length : end + 2;
        out += pattern.slice(i, stop);
        i = stop - 1;
        continue;
      }
      // Kusto's word-start and word-end assertions would match a literal < or > here.
      if (!inClass && (next === '<' || next === '>' || (next === 'b' && pattern[i + 2] === '{'))) {
        throw new Error(`\`\\${next === 'b' ? 'b{' : next}\` (a word start or end) is not supported; use \`\\b\``);
      }
      const replacement = next === undefined ? undefined : (inClass ? INSIDE_CLASS : OUTSIDE_CLASS)[next];
      out += replacement ?? c + (next ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':' && i < posixEnds) {
        // A POSIX class such as [:alpha:], as it is.
        const end = pattern.indexOf(':]', i + 2);
        // None further on: none is looked for again (a pattern of many `[:` would cost its square).
        if (end < 0) posixEnds = i;
        if (end >= 0) {
          out += pattern.slice(i, end + 2);
          i = end + 1;
          continue;
        }
      }
      // Kusto's class set operations (`[a-y&&xyz]`, `[0-9--4]`, `[a-g~~b-h]`) would read as
      // literal characters here, matching what they exclude: refused. (`--` first or last in a
      // class is a range to or from `-`.)
      const pair = pattern.slice(i, i + 2);
      if (pair === '&&' || pair === '~~' || (pair === '--' && pattern[i - 1] !== '[' && pattern[i - 1] !== '^' && pattern[i + 2] !== ']')) {
        throw new Error(`the class set operation \`${pair}\` is not supported; write the class out (\`[0-35-9]\` for \`[0-9--4]\`)`);
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A ] first in the class (after ^) is a literal, not its end.
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += pattern[++i];
      continue;
    }
    out += c;
  }
  return out;
}
