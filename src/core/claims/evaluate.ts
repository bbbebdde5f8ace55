/**
 * Turns a claim and its evidence into a verdict.
 *
 * - Every rule of a role must hold for the role to hold (a YAML list means "all of these").
 * - `inconclusive-if` holding wins: the data cannot decide (a gap, a skewed clock).
 * - Supported and contradicted both holding is a conflict: inconclusive, and the card says so.
 * - Neither holding, or no rules at all: inconclusive. A claim is never silently supported.
 * - A referenced cell that is missing or failed makes the verdict `error`, naming the cell.
 */
import type { Table } from '../query/table';
import type { Claim, Rule, RuleRole, Verdict } from './claimCell';
import { DateTime, Timespan } from '../query/values';
import { conditionRefs, type Aggregate, type Comparison, type Condition, type Threshold } from './conditions';

export type ComputedVerdict = Verdict | 'error';

/** How conditions read evidence. Implemented by the notebook (cells by id, inline queries). */
export interface EvidenceReader {
  table(ref: string, signal: AbortSignal): Promise<Table>;
  /**
   * Rows of `ref` for which the KQL predicate is true, and rows for which it is not (false or
   * null); `unknown`: how many of those it was null for.
   */
  partition(ref: string, predicate: string, signal: AbortSignal): Promise<{ matching: Table; failing: Table; unknown?: number }>;
}

/** Why an evidence reference could not be read; turns the verdict into `error`. */
export class EvidenceError extends Error {
  constructor(
    readonly ref: string,
    message: string,
  ) {
    super(message);
    this.name = 'EvidenceError';
  }
}

export interface EvidenceShown {
  readonly ref: string;
  readonly table: Table;
  /** What these rows are, e.g. "rows of nonpublic-reads" or "rows that do not satisfy ...". */
  readonly caption: string;
}

/**
 * Whether a condition holds: true, false, or null when the evidence cannot say (an aggregate of
 * no values or of a NaN, a `row` rule over no rows). Combined as in Kleene's logic: `not null` is null, `false and null`
 * is false, `true or null` is true. A rule decides a claim only when it is true.
 */
export type Truth = boolean | null;

/** One conjunct of a rule (`A and B`) and whether it held: the ACH matrix judges each on its own. */
export interface ConditionPart {
  readonly refs: readonly string[];
  readonly holds: Truth;
}

export interface RuleOutcome {
  readonly rule: Rule;
  readonly holds: Truth;
  /** For a rule that is a conjunction: each part's outcome. */
  readonly parts?: readonly ConditionPart[];
  readonly evidence?: EvidenceShown;
  /** One line: what was measured, e.g. "nonpublic-reads has 2 rows". */
  readonly measured: string;
}

export interface Evaluation {
  readonly verdict: ComputedVerdict;
  /** The role that decided, if any. */
  readonly decidedBy?: RuleRole;
  /** The rule text(s) that decided, joined with " and ". */
  readonly ruleText?: string;
  /** A sentence a reviewer can read. */
  readonly reason: string;
  readonly evidence?: EvidenceShown;
  readonly outcomes: readonly RuleOutcome[];
}

