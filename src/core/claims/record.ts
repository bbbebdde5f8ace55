/**
 * The verdict record written after a claim cell: what reviewers see in a diff and on a code host.
 *
 *   <!-- casebook:verdict
 *   claim: "official-scope"
 *   verdict: "contradicted"
 *   ...machine-readable fields, one per line, fixed order...
 *   -->
 *   > **Contradicted** — *Only public chat rooms were exposed* (Platform operator)
 *   > ...a few evidence rows as a Markdown table...
 *   <!-- /casebook:verdict -->
 *
 * Nothing volatile (no times, versions or run counters), so an unchanged verdict is unchanged bytes.
 * The comment holds JSON scalars (valid YAML) with `<` and `>` escaped, so no value can end it; the
 * visible part is a blockquote of escaped text, so log data cannot inject Markdown, HTML or markers.
 */
import { parse as parseYaml } from 'yaml';
import * as z from 'zod/mini';
import '../zodMessages'; // zod's English messages
import { escapeMarkdownCell } from '../output/markdown';
import { displayValue } from '../output/values';
import type { Table } from '../query/table';
import type { CellRecord } from '../format';
import type { ComputedVerdict } from './evaluate';

export const VERDICT_TAG = 'verdict';
/** Evidence rows written into the file: enough to read, few enough to review. */
export const RECORD_EVIDENCE_ROWS = 5;

export interface SourceFileHash {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface VerdictRecord {
  readonly claim: string;
  readonly verdict: ComputedVerdict;
  readonly rule?: string;
  readonly evidence?: string;
  readonly rows?: number;
  readonly evidenceSha256?: string;
  /** The claim cell's text and that of every cell it reads (see `NotebookSession.queriesSha256`). */
  readonly queriesSha256?: string;
  readonly sources: Readonly<Record<string, readonly SourceFileHash[]>>;
}

const Sha256Text = z.string().check(z.regex(/^[0-9a-f]{64}$/));
const Count = z.int().check(z.nonnegative());

const RecordSchema = z.object({
  claim: z.string(),
  verdict: z.enum(['supported', 'contradicted', 'inconclusive', 'error']),
  rule: z.optional(z.string()),
  evidence: z.optional(z.string()),
  rows: z.optional(Count),
  'evidence-sha256': z.optional(Sha256Text),
  'queries-sha256': z.optional(Sha256Text),
  sources: z._default(z.record(z.string(), z.array(z.object({ path: z.string(), sha256: Sha256Text, bytes: Count }))), {}),
});

/** JSON text that cannot end the HTML comment it sits in (`-->`, `--!>`) or open another. */
function inert(value: unknown): string {
  return JSON.stringify(value)
    .replace(/(--!?)>/g, '$1\\u003e')
    .replace(/<!--/g, '\\u003c!--');
}

export interface RecordView {
  readonly statement: string;
  readonly by: string;
  readonly reason: string;
  readonly evidenceTable?: Table;
  readonly evidenceCaption?: string;
}

export function formatVerdictRecord(record: VerdictRecord, view: RecordView): CellRecord {
  const header = [`<!-- casebook:${VERDICT_TAG}`, `claim: ${inert(record.claim)}`, `verdict: ${inert(record.verdict)}`];
  if (record.rule !== undefined) header.push(`rule: ${inert(record.rule)}`);
  if (record.evidence !== undefined) header.push(`evidence: ${inert(record.evidence)}`);
  if (record.rows !== undefined) header.push(`rows: ${record.rows}`);
  if (record.evidenceSha256 !== undefined) header.push(`evidence-sha256: ${inert(record.evidenceSha256)}`);
  if (record.queriesSha256 !== undefined) header.push(`queries-sha256: ${inert(record.queriesSha256)}`);
  const sourceNames = Object.keys(record.sources).sort();
  if (sourceNames.length) {
    header.push('sources:');
    for (const name of sourceNames) {
      header.push(`  ${inert(name)}:`);
      for (const f of record.sources[name]) header.push(`    - {"path": ${inert(f.path)}, "sha256": ${inert(f.sha256)}, "bytes": ${f.bytes}}`);
    }
  }
  header.push('-->');
  const body = [`**${verdictWord(record.verdict)}** — *${inline(view.statement)}* (${inline(view.by)})`, '', inline(view.reason)];
  if (view.evidenceTable && view.evidenceTable.schema.length) {
    const t = view.evidenceTable;
    const shown = Math.min(RECORD_EVIDENCE_ROWS, t.rowCount);
    body.push('');
    body.push(`_${inline(view.evidenceCaption ?? 'evidence')}: ${t.rowCount === shown ? `${t.rowCount} row${t.rowCount === 1 ? '' : 's'}` : `first ${shown} of ${t.rowCount} rows`}_`);
    if (shown > 0) {
      body.push('');
      body.push('| ' + t.schema.map((c) => escapeMarkdownCell(c.name)).join(' | ') + ' |');
      body.push('| ' + t.schema.map(() => '---').join(' | ') + ' |');
      for (let i = 0; i < shown; i++) body.push('| ' + t.columns.map((c) => escapeMarkdownCell(displayValue(c.get(i)))).join(' | ') + ' |');
    }
  }
  const text = [...header, ...body.map((l) => (l === '' ? '>' : `> ${l}`)), `<!-- /casebook:${VERDICT_TAG} -->`].join('\n');
  return { tag: VERDICT_TAG, text };
}

export function verdictWord(v: ComputedVerdict): string {
  return v === 'error' ? 'Error' : v[0].toUpperCase() + v.slice(1);
}

/** One line of escaped inline Markdown. */
function inline(text: string): string {
  return escapeMarkdownCell(text);
}

/**
 * A claim cell's verdict as its records hold it: the first verdict record, read (undefined when
 * there is none or it cannot be read). The editor, its staleness and `casebook check` all read
 * this one, so they never show different verdicts for one file.
 */
export function cellVerdict(records: readonly CellRecord[]): VerdictRecord | undefined {
  const first = records.find((r) => r.tag === VERDICT_TAG);
  return first ? parseVerdictRecord(first) : undefined;
}

/** Reads the machine part of a verdict record; undefined when the record is not a readable verdict. */
export function parseVerdictRecord(record: CellRecord): VerdictRecord | undefined {
  if (record.tag !== VERDICT_TAG) return undefined;
  const end = record.text.indexOf('\n-->');
  if (end < 0) return undefined;
  const yamlText = record.text.slice(record.text.indexOf('\n') + 1, end);
  let data: unknown;
  try {
    data = parseYaml(yamlText, { logLevel: 'error' });
  } catch {
    return undefined;
  }
  const parsed = RecordSchema.safeParse(data);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  return {
    claim: d.claim,
    verdict: d.verdict,
    ...(d.rule !== undefined ? { rule: d.rule } : {}),
    ...(d.evidence !== undefined ? { evidence: d.evidence } : {}),
    ...(d.rows !== undefined ? { rows: d.rows } : {}),
    ...(d['evidence-sha256'] !== undefined ? { evidenceSha256: d['evidence-sha256'] } : {}),
    ...(d['queries-sha256'] !== undefined ? { queriesSha256: d['queries-sha256'] } : {}),
    sources: d.sources,
  };
}
