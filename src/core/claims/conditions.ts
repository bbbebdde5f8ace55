/**
 * Evidence conditions: the small language of `supported-if`, `contradicted-if` and
 * `inconclusive-if`. A condition tests query results by cell id:
 *
 *   nonpublic-reads has rows                      exports has no rows
 *   signins rows >= 3                             exports total bytes < 1 MB
 *   every row of reads satisfies `room_visibility == "public"`
 *   no row of reads satisfies `accessed_without_membership`
 *   (a has rows or b has rows) and not c has rows
 *
 * Parsing is total: a bad condition gives a positioned error, never an exception elsewhere.
 */
import { caretIndent } from '../query/errors';

/** Words of conditions that cannot stand for a cell id. */
const RESERVED_WORDS = ['and', 'or', 'not', 'has', 'rows'];

export type Comparison = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type Aggregate = 'total' | 'max' | 'min' | 'avg';
export type Quantifier = 'every' | 'no' | 'some';

export type Condition =
  | { readonly kind: 'hasRows'; readonly ref: string; readonly negated: boolean }
  | { readonly kind: 'rowCount'; readonly ref: string; readonly op: Comparison; readonly value: number }
  | { readonly kind: 'aggregate'; readonly ref: string; readonly aggregate: Aggregate; readonly column: string; readonly op: Comparison; readonly value: Threshold; readonly unit?: string }
  | { readonly kind: 'rows'; readonly quantifier: Quantifier; readonly ref: string; readonly predicate: string }
  | { readonly kind: 'not'; readonly operand: Condition }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly Condition[] };

/**
 * A number a condition compares with: `exact` when it is a whole number (with its unit applied:
 * `2.01 KB` is 2010), so that 64-bit values compare exactly (1152921504606846977 is no double).
 */
export interface Threshold {
  readonly value: number;
  readonly exact?: bigint;
}

export class ConditionSyntaxError extends Error {
  constructor(
    message: string,
    readonly text: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ConditionSyntaxError';
  }
  /** The condition with a caret under the problem. */
  format(): string {
    return `${this.message}\n  ${this.text}\n  ${caretIndent(this.text, this.offset)}^`;
  }
}

/** Byte units accepted after numbers (decimal KB/MB/GB/TB, binary KiB/MiB/GiB/TiB). */
export const UNITS: Readonly<Record<string, number>> = {
  B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4,
};

/**
 * A number as written (`2.01`, `1e3`) times `factor`, exactly, when that is a whole number: in
 * doubles 2.01 KB is 2009.9999999999998 B, so `<= 2.01 KB` failed for 2,010 bytes.
 */
function wholeValue(text: string, factor: bigint): bigint | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const [, sign, int, fraction = '', exponent = '0'] = m;
  const digits = BigInt(int + fraction);
  if (digits === 0n) return 0n;
  const shift = Number(exponent) - fraction.length;
  // Beyond these the number is no finite double, or no whole one (0e999999999 took 30 s here).
  if (Math.abs(shift) > 400 + int.length + fraction.length) return undefined;
  let n = digits * factor;
  if (shift >= 0) n *= 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    if (n % divisor !== 0n) return undefined;
    n /= divisor;
  }
  return sign ? -n : n;
}

export type ConditionToken = { kind: 'word' | 'number' | 'op' | 'paren' | 'code'; text: string; at: number };
type Token = ConditionToken;