export async function evaluateClaim(claim: Claim, reader: EvidenceReader, signal: AbortSignal): Promise<Evaluation> {
  const outcomes: RuleOutcome[] = [];
  try {
    for (const rule of claim.rules) outcomes.push({ rule, ...(await evaluateCondition(rule.condition, reader, signal)) });
  } catch (e) {
    if (e instanceof EvidenceError) return { verdict: 'error', reason: e.message, outcomes };
    throw e;
  }
  const role = (r: RuleRole) => {
    const rules = outcomes.filter((o) => o.rule.role === r);
    return { present: rules.length > 0, holds: rules.length > 0 && rules.every((o) => o.holds === true), rules };
  };
  const contradicted = role('contradicted-if');
  const supported = role('supported-if');
  const inconclusive = role('inconclusive-if');
  const decided = (verdict: Verdict, by: RuleRole, rules: RuleOutcome[], reason: string): Evaluation => ({
    verdict,
    decidedBy: by,
    ruleText: joinRules(rules),
    reason,
    ...(rules.find((o) => o.evidence)?.evidence ? { evidence: rules.find((o) => o.evidence)!.evidence } : {}),
    outcomes,
  });
  if (inconclusive.holds) {
    return decided('inconclusive', 'inconclusive-if', inconclusive.rules, `The data cannot decide: ${measuredOf(inconclusive.rules)}.`);
  }
  if (contradicted.holds && supported.holds) {
    // Both sides hold: the record names each rule under its own role ("contradicted-if: …; supported-if: …").
    return {
      ...decided('inconclusive', 'contradicted-if', [...contradicted.rules, ...supported.rules], `The evidence conflicts: ${measuredOf(contradicted.rules)} (contradicts), yet ${measuredOf(supported.rules)} (supports).`),
      ruleText: `${joinRules(contradicted.rules)}; supported-if: ${joinRules(supported.rules)}`,
    };
  }
  if (contradicted.holds) return decided('contradicted', 'contradicted-if', contradicted.rules, `Contradicted: ${measuredOf(contradicted.rules)}.`);
  if (supported.holds) return decided('supported', 'supported-if', supported.rules, `Supported: ${measuredOf(supported.rules)}.`);
  if (!contradicted.present && !supported.present) return { verdict: 'inconclusive', reason: 'The claim has no evidence rules (supported-if / contradicted-if), so nothing can decide it.', outcomes };
  const notMet = [...contradicted.rules, ...supported.rules].filter((o) => o.holds !== true);
  return { verdict: 'inconclusive', reason: `No rule decided: ${measuredOf(notMet)}.`, outcomes };
}

/**
 * Rules of one role as one condition: joined with `and`, each `or` in parentheses, since `and`
 * binds tighter (a list `[a or b, c]` is `(a or b) and c`, not `a or (b and c)`).
 */
function joinRules(outcomes: readonly RuleOutcome[]): string {
  if (outcomes.length === 1) return outcomes[0].rule.text;
  return outcomes.map((o) => (o.rule.condition.kind === 'or' && !isParenthesized(o.rule.text) ? `(${o.rule.text})` : o.rule.text)).join(' and ');
}

/** Whether the whole text is one parenthesized group (`(a or b)`, not `(a) or (b)`). */
function isParenthesized(text: string): boolean {
  const t = text.trim();
  if (!t.startsWith('(') || !t.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '`') i = t.indexOf('`', i + 1) < 0 ? t.length : t.indexOf('`', i + 1); // predicates hold parentheses of their own
    else if (t[i] === '(') depth++;
    else if (t[i] === ')' && --depth === 0 && i < t.length - 1) return false;
  }
  return depth === 0;
}

function measuredOf(outcomes: readonly RuleOutcome[]): string {
  return outcomes.map((o) => o.measured).join('; ');
}

type ConditionResult = { holds: Truth; evidence?: EvidenceShown; measured: string; parts?: readonly ConditionPart[] };

