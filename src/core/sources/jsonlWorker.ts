/**
 * Worker thread entry: reads JSONL tasks (a file, or a line-aligned range of one) and sends back
 * each task's partial table, or, for shared tasks, adds them to one running table that it sends
 * on `finish`. The main thread merges the partials in order (see jsonlParallel.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { ColumnPart } from './columns';
import type { StorePart } from './columnStores';
import type { StructPart } from './structColumns';
import { readTask, type RunningTable, type WorkerMessage, type WorkerReply } from './jsonlParallel';

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
  const running: RunningTable = { builder: null };
  port.on('message', (message: WorkerMessage) => {
    if (message.type === 'finish') {
      const parts = running.builder?.exportParts() ?? [];
      running.builder = null;
      port.postMessage({ type: 'table', parts } satisfies WorkerReply, transferList(parts));
      return;
    }
    readTask(message, (bytes) => port.postMessage({ type: 'progress', bytes } satisfies WorkerReply), undefined, message.shared ? running : undefined).then(
      (reply) => port.postMessage(reply, transferList(reply.parts)),
      (e: unknown) => {
        const err = e as Error;
        port.postMessage({ type: 'error', id: message.id, name: err?.name ?? 'Error', message: err?.message ?? String(e) } satisfies WorkerReply);
      },
    );
  });
}
