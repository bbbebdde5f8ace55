/** Kusto string predicates: term matching (`has`), substring, prefix and suffix families. */
import type { StringOp } from './ast';

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
  const n = cs ? needle : needle.toLowerCase();
  const norm = cs ? (s: string) => s : (s: string) => s.toLowerCase();
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
