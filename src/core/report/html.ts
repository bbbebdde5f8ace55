/**
 * The shareable report: one self-contained HTML file (no script, no network at view time) with the
 * narrative, the queries, the verdicts, the competing-hypotheses matrix, evidence tables, charts as
 * inline SVG and a provenance appendix. Every value from the logs is escaped; a content security
 * policy forbids scripts even if something slipped through.
 */
import { createHash } from 'node:crypto';
import { achMatrix, type AchMatrix } from '../claims/ach';
import type { ClaimCard } from '../notebook/claimCell';
import type { CellReport, NotebookRun } from '../notebook/runner';
import type { CellOutput } from '../notebook/session';
import type { NotebookFile } from '../format';
import { displayValue } from '../output/values';
import type { Table } from '../query/table';
import { drawChart } from './drawnChart';
import { escapeHtml, markdownToHtml } from './markdown';
import { REPORT_CSS } from './style';

/** Result rows shown per query in the report. */
export const REPORT_TABLE_ROWS = 20;

export interface ReportInput {
  readonly file: NotebookFile;
  readonly run: NotebookRun;
  /** Shown in the header, e.g. the notebook's path. */
  readonly source: string;
  readonly title?: string;
  /** Renders a chart spec to SVG (injected so the report module stays free of the chart engine). */
  readonly chartToSvg: (spec: Readonly<Record<string, unknown>>) => Promise<string>;
}

const WORDS: Record<string, string> = { supported: 'Supported', contradicted: 'Contradicted', inconclusive: 'Inconclusive', error: 'Error' };

