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
  const source = flags.includes('U') ? '(?U)' + pattern : pattern;
  let re: RE2JS;
  try {
    re = RE2.compile(source, bits);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new QueryRuntimeError(`invalid regular expression \`${pattern}\`: ${why}`, at?.start, at ? at.end - at.start : undefined, 'patterns use RE2 syntax (no backreferences or lookahead)');
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, re);
  return re;
}
