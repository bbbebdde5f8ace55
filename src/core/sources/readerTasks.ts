/**
 * What a reader of a parallel read does, on a thread of its own (jsonlWorker.ts) or on the thread
 * that merges (localReader.ts): reads tasks (a file, or a line-aligned range of one), each into a
 * table of its own or, for shared tasks, into one running table that it hands over on `finish`.
 * Instead of its table, a reader can run a query's partial aggregation over each of its tasks
 * (`describe`, then `aggregate`; see readerAggregation.ts).
 */
import type { ColumnPart } from './columns';
import type { StorePart } from './columnStores';
import { JsonTableBuilder } from './jsonTable';
import { readJsonlTasks } from './jsonlReader';
import { DecompressedBudget } from './lineRegions';
import { MalformedLog } from './malformed';
import { columnLimit, type ReadContext } from './readContext';
import { aggregateTasks, columnMetas, mergedSchema, type TaskSpan } from './readerAggregation';
import type { TaskResult } from './readerPool';
import type { StructPart } from './structColumns';
import { TimeFieldPolicy } from './timeField';
import type { TaskPartial, WorkerMessage, WorkerReply, WorkerRequest } from './jsonlParallel';
import type { PartialAggregation } from '../query/partialAggregation';

/** A reader's running table while it reads shared tasks, and where each task's rows are in it. */
export interface RunningTable {
  builder: JsonTableBuilder | null;
  readonly tasks: TaskSpan[];
}

/**
 * Reads one task into a partial table (for a reader, or on the merging thread for a re-read), or with
 * `running` (a shared task) into the thread's running table.
 */
export async function readTask(request: WorkerRequest, onDiskBytes: (bytes: number) => void, signal?: AbortSignal, running?: RunningTable): Promise<TaskResult> {
  const malformed = new MalformedLog();
  const timeFailures = new MalformedLog();
  const warnings: string[] = [];
  const ctx: ReadContext = {
    spec: request.spec,
    malformed,
    timeFailures,
    warnings,
    signal,
    onDiskBytes,
    fields: request.fields ? new Set(request.fields) : undefined,
    ...(request.fieldPaths ? { fieldPaths: request.fieldPaths } : {}),
    mustContain: request.mustContain.map((s) => Buffer.from(s, 'utf8')),
    keepEscapedLines: request.keepEscapedLines,
    now: new Date(request.now),
    displayName: (p) => p,
    exactLineNumbers: true,
    ...(request.decompressed ? { decompressed: new DecompressedBudget(request.decompressed) } : {}),
  };
  let builder = running?.builder;
  if (!builder) {
    const time = new TimeFieldPolicy(ctx.spec, ctx.now);
    time.restore(request.time);
    builder = new JsonTableBuilder(time, ctx.fieldPaths, columnLimit(ctx));
    if (running) running.builder = builder;
  }
  const time = builder.time;
  const startVersion = time.version;
  const firstRow = builder.rowCount, knownColumns = builder.columnNames.length;
  const [outcome] = await readJsonlTasks([request.task], ctx, builder);
  running?.tasks.push({ id: request.id, firstRow, rowCount: builder.rowCount - firstRow });
  return {
    type: 'done',
    id: request.id,
    parts: running ? [] : builder.exportParts(),
    ...(running ? { shared: { firstRow, rowCount: builder.rowCount - firstRow, newColumns: builder.columnNames.slice(knownColumns), timeFailures: builder.takeTimeFailures() } } : {}),
    rowCount: builder.rowCount - firstRow,
    lines: outcome.lines,
    malformed: { count: malformed.count, samples: malformed.samples },
    timeFailures: timeFailures.samples,
    warnings,
    yearlessYears: time.reader.yearlessYears,
    time: time.state(),
    timeChanged: time.version !== startVersion,
  };
}

function transferables(s: StorePart | StructPart): ArrayBuffer[] {
  switch (s.kind) {
    case 'struct':
      return [s.objects.buffer as ArrayBuffer, ...transferables(s.plain.store), ...s.leaves.flatMap((l) => transferables(l.store))];
    case 'string':
      // The table by bytes goes too (the part's reader is done with it): a merge matches by it.
      return [s.codes.buffer as ArrayBuffer, ...(s.nulls ? [s.nulls.buffer as ArrayBuffer] : []), ...(s.bytes ? [s.bytes.slots.buffer as ArrayBuffer, s.bytes.arena.buffer as ArrayBuffer] : [])];
    case 'json':
      return transferables(s.texts);
    case 'long':
    case 'real':
    case 'datetime':
      return [s.values.buffer as ArrayBuffer, ...(s.nulls ? [s.nulls.buffer as ArrayBuffer] : [])];
    case 'bool':
      return [s.values.buffer as ArrayBuffer];
    default:
      return [];
  }
}