async function evaluateCondition(c: Condition, reader: EvidenceReader, signal: AbortSignal): Promise<ConditionResult> {
  switch (c.kind) {
    case 'hasRows': {
      const t = await reader.table(c.ref, signal);
      const holds = c.negated ? t.rowCount === 0 : t.rowCount > 0;
      return { holds, evidence: { ref: c.ref, table: t, caption: `rows of ${c.ref}` }, measured: `${c.ref} has ${plural(t.rowCount, 'row')}` };
    }
    case 'rowCount': {
      const t = await reader.table(c.ref, signal);
      return { holds: compare(t.rowCount, c.op, c.value), evidence: { ref: c.ref, table: t, caption: `rows of ${c.ref}` }, measured: `${c.ref} has ${plural(t.rowCount, 'row')} (rule: rows ${c.op} ${c.value})` };
    }
    case 'aggregate': {
      const t = await reader.table(c.ref, signal);
      const value = aggregate(t, c.aggregate, c.column, c.ref);
      const unit = c.unit ? ' B' : '';
      // NaN (a 0/0 in the data) is unordered: it cannot decide a rule any more than no value can.
      const undecided = value === null || (typeof value === 'number' && Number.isNaN(value));
      const shown = value === null ? 'null (no values)' : undecided ? 'NaN, which cannot decide' : formatNumber(value) + unit;
      return {
        holds: undecided ? null : test(compareExactly(value, c.value), c.op),
        evidence: { ref: c.ref, table: t, caption: `rows of ${c.ref}` },
        measured: `${c.aggregate} ${c.column} of ${c.ref} is ${shown} (rule: ${c.op} ${formatNumber(c.value.exact ?? c.value.value)}${unit})`,
      };
    }
    case 'rows': {
      const { matching, failing, unknown } = await reader.partition(c.ref, c.predicate, signal);
      const total = matching.rowCount + failing.rowCount;
      // Over no rows `every` and `no` would hold vacuously, and `not (some row ...)` with them: an
      // empty result (a filter that matches nothing by mistake, say) must not decide a claim.
      // `X has no rows` says so when it should.
      if (total === 0) return { holds: null, evidence: { ref: c.ref, table: matching, caption: `rows of ${c.ref}` }, measured: `${c.ref} has no rows, so \`${c.quantifier} row\` cannot decide` };
      // A predicate null on every row (a misspelt member, `meta.kk`) tells nothing about any row:
      // `no row` would hold of it as vacuously as of no rows.
      if (unknown === total) return { holds: null, evidence: { ref: c.ref, table: failing, caption: `rows of ${c.ref}` }, measured: `\`${c.predicate}\` is null for every row of ${c.ref}, so \`${c.quantifier} row\` cannot decide (does it name a field the rows have?)` };
      const holds = c.quantifier === 'every' ? failing.rowCount === 0 : c.quantifier === 'no' ? matching.rowCount === 0 : matching.rowCount > 0;
      const counterexamples = c.quantifier === 'every' ? failing : matching;
      const evidence: EvidenceShown =
        c.quantifier === 'some' || !holds
          ? { ref: c.ref, table: counterexamples, caption: c.quantifier === 'every' ? `rows of ${c.ref} that do not satisfy \`${c.predicate}\`` : `rows of ${c.ref} that satisfy \`${c.predicate}\`` }
          : { ref: c.ref, table: c.quantifier === 'every' ? matching : failing, caption: `rows of ${c.ref}` };
      return { holds, evidence, measured: `${plural(matching.rowCount, 'row')} of ${total.toLocaleString('en-US')} in ${c.ref} ${matching.rowCount === 1 ? 'satisfies' : 'satisfy'} \`${c.predicate}\`` };
    }
    case 'not': {
      // A negated conjunction is no conjunction: its parts are not passed on.
      const { parts: _parts, ...inner } = await evaluateCondition(c.operand, reader, signal);
      return { ...inner, holds: inner.holds === null ? null : !inner.holds, measured: `not (${inner.measured})` };
    }
    case 'and':
    case 'or': {
      const parts: ConditionResult[] = [];
      for (const op of c.operands) parts.push(await evaluateCondition(op, reader, signal));
      // Kleene: the value that settles the connective (false for and, true for or) wins over null.
      const settles = c.kind === 'and' ? false : true;
      const holds: Truth = parts.some((p) => p.holds === settles) ? settles : parts.some((p) => p.holds === null) ? null : !settles;
      const deciding = parts.find((p) => p.holds === settles) ?? parts.find((p) => p.holds === null) ?? parts[0];
      const conjuncts = c.kind === 'and' ? { parts: parts.flatMap((p, i) => p.parts ?? [{ refs: conditionRefs(c.operands[i]), holds: p.holds }]) } : {};
      return { holds, ...(deciding.evidence ? { evidence: deciding.evidence } : {}), measured: parts.map((p) => p.measured).join(` ${c.kind} `), ...conjuncts };
    }
  }
}

