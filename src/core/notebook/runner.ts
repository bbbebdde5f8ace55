/**
 * Runs a whole notebook file headlessly, top to bottom, through the same session the editor uses.
 * The CLI (`run`, `check`, `export`) and tests call this.
 */
import type { CodeCell, NotebookFile } from '../format';
import { DateTime, type Value } from '../query/values';
import { RUNNABLE_KINDS } from './cellKinds';
import { describeProblem, fixedNowMicros, parseFrontMatter, queryParams, type FrontMatter } from './frontMatter';
import { cellHandlers } from './handlers';
import { failure, NotebookSession, type CellRunResult, type ProgressReporter, type SessionCell, type SessionLimits } from './session';
import { parseSources } from '../sources';
import { sourceFingerprint } from './fingerprint';
import { createSourceProvider, type SourceCacheLike } from './sourceProvider';

export interface CellReport {
  /** Index among the file's cells (front matter excluded). */
  readonly index: number;
  readonly kind: string;
  readonly id?: string;
  readonly result: CellRunResult;
  readonly durationMs: number;
}

export interface NotebookRun {
  readonly ok: boolean;
  readonly cells: readonly CellReport[];
  /** Front-matter problems; when present no cell ran. */
  readonly problems: readonly string[];
}

export interface RunOptions {
  readonly baseDir: string;
  readonly signal?: AbortSignal;
  readonly cache?: SourceCacheLike;
  readonly limits?: SessionLimits;
  /** Settings applied to every source that does not set them itself (editor settings, CLI flags). */
  readonly sourceDefaults?: SourceDefaults;
  readonly onCellStart?: (cell: SessionCell, position: number, total: number) => void;
  readonly onCellDone?: (report: CellReport) => void;
  readonly progress?: ProgressReporter;
}

/** Stable keys for a file's cells within one headless run. */
export function sessionCellOf(cell: CodeCell, index: number): SessionCell {
  return { key: `cell-${index}`, kind: cell.kind, ...(cell.id !== undefined ? { id: cell.id } : {}), source: cell.source, records: cell.records };
}

export async function runNotebook(file: NotebookFile, options: RunOptions): Promise<NotebookRun> {
  const created = createSession(file.frontMatter, options);
  if (!created.ok) return { ok: false, cells: [], problems: created.problems };
  const signal = options.signal ?? new AbortController().signal;
  const runnable = file.cells
    .map((cell, index) => ({ cell, index }))
    .filter((c): c is { cell: CodeCell; index: number } => c.cell.type === 'code' && RUNNABLE_KINDS.includes(c.cell.kind));
  const session = created.session;
  const cells = runnable.map(({ cell, index }) => sessionCellOf(cell, index));
  session.setCells(cells);
  // The same order the editor uses: every cell after the cells it reads, notebook order otherwise.
  const order = await session.plan(cells.map((c) => c.key));
  const byKey = new Map(runnable.map((r, i) => [cells[i].key, r]));
  const reports: CellReport[] = [];
  for (const [position, key] of order.entries()) {
    const { cell, index } = byKey.get(key)!;
    const sessionCell = cells.find((c) => c.key === key)!;
    options.onCellStart?.(sessionCell, position, order.length);
    const started = performance.now();
    const result = signal.aborted ? failure('cancelled') : await session.runCell(key, signal, options.progress);
    const report: CellReport = { index, kind: cell.kind, ...(cell.id !== undefined ? { id: cell.id } : {}), result, durationMs: performance.now() - started };
    reports.push(report);
    options.onCellDone?.(report);
  }
  reports.sort((a, b) => a.index - b.index);
  return { ok: reports.every((r) => r.result.ok), cells: reports, problems: [] };
}

export type SessionCreation = { ok: true; session: NotebookSession; frontMatter: FrontMatter } | { ok: false; problems: string[] };

/** A session for a notebook's front matter, or the problems that prevent one. */
export interface SourceDefaults {
  readonly maxDecompressedBytes?: number;
  readonly maxLineBytes?: number;
  readonly maxColumns?: number;
}

/** Each declared source with the defaults filled in where the notebook does not say otherwise. */
export function withSourceDefaults(declared: Readonly<Record<string, unknown>>, defaults: SourceDefaults | undefined): Record<string, unknown> {
  if (!defaults) return { ...declared };
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(declared)) {
    const spec = typeof value === 'string' ? { path: value } : value;
    out[name] = spec && typeof spec === 'object' && !Array.isArray(spec) ? { ...defaults, ...spec } : value;
  }
  return out;
}

export function createSession(frontMatterText: string | undefined, options: Pick<RunOptions, 'baseDir' | 'cache' | 'limits' | 'sourceDefaults'>): SessionCreation {
  const fm = parseFrontMatter(frontMatterText);
  if (!fm.ok) return { ok: false, problems: fm.problems.map(describeProblem) };
  const declared = withSourceDefaults(fm.value.sources, options.sourceDefaults);
  const nowUs = fixedNowMicros(fm.value);
  const now = nowUs === undefined || nowUs === null ? undefined : new DateTime(nowUs);
  // The notebook's "now" also places yearless stamps, so a re-check gives the same years any day.
  const provider = createSourceProvider(declared, options.baseDir, options.cache, undefined, now ? new Date(now.us / 1000) : undefined);
  if (!provider.ok) return { ok: false, problems: provider.problems };
  if (nowUs === null) return { ok: false, problems: [`front matter: now: ${JSON.stringify(fm.value.now)} is not an ISO 8601 date-time such as 2026-06-10T00:00:00Z`] };
  const params: Record<string, Value> = queryParams(fm.value);
  const specs = parseSources(declared);
  const sources = { ...provider.provider, fingerprint: (name: string) => (Object.hasOwn(specs, name) ? sourceFingerprint(specs[name], options.baseDir) : Promise.resolve('')) };
  const session = new NotebookSession({ baseDir: options.baseDir, params, ...(now ? { now } : {}), ...(options.limits ? { limits: options.limits } : {}) }, sources, cellHandlers);
  return { ok: true, session, frontMatter: fm.value };
}
