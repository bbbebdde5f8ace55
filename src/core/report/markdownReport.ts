/**
 * The report as Markdown (for wikis, tickets and code hosts): the same content as the HTML report,
 * with charts as SVG files beside it. Log values are escaped like verdict records are.
 */
import { createHash } from 'node:crypto';
import type { NotebookFile } from '../format';
import type { ClaimCard } from '../notebook/claimCell';
import type { NotebookRun } from '../notebook/runner';
import type { CellOutput } from '../notebook/session';
import { escapeMarkdownCell, tableToMarkdown } from '../output/markdown';
import { drawChart } from './drawnChart';
import { achOfCards, REPORT_TABLE_ROWS } from './html';

export interface MarkdownReportInput {
  readonly file: NotebookFile;
  readonly run: NotebookRun;
  readonly source: string;
  readonly title?: string;
  /** Renders a chart spec to SVG (injected so the report module stays free of the chart engine). */
  readonly chartToSvg: (spec: Readonly<Record<string, unknown>>) => Promise<string>;
  /** Writes a chart's SVG and returns the relative path to link. */
  readonly writeChart: (svg: string, name: string) => Promise<string>;
}

const WORDS: Record<string, string> = { supported: 'Supported', contradicted: 'Contradicted', inconclusive: 'Inconclusive', error: 'Error' };

function fence(code: string, info: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${info}\n${code}\n${f}`;
}

/** A relative path as a Markdown link destination: a space or a parenthesis (`my report (v2).md`) would end it. */
function linkDestination(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(escapeMarkdownCell).join(' | ')} |`;
}

export async function renderMarkdownReport(input: MarkdownReportInput): Promise<string> {
  const { file, run } = input;
  const reports = new Map(run.cells.map((r) => [r.index, r]));
  const cards = run.cells.flatMap((r) => r.result.outputs.filter((o): o is Extract<CellOutput, { type: 'claim' }> => o.type === 'claim').map((o) => o.card as ClaimCard));
  const out: string[] = [`# ${escapeMarkdownCell(input.title ?? 'Investigation report')}`, '', `Report of \`${input.source.replace(/`/g, '')}\` — ${run.cells.length} cells run, ${cards.length} claims.`, '', '## Verdicts', ''];
  if (cards.length) {
    out.push(row(['Verdict', 'Claim', 'By', 'Decided by', 'Analyst judgement']), '| --- | --- | --- | --- | --- |');
    for (const c of cards) out.push(row([WORDS[c.verdict] ?? c.verdict, c.statement, c.by, c.rule ?? '—', c.judgement ? `${c.judgement.verdict} (${c.judgement.by})${c.judgement.agrees ? '' : ' — disagrees'}` : '']));
  } else out.push('No claims in this notebook.');
  const m = achOfCards(cards);
  out.push('', '## Competing hypotheses', '');
  if (m.rows.length) {
    const word = { C: 'consistent', I: '**inconsistent**', N: 'neutral' } as const;
    out.push(row(['Evidence', 'Diagnosticity', ...m.claims.map((c) => c.id)]), `| ${['---', '---', ...m.claims.map(() => '---')].join(' | ')} |`);
    for (const r of m.rows) out.push(`| ${escapeMarkdownCell(r.evidence)} | ${r.diagnosticity} | ${r.cells.map((c) => word[c]).join(' | ')} |`);
  } else out.push('No evidence is shared by the claims.');
  out.push('', '## Investigation', '');
  for (const [index, cell] of file.cells.entries()) {
    if (cell.type === 'markdown') {
      out.push(cell.text, '');
      continue;
    }
    if (cell.kind !== 'claim' && cell.kind !== 'claims') out.push(fence(cell.source, `${cell.kind}${cell.id ? ` #${cell.id}` : ''}`), '');
    const report = reports.get(index);
    if (!report) continue;
    if (report.result.error) out.push(`> **Error:** ${escapeMarkdownCell(report.result.error.message)}`, '');
    // Charts are named after their cell (a second chart of the same cell gets -2), as `run --charts` names them.
    let charts = 0;
    for (const o of report.result.outputs) {
      if (o.type === 'table') out.push(...(o.title ? [`_${escapeMarkdownCell(o.title)}_`, ''] : []), tableToMarkdown(o.table, REPORT_TABLE_ROWS), '');
      else if (o.type === 'markdown') out.push(o.text, '');
      else if (o.type === 'chart') {
        const name = `${cell.id ?? `cell-${index + 1}`}${charts++ ? `-${charts}` : ''}`;
        const drawn = await drawChart(o.spec, input.chartToSvg);
        if ('svg' in drawn) out.push(`![${escapeMarkdownCell(o.title ?? cell.id ?? 'chart')}](${linkDestination(await input.writeChart(drawn.svg, name))})`);
        else out.push(`> **Error:** ${escapeMarkdownCell(drawn.problem)}`);
        out.push(...(o.note ? ['', `_${escapeMarkdownCell(o.note)}_`] : []), '');
      } else {
        const c = o.card as ClaimCard;
        out.push(`> **${WORDS[c.verdict] ?? c.verdict}** — *${escapeMarkdownCell(c.statement)}* (${escapeMarkdownCell(c.by)})`, '>', `> ${escapeMarkdownCell(c.reason)}`);
        if (c.judgement) out.push('>', `> Analyst judgement: **${escapeMarkdownCell(c.judgement.verdict)}** — ${escapeMarkdownCell(c.judgement.by)}: ${escapeMarkdownCell(c.judgement.rationale)}`);
        out.push('');
        // Each rule, as the HTML report lists them: whether it held and what was measured.
        for (const r of c.rules) out.push(`- ${r.holds === null ? '?' : r.holds ? '✓' : '✗'} ${escapeMarkdownCell(`${r.role}: ${r.text}`)} — ${escapeMarkdownCell(r.measured)}`);
        if (c.rules.length) out.push('');
        if (c.evidence && c.evidence.table.columns.length) {
          out.push(`_Evidence: ${escapeMarkdownCell(c.evidence.caption)} (${c.evidence.table.totalRows} rows)_`, '', row(c.evidence.table.columns.map((col) => col.name)), `| ${c.evidence.table.columns.map(() => '---').join(' | ')} |`);
          for (const r of c.evidence.table.rows) out.push(row(r.map((v) => (v === null ? '' : String(v)))));
          out.push('');
        }
      }
    }
    for (const w of report.result.warnings) out.push(`> ⚠ ${escapeMarkdownCell(w)}`, '');
  }
  out.push('## Provenance', '', row(['Cell', 'SHA-256 of its text']), '| --- | --- |');
  for (const [i, c] of file.cells.entries()) if (c.type === 'code') out.push(row([`${c.kind}${c.id ? ` #${c.id}` : ` (cell ${i + 1})`}`, createHash('sha256').update(c.source, 'utf8').digest('hex')]));
  const files = new Map<string, string[]>();
  for (const c of cards) for (const [name, list] of Object.entries(c.provenance.sources)) for (const f of list) files.set(`${name}\u0000${f.path}`, [name, f.path, String(f.bytes), f.sha256]);
  if (files.size) {
    out.push('', row(['Source', 'File', 'Bytes', 'SHA-256']), '| --- | --- | --- | --- |');
    for (const f of [...files.values()].sort()) out.push(row(f));
  }
  return out.join('\n') + '\n';
}
