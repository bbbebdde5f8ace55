/**
 * The readers of one parallel read: threads, and usually one reader on the calling thread (see
 * localReader.ts). Tasks are handed out as readers finish them (in file order), and afterwards
 * each reader can be asked about its running table. A reader's failure or a cancellation fails
 * whatever is still waiting; `close` ends the readers.
 *
 * A thread takes about a tenth of a second to start. A host that knows early that it will read a
 * large source can start them ahead (`startReadersEarly`), while it loads the rest of itself.
 * This module imports little, so it can run first.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SourceLoadError } from './errors';
import { handOverThreads, takeHandedOverThreads } from './threadHandoff';
import type { WorkerMessage, WorkerReply, WorkerRequest } from './jsonlParallel';

type Script = { readonly file: string; readonly execArgv?: string[] };

let configuredScript: string | null | undefined;

/**
 * Where the worker entry lives. Bundled builds must ship `jsonlWorker.js` next to the bundle that
 * contains this module, or set the path here; `null` turns parallel reading off and `undefined`
 * goes back to looking next to this module.
 */
export function setJsonlWorkerScript(path: string | null | undefined): void {
  configuredScript = path;
}

export function workerScript(): Script | null {
  if (configuredScript !== undefined) return configuredScript === null ? null : { file: configuredScript, execArgv: configuredScript.endsWith('.ts') ? ['--require', 'tsx/cjs'] : undefined };
  if (typeof __dirname !== 'string') return null;
  const js = join(__dirname, 'jsonlWorker.js');
  if (existsSync(js)) return { file: js };
  const ts = join(__dirname, 'jsonlWorker.ts');
  if (typeof __filename === 'string' && __filename.endsWith('.ts') && existsSync(ts)) return { file: ts, execArgv: ['--require', 'tsx/cjs'] };
  return null;
}

/** Sources from this size on are read with threads (see `wantsParallel`)... */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
/** ...and from this size behind a prefilter, which makes a read cheap per byte. */
export const PREFILTERED_PARALLEL_MIN_BYTES = 512 * 1024 * 1024;

