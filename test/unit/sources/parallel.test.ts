/**
 * Reading with worker threads over small byte ranges must give exactly the sequential result:
 * same columns and types, rows, time field, malformed counts and line numbers, warnings.
 */
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { setJsonlWorkerScript, SourceLoadError, SourceSpecSchema, type LoadOptions } from '../../../src/core/sources';
import { readJsonlParallel, wantsParallel } from '../../../src/core/sources/jsonlParallel';
import { MalformedLog } from '../../../src/core/sources/malformed';
import { column, iso, load, tempDir } from './helpers';
import { KEYS, line, snapshot } from './jsonLines';

const PARALLEL = { workers: 2, minBytes: 0 };

describe('sources/parallel reading', function () {
  this.timeout(120_000);
  const tmp = tempDir();
  after(() => tmp.cleanup());

  const lines = fc.sample(line, { seed: 424242, numRuns: 2500 });
  const file = join(tmp.path, 'random.jsonl');
  const raw = Buffer.from(lines.join('\n'), 'latin1');
  before(() => writeFileSync(file, raw));

  async function same(decl: unknown, options: Partial<LoadOptions>, rangeBytes: number, expectRows = true) {
    const sequential = await load(decl, { ...options, parallel: false });
    const parallel = await load(decl, { ...options, parallel: { ...PARALLEL, rangeBytes } });
    assert.deepEqual(snapshot(parallel), snapshot(sequential));
    assert.deepEqual(parallel.malformed, sequential.malformed);
    assert.deepEqual(parallel.warnings, sequential.warnings);
    assert.equal(sequential.rowCount > 0, expectRows);
    return parallel;
  }

  it('full loads match over many small ranges', async () => {
    const s = await same(file, {}, 4096);
    assert.ok(s.malformed.count > 0); // the random lines include broken ones
  });

  it('empty time values are nulls, not unreadable ones, before the time field is chosen and after', async () => {
    // A sequential read held the first rows' "" as nulls, uncounted; threads (whose read chooses
    // the field first) counted each as unreadable and warned.
    const f = join(tmp.path, 'empty-times.jsonl');
    const rows = Array.from({ length: 4000 }, (_, i) => JSON.stringify({ ts: i < 3 || i % 500 === 7 ? '' : i === 2100 ? 'soon' : `2026-06-09T10:${String(i % 60).padStart(2, '0')}:00Z`, i }));
    writeFileSync(f, rows.join('\n') + '\n');
    const s = await same(f, {}, 4096);
    assert.equal(s.timeField, 'ts');
    const times = column(s, 'ts');
    assert.deepEqual([times[0], times[2], times[7], times[3507], times[2100]], [null, null, null, null, null]);
    assert.equal(iso(times[3]), '2026-06-09T10:03:00Z');
    assert.deepEqual(s.warnings, [`1 value(s) of time field "ts" could not be read as times and are null (first at ${f}:2101: "soon")`]);
  });

  it('projected and prefiltered loads match', async () => {
    await same(file, { fields: [KEYS[0], KEYS[2], KEYS[6]] }, 3000);
    await same(file, { mustContain: ['needle'] }, 5000);
    await same(file, { mustContain: ['"a"'], fields: ['a', 'b'] }, 2500);
  });

  it('declared time fields and formats match', async () => {
    await same({ path: file, time: { field: 'ts', format: 'epoch_ms' }, timezone: 'Europe/Berlin' }, {}, 8000);
  });

  it('counts local times in the hours a zone\'s clocks repeat or skip as a sequential read does, and says so once', async () => {
    // Berlin's clocks went back at 03:00 on 2024-10-27 (02:00-02:59 twice) and forward at 02:00 on 2024-03-31 (02:00-02:59 skipped).
    const local = join(tmp.path, 'local.jsonl');
    const stamps = Array.from({ length: 3000 }, (_, i) => {
      const minute = String(i % 60).padStart(2, '0');
      if (i % 10 === 0) return `2024-10-27T02:${minute}:00`; // 300 repeated, the first row among them
      if (i % 50 === 2) return `2024-03-31T02:${minute}:00`; // 60 skipped
      if (i % 50 === 3) return `2024-10-27T02:${minute}:00+01:00`; // an offset: no doubt
      return `2024-06-01T12:${minute}:00`;
    });
    writeFileSync(local, stamps.map((t, i) => JSON.stringify({ ts: t, i })).join('\n') + '\n');
    const s = await same({ path: local, timezone: 'Europe/Berlin' }, {}, 4096);
    assert.deepEqual(s.warnings, ['time field "ts" (Europe/Berlin, no offset in the values): 300 value(s) fell in an hour its clocks repeat when they go back and were read as the earlier of the two; 60 fell in an hour its clocks skip when they go forward and were read with the offset before the change. Events around these clock changes may be out of order']);
    assert.equal(iso(column(s, 'ts')[10]), '2024-10-27T00:10:00Z');
    // A load that leaves the time field out reads it in one row only: no count to give.
    assert.deepEqual((await same({ path: local, timezone: 'Europe/Berlin' }, { fields: ['i'] }, 4096)).warnings, []);
    assert.deepEqual((await same({ path: local, timezone: 'Europe/Berlin' }, { fields: ['i', 'ts'] }, 4096)).warnings, s.warnings);
  });

  it('places yearless stamps in the same years as a sequential read, and says which years once', async () => {
    const yearless = join(tmp.path, 'yearless.jsonl');
    const stamps = Array.from({ length: 3000 }, (_, i) => (i < 1500 ? `Dec 31 ${String(Math.floor(i / 60) % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00` : `Jan  1 00:00:${String(i % 60).padStart(2, '0')}`));
    writeFileSync(yearless, stamps.map((t, i) => JSON.stringify({ time: t, i })).join('\n') + '\n');
    const s = await same({ path: yearless, time: { field: 'time' } }, { now: new Date('2027-01-01T00:30:00Z') }, 4096);
    assert.deepEqual([iso(column(s, 'time')[0]), iso(column(s, 'time')[2999])], ['2026-12-31T00:00:00Z', '2027-01-01T00:00:59Z']);
    assert.deepEqual(s.warnings, ['timestamps carry no year; assumed 2026 or 2027, the latest year that puts each no later than 2027-01-02T00:30:00Z (declare time.year to set it)']);
  });

  // With the time field settled before the read (declared, or none), each thread adds its ranges
  // to one running table, which the merge cuts back into ranges: columns that first appear in a
  // later range, types that widen from range to range, and time values that fail in several
  // ranges must come out as in a sequential read.
  it('threads that read many ranges into one table match a sequential read', async () => {
    const noTime = await same({ path: file, time: false }, {}, 2000);
    assert.ok(noTime.table.columns.length > 5 && noTime.malformed.count > 0);
    await same({ path: file, time: false }, { fields: [KEYS[0], KEYS[5], KEYS[7], KEYS[8]] }, 1500);
    const timed = await same({ path: file, time: { field: 'ts' } }, {}, 2500);
    // The first unreadable value's line, made file-relative as a sequential read numbers it (same() compared them).
    assert.match(timed.warnings.join('\n'), /value\(s\) of time field "ts" could not be read as times and are null \(first at \S*random\.jsonl:\d+: /);
    // Behind a prefilter the line is found by its offset, on both paths.
    const prefiltered = await same({ path: file, time: { field: 'ts' } }, { mustContain: ['"ts"'] }, 3000);
    assert.match(prefiltered.warnings.join('\n'), /could not be read as times and are null \(first at \S*random\.jsonl:\d+: /);
    // Columns met first in different ranges, in an order only a sequential read gives.
    const f = join(tmp.path, 'late-columns.jsonl');
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const extra = i % 1000 === 999 ? `,"late${i}":${i},"${3000 - i}":"x"` : '';
      const value = i < 1000 ? String(i) : i < 2000 ? `${i}.5` : `"${i}"`;
      return `{"ts":"2026-06-09T10:00:00Z","v":${value}${extra}}`;
    });
    writeFileSync(f, rows.join('\n'));
    const late = await same(f, {}, 1000);
    assert.deepEqual(late.table.schema.map((c) => `${c.name}:${c.type}`), ['ts:datetime', 'v:dynamic', '2001:string', 'late999:long', '1001:string', 'late1999:long', '1:string', 'late2999:long']);
    assert.equal(late.timeField, 'ts');
  });

  it('keeps a number column that meets a real and then a long beyond 2^53 in one thread: dynamic, every value kept', async () => {
    // That thread's column turned dynamic but said it had seen only longs and reals, so the merge
    // typed it real and wrote null for every row of that thread (the big value lost with them).
    const f = join(tmp.path, 'unsafe-after-real.jsonl');
    const rows = Array.from({ length: 4000 }, (_, i) => `{"v":${i === 2000 ? '1.5' : i === 2001 ? '9007199254740993' : String(i)},"o":{"n":${i === 3000 ? '2.5' : i === 3001 ? '-9007199254740993' : String(i)}}}`);
    writeFileSync(f, rows.join('\n'));
    for (const options of [{}, { fields: ['v', 'o'] }]) {
      const read = await same({ path: f, time: false }, options, 1000);
      const v = column(read, 'v');
      assert.equal(read.table.schema.find((c) => c.name === 'v')?.type, 'dynamic');
      assert.deepEqual([v[0], v[1999], v[2000], v[2001], v[3999]], [0n, 1999n, 1.5, 9007199254740993n, 3999n]);
      assert.equal(v.filter((x) => x === null).length, 0);
    }
  });

  it('reads several files, gzip ones whole, in order', async () => {
    writeFileSync(join(tmp.path, 'part-1.jsonl'), raw.subarray(0, 20_000));
    writeFileSync(join(tmp.path, 'part-2.jsonl.gz'), gzipSync(Buffer.concat([raw.subarray(20_000, 60_000), Buffer.from('\n')])));
    writeFileSync(join(tmp.path, 'part-3.jsonl'), raw.subarray(60_000));
    const s = await same('part-*', { baseDir: tmp.path }, 3000);
    assert.deepEqual(s.files.map((f) => f.path.split('/').pop()), ['part-1.jsonl', 'part-2.jsonl.gz', 'part-3.jsonl']);
  });

  it('settles an auto-detected time field late in the file exactly as a sequential read', async () => {
    const f = join(tmp.path, 'late-time.jsonl');
    const rows: string[] = [];
    for (let i = 1; i <= 4000; i++) {
      if (i === 1500) rows.push('{"date":"not a time","x":0}'); // rejects `date` for good
      else if (i === 2600) rows.push('{"date":"2026-06-09","x":1}'); // would win in a range read on its own
      else if (i >= 2700) rows.push(`{"ts":"2026-06-09T10:00:${String(i % 60).padStart(2, '0')}Z","x":${i}}`);
      else rows.push(`{"x":${i}}`);
    }
    writeFileSync(f, rows.join('\n'));
    const s = await same(f, {}, 2000);
    assert.equal(s.timeField, 'ts');
    await same(f, { fields: ['ts', 'date'] }, 1500);
  });

  it('uses workers for sources without any time field', async () => {
    const f = join(tmp.path, 'no-time.jsonl');
    writeFileSync(f, Array.from({ length: 3000 }, (_, i) => `{"i":${i}}`).join('\n'));
    setJsonlWorkerScript(join(tmp.path, 'no-such-worker.js'));
    try {
      const s = await load(f, { parallel: { ...PARALLEL, rangeBytes: 2000 } });
      assert.match(s.warnings.join('\n'), /worker threads failed/); // the parallel path was taken
    } finally {
      setJsonlWorkerScript(undefined);
    }
    const s = await same(f, {}, 2000);
    assert.equal(s.timeField, null);
  });

  it('keeps exact line numbers across range boundaries', async () => {
    const f = join(tmp.path, 'numbered.jsonl');
    const text = Array.from({ length: 3000 }, (_, i) => (i % 700 === 699 ? `broken ${i + 1}` : `{"i":${i + 1},"pad":"${'x'.repeat(i % 50)}"}`)).join('\n');
    writeFileSync(f, text);
    const s = await same(f, {}, 1000);
    assert.deepEqual(s.malformed.samples.map((m) => m.line), [700, 1400, 2100, 2800]);
    const filtered = await same(f, { mustContain: ['broken'] }, 1000, false);
    assert.deepEqual(filtered.malformed.samples.map((m) => m.line), [700, 1400, 2100, 2800]);
  });

  it('reports a limit hit inside a worker as the load error', async () => {
    writeFileSync(join(tmp.path, 'zz-1.jsonl'), raw.subarray(0, 10_000));
    writeFileSync(join(tmp.path, 'zz-2.jsonl.gz'), gzipSync(Buffer.alloc(16 * 1024 * 1024, '{"a":1}\n')));
    await assert.rejects(
      load({ path: 'zz-*', maxDecompressedBytes: '1 MiB' }, { baseDir: tmp.path, parallel: { ...PARALLEL, rangeBytes: 4096 } }),
      (e: Error) => e instanceof SourceLoadError && /zz-2\.jsonl\.gz decompresses to more than maxDecompressedBytes \(1048576 bytes\)/.test(e.message),
    );
  });

  it('counts the decompressed bytes of all of a source\'s gzip files together, also across workers', async () => {
    // Six files of 3 MiB each: every one is under the 8 MiB limit, together they are not.
    for (let i = 1; i <= 6; i++) writeFileSync(join(tmp.path, `many-${i}.jsonl.gz`), gzipSync(Buffer.alloc(3 * 1024 * 1024, '{"a":1}\n')));
    const limited = /source "src": its gzip files decompress \(so far .*many-\d\.jsonl\.gz and others\) to more than maxDecompressedBytes \(8388608 bytes\)/;
    for (const parallel of [false, { ...PARALLEL }] as const) {
      await assert.rejects(load({ path: 'many-*.jsonl.gz', maxDecompressedBytes: '8 MiB' }, { baseDir: tmp.path, parallel }), (e: Error) => e instanceof SourceLoadError && limited.test(e.message));
    }
    // Just above the data (18 MiB): the time-field probe and any re-read do not count twice.
    for (const parallel of [false, { ...PARALLEL }] as const) {
      const whole = await load({ path: 'many-*.jsonl.gz', maxDecompressedBytes: '19 MiB' }, { baseDir: tmp.path, parallel });
      assert.equal(whole.table.rowCount, (6 * 3 * 1024 * 1024) / 8);
    }
  });

  it('reads with threads only when there is one besides the calling thread, and more than one task', async () => {
    const files = [{ path: file, size: raw.length, mtimeMs: 0 }];
    assert.equal(wantsParallel(files, { workers: 2, minBytes: 0 }), true);
    assert.equal(wantsParallel(files, { workers: 1, minBytes: 0 }), false);
    assert.equal(wantsParallel([...files, ...files], { workers: 1, minBytes: 0 }), false);
    // One gzip file is one task: the ordinary read, with the same result.
    const gz = join(tmp.path, 'one.jsonl.gz');
    writeFileSync(gz, gzipSync(raw));
    const ctx = { spec: { ...SourceSpecSchema.parse({ path: gz }), name: 'src' }, malformed: new MalformedLog(), timeFailures: new MalformedLog(), warnings: [], onDiskBytes: () => {}, mustContain: [], now: new Date(), displayName: (p: string) => p };
    assert.equal(await readJsonlParallel([{ path: gz, size: statSync(gz).size, mtimeMs: 0 }], ctx, PARALLEL), null);
    await same(gz, {}, 4096);
  });

  it('can be cancelled while workers run', async () => {
    const big = join(tmp.path, 'big.jsonl');
    writeFileSync(big, '{"msg":"some padding to make the file a few megabytes long"}\n'.repeat(100_000));
    const controller = new AbortController();
    await assert.rejects(
      load(big, { signal: controller.signal, parallel: { ...PARALLEL, rangeBytes: 64 * 1024 }, onProgress: () => controller.abort() }),
      (e: Error) => e.name === 'AbortError',
    );
  });

  it('keeps a finished read when ending its threads fails (nothing read or counted twice)', async () => {
    const sequential = await load(file, { parallel: false });
    const terminate = Worker.prototype.terminate;
    Worker.prototype.terminate = function (this: Worker) {
      void terminate.call(this);
      return Promise.reject(new Error('the thread did not end'));
    };
    try {
      const s = await load(file, { parallel: { ...PARALLEL, rangeBytes: 4096 } });
      assert.ok(sequential.malformed.count > 0);
      assert.deepEqual(s.malformed, sequential.malformed);
      assert.deepEqual(s.warnings, sequential.warnings);
      assert.deepEqual(snapshot(s), snapshot(sequential));
    } finally {
      Worker.prototype.terminate = terminate;
    }
  });

  it('falls back to one thread, with a warning, when worker threads cannot run', async () => {
    const sequential = await load(file, { parallel: false });
    setJsonlWorkerScript(join(tmp.path, 'no-such-worker.js'));
    try {
      const s = await load(file, { parallel: { ...PARALLEL, rangeBytes: 4096 } });
      assert.deepEqual(snapshot(s), snapshot(sequential));
      assert.equal(s.warnings.length, sequential.warnings.length + 1);
      assert.match(s.warnings[s.warnings.length - 1], /^reading with worker threads failed \(.*\); read on one thread instead$/);
    } finally {
      setJsonlWorkerScript(undefined);
    }
  });
});
