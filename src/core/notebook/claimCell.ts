/**
 * `claim` cells: evaluate the claim's rules against earlier cells (by id) and inline evidence,
 * show a claim card, and produce the verdict record stored after the cell.
 */
import { parseClaim, ClaimSyntaxError, type Claim, type RuleRole } from '../claims/claimCell';
import { tableSha256 } from '../claims/canonical';
import { EvidenceError, evaluateClaim, type EvidenceReader, type Evaluation } from '../claims/evaluate';
import { formatVerdictRecord, type VerdictRecord } from '../claims/record';
import type { ClaimRuleOutcome } from '../claims/ach';
import { conditionRefs, PREDICATE_ROWS } from '../claims/conditions';
import { tableToWire, type WireTable } from '../output/wire';
import { cutPoint, DISPLAY_VALUE_CHARS } from '../output/values';
import { QueryRuntimeError, QuerySyntaxError } from '../query/errors';
import { toJson } from '../query/dynamic';
import { parseExpression } from '../query/parser';
import { parseIsoInstant } from '../query/time';
import { tabularDefinition } from '../query/scope';
import type { Table } from '../query/table';
import { DateTime, type Value } from '../query/values';
import { cutFrom, runQueryIn } from './queryCell';
import { NotebookError, type CellContext, type CellHandler, type SessionCell, type SourceFileHash } from './session';

/** Rows of evidence the claim card shows (the file keeps fewer). */
const CARD_EVIDENCE_ROWS = 20;

/** What the renderer's claim card shows. */
export interface ClaimCard {
  readonly id?: string;
  readonly statement: string;
  readonly by: string;
  readonly stated?: string;
  readonly verdict: Evaluation['verdict'];
  readonly rule?: string;
  readonly reason: string;
  readonly evidence?: { readonly ref: string; readonly caption: string; readonly table: WireTable };
  /** `holds` null: the evidence could not say (an empty result for an `every` rule or a total). */
  readonly rules: readonly { readonly role: RuleRole; readonly text: string; readonly refs: readonly string[]; readonly holds: boolean | null; readonly measured: string }[];
  /** The rules' outcomes part by part, and the claim's inline evidence names, for the ACH matrix. */
  readonly ach: { readonly outcomes: readonly ClaimRuleOutcome[]; readonly inline: readonly string[] };
  readonly judgement?: { readonly verdict: string; readonly by: string; readonly rationale: string; readonly date?: string; readonly agrees: boolean };
  readonly provenance: { readonly evidenceSha256?: string; readonly sources: Readonly<Record<string, readonly SourceFileHash[]>> };
}

export const runClaimCell: CellHandler = async (cell, context) => {
  let claim: Claim;
  try {
    claim = parseClaim(cell.source);
  } catch (e) {
    if (e instanceof ClaimSyntaxError) throw new NotebookError(e.message, e.detail);
    throw e;
  }
  const evaluation = await evaluateClaim(claim, evidenceReader(claim, context), context.signal);
  const evidenceTable = evaluation.evidence?.table;
  const evidenceSha256 = evidenceTable ? tableSha256(evidenceTable) : undefined;
  const sources = await context.provenance(sourcesOf(claim, context), context.signal);
  const id = cell.id ?? 'claim';
  const record: VerdictRecord = {
    claim: id,
    verdict: evaluation.verdict,
    ...(evaluation.decidedBy ? { rule: `${evaluation.decidedBy}: ${evaluation.ruleText}` } : {}),
    ...(evaluation.evidence ? { evidence: evaluation.evidence.ref, rows: evaluation.evidence.table.rowCount } : {}),
    ...(evidenceSha256 ? { evidenceSha256 } : {}),
    queriesSha256: context.queriesSha256(),
    sources,
  };
  const card = claimCard(cell, claim, evaluation, record);
  const verdictRecord = formatVerdictRecord(record, {
    statement: claim.claim,
    by: claim.by,
    reason: evaluation.reason,
    ...(evaluation.evidence ? { evidenceTable: evaluation.evidence.table, evidenceCaption: evaluation.evidence.caption } : {}),
  });
  const ok = evaluation.verdict !== 'error';
  const disagreement = claim.judgement && claim.judgement.verdict !== evaluation.verdict ? [`judgement by ${claim.judgement.by} (${claim.judgement.verdict}) disagrees with the computed verdict (${evaluation.verdict})`] : [];
  return {
    result: {
      ok,
      outputs: [{ type: 'claim', card }],
      ...(ok ? {} : { error: { message: `claim ${cell.id ? '#' + cell.id : ''}: ${evaluation.reason}` } }),
      // A failed evaluation keeps the last good record in the file; the error is shown instead.
      ...(ok ? { records: [verdictRecord] } : {}),
      summary: evaluation.verdict,
      warnings: disagreement,
      verdict: record,
    },
    state: {
      ok,
      claim: {
        ...(cell.id ? { id: cell.id } : {}),
        statement: claim.claim,
        by: claim.by,
        verdict: evaluation.verdict,
        ...(record.rule ? { rule: record.rule } : {}),
        ...(claim.window ? { window: parseWindow(claim.window) } : {}),
        ...(claim.judgement ? { judgement: { verdict: claim.judgement.verdict, by: claim.judgement.by } } : {}),
        ...achInput(claim, evaluation),
      },
    },
  };
};

