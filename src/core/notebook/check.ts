/**
 * Re-verification: run a notebook headlessly and compare every claim's fresh verdict record with the
 * one stored in the file — verdict, deciding rule, evidence rows and hash, and the hash and size of
 * every source file. This is what keeps a shared investigation from silently rotting.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseClaim } from '../claims/claimCell';
import { cellVerdict, VERDICT_TAG, type SourceFileHash, type VerdictRecord } from '../claims/record';
import type { CodeCell, NotebookFile } from '../format';
import { parseFrontMatter } from './frontMatter';
import { buildGraph, cellUses, upstreamClosure } from './graph';
import type { NotebookRun } from './runner';

export type DifferenceKind = 'verdict' | 'rule' | 'evidence' | 'queries' | 'source-changed' | 'source-missing' | 'source-added' | 'no-record' | 'record' | 'cell-failed';

export interface CheckDifference {
  readonly claim?: string;
  readonly cell?: string;
  readonly kind: DifferenceKind;
  readonly old?: string;
  readonly new?: string;
  /** One line a reviewer can act on. */
  readonly message: string;
}

export interface JudgementNote {
  readonly claim: string;
  readonly judgement: string;
  readonly by: string;
  readonly computed: string;
}

export interface CheckReport {
  readonly ok: boolean;
  readonly differences: readonly CheckDifference[];
  /** Each claim cell by its id (`cell N` without one) and its index among the cells. */
  readonly claims: readonly { readonly id: string; readonly index: number; readonly stored?: VerdictRecord; readonly computed?: VerdictRecord }[];
  /** Judgements that disagree with the computed verdict (reported, not failures). */
  readonly judgements: readonly JudgementNote[];
  /**
   * Cells that read the clock (`now()`, `ago()`) while the front matter fixes no `now:`: their
   * results, and verdicts resting on them, change as time passes (reported, not failures).
   */
  readonly clock: readonly string[];
}

const short = (sha: string | undefined) => (sha ? sha.slice(0, 12) + '…' : 'none');
const rows = (n = 0) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;

export function checkNotebook(file: NotebookFile, run: NotebookRun, baseDir: string): CheckReport {
  const differences: CheckDifference[] = [];
  const claims: { id: string; index: number; stored?: VerdictRecord; computed?: VerdictRecord }[] = [];
  const judgements: JudgementNote[] = [];
  for (const problem of run.problems) differences.push({ kind: 'cell-failed', message: problem });
  const reports = new Map(run.cells.map((r) => [r.index, r]));
  file.cells.forEach((cell, index) => {
    if (cell.type !== 'code') return;
    const report = reports.get(index);
    const label = cell.id ? `#${cell.id}` : `cell ${index + 1}`;
    if (cell.kind !== 'claim') {
      if (report && !report.result.ok) differences.push({ cell: label, kind: 'cell-failed', message: `${cell.kind} ${label} failed: ${report.result.error?.message ?? 'error'}` });
      // A claim whose fence was changed (`Claim`, `claims`) is no claim: it did not run, and its
      // verdict would go unchecked.
      if (cell.records.some((r) => r.tag === VERDICT_TAG)) {
        differences.push({ cell: label, kind: 'record', message: `${label}: a verdict record follows a cell of kind \`${cell.kind}\`, which is not a claim and did not run; was its fence changed? (a claim cell's fence reads \`\`\`claim)` });
      }
      return;
    }
    // Claims without an id are told apart by their place, as `run` names them.
    const id = cell.id ?? label;
    const records = cell.records.filter((r) => r.tag === VERDICT_TAG);
    const stored = cellVerdict(records);
    const computed = report?.result.verdict;
    claims.push({ id, index, ...(stored ? { stored } : {}), ...(computed ? { computed } : {}) });
    if (stored) for (const d of missingSources(id, stored, baseDir)) differences.push({ claim: id, ...d });
    if (!stored) {
      differences.push(
        records.length
          ? { claim: id, kind: 'record', new: computed?.verdict, message: `${id}: the verdict record in the file cannot be read (was it edited by hand?); run \`casebook run --write\` or save from the editor to write it again` }
          : { claim: id, kind: 'no-record', new: computed?.verdict, message: `${id}: no verdict recorded in the file (computed: ${computed?.verdict ?? 'error'}); run \`casebook run --write\` or save from the editor` },
      );
      return;
    }
    if (records.length > 1) differences.push({ claim: id, kind: 'record', message: `${id}: ${records.length} verdict records follow the claim, where Casebook writes one; run \`casebook run --write\` to keep only the current one` });
    if (!computed) {
      differences.push({ claim: id, kind: 'verdict', old: stored.verdict, new: 'error', message: `${id}: ${stored.verdict} → error: ${report?.result.error?.message ?? 'the claim did not run'}` });
      return;
    }
    const found = compareVerdicts(id, stored, computed);
    differences.push(...found);
    // Records are written deterministically: one that matches in every field above yet differs in
    // its bytes was changed by hand (its visible summary, a field taken out, the claim's name), or
    // written by another version of Casebook.
    const fresh = report?.result.records?.find((r) => r.tag === VERDICT_TAG);
    if (found.length === 0 && fresh && fresh.text !== records[0].text) {
      differences.push({ claim: id, kind: 'record', message: `${id}: the verdict record differs from the one this version of Casebook writes, though its verdict, evidence, queries and sources agree: it was edited by hand, or written by an earlier version; run \`casebook run --write\` or save from the editor to write it again` });
    }
    const judgement = judgementOf(cell);
    if (judgement && judgement.verdict !== computed.verdict) judgements.push({ claim: id, judgement: judgement.verdict, by: judgement.by, computed: computed.verdict });
  });
  return { ok: differences.length === 0, differences, claims, judgements, clock: clockReaders(file) };
}