export async function renderHtmlReport(input: ReportInput): Promise<string> {
  const { file, run } = input;
  const reports = new Map(run.cells.map((r) => [r.index, r]));
  const cards = run.cells.flatMap((r) => r.result.outputs.filter((o): o is Extract<CellOutput, { type: 'claim' }> => o.type === 'claim').map((o) => o.card as ClaimCard));
  const title = input.title ?? 'Investigation report';
  const body: string[] = [];
  body.push(`<header><h1>${escapeHtml(title)}</h1><p class="meta">Report of <code>${escapeHtml(input.source)}</code> · ${run.cells.length} cells run · ${cards.length} claims${run.ok ? '' : ' · <strong class="bad">some cells failed</strong>'}</p></header>`);
  body.push(`<nav><a href="#verdicts">Verdicts</a> · <a href="#ach">Competing hypotheses</a> · <a href="#investigation">Investigation</a> · <a href="#provenance">Provenance</a></nav>`);
  body.push(verdictSection(cards));
  body.push(achSection(cards));
  body.push('<section id="investigation"><h2>Investigation</h2>');
  for (const [index, cell] of file.cells.entries()) {
    if (cell.type === 'markdown') {
      body.push(`<div class="md">${markdownToHtml(cell.text)}</div>`);
      continue;
    }
    body.push(await cellHtml(cell.kind, cell.id, cell.source, reports.get(index), input.chartToSvg));
  }
  body.push('</section>');
  body.push(provenanceSection(file, cards));
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>`,
    `<body>${body.join('\n')}</body></html>`,
    '',
  ].join('\n');
}

function verdictBadge(verdict: string): string {
  return `<span class="badge v-${escapeHtml(verdict)}">${escapeHtml(WORDS[verdict] ?? verdict)}</span>`;
}

function verdictSection(cards: readonly ClaimCard[]): string {
  if (!cards.length) return '<section id="verdicts"><h2>Verdicts</h2><p>No claims in this notebook.</p></section>';
  const rows = cards.map(
    (c) =>
      `<tr><td>${verdictBadge(c.verdict)}</td><td><a href="#claim-${escapeHtml(c.id ?? '')}">${escapeHtml(c.statement)}</a></td><td>${escapeHtml(c.by)}</td><td>${escapeHtml(c.rule ?? '—')}</td><td>${c.judgement ? `${escapeHtml(c.judgement.verdict)} (${escapeHtml(c.judgement.by)})${c.judgement.agrees ? '' : ' <strong class="bad">disagrees</strong>'}` : ''}</td></tr>`,
  );
  return `<section id="verdicts"><h2>Verdicts</h2><table class="data"><thead><tr><th>Verdict</th><th>Claim</th><th>By</th><th>Decided by</th><th>Analyst judgement</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/** The competing-hypotheses matrix of a report's claim cards (the `claims` cell's, from the cards). */
export function achOfCards(cards: readonly ClaimCard[]): AchMatrix {
  return achMatrix(cards.map((c) => ({ ...(c.id ? { id: c.id } : {}), statement: c.statement, verdict: c.verdict, outcomes: c.ach.outcomes, inline: c.ach.inline })));
}

function achSection(cards: readonly ClaimCard[]): string {
  const m = achOfCards(cards);
  if (!m.rows.length) return '<section id="ach"><h2>Competing hypotheses</h2><p>No evidence is shared by the claims.</p></section>';
  const word = { C: 'consistent', I: 'inconsistent', N: 'neutral' } as const;
  const head = `<tr><th>Evidence</th><th>Diagnosticity</th>${m.claims.map((c) => `<th title="${escapeHtml(c.statement)}">${escapeHtml(c.id)}</th>`).join('')}</tr>`;
  const rows = m.rows.map((r) => `<tr><td><code>${escapeHtml(r.evidence)}</code></td><td class="num">${r.diagnosticity}</td>${r.cells.map((c) => `<td class="ach-${c}">${word[c]}</td>`).join('')}</tr>`);
  return `<section id="ach"><h2>Competing hypotheses</h2><p>Evidence (rows) against claims (columns), most diagnostic first.</p><table class="data"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></section>`;
}

async function cellHtml(kind: string, id: string | undefined, source: string, report: CellReport | undefined, chartToSvg: ReportInput['chartToSvg']): Promise<string> {
  const label = `${kind}${id ? ` #${id}` : ''}`;
  const parts: string[] = [`<div class="cell cell-${escapeHtml(kind)}"${id ? ` id="${kind === 'claim' ? 'claim' : 'cell'}-${escapeHtml(id)}"` : ''}>`];
  if (kind !== 'claim' && kind !== 'claims') parts.push(`<details${kind === 'kql' ? ' open' : ''}><summary>${escapeHtml(label)}</summary><pre><code>${escapeHtml(source)}</code></pre></details>`);
  if (!report) parts.push('<p class="muted">This cell did not run.</p>');
  else {
    if (report.result.error) parts.push(`<div class="error"><strong>${escapeHtml(report.result.error.message)}</strong>${report.result.error.detail ? `<pre>${escapeHtml(report.result.error.detail)}</pre>` : ''}</div>`);
    for (const output of report.result.outputs) parts.push(await outputHtml(output, chartToSvg));
    for (const w of report.result.warnings) parts.push(`<p class="warning">⚠ ${escapeHtml(w)}</p>`);
  }
  parts.push('</div>');
  return parts.join('\n');
}

async function outputHtml(output: CellOutput, chartToSvg: ReportInput['chartToSvg']): Promise<string> {
  switch (output.type) {
    case 'table':
      return tableHtml(output.table, REPORT_TABLE_ROWS, output.title);
    case 'markdown':
      return `<div class="md">${markdownToHtml(output.text)}</div>`;
    case 'chart': {
      const svg = await chartSvg(output.spec, chartToSvg);
      return `<figure class="chart">${svg}${output.note ? `<figcaption>${escapeHtml(output.note)}</figcaption>` : ''}</figure>`;
    }
    case 'claim':
      return claimHtml(output.card as ClaimCard);
  }
}

function claimHtml(c: ClaimCard): string {
  const parts = [`<div class="claim v-${escapeHtml(c.verdict)}">`, `<div class="claim-head">${verdictBadge(c.verdict)} <span class="statement">${escapeHtml(c.statement)}</span></div>`, `<p class="muted">claimed by ${escapeHtml(c.by)}${c.stated ? `, ${escapeHtml(c.stated)}` : ''}</p>`, `<p>${escapeHtml(c.reason)}</p>`];
  if (c.rule) parts.push(`<p class="muted">Decided by <code>${escapeHtml(c.rule)}</code></p>`);
  if (c.judgement) parts.push(`<div class="judgement"><strong>Analyst judgement: ${escapeHtml(c.judgement.verdict)}</strong> — ${escapeHtml(c.judgement.by)}${c.judgement.date ? `, ${escapeHtml(c.judgement.date)}` : ''}<br>${escapeHtml(c.judgement.rationale)}${c.judgement.agrees ? '' : '<br><strong class="bad">This judgement disagrees with the computed verdict.</strong>'}</div>`);
  if (c.evidence) parts.push(`<p class="caption">Evidence: ${escapeHtml(c.evidence.caption)}</p>`, wireTableHtml(c.evidence.table.columns.map((col) => col.name), c.evidence.table.rows.map((r) => r.map((v) => (v === null ? '' : String(v)))), c.evidence.table.totalRows));
  parts.push(`<ul class="rules">${c.rules.map((r) => `<li>${r.holds === null ? '?' : r.holds ? '✓' : '✗'} <code>${escapeHtml(`${r.role}: ${r.text}`)}</code> — ${escapeHtml(r.measured)}</li>`).join('')}</ul>`);
  parts.push('</div>');
  return parts.join('\n');
}

function tableHtml(table: Table, maxRows: number, title?: string): string {
  const shown = Math.min(maxRows, table.rowCount);
  const rows: string[][] = [];
  for (let i = 0; i < shown; i++) rows.push(table.columns.map((c) => displayValue(c.get(i))));
  return (title ? `<p class="caption">${escapeHtml(title)}</p>` : '') + wireTableHtml(table.schema.map((c) => c.name), rows, table.rowCount);
}

function wireTableHtml(columns: readonly string[], rows: readonly (readonly string[])[], total: number): string {
  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(v)}</td>`).join('')}</tr>`).join('');
  const count = rows.length < total ? `Showing ${rows.length} of ${total.toLocaleString('en-US')} rows` : `${total.toLocaleString('en-US')} row${total === 1 ? '' : 's'}`;
  return `<div class="table-wrap"><table class="data"><thead>${head}</thead><tbody>${body}</tbody></table><p class="count">${count}</p></div>`;
}