/** Evidence the row limit cut: a verdict on part of the rows could say anything. */
function cutEvidence(ref: string, what: string, kept: number, total: number): EvidenceError {
  return new EvidenceError(ref, `${what} kept ${kept.toLocaleString('en-US')} of its ${total.toLocaleString('en-US')} rows (the row limit, casebook.query.maxResultRows), and a verdict needs every row: filter or summarize it, or raise the limit`);
}

/** A value as JSON text, at most 80 characters (never half a surrogate pair). */
function shortJson(v: Value): string {
  const text = toJson(v);
  return text.length > 80 ? `${text.slice(0, cutPoint(text, 80))}…` : text;
}

function partialEvidence(ref: string, what: string, cut: string): EvidenceError {
  return new EvidenceError(ref, `${what} was computed from part of the rows of cell #${cut} (the row limit, casebook.query.maxResultRows), and a verdict needs every row: filter or summarize cell #${cut}, or raise the limit`);
}

/** `START .. END` as instants (see `parseIsoInstant`); the schema has checked the shape, this checks the dates. */
function parseWindow(text: string): { from: DateTime; to: DateTime } {
  const [a, b] = text.split('..');
  const from = parseIsoInstant(a);
  const to = parseIsoInstant(b);
  if (from === null || to === null) throw new NotebookError(`claim: window ${JSON.stringify(text)} needs two ISO 8601 date-times, e.g. 2026-06-09T02:00Z .. 2026-06-09T06:00Z`);
  if (to < from) throw new NotebookError(`claim: window ${JSON.stringify(text)} ends before it starts`);
  return { from: new DateTime(from), to: new DateTime(to) };
}

function evidenceReader(claim: Claim, context: CellContext): EvidenceReader {
  const inline = new Map<string, Promise<Table>>();
  const table = async (ref: string): Promise<Table> => {
    const query = claim.evidence?.[ref];
    if (query !== undefined) {
      let pending = inline.get(ref);
      if (!pending) {
        pending = runQueryIn(context, query).then(
          (r) => {
            if (!r.table) throw new EvidenceError(ref, `the evidence query ${ref} returns no table`);
            const cut = cutFrom(r);
            if (cut !== undefined) throw cutEvidence(ref, `the evidence query ${ref}`, r.table.rowCount, cut);
            const partial = context.partialOf(r.tablesUsed);
            if (partial !== undefined) throw partialEvidence(ref, `the evidence query ${ref}`, partial);
            return r.table;
          },
          (e: unknown) => {
            // Its position is in the query's text, not the claim's: say which query, caret and all.
            if (e instanceof QuerySyntaxError) throw new NotebookError(`in the evidence query ${ref}: ${e.message}`, e.format(query));
            if (e instanceof QueryRuntimeError) throw new NotebookError(`in the evidence query ${ref}: ${e.message}`, e.format());
            throw e;
          },
        );
        inline.set(ref, pending);
      }
      return pending;
    }
    const state = context.cellState(ref);
    if (!state) {
      const known = context.tableNames();
      throw new EvidenceError(ref, known.includes(ref) ? `cell #${ref} has not run yet; run it first (or Run All)` : `no cell #${ref} above this claim and no evidence named ${ref}`);
    }
    if (!state.ok) throw new EvidenceError(ref, `cell #${ref} failed; fix it and run it again`);
    if (!state.table) throw new EvidenceError(ref, `cell #${ref} has no result table`);
    if (state.cutFrom !== undefined) throw cutEvidence(ref, `cell #${ref}`, state.table.rowCount, state.cutFrom);
    if (state.partialFrom !== undefined) throw partialEvidence(ref, `cell #${ref}`, state.partialFrom);
    return state.table;
  };
  return {
    table: (ref) => table(ref),
    async partition(ref, predicate) {
      const t = await table(ref);
      // One expression, nothing more: text that closed the parenthesis could go on with operators
      // of its own (`x > 1) | where ...`) and change what is counted.
      try {
        parseExpression(predicate);
      } catch (e) {
        if (e instanceof QuerySyntaxError) throw new QueryRuntimeError(`in the predicate \`${predicate}\` of ${ref}: ${e.message} (at character ${e.offset + 1})`, undefined, undefined, e.hint);
        throw e;
      }
      const scope = context.scope.extend([[PREDICATE_ROWS, tabularDefinition(t)]]);
      const flag = '__casebook_holds';
      // The line break ends a `//` comment at the predicate's end. No tobool(): a predicate that is
      // no condition (`bytes`, a missing comparison) is refused, as `where` refuses it.
      const flagged = await runQueryIn(context, `${PREDICATE_ROWS} | extend ${flag} = (${predicate}\n)`, scope).catch((e: unknown) => {
        // Positions would point into the query built here, not into anything the analyst wrote.
        if (e instanceof QueryRuntimeError || e instanceof QuerySyntaxError) throw new QueryRuntimeError(`in the predicate \`${predicate}\` of ${ref}: ${e.message}`, undefined, undefined, e.hint);
        throw e;
      });
      // A predicate that reads a cut result (`user !in (users)`) would decide on part of its rows.
      const partial = context.partialOf(flagged.tablesUsed);
      if (partial !== undefined) throw partialEvidence(ref, `the predicate \`${predicate}\` of ${ref}`, partial);
      const holds = flagged.table!.column(flag)!;
      if (holds.type !== 'bool' && holds.type !== 'dynamic') {
        throw new QueryRuntimeError(`in the predicate \`${predicate}\` of ${ref}: it is a ${holds.type}, not a condition`, undefined, undefined, 'compare it, for example `bytes > 0` or `isnotempty(user)`');
      }
      // Rows where it is true match; false or null does not. A dynamic value that is neither (the
      // text "true", a 1) is refused rather than counted either way: tobool() read it as true.
      const matching: number[] = [];
      const failing: number[] = [];
      let unknown = 0;
      for (let i = 0; i < t.rowCount; i++) {
        const v = holds.get(i);
        if (v === null) unknown++;
        else if (typeof v !== 'boolean') throw new QueryRuntimeError(`in the predicate \`${predicate}\` of ${ref}: row ${i + 1} holds ${shortJson(v)}, not true or false`, undefined, undefined, typeof v === 'object' ? undefined : `say how to read it: \`tobool(${predicate}\n)\``);
        (v === true ? matching : failing).push(i);
      }
      return { matching: t.gather(matching), failing: t.gather(failing), unknown };
    },
  };
}

