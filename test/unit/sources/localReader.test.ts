/**
 * The reader on the merging thread answers the messages a reader thread answers, and stops when
 * the read ends.
 */
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerReply, WorkerRequest } from '../../../src/core/sources/jsonlParallel';
import { LocalReader } from '../../../src/core/sources/localReader';
import { readerMessageHandler } from '../../../src/core/sources/readerTasks';
import { SourceSpecSchema } from '../../../src/core/sources/spec';
import { TimeFieldPolicy } from '../../../src/core/sources/timeField';
import { parseQuery } from '../../../src/core/query/parser';
import { splitAggregation } from '../../../src/core/query/partialAggregation';
import { Scope } from '../../../src/core/query/scope';
import type { TabularExpr } from '../../../src/core/query/ast';
import { DateTime } from '../../../src/core/query/values';
import { allEntries } from '../../../src/core/query/dictionary';
import { tempDir } from './helpers';

describe('sources/reader on the merging thread', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  function readRequest(file: string, id: number, range: { start: number; end: number }): WorkerRequest {
    const spec = { ...SourceSpecSchema.parse({ path: file, time: false }), name: 'logs' };
    const now = new Date('2026-12-01T00:00:00Z');
    return { type: 'read', id, shared: true, spec, task: { file, range }, fields: null, fieldPaths: null, mustContain: [], keepEscapedLines: false, now: now.getTime(), time: new TimeFieldPolicy(spec, now).state() };
  }

  /** Sends `message` and waits for its answer (a reader has one message at a time, as the pool sends them). */
  function ask(reader: LocalReader, message: Parameters<LocalReader['postMessage']>[0]): Promise<WorkerReply> {
    return new Promise((resolve, reject) => {
      const onMessage = (r: WorkerReply) => {
        if (r.type === 'progress') return;
        reader.off('message', onMessage).off('error', reject);
        resolve(r);
      };
      reader.on('message', onMessage).on('error', reject);
      reader.postMessage(message);
    });
  }

  it('handles messages sent together one after the other, in order', async () => {
    // Two reads at once added their rows to one running table interleaved.
    const file = join(tmp.path, 'together.jsonl');
    const lines = Array.from({ length: 30_000 }, (_, i) => `{"i":${i}}\n`);
    const first = lines.slice(0, 20_000).join(''), second = lines.slice(20_000).join('');
    writeFileSync(file, first + second);
    const reader = new LocalReader();
    const answers: WorkerReply[] = [];
    const all = new Promise<void>((resolve) => reader.on('message', (r: WorkerReply) => r.type !== 'progress' && answers.push(r) === 3 && resolve()));
    reader.postMessage(readRequest(file, 0, { start: 0, end: first.length }));
    reader.postMessage(readRequest(file, 1, { start: first.length, end: first.length + second.length }));
    reader.postMessage({ type: 'finish' });
    await all;
    const [a, b, table] = answers;
    assert.ok(a.type === 'done' && b.type === 'done' && table.type === 'table');
    assert.deepEqual([a.id, a.shared?.firstRow, a.rowCount, b.id, b.shared?.firstRow, b.rowCount], [0, 0, 20_000, 1, 20_000, 10_000]);
    const values = table.parts[0].store;
    assert.ok(values.kind === 'long');
    assert.deepEqual([values.values[0], values.values[19_999], values.values[20_000], values.values[29_999]], [0n, 19_999n, 20_000n, 29_999n]);
  });

  it('reads shared tasks into one running table and hands it over on finish', async () => {
    const file = join(tmp.path, 'rows.jsonl');
    const line = (i: number) => `{"i":${i},"s":"v${i % 3}"}\n`;
    const first = Array.from({ length: 500 }, (_, i) => line(i)).join('');
    const second = Array.from({ length: 700 }, (_, i) => line(500 + i)).join('');
    writeFileSync(file, first + second);
    const reader = new LocalReader();
    const got = [await ask(reader, readRequest(file, 0, { start: 0, end: first.length })), await ask(reader, readRequest(file, 1, { start: first.length, end: first.length + second.length })), await ask(reader, { type: 'finish' })];
    const [a, b, table] = got;
    assert.ok(a.type === 'done' && b.type === 'done' && table.type === 'table');
    assert.deepEqual([a.shared?.firstRow, a.rowCount, b.shared?.firstRow, b.rowCount], [0, 500, 500, 700]);
    assert.deepEqual(table.parts.map((p) => p.name), ['i', 's']);
    const codes = table.parts[1].store;
    assert.ok(codes.kind === 'string');
    assert.deepEqual([codes.codes.length, allEntries(codes.dict)], [1200, ['v0', 'v1', 'v2']]);
  });

  it('drops each shared task\'s rows once its partial result is computed, keeping the columns for the next', async () => {
    const file = join(tmp.path, 'dropped.jsonl');
    // `n` is a long in the first range and a real in the second: its kinds add up across the drop.
    // `k` is null on every other line of the first range only: rows written over must not stay null.
    const first = Array.from({ length: 600 }, (_, i) => `{"s":"v${i % 3}","n":${i},"k":${i % 2 ? i : 'null'}}\n`).join('');
    const second = Array.from({ length: 400 }, (_, i) => `{"s":"w${i % 2}","n":${i}.5,"late":true,"k":${i}}\n`).join('');
    writeFileSync(file, first + second);
    const query = parseQuery('logs | summarize c = count(), hi = max(s), sk = sum(k) by s').query as TabularExpr;
    const plan = splitAggregation(query.operators, Scope.empty, DateTime.fromMillis(0))!.plan;
    const request = (id: number, range: { start: number; end: number }, drop: boolean): WorkerRequest => ({ ...readRequest(file, id, range), fields: ['s', 'n', 'late', 'k'], aggregate: plan, ...(drop ? { dropAggregated: true } : {}) });
    const ranges = [{ start: 0, end: first.length }, { start: first.length, end: first.length + second.length }];
    const answers = async (drop: boolean) => {
      const reader = new LocalReader();
      const got = [await ask(reader, request(0, ranges[0], drop)), await ask(reader, request(1, ranges[1], drop)), await ask(reader, { type: 'describe' }), await ask(reader, { type: 'finish' })];
      await reader.terminate();
      return got;
    };
    const [a, b, described, table] = await answers(true);
    assert.ok(a.type === 'done' && b.type === 'done' && described.type === 'columns' && table.type === 'table');
    assert.deepEqual([a.dropped, a.shared?.firstRow, a.rowCount, b.dropped, b.shared?.firstRow, b.rowCount], [true, 0, 600, true, 0, 400]);
    // The rows are gone, the columns (in first-seen order, with every kind seen) and dictionary stay.
    assert.deepEqual(described.columns.map((c) => [c.name, c.kinds]), [['s', 8], ['n', 2 | 4], ['k', 2], ['late', 1]]);
    assert.deepEqual(table.parts.map((p) => [p.name, p.store.kind === 'string' ? [p.store.codes.length, allEntries(p.store.dict)] : p.store.kind]), [['s', [0, ['v0', 'v1', 'v2', 'w0', 'w1']]], ['n', 'real'], ['k', 'long'], ['late', 'bool']]);
    // Each task's partial result is the one a reader that keeps its rows computes.
    const [keptA, keptB] = await answers(false);
    assert.ok(keptA.type === 'done' && keptB.type === 'done');
    assert.equal(keptB.dropped, undefined);
    assert.deepEqual([a.partial, b.partial], [keptA.partial, keptB.partial]);
    assert.ok(b.partial?.result.ok);
    const sums = b.partial.result.tasks[0].table;
    assert.deepEqual(sums.columns.map((c) => c.map(String)), [['w0', 'w1'], ['200', '200'], ['w0', 'w1'], [39800, 40000].map(String)]);
  });

  it('stops its read when its signal aborts, answering with the abort', async () => {
    const file = join(tmp.path, 'big.jsonl');
    writeFileSync(file, '{"msg":"padding to make the file several megabytes long"}\n'.repeat(200_000));
    const size = statSync(file).size;
    const stop = new AbortController();
    let progressed = 0;
    const answer = new Promise<WorkerReply>((resolve) => {
      const handle = readerMessageHandler((r) => {
        if (r.type !== 'progress') return resolve(r);
        progressed += r.bytes;
        stop.abort();
      }, stop.signal);
      handle(readRequest(file, 0, { start: 0, end: size }));
    });
    const r = await answer;
    assert.ok(r.type === 'error' && r.name === 'AbortError', JSON.stringify(r));
    assert.ok(progressed < size, `read ${progressed} of ${size} bytes`);
  });

  it('stops its read when terminated, resolving once it has, and answers nothing more', async () => {
    const file = join(tmp.path, 'big-for-terminate.jsonl');
    writeFileSync(file, '{"msg":"padding to make the file several megabytes long"}\n'.repeat(200_000));
    const size = statSync(file).size;
    const reader = new LocalReader();
    let terminated = false;
    let progressed = 0;
    const after: WorkerReply[] = [];
    const firstProgress = new Promise<void>((resolve) =>
      reader.on('message', (r: WorkerReply) => {
        if (terminated) after.push(r);
        else if (r.type === 'progress') {
          progressed += r.bytes;
          resolve();
        }
      }),
    );
    // Descriptors open on the file (Linux shows them under /proc; elsewhere this part is not checked).
    const openOnFile = () => {
      if (process.platform !== 'linux') return 0;
      return readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false; // closed meanwhile
        }
      }).length;
    };
    reader.postMessage(readRequest(file, 0, { start: 0, end: size }));
    await firstProgress;
    if (process.platform === 'linux') assert.equal(openOnFile(), 1, 'the read has its file open');
    terminated = true;
    await reader.terminate();
    // Resolved only once the read has stopped: its file is closed.
    assert.equal(openOnFile(), 0);
    // The aborted read's answer (an AbortError) came from work that had stopped: it is dropped.
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(after, []);
    assert.ok(progressed < size, `read ${progressed} of ${size} bytes`);
  });
});
