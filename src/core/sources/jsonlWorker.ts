/**
 * Worker thread entry: reads JSONL tasks (a file, or a line-aligned range of one) and sends back
 * each task's partial table, or, for shared tasks, adds them to one running table that it sends
 * on `finish`. The main thread merges the partials in order (see jsonlParallel.ts). Instead of
 * sending its table, a thread can run a query's partial aggregation over each of its tasks
 * (`describe`, then `aggregate`; see readerAggregation.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { ColumnPart } from './columns';
import type { StorePart } from './columnStores';
import type { StructPart } from './structColumns';
import { readTask, type RunningTable, type WorkerMessage, type WorkerReply } from './jsonlParallel';
import { aggregateTasks, columnMetas } from './readerAggregation';

function transferables(s: StorePart | StructPart): ArrayBuffer[] {
  switch (s.kind) {
    case 'struct':
      return [s.objects.buffer as ArrayBuffer, ...transferables(s.plain.store), ...s.leaves.flatMap((l) => transferables(l.store))];
    case 'string':
      return [s.codes.buffer as ArrayBuffer, ...(s.nulls ? [s.nulls.buffer as ArrayBuffer] : [])];
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

const port = parentPort;
if (port) {
  const running: RunningTable = { builder: null, tasks: [] };
  // The running table's parts, exported once after the reads (describe, aggregate and finish share them).
  let exported: ColumnPart[] | null = null;
  const parts = () => (exported ??= running.builder?.exportParts() ?? []);
  const never = new AbortController().signal; // the main thread cancels by ending the thread
  const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  port.on('message', (message: WorkerMessage) => {
    switch (message.type) {
      case 'finish': {
        const table = parts();
        running.builder = null;
        running.tasks.length = 0;
        exported = null;
        return reply({ type: 'table', parts: table }, transferList(table));
      }
      case 'describe':
        return reply({ type: 'columns', columns: columnMetas(parts()) });
      case 'aggregate':
        return aggregateTasks(parts(), running.tasks, message.merged, message.plan, never).then(
          (result) => reply({ type: 'partials', result }),
          (e: unknown) => fail(-1, e),
        );
      case 'read':
        exported = null;
        return readTask(message, (bytes) => reply({ type: 'progress', bytes }), undefined, message.shared ? running : undefined).then(
          (done) => reply(done, transferList(done.parts)),
          (e: unknown) => fail(message.id, e),
        );
    }
  });
  const fail = (id: number, e: unknown) => {
    const err = e as Error;
    reply({ type: 'error', id, name: err?.name ?? 'Error', message: err?.message ?? String(e) });
  };
}
