/**
 * Reading large JSONL sources with worker threads. Plain files are cut into line-aligned byte
 * ranges, gzip files are read whole (a gzip stream cannot be entered in the middle); a small pool
 * of readers (threads, and one on the calling thread) reads the tasks and the partial tables are
 * merged in file order, giving exactly the table, malformed-line samples and warnings of a
 * sequential read.
 *
 * The auto-detected time field is the one subtle part: it is decided by the first rows that hold a
 * candidate. The start of the first file is read here first so ranges usually begin from the
 * settled state; a range that made decisions of its own from a different state is read again.
 */
import { addTimeReport, emptyTimeReport, type ColumnPart, type TimeReadReport } from './columns';
import { JsonTableBuilder, tooManyColumns, type ColumnLimit } from './jsonTable';
import { finishJsonl, readJsonlTasks, type JsonlTask } from './jsonlReader';
import { isGzipFile, lineStartAtOrAfter } from './lineRegions';
import { MALFORMED_SAMPLE_LIMIT } from './limits';
import { MalformedLog, resolveLineNumbers, type MalformedSample } from './malformed';
import { mergePartialTables, type PartialTable } from './mergeParts';
import { columnLimit, type FormatResult, type ReadContext } from './readContext';
import type { SourceSpec } from './spec';
import { taskPartials, type TaskRows } from './taskSegments';
import { sameTimeFieldState, TimeFieldPolicy, type TimeFieldState } from './timeField';
import type { SourceFile } from './types';
import { buildColumn } from '../query/columns';
import type { PartialAggregation } from '../query/partialAggregation';
import { Table, type ColumnSchema } from '../query/table';
import { concatPlain, mergedSchema, type ColumnMeta, type GroupLimit, type MergedSchema, type PlainTable, type TaskAggregation } from './readerAggregation';
import { LocalReader } from './localReader';
import { readTask } from './readerTasks';
import { defaultWorkers, PARALLEL_MIN_BYTES, PREFILTERED_PARALLEL_MIN_BYTES, ReaderPool, workerScript, type TaskResult } from './readerPool';

export { setJsonlWorkerScript } from './readerPool';

export interface ParallelSettings {
  /** Readers to use: one on the calling thread, the others threads of their own (default: available cores, at most 4). */
  readonly workers?: number;
  /**
   * Target size of one range of a plain file (default: about four per worker, 16-64 MiB, when the
   * time field is settled; else one range per worker, at least 16 MiB).
   */
  readonly rangeBytes?: number;
  /** Sources smaller than this are read on the calling thread (default 32 MiB; 512 MiB with `mustContain`). */
  readonly minBytes?: number;
  /**
   * Whether readers that aggregate drop each range's rows once its partial result is computed
   * (default true; see `WorkerRequest.dropAggregated`).
   */
  readonly dropAggregated?: boolean;
}

export interface WorkerRequest {
  readonly type: 'read';
  readonly id: number;
  /**
   * Add the task's rows to the thread's running table (sent whole on `finish`) rather than to a
   * table of its own: only when no task can change the time-field decision (it is settled).
   */
  readonly shared: boolean;
  readonly spec: SourceSpec;
  readonly task: JsonlTask;
  readonly fields: readonly string[] | null;
  readonly fieldPaths: Readonly<Record<string, readonly (readonly string[])[]>> | null;
  readonly mustContain: readonly string[];
  readonly keepEscapedLines: boolean;
  readonly now: number;
  /** The time-field decision state at the start of the task. */
  readonly time: TimeFieldState;
  /** The source's shared count of decompressed bytes (`DecompressedBudget`). */
  readonly decompressed?: SharedArrayBuffer;
  /**
   * A shared task of a read that aggregates in its readers: run the partial step over the task
   * as soon as it is read, typed by the reader's own columns so far (see `TaskPartial`).
   */
  readonly aggregate?: PartialAggregation;
  /**
   * With `aggregate`, for a read that will need no rows beyond the partial results: once a task's
   * partial result is computed, the reader drops its rows and writes the next task's over them.
   */
  readonly dropAggregated?: boolean;
}

