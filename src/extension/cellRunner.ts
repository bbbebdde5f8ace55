/**
 * Runs cells in a worker thread, one per open notebook, so parsing gigabytes of logs never blocks
 * the extension host. Cancelling asks the worker to stop; if it has not answered within a second
 * the worker is terminated (its caches go with it), so the editor is always free again quickly.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WireCellResult } from '../core/output/cellResult';
import type { FromWorker, NotebookSnapshot, ToWorker, WorkerRequest, WorkerResponse } from '../worker/protocol';

export const CANCEL_GRACE_MS = 1000;

type ResponseOf<T extends WorkerRequest['type']> = Extract<WorkerResponse, { type: T }>;

interface Pending {
  readonly request: WorkerRequest;
  resolve(response: WorkerResponse): void;
  onProgress?: (message: string) => void;
}

function stoppedRun(message: string, cancelled: boolean): WireCellResult {
  return { ok: false, ...(cancelled ? { cancelled } : {}), outputs: [], error: { message }, summary: cancelled ? 'cancelled' : 'error', warnings: [] };
}

/** What a request gets when its worker is gone. */
function fallback(request: WorkerRequest, reason: string, cancelled: boolean): WorkerResponse {
  switch (request.type) {
    case 'run':
      return { type: 'run', result: stoppedRun(reason, cancelled) };
    case 'plan':
      return { type: 'plan', order: request.targets, problem: reason };
    case 'stale':
      return { type: 'stale', keys: [] };
  }
}

class WorkerHandle {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private alive = true;

  constructor(
    script: string,
    private readonly onExit: () => void,
  ) {
    this.worker = new Worker(script);
    this.worker.on('message', (msg: FromWorker) => {
      const p = this.pending.get(msg.requestId);
      if (!p) return;
      if (msg.type === 'progress') p.onProgress?.(msg.message);
      else {
        this.pending.delete(msg.requestId);
        p.resolve(msg.response);
      }
    });
    this.worker.on('error', (e) => this.terminate(`the query worker failed: ${e.message}`));
    this.worker.on('exit', (code) => this.terminate(`the query worker stopped (exit code ${code})`));
  }

  get isAlive(): boolean {
    return this.alive;
  }

  send(requestId: number, notebook: NotebookSnapshot, request: WorkerRequest, onProgress?: (message: string) => void): Promise<WorkerResponse> {
    return new Promise((resolve) => {
      this.pending.set(requestId, { request, resolve, onProgress });
      this.post({ type: 'request', requestId, notebook, request });
    });
  }

  post(message: ToWorker): void {
    if (this.alive) this.worker.postMessage(message);
  }

  isPending(requestId: number): boolean {
    return this.pending.has(requestId);
  }

  terminate(reason: string, cancelled = false): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve(fallback(p.request, reason, cancelled));
    }
    if (this.alive) {
      this.alive = false;
      void this.worker.terminate();
      this.onExit();
    }
  }
}

export class CellRunner {
  private readonly workers = new Map<string, WorkerHandle>();
  private nextRequestId = 1;

  constructor(private readonly extensionPath: string) {}

  async request<T extends WorkerRequest>(notebookKey: string, notebook: NotebookSnapshot, request: T, signal?: AbortSignal, onProgress?: (message: string) => void): Promise<ResponseOf<T['type']>> {
    const worker = this.workerFor(notebookKey);
    const requestId = this.nextRequestId++;
    if (signal?.aborted) return fallback(request, 'cancelled before it started', true) as ResponseOf<T['type']>;
    const onAbort = () => {
      worker.post({ type: 'cancel', requestId });
      setTimeout(() => {
        if (worker.isPending(requestId)) worker.terminate('cancelled: the query was stopped and its worker restarted', true);
      }, CANCEL_GRACE_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return (await worker.send(requestId, notebook, request, onProgress)) as ResponseOf<T['type']>;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Whether a notebook has a live worker (so questions about its results make sense). */
  hasWorker(notebookKey: string): boolean {
    return this.workers.get(notebookKey)?.isAlive === true;
  }

  /** Drops a notebook's worker (closing the notebook frees its memory). */
  forget(notebookKey: string): void {
    this.workers.get(notebookKey)?.terminate('the notebook was closed');
    this.workers.delete(notebookKey);
  }

  dispose(): void {
    for (const key of [...this.workers.keys()]) this.forget(key);
  }

  private workerFor(notebookKey: string): WorkerHandle {
    const existing = this.workers.get(notebookKey);
    if (existing?.isAlive) return existing;
    // The launcher runs the worker's bundle (dist/worker.js) from a code cache.
    const handle = new WorkerHandle(path.join(this.extensionPath, 'dist', 'cellWorker.js'), () => {
      if (this.workers.get(notebookKey) === handle) this.workers.delete(notebookKey);
    });
    this.workers.set(notebookKey, handle);
    return handle;
  }
}
