/**
 * Analysis of competing hypotheses: evidence items (query cells) against claims.
 *
 * For each claim and each evidence item its rules read, the item is
 * - inconsistent (I) when a `contradicted-if` rule over it holds, or a `supported-if` rule over it fails;
 * - consistent (C) when a `supported-if` rule over it holds, or a `contradicted-if` rule over it fails;
 * - neutral (N) when no rule of the claim reads it, or only `inconclusive-if` rules do.
 * A rule that is a conjunction (`A and B`, or a list of conditions) is judged part by part, so a part
 * that held is not marked inconsistent because another part failed.
 * Evidence is ranked by diagnosticity: how differently it bears on the claims (the spread between its
 * most and least consistent column, then the number of claims it is inconsistent with). Evidence
 * consistent with every claim separates nothing and ranks last, as Heuer's method prescribes.
 */
import type { RuleRole } from './claimCell';

export type Consistency = 'C' | 'I' | 'N';

export interface ClaimRuleOutcome {
  readonly role: RuleRole;
  readonly refs: readonly string[];
  /** null: the evidence could not say (see `Truth` in evaluate.ts); such an outcome is neutral. */
  readonly holds: boolean | null;
}

export interface AchClaim {
  /** The claim's cell id; claims without one are named `claim-N` by their place. */
  readonly id?: string;
  readonly statement: string;
  readonly verdict: string;
  readonly outcomes: readonly ClaimRuleOutcome[];
  /**
   * Names of the claim's own inline evidence queries: evidence of this claim alone, a row of its
   * own even when another claim's query has the same name.
   */
  readonly inline?: readonly string[];
}

/** A claim as the matrix shows it: its column's name, unique, and its outcomes' evidence by row name. */
export interface AchColumn extends AchClaim {
  readonly id: string;
}

export interface AchRow {
  readonly evidence: string;
  readonly cells: readonly Consistency[];
  readonly diagnosticity: number;
}

export interface AchMatrix {
  /** The claims in their order, named uniquely: the matrix's columns. */
  readonly claims: readonly AchColumn[];
  readonly rows: readonly AchRow[];
}

/** Column names the matrix's tables have besides the claims'. */
const TABLE_COLUMNS = ['evidence', 'diagnosticity'];

/**
 * Unique column names: a claim's id, `claim-N` for one without, and a suffix for a name taken
 * already (two unnamed claims, a claim with the id `evidence`), so no column hides another.
 */
function columnNames(claims: readonly AchClaim[]): string[] {
  // Ids first, so a generated name never takes a claim's own (`claim-1` written by the analyst).
  const ids = new Set(claims.flatMap((c) => (c.id === undefined ? [] : [c.id])));
  const taken = new Set(TABLE_COLUMNS);
  const unique = (base: string) => {
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.add(name);
    return name;
  };
  const named = claims.map((c) => (c.id === undefined ? undefined : unique(c.id)));
  return named.map((name, i) => {
    if (name !== undefined) return name;
    let base = `claim-${i + 1}`;
    if (ids.has(base)) base = `claim-${i + 1}-unnamed`;
    return unique(base);
  });
}

const SCORE: Record<Consistency, number> = { C: 1, N: 0, I: -1 };

export function consistency(claim: AchClaim, evidence: string): Consistency {
  let result: Consistency = 'N';
  for (const o of claim.outcomes) {
    if (!o.refs.includes(evidence) || o.role === 'inconclusive-if' || o.holds === null) continue;
    const against = (o.role === 'contradicted-if') === o.holds;
    if (against) return 'I'; // any inconsistency dominates
    result = 'C';
  }
  return result;
}

export function achMatrix(input: readonly AchClaim[]): AchMatrix {
  const names = columnNames(input);
  const claims = input.map((c, i): AchColumn => {
    const own = new Set(c.inline ?? []);
    const row = (ref: string) => (own.has(ref) ? `${ref} (${names[i]})` : ref);
    return { ...c, id: names[i], outcomes: c.outcomes.map((o) => ({ ...o, refs: o.refs.map(row) })) };
  });
  const evidence = [...new Set(claims.flatMap((c) => c.outcomes.filter((o) => o.role !== 'inconclusive-if').flatMap((o) => o.refs)))];
  const rows = evidence.map((e) => {
    const cells = claims.map((c) => consistency(c, e));
    const scores = cells.map((c) => SCORE[c]);
    return { evidence: e, cells, diagnosticity: scores.length ? Math.max(...scores) - Math.min(...scores) : 0 };
  });
  rows.sort((a, b) => b.diagnosticity - a.diagnosticity || count(b.cells, 'I') - count(a.cells, 'I') || (a.evidence < b.evidence ? -1 : a.evidence > b.evidence ? 1 : 0));
  return { claims, rows };
}

function count(cells: readonly Consistency[], c: Consistency): number {
  return cells.filter((x) => x === c).length;
}