function compare(a: number, op: Comparison, b: number): boolean {
  return test(a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN, op);
}

/** Whether an ordering (-1, 0, 1; NaN when there is none) meets `op`. */
function test(order: number, op: Comparison): boolean {
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '==':
      return order === 0;
    case '!=':
      return order !== 0;
  }
}

/**
 * A measured value against a threshold, exactly: a long (a 64-bit total, maximum or minimum)
 * against a whole threshold as integers, against a fraction by its floor, so no value is rounded
 * to a double on the way (2^60 + 1 compared equal to 2^60).
 */
function compareExactly(a: number | bigint, b: Threshold): number {
  if (typeof a === 'number') {
    if (b.exact === undefined || Number.isNaN(a)) return a < b.value ? -1 : a > b.value ? 1 : a === b.value ? 0 : NaN;
    return -compareLongToDouble(b.exact, a);
  }
  return b.exact !== undefined ? (a < b.exact ? -1 : a > b.exact ? 1 : 0) : compareLongToDouble(a, b.value);
}

function compareLongToDouble(a: bigint, b: number): number {
  if (Number.isNaN(b)) return NaN;
  if (!Number.isFinite(b)) return b > 0 ? -1 : 1;
  const floor = BigInt(Math.floor(b));
  if (a !== floor) return a < floor ? -1 : 1;
  return Number.isInteger(b) ? 0 : -1; // a is the floor of a fraction: below it
}

/**
 * The measure of a numeric column: exact (a bigint) when every value is a long and the measure is
 * a total, maximum or minimum; a double otherwise. Null when there are no values.
 */
function aggregate(t: Table, agg: Aggregate, column: string, ref: string): number | bigint | null {
  const col = t.column(column);
  if (!col) throw new EvidenceError(ref, `${ref} has no column \`${column}\` (columns: ${t.schema.map((c) => c.name).join(', ') || 'none'})`);
  const values: (number | bigint)[] = [];
  let allLongs = true;
  for (let i = 0; i < t.rowCount; i++) {
    const v = col.get(i);
    if (typeof v === 'bigint' || typeof v === 'number') values.push(v);
    else if (v !== null) throw new EvidenceError(ref, `column \`${column}\` of ${ref} is not numeric (found ${describeKind(v)})`);
    if (typeof v === 'number') allLongs = false;
  }
  // No values, no measure: a total of nothing must not decide a claim any more than a maximum.
  if (values.length === 0) return null;
  if (allLongs && agg !== 'avg') {
    const longs = values as bigint[];
    if (agg === 'total') return longs.reduce((s, v) => s + v, 0n);
    return longs.reduce((m, v) => ((agg === 'max' ? v > m : v < m) ? v : m));
  }
  const doubles = values.map(Number);
  // A NaN among the values makes every measure NaN (min and max skipped it, unlike the engine's).
  if (doubles.some(Number.isNaN)) return NaN;
  if (agg === 'total') return doubles.reduce((s, v) => s + v, 0);
  if (agg === 'max') return doubles.reduce((m, v) => (v > m ? v : m), -Infinity);
  if (agg === 'min') return doubles.reduce((m, v) => (v < m ? v : m), Infinity);
  return doubles.reduce((s, v) => s + v, 0) / doubles.length;
}

function describeKind(v: unknown): string {
  if (v instanceof Timespan) return 'a timespan; make it a number in the query, for example `duration / 1s` for seconds';
  if (v instanceof DateTime) return 'a datetime';
  return typeof v === 'string' ? 'a string' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'a bag' : typeof v;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function formatNumber(n: number | bigint): string {
  return typeof n === 'bigint' || Number.isInteger(n) ? n.toLocaleString('en-US') : String(Math.round(n * 1000) / 1000);
}
