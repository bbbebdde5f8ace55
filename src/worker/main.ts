/**
 * The worker thread behind one open notebook: holds the session (what cells defined, results by
 * id, versions for staleness) and the parsed-source cache; plans and runs cells; answers
 * cancellation.
 */
import { parentPort } from 'node:worker_threads';
import { createSession, type SessionCreation } from '../core/notebook/runner';
import { failure, type NotebookSession } from '../core/notebook/session';
import { createSourceCache } from '../core/notebook/sourceProvider';
import { toWireResult } from '../core/output/cellResult';
import type { FromWorker, NotebookSnapshot, ToWorker, WorkerRequest, WorkerResponse } from './protocol';

const port = parentPort;
if (!port) throw new Error('this module runs as a worker thread');

const cache = createSourceCache();
const running = new Map<number, AbortController>();
let current: { key: string; creation: SessionCreation } | undefined;
/** The last session whose front matter was valid (one that is broken for a while keeps nothing). */
let lastGood: NotebookSession | undefined;

function sessionFor(notebook: NotebookSnapshot): SessionCreation {
  const key = JSON.stringify([notebook.dir, notebook.frontMatter ?? null, notebook.settings]);
  if (current?.key !== key) {
    current = {
      key,
      creation: createSession(notebook.frontMatter, { baseDir: notebook.dir, cache, sourceDefaults: notebook.settings.sourceDefaults, limits: { maxResultRows: notebook.settings.maxResultRows } }),
    };
    // An edited front matter keeps what ran, so what the edit touched shows as stale rather than forgotten.
    if (lastGood && current.creation.ok) current.creation.session.adoptResults(lastGood);
  }
  if (current.creation.ok) lastGood = current.creation.session;
  if (current.creation.ok) current.creation.session.setCells(notebook.cells);
  return current.creation;
}

async function answer(requestId: number, notebook: NotebookSnapshot, request: WorkerRequest, signal: AbortSignal): Promise<WorkerResponse> {
  const creation = sessionFor(notebook);
  switch (request.type) {
    case 'run': {
      const result = creation.ok
        ? await creation.session.runCell(request.key, signal, (message) => post({ type: 'progress', requestId, message }))
        : failure(creation.problems[0], creation.problems.slice(1).join('\n') || undefined);
      return { type: 'run', result: { ...toWireResult(result, request.maxRendererRows), ...(signal.aborted ? { cancelled: true } : {}) } };
    }
    case 'plan':
      // Without a session (bad front matter) each target runs alone and reports the problem.
      return creation.ok ? { type: 'plan', order: await creation.session.plan(request.targets, { dependents: request.dependents }) } : { type: 'plan', order: request.targets, problem: creation.problems[0] };
    case 'stale':
      return { type: 'stale', keys: creation.ok ? await creation.session.staleKeys() : [] };
  }
}

function post(message: FromWorker): void {
  port!.postMessage(message);
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'cancel') {
    running.get(message.requestId)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.requestId, controller);
  answer(message.requestId, message.notebook, message.request, controller.signal)
    .catch((e: unknown): WorkerResponse => {
      const error = failure(`internal error: ${e instanceof Error ? e.message : String(e)}`);
      return message.request.type === 'run' ? { type: 'run', result: toWireResult(error, 0) } : message.request.type === 'plan' ? { type: 'plan', order: message.request.targets } : { type: 'stale', keys: [] };
    })
    .then((response) => post({ type: 'response', requestId: message.requestId, response }))
    .finally(() => running.delete(message.requestId));
});
