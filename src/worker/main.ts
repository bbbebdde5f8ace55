/**
 * The worker thread behind one open notebook: holds the session (what cells defined, results by
 * id) and the parsed-source cache, runs cells, and answers cancellation.
 */
import { parentPort } from 'node:worker_threads';
import { createSession, type SessionCreation } from '../core/notebook/runner';
import { failure } from '../core/notebook/session';
import { createSourceCache } from '../core/notebook/sourceProvider';
import { toWireResult } from '../core/output/cellResult';
import type { FromWorker, RunRequest, ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('this module runs as a worker thread');

const cache = createSourceCache();
const running = new Map<number, AbortController>();
let current: { key: string; creation: SessionCreation } | undefined;

function sessionFor(request: RunRequest): SessionCreation {
  const key = JSON.stringify([request.notebookDir, request.frontMatter ?? null]);
  if (current?.key !== key) current = { key, creation: createSession(request.frontMatter, { baseDir: request.notebookDir, cache }) };
  return current.creation;
}

async function run(request: RunRequest): Promise<void> {
  const controller = new AbortController();
  running.set(request.requestId, controller);
  const post = (message: FromWorker) => port!.postMessage(message);
  try {
    const creation = sessionFor(request);
    const result = creation.ok
      ? await creation.session.runCell(request.cell, request.preceding, controller.signal, (message) => post({ type: 'progress', requestId: request.requestId, message }))
      : failure(creation.problems[0], creation.problems.slice(1).join('\n') || undefined);
    post({ type: 'result', requestId: request.requestId, result: { ...toWireResult(result, request.maxRendererRows), ...(controller.signal.aborted ? { cancelled: true } : {}) } });
  } catch (e) {
    post({ type: 'result', requestId: request.requestId, result: toWireResult(failure(`internal error: ${e instanceof Error ? e.message : String(e)}`), 0) });
  } finally {
    running.delete(request.requestId);
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'run':
      void run(message);
      break;
    case 'cancel':
      running.get(message.requestId)?.abort();
      break;
    case 'reset':
      current = undefined;
      break;
  }
});