const TOKEN = /\s*(?:(`[^`]*`)|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(<=|>=|==|!=|<|>)|([()])|(#?[A-Za-z_][\w.-]*))/y;

/** The tokens of a condition with their offsets (also used to rename cell ids in conditions). */
export function tokenizeCondition(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) {
      const at = pos + (text.slice(pos).length - text.slice(pos).trimStart().length);
      throw new ConditionSyntaxError(`unexpected ${JSON.stringify(text[at])}`, text, at);
    }
    const at = m.index + m[0].length - m[0].trimStart().length;
    if (m[1] !== undefined) tokens.push({ kind: 'code', text: m[1].slice(1, -1), at });
    else if (m[2] !== undefined) tokens.push({ kind: 'number', text: m[2], at });
    else if (m[3] !== undefined) tokens.push({ kind: 'op', text: m[3], at });
    else if (m[4] !== undefined) tokens.push({ kind: 'paren', text: m[4], at });
    else tokens.push({ kind: 'word', text: m[5], at });
    pos = TOKEN.lastIndex;
  }
  return tokens;
}

export function parseCondition(text: string): Condition {
  const tokens = tokenizeCondition(text);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (message: string, token = tokens[i]): never => {
    throw new ConditionSyntaxError(message, text, token ? token.at : text.length);
  };
  const isWord = (w: string, t = peek()) => t?.kind === 'word' && t.text.toLowerCase() === w;
  const expectWord = (w: string, what = `\`${w}\``) => {
    if (!isWord(w)) fail(`expected ${what}${peek() ? `, found \`${peek()!.text}\`` : ' at the end'}`);
    i++;
  };
  const ref = (): string => {
    const t = peek();
    if (t?.kind !== 'word') fail('expected a cell id (for example `nonpublic-reads`)');
    // A cell may be called `rows`, but the condition would read it as the word.
    if (RESERVED_WORDS.includes(t!.text.toLowerCase())) fail(`expected a cell id, found \`${t!.text}\`, a word of conditions (${RESERVED_WORDS.join(', ')}): write a cell of that id as \`#${t!.text}\`, in a quoted condition (\`#\` begins a YAML comment)`);
    i++;
    return t!.text.replace(/^#/, '');
  };
  const number = (): Threshold & { unit?: string } => {
    const t = peek();
    if (t?.kind !== 'number') fail('expected a number');
    const value = Number(t!.text);
    // A number beyond a double's range (1e400) would compare as infinity and show as such.
    if (!Number.isFinite(value)) fail(`${t!.text} is too large a number`, t);
    i++;
    const unitToken = peek();
    if (unitToken?.kind === 'word' && Object.hasOwn(UNITS, unitToken.text)) {
      i++;
      const scaled = value * UNITS[unitToken.text];
      if (!Number.isFinite(scaled)) fail(`${t!.text} ${unitToken.text} is too large a number`, t);
      const exact = wholeValue(t!.text, BigInt(UNITS[unitToken.text]));
      return { value: exact !== undefined ? Number(exact) : scaled, ...(exact !== undefined ? { exact } : {}), unit: unitToken.text };
    }
    // `1 mb`, `1 kB`: a unit in the wrong case read as the start of another condition.
    const near = unitToken?.kind === 'word' ? Object.keys(UNITS).find((u) => u.toLowerCase() === unitToken.text.toLowerCase()) : undefined;
    if (near) fail(`unknown unit \`${unitToken!.text}\`; did you mean \`${near}\`? (units: ${Object.keys(UNITS).join(', ')})`, unitToken);
    const exact = wholeValue(t!.text, 1n);
    return { value, ...(exact !== undefined ? { exact } : {}) };
  };
  const comparison = (): Comparison => {
    const t = peek();
    if (t?.kind !== 'op') fail('expected a comparison (<, <=, >, >=, ==, !=)');
    i++;
    return t!.text as Comparison;
  };

  const test = (): Condition => {
    const first = peek();
    if (!first) return fail('expected a condition');
    const lower = first.kind === 'word' ? first.text.toLowerCase() : '';
    // A quantifier, unless it is a cell's id (`no has rows`): a quantifier is followed by `row`.
    if ((lower === 'every' || lower === 'no' || lower === 'some') && isWord('row', tokens[i + 1])) {
      i++;
      expectWord('row', '`row of`');
      expectWord('of');
      const r = ref();
      expectWord('satisfies');
      const code = peek();
      if (code?.kind !== 'code') fail('expected a KQL predicate in backticks, for example `bytes < 1000000`');
      i++;
      if (code!.text.trim() === '') fail('the predicate is empty', code);
      return { kind: 'rows', quantifier: lower as Quantifier, ref: r, predicate: code!.text };
    }
    // `every rows of X`: the quantifier takes `row`; read on, it would be a cell named `every`.
    if ((lower === 'every' || lower === 'no' || lower === 'some') && isWord('rows', tokens[i + 1]) && isWord('of', tokens[i + 2])) {
      fail(`write \`${lower} row of\`: the quantifier takes \`row\`, not \`rows\``, tokens[i + 1]);
    }
    const r = ref();
    if (isWord('has')) {
      i++;
      if (isWord('no')) {
        i++;
        expectWord('rows');
        return { kind: 'hasRows', ref: r, negated: true };
      }
      expectWord('rows', '`rows` or `no rows`');
      return { kind: 'hasRows', ref: r, negated: false };
    }
    if (isWord('rows')) {
      i++;
      const op = comparison();
      const count = peek();
      const n = number();
      if (n.unit) fail(`a row count takes no unit (\`${n.unit}\`)`, count);
      return { kind: 'rowCount', ref: r, op, value: n.value };
    }
    const agg = peek();
    if (agg?.kind === 'word' && ['total', 'sum', 'max', 'min', 'avg'].includes(agg.text.toLowerCase())) {
      i++;
      const column = peek();
      if (column?.kind !== 'word') fail('expected a column name');
      i++;
      const op = comparison();
      const { unit, ...threshold } = number();
      const aggregate = (agg.text.toLowerCase() === 'sum' ? 'total' : agg.text.toLowerCase()) as Aggregate;
      return { kind: 'aggregate', ref: r, aggregate, column: column!.text, op, value: threshold, ...(unit ? { unit } : {}) };
    }
    return fail(`expected \`has rows\`, \`has no rows\`, \`rows <op> N\` or \`total|max|min|avg COLUMN <op> N\` after \`${r}\``);
  };
  const unary = (): Condition => {
    if (isWord('not')) {
      i++;
      return { kind: 'not', operand: unary() };
    }
    if (peek()?.kind === 'paren' && peek()!.text === '(') {
      i++;
      const inner = or();
      if (peek()?.text !== ')') fail('expected `)`');
      i++;
      return inner;
    }
    return test();
  };
  const chain = (kind: 'and' | 'or', next: () => Condition) => (): Condition => {
    const operands = [next()];
    while (isWord(kind)) {
      i++;
      operands.push(next());
    }
    return operands.length === 1 ? operands[0] : { kind, operands };
  };
  const and = chain('and', unary);
  const or = chain('or', and);
  const result = or();
  if (i < tokens.length) fail(`unexpected \`${tokens[i].text}\`; combine conditions with \`and\` / \`or\``);
  return result;
}

/** The table name a predicate's rows have while it runs (`X | where PREDICATE` over X's rows). */
export const PREDICATE_ROWS = '__casebook_evidence';

/** The KQL predicates of a condition's `every/no/some row of X satisfies \`...\`` tests. */
export function conditionPredicates(c: Condition): string[] {
  switch (c.kind) {
    case 'not':
      return conditionPredicates(c.operand);
    case 'and':
    case 'or':
      return c.operands.flatMap(conditionPredicates);
    case 'rows':
      return [c.predicate];
    default:
      return [];
  }
}

/** Cell ids a condition reads. */
export function conditionRefs(c: Condition): string[] {
  switch (c.kind) {
    case 'not':
      return conditionRefs(c.operand);
    case 'and':
    case 'or':
      return [...new Set(c.operands.flatMap(conditionRefs))];
    default:
      return [c.ref];
  }
}
