/**
 * Worker thread entry: reads one JSONL task (a file, or a line-aligned range of one) and sends
 * back its partial table. The main thread merges the partials in order (see jsonlParallel.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { StorePart } from './columnStores';
import type { StructPart } from './structColumns';
import { readTask, type WorkerReply, type WorkerRequest } from './jsonlParallel';

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

const port = parentPort;
if (port) {
  port.on('message', (request: WorkerRequest) => {
    readTask(request, (bytes) => port.postMessage({ type: 'progress', bytes } satisfies WorkerReply)).then(
      (reply) => port.postMessage(reply, reply.parts.flatMap((p) => transferables(p.store))),
      (e: unknown) => {
        const err = e as Error;
        port.postMessage({ type: 'error', id: request.id, name: err?.name ?? 'Error', message: err?.message ?? String(e) } satisfies WorkerReply);
      },
    );
  });
}