/** Sources behind the claim: of every cell its rules name, and those its inline evidence queries read. */
function sourcesOf(claim: Claim, context: CellContext): string[] {
  const names = new Set<string>(context.sourcesRead());
  for (const rule of claim.rules) {
    for (const ref of conditionRefs(rule.condition)) context.cellState(ref)?.sources?.forEach((s) => names.add(s));
  }
  return [...names].sort();
}

/** What the ACH matrix reads of a claim (see claims/ach.ts). */
function achInput(claim: Claim, evaluation: Evaluation): { outcomes: ClaimRuleOutcome[]; inline: string[] } {
  return {
    // A conjunction counts part by part: `A and B` failing because B failed says nothing against A.
    outcomes: evaluation.outcomes.flatMap((o) => (o.parts ?? [{ refs: conditionRefs(o.rule.condition), holds: o.holds }]).map((p) => ({ role: o.rule.role, refs: p.refs, holds: p.holds }))),
    inline: Object.keys(claim.evidence ?? {}),
  };
}

function claimCard(cell: SessionCell, claim: Claim, evaluation: Evaluation, record: VerdictRecord): ClaimCard {
  return {
    ...(cell.id ? { id: cell.id } : {}),
    statement: claim.claim,
    by: claim.by,
    ...(claim.stated ? { stated: claim.stated } : {}),
    verdict: evaluation.verdict,
    ...(record.rule ? { rule: record.rule } : {}),
    reason: evaluation.reason,
    // Values cut as reports cut them, once: a report of the card shows them as they are.
    ...(evaluation.evidence ? { evidence: { ref: evaluation.evidence.ref, caption: evaluation.evidence.caption, table: tableToWire(evaluation.evidence.table, CARD_EVIDENCE_ROWS, { valueChars: DISPLAY_VALUE_CHARS }) } } : {}),
    rules: evaluation.outcomes.map((o) => ({ role: o.rule.role, text: o.rule.text, refs: conditionRefs(o.rule.condition), holds: o.holds, measured: o.measured })),
    ach: achInput(claim, evaluation),
    ...(claim.judgement ? { judgement: { ...claim.judgement, agrees: claim.judgement.verdict === evaluation.verdict } } : {}),
    provenance: { ...(record.evidenceSha256 ? { evidenceSha256: record.evidenceSha256 } : {}), sources: record.sources },
  };
}