/**
 * A task's partial result computed right after reading it, with the schema it was typed by. It
 * stands only if that schema has the merged table's types in the end (types settle early in the
 * usual log); otherwise the readers run the partial step again over that task.
 */
export interface TaskPartial {
  readonly merged: MergedSchema;
  readonly result: TaskAggregation;
}

/**
 * Messages to a reader thread: a task; then, for shared tables, a request for its running table,
 * or first for its columns and a partial aggregation over each of its tasks (see
 * `readerAggregation.ts`).
 */
export type WorkerMessage =
  | WorkerRequest
  | { readonly type: 'finish' }
  | { readonly type: 'describe' }
  | { readonly type: 'aggregate'; readonly merged: MergedSchema; readonly plan: PartialAggregation; readonly ids?: readonly number[]; readonly groupLimit: GroupLimit }
  /** Read one task again, on its own (its rows were dropped), and run the partial step over it typed by `merged`. */
  | { readonly type: 'aggregateRange'; readonly request: WorkerRequest; readonly merged: MergedSchema; readonly plan: PartialAggregation };

export type WorkerReply =
  | { readonly type: 'progress'; readonly bytes: number }
  | {
      readonly type: 'done';
      readonly id: number;
      /** The task's table (none for a shared task: its rows are in the thread's running table). */
      readonly parts: ColumnPart[];
      /** A shared task: where its rows are in the running table. */
      readonly shared?: Omit<TaskRows, 'worker'>;
      readonly rowCount: number;
      readonly lines: number;
      readonly malformed: { readonly count: number; readonly samples: readonly MalformedSample[] };
      /** Where the task's first unreadable time value is (at most one sample). */
      readonly timeFailures: readonly MalformedSample[];
      readonly warnings: readonly string[];
      /** The years yearless stamps were placed in (bits of TimeReader.yearlessYears). */
      readonly yearlessYears: number;
      /** The decision state at the end of the task, and whether the task changed it. */
      readonly time: TimeFieldState;
      readonly timeChanged: boolean;
      /** With `aggregate`: the task's partial result, unless the reader declined to compute one. */
      readonly partial?: TaskPartial;
      /** With `dropAggregated`: the reader dropped the task's rows (it has the partial result). */
      readonly dropped?: true;
    }
  | { readonly type: 'table'; readonly parts: ColumnPart[] }
  | { readonly type: 'columns'; readonly columns: readonly ColumnMeta[] }
  | { readonly type: 'partials'; readonly result: TaskAggregation }
  | { readonly type: 'error'; readonly id: number; readonly name: string; readonly message: string };


const MiB = 1024 * 1024;
const PROBE_BYTES = MiB;

/**
 * Whether a load of this size would use workers. A prefiltered read is cheap per byte, so the
 * fixed cost of starting threads only pays off on larger sources (512 MiB instead of 32 MiB).
 */
export function wantsParallel(files: readonly SourceFile[], settings: ParallelSettings | false | undefined, prefiltered = false): boolean {
  if (settings === false || workerScript() === null) return false;
  const total = files.reduce((a, f) => a + f.size, 0);
  // One reader is the calling thread itself: a parallel read needs at least one thread besides it.
  return total >= (settings?.minBytes ?? (prefiltered ? PREFILTERED_PARALLEL_MIN_BYTES : PARALLEL_MIN_BYTES)) && (settings?.workers ?? defaultWorkers()) > 1;
}

/**
 * Reads the sources' files with workers. The result equals a sequential read: ranges are merged
 * in file order, and a range whose own time-field decisions disagree with the state a sequential
 * read would have had at its start is read again, on this thread, from that state. Null when
 * fewer than two readers would run (one `.gz` file, or a source no larger than a range): the
 * ordinary read does the same for less.
 */
