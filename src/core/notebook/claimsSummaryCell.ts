/**
 * `claims` cells: every claim above, with its verdict, and the matrix of competing hypotheses
 * (evidence × claims, ranked by diagnosticity). The cell's text is ignored; it is a view.
 */
import { achMatrix } from '../claims/ach';
import { Table, type ColumnSchema } from '../query/table';
import type { CellHandler } from './session';

const WORD = { C: 'consistent', I: 'inconsistent', N: 'neutral' } as const;

export const runClaimsSummaryCell: CellHandler = async (_cell, context) => {
  const claims = context.precedingClaims();
  if (!claims.length) {
    return {
      result: { ok: true, outputs: [{ type: 'markdown', text: '_No claims above this cell have run yet. Run the claim cells (or Run All) first._' }], summary: 'no claims', warnings: [] },
      state: { ok: true },
    };
  }
  const matrix = achMatrix(claims.map((c) => ({ ...(c.id ? { id: c.id } : {}), statement: c.statement, verdict: c.verdict, outcomes: c.outcomes, inline: c.inline })));
  const summary = Table.fromRows(
    [
      { name: 'claim', type: 'string' },
      { name: 'statement', type: 'string' },
      { name: 'by', type: 'string' },
      { name: 'verdict', type: 'string' },
      { name: 'decided_by', type: 'string' },
      { name: 'judgement', type: 'string' },
    ],
    claims.map((c, i) => ({
      claim: matrix.claims[i].id, // as the matrix names its column
      statement: c.statement,
      by: c.by,
      verdict: c.verdict,
      decided_by: c.rule ?? '',
      judgement: c.judgement ? `${c.judgement.verdict} (${c.judgement.by})${c.judgement.verdict !== c.verdict ? ' — disagrees' : ''}` : '',
    })),
  );
  const achSchema: ColumnSchema[] = [{ name: 'evidence', type: 'string' }, { name: 'diagnosticity', type: 'long' }, ...matrix.claims.map((c): ColumnSchema => ({ name: c.id, type: 'string' }))];
  const ach = Table.fromRows(
    achSchema,
    matrix.rows.map((r) => {
      const row: Record<string, string | bigint> = { evidence: r.evidence, diagnosticity: BigInt(r.diagnosticity) };
      matrix.claims.forEach((c, i) => (row[c.id] = WORD[r.cells[i]]));
      return row;
    }),
  );
  const counts = ['supported', 'contradicted', 'inconclusive', 'error'].map((v) => [v, claims.filter((c) => c.verdict === v).length] as const).filter(([, n]) => n > 0);
  return {
    result: {
      ok: true,
      outputs: [
        { type: 'table', table: summary, title: 'Claims' },
        { type: 'markdown', text: '**Competing hypotheses** — evidence (rows) against claims (columns), most diagnostic first. _Consistent_: the evidence bears the claim out; _inconsistent_: it argues against it; _neutral_: the claim does not rest on it.' },
        { type: 'table', table: ach, title: 'Competing hypotheses' },
      ],
      summary: counts.map(([v, n]) => `${n} ${v}`).join(', '),
      warnings: [],
    },
    state: { ok: true },
  };
};