/** Cells that read the clock themselves or through a cell they read (a `let cutoff = ago(1d)` above). */
function clockReaders(file: NotebookFile): string[] {
  const fm = parseFrontMatter(file.frontMatter);
  if (!fm.ok || fm.value.now !== undefined) return [];
  const cells = file.cells.flatMap((c, i) => (c.type === 'code' ? [{ key: String(i), kind: c.kind, source: c.source, ...(c.id !== undefined ? { id: c.id } : {}) }] : []));
  const graph = buildGraph(cells, { sources: Object.keys(fm.value.sources), params: Object.keys(fm.value.params) });
  const reads = new Set(cells.filter((c) => cellUses(c.kind, c.source).readsClock).map((c) => c.key));
  return cells.filter((c) => reads.has(c.key) || [...upstreamClosure(graph, [c.key])].some((k) => reads.has(k))).map((c) => (c.id !== undefined ? `#${c.id}` : `cell ${Number(c.key) + 1}`));
}

function missingSources(id: string, stored: VerdictRecord, baseDir: string): Omit<CheckDifference, 'claim'>[] {
  const out: Omit<CheckDifference, 'claim'>[] = [];
  for (const [name, files] of Object.entries(stored.sources)) {
    for (const f of files) {
      if (!existsSync(path.resolve(baseDir, f.path))) out.push({ kind: 'source-missing', old: f.sha256, message: `${id}: source ${name}: ${f.path} is missing (recorded sha256 ${short(f.sha256)}, ${f.bytes} bytes)` });
    }
  }
  return out;
}

export function compareVerdicts(id: string, stored: VerdictRecord, computed: VerdictRecord): CheckDifference[] {
  const out: CheckDifference[] = [];
  if (stored.verdict !== computed.verdict) {
    out.push({ claim: id, kind: 'verdict', old: stored.verdict, new: computed.verdict, message: `${id}: verdict ${stored.verdict} → ${computed.verdict}${computed.rule ? ` (now decided by ${computed.rule})` : ' (no rule decides now)'}` });
  } else if ((stored.rule ?? '') !== (computed.rule ?? '')) {
    out.push({ claim: id, kind: 'rule', old: stored.rule, new: computed.rule, message: `${id}: still ${computed.verdict}, but the deciding rule changed: ${stored.rule ?? 'none'} → ${computed.rule ?? 'none'}` });
  }
  if (stored.evidenceSha256 !== computed.evidenceSha256 || stored.rows !== computed.rows) {
    out.push({ claim: id, kind: 'evidence', old: stored.evidenceSha256, new: computed.evidenceSha256, message: `${id}: the evidence rows changed (${rows(stored.rows)}, sha256 ${short(stored.evidenceSha256)} → ${rows(computed.rows)}, sha256 ${short(computed.evidenceSha256)})` });
  }
  // A record from before queries were hashed has none to compare here (the editor reads it the
  // same way); its bytes differ from what is written now, which `checkNotebook` reports.
  if (stored.queriesSha256 !== undefined && stored.queriesSha256 !== computed.queriesSha256) {
    out.push({
      claim: id,
      kind: 'queries',
      old: stored.queriesSha256,
      new: computed.queriesSha256,
      message: `${id}: the claim or the queries it reads changed since its verdict was recorded (queries sha256 ${short(stored.queriesSha256)} → ${short(computed.queriesSha256)}); re-run with --write or save from the editor to record it`,
    });
  }
  const byPath = (files: Readonly<Record<string, readonly SourceFileHash[]>>) => new Map(Object.entries(files).flatMap(([name, fs]) => fs.map((f) => [`${name}\u0000${f.path}`, { name, ...f }] as const)));
  const before = byPath(stored.sources);
  const after = byPath(computed.sources);
  for (const [key, f] of before) {
    const now = after.get(key);
    if (!now) continue; // missing files are reported from the file system check
    if (now.sha256 !== f.sha256 || now.bytes !== f.bytes) {
      out.push({ claim: id, kind: 'source-changed', old: f.sha256, new: now.sha256, message: `${id}: source ${f.name} file ${f.path} changed (sha256 ${short(f.sha256)}, ${f.bytes} bytes → ${short(now.sha256)}, ${now.bytes} bytes)` });
    }
  }
  for (const [key, f] of after) {
    if (!before.has(key)) out.push({ claim: id, kind: 'source-added', new: f.sha256, message: `${id}: the evidence now also rests on source ${f.name} file ${f.path} (sha256 ${short(f.sha256)})` });
  }
  return out;
}

function judgementOf(cell: CodeCell): { verdict: string; by: string } | undefined {
  try {
    return parseClaim(cell.source).judgement;
  } catch {
    return undefined; // a claim that does not parse failed its run, which is reported already
  }
}