export async function readJsonlParallel(files: readonly SourceFile[], ctx: ReadContext, settings: ParallelSettings = {}, aggregate?: PartialAggregation): Promise<FormatResult | null> {
  // One gzip file is one task, which the ordinary read does for less (checked before any probing).
  if (files.length === 1 && (await isGzipFile(files[0].path))) return null;
  const decompressed = ctx.decompressed?.used();
  const read = await readInParallel(files, ctx, settings, aggregate, settings.dropAggregated ?? true);
  if (read !== ROWS_DROPPED) return read;
  // The readers dropped rows the read now needs (the merged table refuses the split, say a key
  // that turned dynamic, or the partial step failed on a range): read again, keeping them.
  // Nothing of the first read was recorded but its progress and the bytes it decompressed.
  ctx.resetProgress?.();
  if (decompressed !== undefined) ctx.decompressed!.setUsed(decompressed);
  return readInParallel(files, ctx, settings, aggregate, false) as Promise<FormatResult | null>;
}

/** What a read that dropped rows returns when it turns out to need them. */
const ROWS_DROPPED = Symbol('rows dropped');

async function readInParallel(files: readonly SourceFile[], ctx: ReadContext, settings: ParallelSettings, aggregate: PartialAggregation | undefined, mayDrop: boolean): Promise<FormatResult | null | typeof ROWS_DROPPED> {
  const time = new TimeFieldPolicy(ctx.spec, ctx.now);
  if (time.undecided) await settleTimeField(files[0], ctx, time);
  const start = time.state();

  const workers = settings.workers ?? defaultWorkers();
  const total = files.reduce((a, f) => a + f.size, 0);
  // With the time field settled, no task can change it, so each thread adds all its tasks to one
  // running table (one dictionary per column) and ranges can be small: a thread that runs slower
  // (a busy core) takes fewer of them. Otherwise each range is a table of its own, which the merge
  // unites, and the dictionaries built per range make fewer, larger ranges the cheaper choice.
  const shared = !time.undecided;
  const rangeBytes = settings.rangeBytes ?? (shared ? Math.min(64 * MiB, Math.max(16 * MiB, Math.ceil(total / (workers * 4)))) : Math.max(16 * MiB, Math.ceil(total / workers)));
  // The last ranges are smaller: readers end up to a range apart, and the last to finish leaves
  // the others idle (at 4M lines a 64 MiB range of the distinct count takes about 140 ms, and a
  // profile showed one thread idle for 75 ms at the end); a quarter of the size there costs a
  // few more hand-overs of ranges.
  const tail = shared ? { from: total - workers * rangeBytes, bytes: Math.min(rangeBytes, Math.max(8 * MiB, Math.ceil(rangeBytes / 4))) } : null;
  const tasks = await planTasks(files, rangeBytes, tail);
  // A reader's running table is sized once for about its share of the bytes (memory is paid for
  // when first written, so room a reader does not fill costs little; growing costs a copy). The
  // reader on this thread starts before the threads have, and reads more: it gets room for twice
  // its share.
  const readers = Math.min(workers, tasks.length);
  if (readers < 2) return null;
  const share = Math.ceil(total / readers);
  const localShare = Math.min(total, 2 * share);
  const aggregating = aggregate !== undefined && shared && !columnLimit(ctx);
  // Only counts: a sum or an extreme over a value whose type changes later in the file (a long
  // that turns real) can make the merged table refuse the split, and the merge then needs every
  // row, which a read that dropped rows gets only by reading the source again.
  const drop = aggregating && mayDrop && aggregate.aggregates.every((a) => a.combine === 'count');
  const request = (id: number, state: TimeFieldState, expectBytes = share): WorkerRequest => ({ type: 'read', id, shared, spec: ctx.spec, task: shared ? { ...tasks[id], expectBytes } : tasks[id], fields: ctx.fields ? [...ctx.fields] : null, fieldPaths: ctx.fieldPaths ?? null, mustContain: ctx.mustContain.map((b) => b.toString('utf8')), keepEscapedLines: ctx.keepEscapedLines === true, now: ctx.now.getTime(), time: state, ...(ctx.decompressed ? { decompressed: ctx.decompressed.shared } : {}), ...(aggregating ? { aggregate, ...(drop ? { dropAggregated: true } : {}) } : {}) });
  let pool: ReaderPool | undefined;
  try {
    // One reader works on this thread: it starts at once, and its table needs no copying here.
    pool = new ReaderPool(workerScript(), readers - 1, ctx.onDiskBytes, ctx.signal, new LocalReader());
    const results: (TaskResult & { worker: number })[] = await pool.runTasks(tasks.length, (id, reader) => request(id, start, reader === 0 ? localShare : share));

    let state = start;
    for (let i = 0; i < results.length; i++) {
      if (!results[i].timeChanged) continue; // saw no candidate values: valid from any state
      if (!sameTimeFieldState(request(i, start).time, state)) {
        // A second read of bytes already counted against the source's decompression budget.
        const { decompressed: _counted, ...again } = request(i, state);
        results[i] = { ...(await readTask(again, () => {}, ctx.signal)), worker: -1 };
      }
      state = results[i].time;
    }
    time.restore(state);
    // Recorded into the load only once the threads are done with: if they fail now, the load
    // starts again on this thread with nothing counted twice.
    const problems = await taskProblems(results, tasks, ctx);

    if (aggregate && shared) {
      // A task read again to aggregate it, its rows having been dropped: on its own, and without
      // counting its bytes again (progress, decompression).
      const again = (id: number): WorkerRequest => {
        const { decompressed: _counted, aggregate: _aggregate, dropAggregated: _drop, ...plain } = request(id, start);
        return { ...plain, shared: false, task: tasks[id] };
      };
      const aggregated = await aggregateInThreads(pool, results, aggregate, ctx, again);
      if (aggregated) {
        recordProblems(problems, ctx, time);
        return { ...finishJsonl(aggregated.empty, time, aggregated.timeColumn, ctx), aggregated: { table: aggregated.partials, rowCount: aggregated.rowCount } };
      }
    }
    if (results.some((r) => r.dropped)) return ROWS_DROPPED;
    const tables = shared ? ((await pool.askAll({ type: 'finish' })) as Extract<WorkerReply, { type: 'table' }>[]).map((r) => r.parts) : [];
    const partials = shared ? taskPartials(results.map((r) => ({ worker: r.worker, ...r.shared! })), tables) : results;
    checkMergedColumns(partials, columnLimit(ctx));
    const merged = mergePartialTables(partials, ctx.fields);
    // Only now: a merge that fails makes the load start again on this thread.
    recordProblems(problems, ctx, time);
    const timeColumn = merged.timeFieldName !== null ? merged.time : null;
    return finishJsonl(merged.table, time, timeColumn, ctx);
  } finally {
    // A failure to end the readers must not discard a finished read: the load would then read
    // again on this thread, and count the malformed lines recorded above a second time.
    await pool?.close().catch(() => undefined);
  }
}