const transferList = (parts: readonly ColumnPart[]) => parts.flatMap((p) => transferables(p.store));

/**
 * A reader's answers to its messages, sent with `reply` (with the buffers a thread can transfer
 * rather than copy). `signal` stops its reads and aggregations. Handling a message returns the
 * work it started, settled once its answer is sent.
 */
export function readerMessageHandler(reply: (message: WorkerReply, transfer: ArrayBuffer[]) => void, signal: AbortSignal): (message: WorkerMessage) => Promise<void> {
  const running: RunningTable = { builder: null, tasks: [] };
  // The running table's parts, exported once after the latest read (the partial step of that read,
  // describe, aggregate and finish share them).
  let exported: ColumnPart[] | null = null;
  const parts = () => (exported ??= running.builder?.exportParts() ?? []);
  // Once the partial step declines a task (too many groups, a warning), it is not tried on later ones.
  let declined = false;
  // Once a task's rows are dropped, declining for many groups would cost a second read of the
  // file (the merge then needs them): the limit is lenient from then on (see GroupLimit).
  let dropped = false;
  /** The partial step over the task just read, typed by this reader's columns so far. */
  const partialOf = async (request: WorkerRequest, plan: PartialAggregation): Promise<TaskPartial | undefined> => {
    const builder = running.builder;
    const task = running.tasks[running.tasks.length - 1];
    if (declined || !builder || task?.id !== request.id) return undefined;
    const merged = mergedSchema(builder.columnNames, [columnMetas(parts())], request.fields ? new Set(request.fields) : undefined);
    const result = await aggregateTasks(parts(), [task], merged, plan, signal, dropped ? 'lenient' : 'usual');
    declined = !result.ok;
    return { merged, result };
  };
  const fail = (id: number, e: unknown) => {
    const err = e as Error;
    reply({ type: 'error', id, name: err?.name ?? 'Error', message: err?.message ?? String(e) }, []);
  };
  const handle = async (message: WorkerMessage): Promise<void> => {
    switch (message.type) {
      case 'finish': {
        const table = parts();
        running.builder = null;
        running.tasks.length = 0;
        exported = null;
        return reply({ type: 'table', parts: table }, transferList(table));
      }
      case 'describe':
        return reply({ type: 'columns', columns: columnMetas(parts()) }, []);
      case 'aggregate': {
        const tasks = message.ids ? running.tasks.filter((t) => message.ids!.includes(t.id)) : running.tasks;
        return aggregateTasks(parts(), tasks, message.merged, message.plan, signal, message.groupLimit).then(
          (result) => reply({ type: 'partials', result }, []),
          (e: unknown) => fail(-1, e),
        );
      }
      case 'aggregateRange': {
        // A task whose rows this reader dropped, read again into a table of its own (its bytes
        // were counted the first time), aggregated as the merged table types it.
        const { request, merged, plan } = message;
        return readTask(request, () => {}, signal)
          .then((done) => aggregateTasks(done.parts, [{ id: request.id, firstRow: 0, rowCount: done.rowCount }], merged, plan, signal, 'lenient'))
          .then(
            (result) => reply({ type: 'partials', result }, []),
            (e: unknown) => fail(-1, e),
          );
      }
      case 'read':
        exported = null;
        return readTask(message, (bytes) => reply({ type: 'progress', bytes }, []), signal, message.shared ? running : undefined)
          .then(async (done) => {
            const partial = message.shared && message.aggregate ? await partialOf(message, message.aggregate) : undefined;
            if (!partial) return done;
            if (partial.result.ok && message.dropAggregated && running.builder!.rewind()) {
              // The next task's rows go where this one's were: memory written before is far
              // cheaper to write again than fresh pages, and the reader holds one task's rows.
              running.tasks.pop();
              exported = null;
              dropped = true;
              return { ...done, partial, dropped: true as const };
            }
            return { ...done, partial };
          })
          .then(
            (done) => reply(done, transferList(done.parts)),
            (e: unknown) => fail(message.id, e),
          );
    }
  };
  // Any failure is answered, never thrown: the merging thread then fails the read.
  return (message) => handle(message).catch((e: unknown) => fail(message.type === 'read' ? message.id : -1, e));
}
