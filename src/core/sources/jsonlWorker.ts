/**
 * Worker thread entry: reads one JSONL task (a file, or a line-aligned range of one) and sends
 * back its partial table. The main thread merges the partials in order (see jsonlParallel.ts).
 */
import { parentPort } from 'node:worker_threads';
import type { StorePart } from './columnStores';
import { JsonTableBuilder } from './jsonTable';
import { readJsonlTasks, type JsonlTask } from './jsonlReader';
import { MalformedLog } from './malformed';
import type { ReadContext } from './readContext';
import type { SourceSpec } from './spec';
import { TimeFieldPolicy } from './timeField';
import type { WorkerReply, WorkerRequest } from './jsonlParallel';

async function run(request: WorkerRequest, port: NonNullable<typeof parentPort>): Promise<void> {
  const malformed = new MalformedLog();
  const warnings: string[] = [];
  const ctx: ReadContext = {
    spec: request.spec as SourceSpec,
    malformed,
    warnings,
    onDiskBytes: (bytes) => port.postMessage({ type: 'progress', bytes } satisfies WorkerReply),
    fields: request.fields ? new Set(request.fields) : undefined,
    mustContain: request.mustContain.map((s) => Buffer.from(s, 'utf8')),
    now: new Date(request.now),
    displayName: (p) => p,
    exactLineNumbers: true,
  };
  const time = new TimeFieldPolicy(ctx.spec, ctx.now);
  time.decide(request.timeField);
  const builder = new JsonTableBuilder(time);
  const [outcome] = await readJsonlTasks([request.task as JsonlTask], ctx, builder);
  const parts = builder.exportParts();
  const transfer: ArrayBuffer[] = [];
  for (const p of parts) for (const buffer of transferables(p.store)) transfer.push(buffer);
  const reply: WorkerReply = {
    type: 'done',
    id: request.id,
    parts,
    rowCount: builder.rowCount,
    lines: outcome.lines,
    malformed: { count: malformed.count, samples: malformed.samples },
    warnings,
    usedYearlessStamp: time.reader.usedYearlessStamp,
  };
  port.postMessage(reply, transfer);
}

function transferables(s: StorePart): ArrayBuffer[] {
  switch (s.kind) {
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
    run(request, port).catch((e: unknown) => {
      const err = e as Error;
      port.postMessage({ type: 'error', id: request.id, name: err?.name ?? 'Error', message: err?.message ?? String(e) } satisfies WorkerReply);
    });
  });
}