interface TaskProblems {
  readonly malformed: MalformedLog;
  readonly timeFailures: readonly MalformedSample[];
  readonly warnings: readonly string[];
  readonly yearlessYears: number;
}

/**
 * The tasks' malformed lines (line numbers made file-relative by adding the lines of earlier
 * ranges) and warnings, and the years the tasks placed yearless timestamps in.
 */
async function taskProblems(results: readonly TaskResult[], tasks: readonly JsonlTask[], ctx: ReadContext): Promise<TaskProblems> {
  const malformed = new MalformedLog();
  const timeFailures: MalformedSample[] = [];
  const warnings: string[] = [];
  const linesBefore = new Map<string, number>();
  let yearlessYears = 0;
  results.forEach((r, i) => {
    const file = tasks[i].file;
    const offset = linesBefore.get(file) ?? 0;
    // Samples known by file offset (prefiltered plain files) are numbered below, the others shifted.
    const fileRelative = (s: MalformedSample): MalformedSample => (s.at ? { ...s, file: ctx.displayName(s.file) } : { ...s, file: ctx.displayName(s.file), line: s.line + offset });
    for (const s of r.malformed.samples) if (malformed.samples.length < MALFORMED_SAMPLE_LIMIT) malformed.samples.push(fileRelative(s));
    if (timeFailures.length === 0 && r.timeFailures.length > 0) timeFailures.push(fileRelative(r.timeFailures[0]));
    malformed.count += r.malformed.count;
    linesBefore.set(file, offset + r.lines);
    for (const w of r.warnings) warnings.push(w.startsWith(file) ? ctx.displayName(file) + w.slice(file.length) : w);
    yearlessYears |= r.yearlessYears;
  });
  await resolveLineNumbers(malformed.samples, ctx.signal);
  await resolveLineNumbers(timeFailures, ctx.signal);
  return { malformed, timeFailures, warnings, yearlessYears };
}

