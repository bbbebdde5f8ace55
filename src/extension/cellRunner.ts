/**
 * Runs cells in a worker thread, one per open notebook, so parsing gigabytes of logs never blocks
 * the extension host. Cancelling asks the worker to stop; if it has not answered within a second
 * the worker is terminated (its caches go with it), so the editor is always free again quickly.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WireCellResult } from '../core/output/cellResult';
import type { FromWorker, RunRequest, ToWorker } from '../worker/protocol';

export const CANCEL_GRACE_MS = 1000;

interface Pending {
  resolve(result: WireCellResult): void;
  onProgress?: (message: string) => void;
}

class WorkerHandle {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private alive = true;

  constructor(script: string, private readonly onExit: () => void) {
    this.worker = new Worker(script);
    this.worker.on('message', (msg: FromWorker) => {
      const p = this.pending.get(msg.requestId);
      if (!p) return;
      if (msg.type === 'progress') p.onProgress?.(msg.message);
      else {
        this.pending.delete(msg.requestId);
        p.resolve(msg.result);
      }
    });
    this.worker.on('error', (e) => this.failAll(`the query worker failed: ${e.message}`));
    this.worker.on('exit', (code) => this.failAll(`the query worker stopped (exit code ${code})`));
  }

  get isAlive(): boolean {
    return this.alive;
  }

  run(request: RunRequest, onProgress?: (message: string) => void): Promise<WireCellResult> {
    return new Promise((resolve) => {
      this.pending.set(request.requestId, { resolve, onProgress });
      this.post(request);
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
      p.resolve(stoppedResult(reason, cancelled));
    }
    if (this.alive) {
      this.alive = false;
      void this.worker.terminate();
      this.onExit();
    }
  }

  private failAll(reason: string): void {
    this.terminate(reason);
  }
}

function stoppedResult(message: string, cancelled: boolean): WireCellResult {
  return { ok: false, ...(cancelled ? { cancelled } : {}), outputs: [], error: { message }, summary: cancelled ? 'cancelled' : 'error', warnings: [] };
}

export class CellRunner {
  private readonly workers = new Map<string, WorkerHandle>();
  private nextRequestId = 1;

  constructor(private readonly extensionPath: string) {}

  async run(
    notebookKey: string,
    request: Omit<RunRequest, 'type' | 'requestId'>,
    signal: AbortSignal,
    onProgress?: (message: string) => void,
  ): Promise<WireCellResult> {
    const worker = this.workerFor(notebookKey);
    const requestId = this.nextRequestId++;
    const onAbort = () => {
      worker.post({ type: 'cancel', requestId });
      setTimeout(() => {
        if (worker.isPending(requestId)) worker.terminate('cancelled: the query was stopped and its worker restarted', true);
      }, CANCEL_GRACE_MS);
    };
    if (signal.aborted) return stoppedResult('cancelled before it started', true);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await worker.run({ type: 'run', requestId, ...request }, onProgress);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
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
    const handle = new WorkerHandle(path.join(this.extensionPath, 'dist', 'worker.js'), () => {
      if (this.workers.get(notebookKey) === handle) this.workers.delete(notebookKey);
    });
    this.workers.set(notebookKey, handle);
    return handle;
  }
}
