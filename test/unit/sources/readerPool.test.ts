/** Reader threads started ahead of a read are taken by it; ones that fail first are never used. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerRequest } from '../../../src/core/sources/jsonlParallel';
import { dropHandedOverThreads, ReaderPool, readersWaiting, setJsonlWorkerScript, startReadersEarly, startThreadsForHandOver } from '../../../src/core/sources/readerPool';
import { handOverThreads, takeHandedOverThreads } from '../../../src/core/sources/threadHandoff';
import { readsWithThreads } from '../../../src/cli/earlyReaders';
import { mayReadWithThreads } from '../../../src/cli/largeSources';
import { load, tempDir } from './helpers';

describe('sources/reader threads started early', function () {
  this.timeout(60_000);
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('are taken by the next parallel read, which reads as a sequential one does', async () => {
    const file = join(tmp.path, 'rows.jsonl');
    writeFileSync(file, Array.from({ length: 3000 }, (_, i) => `{"i":${i},"s":"v${i % 7}"}`).join('\n'));
    // A read with two readers has one thread (the other reader is the calling thread).
    startReadersEarly(1);
    assert.equal(readersWaiting(), 1);
    const parallel = await load(file, { parallel: { workers: 2, minBytes: 0, rangeBytes: 4000 } });
    assert.equal(readersWaiting(), 0);
    const sequential = await load(file, { parallel: false });
    assert.equal(parallel.rowCount, 3000);
    assert.deepEqual(parallel.table.schema, sequential.table.schema);
    assert.deepEqual(parallel.table.columns.map((c) => c.get(2999)), sequential.table.columns.map((c) => c.get(2999)));
  });

  it('takes over the threads a launcher started, or ends them when no read will', async () => {
    startThreadsForHandOver(1);
    const handed = takeHandedOverThreads()!;
    assert.equal(handed.threads.length, 1);
    // Handed over again, as the launcher leaves them: the read's early start takes them, starting none.
    const [thread] = handed.threads;
    handOverThreads(handed.file, [thread]);
    startReadersEarly(1);
    assert.equal(readersWaiting(), 1);
    assert.equal(takeHandedOverThreads(), undefined, 'taken once');
    const answers: string[] = [];
    thread.on('message', (m: { type: string }) => answers.push(m.type));
    const ended = new Promise((resolve) => thread.once('exit', resolve));
    const parallel = await load(join(tmp.path, 'rows.jsonl'), { parallel: { workers: 2, minBytes: 0, rangeBytes: 4000 } });
    assert.equal(parallel.rowCount, 3000);
    assert.equal(readersWaiting(), 0);
    assert.ok(answers.includes('done'), `the read's tasks went to the thread handed over: ${answers.join()}`);
    // The read does not wait for its threads to end, but ends them.
    const ends = await Promise.race([ended.then(() => true), new Promise((resolve) => setTimeout(resolve, 5000, false))]);
    assert.ok(ends, 'the read ended the thread it took');
    // No read: the command's own check ends them.
    startThreadsForHandOver(1);
    const again = takeHandedOverThreads()!;
    const unused = new Promise((resolve) => again.threads[0].once('exit', resolve));
    handOverThreads(again.file, again.threads);
    dropHandedOverThreads();
    await unused;
    assert.equal(takeHandedOverThreads(), undefined);
  });

  it('have ended when a cancelled read returns (one may have been reading)', async () => {
    const big = join(tmp.path, 'big.jsonl');
    writeFileSync(big, '{"msg":"some padding to make the file a few megabytes long"}\n'.repeat(100_000));
    startThreadsForHandOver(1);
    const handed = takeHandedOverThreads()!;
    const [thread] = handed.threads;
    handOverThreads(handed.file, [thread]);
    startReadersEarly(1);
    let exited = false;
    thread.once('exit', () => (exited = true));
    const controller = new AbortController();
    await assert.rejects(
      load(big, { signal: controller.signal, parallel: { workers: 2, minBytes: 0, rangeBytes: 64 * 1024 }, onProgress: () => controller.abort() }),
      (e: Error) => e.name === 'AbortError',
    );
    assert.ok(exited, 'the thread had ended when the read returned');
  });

  it('drops a thread that stops before it is taken', async () => {
    setJsonlWorkerScript(join(tmp.path, 'no-such-worker.js'));
    try {
      startReadersEarly(1);
      assert.equal(readersWaiting(), 1);
      // The thread fails to load its script and exits.
      while (readersWaiting() > 0) await new Promise((r) => setTimeout(r, 20));
    } finally {
      setJsonlWorkerScript(undefined);
    }
    const s = await load(join(tmp.path, 'rows.jsonl'), { parallel: { workers: 2, minBytes: 0, rangeBytes: 4000 } });
    assert.equal(s.rowCount, 3000);
  });

  it('start for `casebook query` when it will read a large plain JSON Lines file with threads', () => {
    const big = join(tmp.path, 'big.jsonl');
    const small = join(tmp.path, 'small.jsonl');
    const csv = join(tmp.path, 'big.csv');
    writeFileSync(big, Buffer.alloc(33 * 1024 * 1024, '{"a":1}\n'));
    writeFileSync(small, '{"a":1}\n');
    writeFileSync(csv, Buffer.alloc(33 * 1024 * 1024, 'a\n'));
    const gz = join(tmp.path, 'big.jsonl.gz');
    writeFileSync(gz, Buffer.alloc(33 * 1024 * 1024, '{"a":1}\n'));
    const reads = (...argv: string[]) => readsWithThreads(['query', ...argv]);
    assert.equal(reads('--source', `logs=${big}`, 'logs | summarize count() by a'), true);
    assert.equal(reads(`--source=logs=${big}`, '--format', 'jsonl', 'logs | count'), true);
    assert.equal(reads('--max-rows', '5', '--source', `other=${small}`, '--source', `logs=${big}`, 'logs | take 1'), true);
    // Behind a prefilter, threads only pay off from 512 MiB.
    assert.equal(reads('--source', `logs=${big}`, 'logs | where a == "x" | count'), false);
    assert.equal(reads('--source', `logs=${small}`, 'logs | count'), false);
    assert.equal(reads('--source', `logs=${csv}`, 'logs | count'), false);
    assert.equal(reads('--source', `logs=${gz}`, 'logs | count'), false); // one task
    assert.equal(reads('--source', `logs=${join(tmp.path, '*.jsonl')}`, 'logs | count'), false);
    assert.equal(reads('--source', `logs=${big}`, 'logs | where'), false); // a syntax error
    assert.equal(reads('--source', `logs={path: ${big}, time: {field: ts}}`, 'logs | count'), true);
    assert.equal(readsWithThreads(['run', big]), false);
    // The launcher guesses from names, sizes and the query's text, unparsed.
    const may = (...argv: string[]) => mayReadWithThreads(['query', ...argv]);
    assert.equal(may('--source', `logs=${big}`, 'logs | where a == "x" | count'), false); // likely prefiltered
    assert.equal(may('--source', `logs=${big}`, 'logs | where a > 1 | count'), true);
    assert.equal(may('--source', `logs=${big}`, 'logs | summarize count() by a'), true);
    assert.equal(may(`--source=logs=${big}`, 'logs | count'), true);
    assert.equal(may('--source', `logs=${small}`, 'logs | count'), false);
    assert.equal(may('--source', `logs=${csv}`, 'logs | count'), false);
    assert.equal(may('--source', `logs=${gz}`, 'logs | count'), false);
    assert.equal(may('--source', `logs=${big}`), false); // no query
    // Settings name their path plainly or quoted, first or not.
    assert.equal(may('--source', `logs={path: ${big}, timezone: "+02:00"}`, 'logs | count'), true);
    assert.equal(may('--source', `logs={timezone: UTC, path: "${big}"}`, 'logs | count'), true);
    assert.equal(may('--source', `logs={ path : '${big}' }`, 'logs | count'), true);
    assert.equal(may('--source', `logs={"path": "${big}", "timezone": "UTC"}`, 'logs | count'), true);
    assert.equal(may('--source', `logs={path: ${big}`, 'logs | count'), false); // not settings: a path that is no file
    assert.equal(may('--source', `logs={path: ${small}}`, 'logs | count'), false);
    assert.equal(may('--source', `logs={format: jsonl}`, 'logs | count'), false);
    assert.equal(mayReadWithThreads(['run', big]), false);
  });
});

describe('sources/reader pool', function () {
  this.timeout(30_000);
  const tmp = tempDir();
  after(() => tmp.cleanup());

  /**
   * A thread that answers a read only once it has been sent the next one (or after 300 ms, for the
   * last), telling in its answer how many reads it had been sent; `failing`: its first answer is
   * an error; `misnumbering`: its answers name the task after their own.
   */
  function scriptedThread(mode: 'ok' | 'failing' | 'misnumbering'): { file: string } {
    const file = join(tmp.path, `thread-${mode}.js`);
    writeFileSync(
      file,
      `const { parentPort } = require('node:worker_threads');
       const owed = []; let sent = 0; let timer;
       const answer = () => {
         const id = owed.shift();
         if (${mode === 'failing'} && id === firstId) parentPort.postMessage({ type: 'error', id, name: 'Error', message: 'no such range' });
         else parentPort.postMessage({ type: 'done', id: ${mode === 'misnumbering'} ? id + 1 : id, sentBeforeAnswer: sent });
       };
       let firstId;
       parentPort.on('message', (m) => {
         if (m.type !== 'read') return;
         if (firstId === undefined) firstId = m.id;
         sent++; owed.push(m.id); clearTimeout(timer);
         if (owed.length > 1) answer();
         if (owed.length > 0) timer = setTimeout(function flush() { if (owed.length) { answer(); timer = setTimeout(flush, 300); } }, 300);
       });`,
    );
    return { file };
  }
  const readRequest = (id: number) => ({ type: 'read', id }) as unknown as WorkerRequest;

  it('gives a thread its next task before it answers the one it reads, and keeps the tasks in order', async () => {
    const pool = new ReaderPool(scriptedThread('ok'), 1, () => {});
    try {
      const results = await pool.runTasks(8, readRequest);
      assert.deepEqual(
        results.map((r) => r.id),
        [0, 1, 2, 3, 4, 5, 6, 7],
      );
      const sent = results.map((r) => (r as unknown as { sentBeforeAnswer: number }).sentBeforeAnswer);
      // The first answer came once the second task had been sent: the thread never waited for it.
      assert.equal(sent[0], 2);
      assert.ok(sent.every((n, id) => n > id), `each answer after its own task was sent: ${sent.join()}`);
    } finally {
      await pool.close();
    }
  });

  it('fails a run whose answers do not match its tasks, rather than placing rows under another task', async () => {
    const pool = new ReaderPool(scriptedThread('misnumbering'), 1, () => {});
    try {
      await assert.rejects(pool.runTasks(4, readRequest), /answered task 1 for task 0/);
    } finally {
      await pool.close();
    }
  });

  it('fails a run when a thread fails with a task given ahead, leaving no promise unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    const pool = new ReaderPool(scriptedThread('failing'), 1, () => {});
    try {
      await assert.rejects(pool.runTasks(8, readRequest), /no such range/);
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await pool.close();
    }
  });
});