function recordProblems(problems: TaskProblems, ctx: ReadContext, time: TimeFieldPolicy): void {
  ctx.malformed.count += problems.malformed.count;
  for (const s of problems.malformed.samples) if (ctx.malformed.samples.length < MALFORMED_SAMPLE_LIMIT) ctx.malformed.samples.push(s);
  ctx.timeFailures.samples.push(...problems.timeFailures);
  ctx.warnings.push(...problems.warnings);
  time.reader.yearlessYears |= problems.yearlessYears;
}

/**
 * The plan's partial step run by the threads over each of their tasks, combined in task order:
 * the partial rows, the merged table's (empty) shape, its time column's failures and row count.
 * Null when it does not apply after all: the threads then still hold their tables for the merge,
 * unless they dropped rows (the read then starts again; see `readJsonlParallel`).
 */
async function aggregateInThreads(pool: ReaderPool, results: readonly (TaskResult & { worker: number })[], plan: PartialAggregation, ctx: ReadContext, readAgain: (id: number) => WorkerRequest): Promise<{ partials: Table; empty: Table; timeColumn: TimeReadReport | null; rowCount: number } | null> {
  if (results.length === 0 || results.some((r) => r.worker < 0 || !r.shared) || columnLimit(ctx)) return null;
  // Columns in the order a sequential read meets them (see taskPartials).
  const order = [...new Set(results.flatMap((r) => r.shared!.newColumns))];
  const described = await pool.askAll({ type: 'describe' });
  const threads = described.map((r) => (r.type === 'columns' ? r.columns : []));
  const merged = mergedSchema(order, threads, ctx.fields);
  const asRead = partialsAsRead(results, merged);
  const redo = results.flatMap((_, id) => (asRead[id] ? [] : [id]));
  // With rows dropped, declining now would cost a second read of the file: see GroupLimit.
  const groupLimit: GroupLimit = results.some((r) => r.dropped) ? 'lenient' : 'usual';
  const kept = redo.filter((id) => !results[id].dropped), dropped = redo.filter((id) => results[id].dropped);
  let tables: (PlainTable | undefined)[] | null = asRead;
  if (kept.length > 0) tables = await partialsAfterRead(pool, tables, kept, merged, plan, groupLimit);
  if (tables && dropped.length > 0) tables = await partialsReadAgain(pool, tables, dropped.map((id) => ({ id, reader: results[id].worker })), merged, plan, readAgain);
  if (!tables) return null;
  const first = tables[0];
  if (!first || !tables.every((t) => t && sameSchema(t.schema, first.schema))) return null;
  let timeColumn: TimeReadReport | null = null;
  if (threads.some((metas) => metas.some((m) => m.time))) {
    timeColumn = emptyTimeReport();
    for (const r of results) addTimeReport(timeColumn, r.shared!.timeFailures);
  }
  const empty = new Table([...merged.schema], merged.schema.map((c) => buildColumn(c.type, 0, () => null)), 0);
  return { partials: concatPlain(tables as PlainTable[]), empty, timeColumn, rowCount: results.reduce((a, r) => a + r.rowCount, 0) };
}

/**
 * The partial results the readers computed as they read, by task: those typed as the merged table
 * is (column order aside: the partial step names its columns), else undefined.
 */
function partialsAsRead(results: readonly TaskResult[], merged: MergedSchema): (PlainTable | undefined)[] {
  const wanted = typesOf(merged);
  return results.map((r) => {
    const p = r.partial;
    return p && p.result.ok && p.result.tasks.length === 1 && typesOf(p.merged) === wanted ? p.result.tasks[0].table : undefined;
  });
}