function provenanceSection(file: NotebookFile, cards: readonly ClaimCard[]): string {
  const files = new Map<string, { name: string; path: string; sha256: string; bytes: number }>();
  for (const c of cards) for (const [name, list] of Object.entries(c.provenance.sources)) for (const f of list) files.set(`${name}\u0000${f.path}`, { name, ...f });
  const sources = [...files.values()].sort((a, b) => (a.name + a.path < b.name + b.path ? -1 : 1));
  const sourceRows = sources.map((f) => `<tr><td>${escapeHtml(f.name)}</td><td><code>${escapeHtml(f.path)}</code></td><td class="num">${f.bytes.toLocaleString('en-US')}</td><td><code>${f.sha256}</code></td></tr>`).join('');
  const queries = file.cells.flatMap((c, i) => (c.type === 'code' ? [{ label: `${c.kind}${c.id ? ` #${c.id}` : ` (cell ${i + 1})`}`, sha: createHash('sha256').update(c.source, 'utf8').digest('hex') }] : []));
  const queryRows = queries.map((q) => `<tr><td>${escapeHtml(q.label)}</td><td><code>${q.sha}</code></td></tr>`).join('');
  const evidenceRows = cards.filter((c) => c.provenance.evidenceSha256).map((c) => `<tr><td>${escapeHtml(c.id ?? '')}</td><td><code>${c.provenance.evidenceSha256}</code></td></tr>`).join('');
  return [
    '<section id="provenance"><h2>Provenance</h2>',
    '<h3>Source files</h3>',
    sources.length ? `<table class="data"><thead><tr><th>Source</th><th>File</th><th>Bytes</th><th>SHA-256</th></tr></thead><tbody>${sourceRows}</tbody></table>` : '<p>No source files were read by claims.</p>',
    '<h3>Cells</h3><p>SHA-256 of each cell\'s text as run.</p>',
    `<table class="data"><thead><tr><th>Cell</th><th>SHA-256</th></tr></thead><tbody>${queryRows}</tbody></table>`,
    evidenceRows ? `<h3>Evidence</h3><p>SHA-256 of each verdict's canonical evidence rows (see docs/claims.md).</p><table class="data"><thead><tr><th>Claim</th><th>SHA-256</th></tr></thead><tbody>${evidenceRows}</tbody></table>` : '',
    '</section>',
  ].join('\n');
}

/** A chart as inline SVG, or a note saying why it was left out (see drawChart). One chart never stops the report. */
async function chartSvg(spec: Readonly<Record<string, unknown>>, chartToSvg: ReportInput['chartToSvg']): Promise<string> {
  const drawn = await drawChart(spec, chartToSvg);
  return 'svg' in drawn ? drawn.svg : `<p class="error">${escapeHtml(drawn.problem)}</p>`;
}