export function defaultWorkers(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

/** Threads started ahead of a read, not yet taken by a pool (they do not keep the process alive). */
const early: { readonly worker: Worker; readonly file: string }[] = [];

/**
 * Starts `count` reader threads (default: as many as a read uses besides its reader on the calling
 * thread) for the next parallel read to take, after taking those the launcher started (see
 * threadHandoff.ts).
 */
export function startReadersEarly(count = defaultWorkers() - 1): void {
  const script = workerScript();
  const handed = takeHandedOverThreads();
  for (const worker of handed?.threads ?? []) {
    if (script && handed!.file === script.file && early.length < count) keepEarly(worker, script.file);
    else void worker.terminate();
  }
  if (!script) return;
  for (let i = early.length; i < count; i++) keepEarly(startAhead(script), script.file);
}

/** A thread started before a read needs it: unreferenced, and one that fails first is simply not used. */
function startAhead(script: Script): Worker {
  const worker = new Worker(script.file, { execArgv: script.execArgv });
  worker.unref();
  worker.on('error', () => {});
  return worker;
}

/** Ends the threads the launcher started, when no read will take them. */
export function dropHandedOverThreads(): void {
  for (const worker of takeHandedOverThreads()?.threads ?? []) void worker.terminate();
}

function keepEarly(worker: Worker, file: string): void {
  const entry = { worker, file };
  worker.once('exit', () => {
    const at = early.indexOf(entry);
    if (at >= 0) early.splice(at, 1);
  });
  early.push(entry);
}

/**
 * Starts `count` reader threads for a read to take, and hands them over (see threadHandoff.ts):
 * for a host whose code that reads is in a bundle of its own. Unreferenced, and a failure is
 * ignored: a thread is only ever a head start.
 */
export function startThreadsForHandOver(count = defaultWorkers() - 1): void {
  const script = workerScript();
  if (script) handOverThreads(script.file, Array.from({ length: count }, () => startAhead(script)));
}

/** Threads started early and not yet taken. */
export function readersWaiting(): number {
  return early.length;
}

function takeOrStart(script: Script): Worker {
  const at = early.findIndex((e) => e.file === script.file);
  if (at < 0) return new Worker(script.file, { execArgv: script.execArgv });
  const [{ worker }] = early.splice(at, 1);
  worker.ref();
  return worker;
}

/** A reader the pool talks to: a thread, or one on this thread answering the same messages (see localReader.ts). */
export interface Reader {
  postMessage(message: WorkerMessage): void;
  on(event: 'message', listener: (reply: WorkerReply) => void): this;
  on(event: 'error', listener: (e: Error) => void): this;
  on(event: 'exit', listener: (code: number) => void): this;
  terminate(): Promise<number>;
}

/** Tasks a reader thread is given beyond the one it reads (see `runTasks`). */
const TASKS_AHEAD = 1;

type Reply = Exclude<WorkerReply, { type: 'progress' } | { type: 'error' }>;
export type TaskResult = Extract<WorkerReply, { type: 'done' }>;

export class ReaderPool {
  private readonly workers: Reader[] = [];
  /** Per reader, the answers it still owes, in the order asked (a reader answers in order). */
  private readonly waiting: { resolve(r: Reply): void; reject(e: Error): void }[][] = [];
  private failure: Error | null = null;
  private readonly onAbort = () => this.fail(this.signal?.reason instanceof Error ? this.signal.reason : new DOMException('aborted', 'AbortError'));

  /** `threads` reader threads, after `local` (a reader on this thread, which is first to take a task) if given. */
  constructor(
    script: Script | null,
    threads: number,
    onDiskBytes: (bytes: number) => void,
    private readonly signal?: AbortSignal,
    private readonly local?: Reader,
  ) {
    if (threads > 0 && !script) throw new Error('no reader thread script');
    const size = threads + (local ? 1 : 0);
    for (let at = 0; at < size; at++) {
      let worker: Reader;
      try {
        worker = local && at === 0 ? local : takeOrStart(script!);
      } catch (e) {
        // Threads already started would keep the process alive.
        for (const w of this.workers) void w.terminate();
        throw e;
      }
      this.workers.push(worker);
      this.waiting.push([]);
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'progress') return onDiskBytes(reply.bytes);
        const waiter = this.waiting[at].shift();
        if (reply.type === 'error') {
          const err = reply.name === 'SourceLoadError' ? new SourceLoadError(reply.message) : new Error(reply.message);
          err.name = reply.name;
          waiter?.reject(err);
          this.fail(err);
        } else waiter?.resolve(reply);
      });
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', (code) => this.fail(new Error(`a source reader thread stopped early (exit code ${code})`)));
    }
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (signal?.aborted) this.onAbort();
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Runs `count` tasks, each reader taking the next as it finishes one (`requestFor` makes a
   * task's request for the reader that takes it); `worker` in a result names its reader.
   *
   * A thread is given its next task before it finishes the one it reads: its answer reaches this
   * thread only between the chunks of the reader here (or after a partial aggregation it runs),
   * and a profile showed a thread waiting for its next task 20 ms at a time. Tasks are handed out
   * in file order all the same, and a thread reads its own in order.
   */
  async runTasks(count: number, requestFor: (id: number, reader: number) => WorkerRequest): Promise<(TaskResult & { worker: number })[]> {
    const results = new Array<TaskResult & { worker: number }>(count);
    let next = 0;
    const take = (i: number): Promise<void> | null => {
      if (next >= count) return null;
      const id = next++;
      const task = this.ask(i, requestFor(id, i)).then((reply) => {
        if (reply.type !== 'done') throw new Error(`a source reader answered ${reply.type} to a task`);
        if (reply.id !== id) throw new Error(`a source reader answered task ${reply.id} for task ${id}`);
        results[id] = { ...reply, worker: i };
      });
      // A task given ahead fails with the one before it, before anything awaits it.
      task.catch(() => undefined);
      return task;
    };
    // Not in the last tasks: a task given ahead to a thread that a reader then waits on at the end
    // would cost more than the hand-over it saves.
    const ahead = (i: number) => (this.workers[i] !== this.local && count - next > this.workers.length ? TASKS_AHEAD : 0);
    await Promise.all(
      this.workers.map(async (_, i) => {
        const asked: Promise<void>[] = [];
        for (;;) {
          while (asked.length <= ahead(i)) {
            const task = take(i);
            if (!task) break;
            asked.push(task);
          }
          if (asked.length === 0) break;
          await asked.shift();
        }
      }),
    );
    return results;
  }

  /** Sends one message to reader `i` (0: the one on this thread, if any) and waits for its answer. */
  ask(i: number, message: WorkerMessage): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Reply>((resolve, reject) => {
      // Owed only once sent: a message that cannot be sent would leave every later answer
      // matched with the message before its own.
      this.workers[i].postMessage(message);
      this.waiting[i].push({ resolve, reject });
    });
  }

  /** The same message to every reader; answers by reader. */
  askAll(message: WorkerMessage): Promise<Reply[]> {
    return Promise.all(this.workers.map((_, i) => this.ask(i, message)));
  }

  /**
   * Ends the readers, and threads started early for this read that it did not need. Resolves once
   * the reader on this thread has stopped. After a read that completed, threads are told to end
   * but not waited for: a thread's teardown takes a few milliseconds that every result would
   * otherwise wait out, and a thread that is done holds no file open. After a failure or a
   * cancellation, a thread may still be in a read, so they are waited for too.
   */
  async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    const failed = this.failure !== null;
    this.failure ??= new Error('the source reader threads were closed');
    const unused = early.splice(0).map((e) => e.worker);
    const ending = [...this.workers.filter((w) => w !== this.local), ...unused].map((thread) => thread.terminate());
    // A thread that fails to end has nothing left to give the read: its failure is ignored.
    const threadsEnded = Promise.allSettled(ending);
    await this.local?.terminate();
    if (failed) await threadsEnded;
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const owed of this.waiting) for (const waiter of owed.splice(0)) waiter.reject(e);
  }
}