/** A schema's columns with their types and member paths, in name order. */
function typesOf(merged: MergedSchema): string {
  const columns = merged.schema.map((c) => [c.name, c.type, Object.hasOwn(merged.structs, c.name) ? merged.structs[c.name] : null] as const);
  return JSON.stringify(columns.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/**
 * `tables` with the tasks `redo` filled in: the readers run the partial step over those tasks,
 * typed by the merged schema. Null if one declines.
 */
async function partialsAfterRead(pool: ReaderPool, tables: readonly (PlainTable | undefined)[], redo: readonly number[], merged: MergedSchema, plan: PartialAggregation, groupLimit: GroupLimit): Promise<(PlainTable | undefined)[] | null> {
  const replies = await pool.askAll({ type: 'aggregate', merged, plan, ids: redo, groupLimit });
  const filled = [...tables];
  for (const r of replies) {
    if (r.type !== 'partials' || !r.result.ok) return null;
    for (const t of r.result.tasks) filled[t.id] = t.table;
  }
  return filled;
}

/**
 * `tables` with the dropped tasks `redo` filled in: each reader reads its own again, on its own,
 * and runs the partial step over it typed by the merged schema. Null if one declines.
 */
async function partialsReadAgain(pool: ReaderPool, tables: readonly (PlainTable | undefined)[], redo: readonly { id: number; reader: number }[], merged: MergedSchema, plan: PartialAggregation, readAgain: (id: number) => WorkerRequest): Promise<(PlainTable | undefined)[] | null> {
  const filled = [...tables];
  let declined = false;
  await Promise.all(
    Array.from({ length: pool.size }, async (_, reader) => {
      for (const { id } of redo.filter((r) => r.reader === reader)) {
        if (declined) return;
        const reply = await pool.ask(reader, { type: 'aggregateRange', request: readAgain(id), merged, plan });
        if (reply.type !== 'partials' || !reply.result.ok) declined = true;
        else filled[id] = reply.result.tasks[0].table;
      }
    }),
  );
  return declined ? null : filled;
}

function sameSchema(a: readonly ColumnSchema[], b: readonly ColumnSchema[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i].name && c.type === b[i].type);
}

/** Every range kept within the limit, but together they may not (the merge unites their columns). */
function checkMergedColumns(results: readonly PartialTable[], limit: ColumnLimit | undefined): void {
  if (!limit) return;
  const names = new Set<string>();
  for (const r of results)
    for (const part of r.parts) {
      if (names.has(part.name)) continue;
      if (names.size >= limit.maxColumns) throw tooManyColumns(limit);
      names.add(part.name);
    }
}

/**
 * Reads the start of the first file (until decided, or about a MiB) with the source's time policy,
 * so that in the usual case every range starts from the state a sequential read has there.
 */
async function settleTimeField(first: SourceFile, ctx: ReadContext, time: TimeFieldPolicy): Promise<void> {
  let seen = 0;
  // Same prefilter as the real read: the decision only ever sees the lines that pass it. Only the
  // candidates matter to the decision, so only they are read, in small chunks to stop soon.
  // The probe's bytes are read again by the real read, which counts them against the budget.
  const probe: ReadContext = { ...ctx, malformed: new MalformedLog(), timeFailures: new MalformedLog(), warnings: [], onDiskBytes: (n) => (seen += n), fields: new Set(time.candidates), fieldPaths: undefined, chunkBytes: 64 * 1024, decompressed: undefined };
  await readJsonlTasks([{ file: first.path }], probe, new JsonTableBuilder(time), () => !time.undecided || seen >= PROBE_BYTES);
}

/** Line-aligned ranges of about `rangeBytes`, and of `tail.bytes` from byte `tail.from` of all the files on. */
async function planTasks(files: readonly SourceFile[], rangeBytes: number, tail: { readonly from: number; readonly bytes: number } | null): Promise<JsonlTask[]> {
  const tasks: JsonlTask[] = [];
  let before = 0;
  for (const f of files) {
    const offset = before;
    before += f.size;
    if (f.size === 0) continue;
    if (f.size <= rangeBytes || (await isGzipFile(f.path))) {
      tasks.push({ file: f.path });
      continue;
    }
    let start = 0;
    while (start < f.size) {
      const size = tail !== null && offset + start >= tail.from ? tail.bytes : rangeBytes;
      const end = await lineStartAtOrAfter(f.path, start + size, f.size);
      tasks.push({ file: f.path, range: { start, end } });
      start = end;
    }
  }
  return tasks;
}
