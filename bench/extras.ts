/**
 * Measurements besides the query table: first run vs re-run on a cached source through a notebook
 * session, cancellation latency through the cell worker, and hashing throughput.
 */
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createSession } from '../src/core/notebook/runner';
import type { SessionCell } from '../src/core/notebook/session';
import { FileHashCache, hashFiles, setJsonlWorkerScript, SourceCache } from '../src/core/sources';
import type { FromWorker, NotebookSnapshot, ToWorker } from '../src/worker/protocol';
import type { BenchQuery } from './queries';
import { median, ROOT } from './tools';

export interface RerunResult {
  readonly query: string;
  readonly firstMs: number;
  readonly rerunMs: number;
  /** Whether the re-run took its source from the cache (and did not read the files again). */
  readonly cacheHit: boolean;
  readonly rows: number;
}

function frontMatter(file: string): string {
  return `sources:\n  logs: ${JSON.stringify(file)}\n`;
}

function kqlCell(source: string): SessionCell {
  return { key: 'bench', kind: 'kql', source, records: [] };
}

/** Re-runs timed after the first run: the median is reported, so one pause (a collection) does not stand for the re-run. */
const RERUNS = 3;

/** Runs the query in one fresh session (fresh source cache): a first run, then RERUNS re-runs. */
export async function firstRunVsRerun(file: string, query: BenchQuery): Promise<RerunResult> {
  setJsonlWorkerScript(join(ROOT, 'dist', 'jsonlWorker.js'));
  const cache = new SourceCache();
  const created = createSession(frontMatter(file), { baseDir: dirname(file), cache });
  if (!created.ok) throw new Error(created.problems.join('\n'));
  const signal = new AbortController().signal;
  const cell = kqlCell(query.kql);
  created.session.setCells([cell]);
  let started = performance.now();
  const first = await created.session.runCell(cell.key, signal);
  const firstMs = performance.now() - started;
  if (!first.ok) throw new Error(`${query.id} failed in the session: ${first.error?.message}`);
  const missesBefore = cache.stats.misses;
  const rows = (o: typeof first) => o.outputs.find((x) => x.type === 'table')?.type === 'table' ? (o.outputs.find((x) => x.type === 'table') as { table: { rowCount: number } }).table.rowCount : -1;
  const rerunTimes: number[] = [];
  let everyRerunHit = true;
  for (let i = 0; i < RERUNS; i++) {
    const hitsBefore = cache.stats.hits;
    started = performance.now();
    const again = await created.session.runCell(cell.key, signal);
    rerunTimes.push(performance.now() - started);
    if (!again.ok) throw new Error(`${query.id} re-run failed in the session: ${again.error?.message}`);
    if (rows(first) !== rows(again)) throw new Error(`${query.id}: the re-run returned ${rows(again)} rows, the first run ${rows(first)}`);
    everyRerunHit &&= cache.stats.hits > hitsBefore;
  }
  const cacheHit = everyRerunHit && cache.stats.misses === missesBefore;
  return { query: query.id, firstMs, rerunMs: median(rerunTimes), cacheHit, rows: rows(first) };
}

export interface CancelResult {
  readonly query: string;
  readonly phase: string;
  /** From posting `cancel` to the worker's result message. */
  readonly latencyMs: number;
  /** The extension terminates the worker when no result came within this grace period. */
  readonly withinGrace: boolean;
  readonly reportedCancelled: boolean;
}

const CANCEL_GRACE_MS = 1000;

/**
 * Starts the cell worker as the extension does (`dist/cellWorker.js`), runs `warmup` cells first (to fill the worker's
 * source cache), then the slow query; sends `cancel` after `afterMs` and times the answer.
 */
export async function cancellationLatency(file: string, query: string, options: { afterMs: number; phase: string; warmup?: readonly string[] }): Promise<CancelResult> {
  const worker = new Worker(join(ROOT, 'dist', 'cellWorker.js'));
  let nextId = 1;
  const waiters = new Map<number, (m: FromWorker) => void>();
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'response') waiters.get(m.requestId)?.(m);
  });
  const run = (source: string) => {
    const requestId = nextId++;
    const cell = { ...kqlCell(source), key: `cell-${requestId}` };
    const notebook: NotebookSnapshot = { dir: dirname(file), frontMatter: frontMatter(file), cells: [cell], settings: { sourceDefaults: {}, maxResultRows: 1_000_000 } };
    const message: ToWorker = { type: 'request', requestId, notebook, request: { type: 'run', key: cell.key, maxRendererRows: 100 } };
    const done = new Promise<FromWorker>((resolve) => waiters.set(requestId, resolve));
    worker.postMessage(message);
    return { requestId, done };
  };
  try {
    for (const w of options.warmup ?? []) await run(w).done;
    const { requestId, done } = run(query);
    let finishedEarly = false;
    void done.then(() => (finishedEarly = true));
    await new Promise((r) => setTimeout(r, options.afterMs));
    if (finishedEarly) throw new Error(`the query finished before the cancel was sent (${options.afterMs} ms); choose a slower one`);
    const sent = performance.now();
    worker.postMessage({ type: 'cancel', requestId } satisfies ToWorker);
    const timeout = new Promise<null>((r) => setTimeout(() => r(null), 30_000));
    const reply = await Promise.race([done, timeout]);
    const latencyMs = performance.now() - sent;
    if (!reply) throw new Error('no answer from the worker within 30 s of cancelling');
    const result = reply.type === 'response' && reply.response.type === 'run' ? reply.response.result : undefined;
    return { query, phase: options.phase, latencyMs, withinGrace: latencyMs <= CANCEL_GRACE_MS, reportedCancelled: result?.cancelled === true };
  } finally {
    await worker.terminate();
  }
}

/** SHA-256 throughput of `hashFiles` over a file (fresh digest cache, warm page cache). */
export async function hashThroughput(file: string): Promise<{ mbPerSecond: number; ms: number }> {
  const started = performance.now();
  await hashFiles([file], undefined, new FileHashCache());
  const ms = performance.now() - started;
  return { ms, mbPerSecond: statSync(file).size / 1e6 / (ms / 1000) };
}
