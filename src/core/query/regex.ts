/**
 * Regular expressions over attacker-controlled data run on re2js (linear time, no backtracking),
 * never on JavaScript's RegExp. Compiled patterns are cached.
 */
import { RE2JS } from 're2js';
import { QueryRuntimeError } from './errors';

const cache = new Map<string, RE2JS>();
const CACHE_LIMIT = 512;

/** Flags as in Kusto/RE2: i (case-insensitive), m (multi-line), s (dot matches newline), U (ungreedy). */
export function compileRegex(pattern: string, flags = '', at?: { start: number; end: number }): RE2JS {
  const key = flags + '\u0000' + pattern;
  const hit = cache.get(key);
  if (hit) return hit;
  let bits = 0;
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  const source = flags.includes('U') ? '(?U)' + pattern : pattern;
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, bits);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new QueryRuntimeError(`invalid regular expression \`${pattern}\`: ${why}`, at?.start, at ? at.end - at.start : undefined, 'patterns use RE2 syntax (no backreferences or lookahead)');
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, re);
  return re;
}
