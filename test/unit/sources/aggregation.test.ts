/**
 * A query's leading aggregation run in the reader threads (partial step per range, combined in
 * range order) must give exactly what the ordinary path gives: the same columns, types, rows and
 * row order, warnings and errors. Each query also states which path it takes, so a split that
 * silently stops happening fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import fc from 'fast-check';
import { createSourceProvider } from '../../../src/core/notebook/sourceProvider';
import { runQuery, type QueryEnvironment } from '../../../src/core/query/engine';
import { Scope } from '../../../src/core/query/scope';
import type { Table } from '../../../src/core/query/table';
import { DateTime, type Value } from '../../../src/core/query/values';
import { setJsonlWorkerScript, type ParallelSettings } from '../../../src/core/sources';
import { tempDir } from './helpers';
import { line } from './jsonLines';

const NOW = DateTime.fromMillis(Date.UTC(2026, 5, 10));
type Path = 'partials' | 'table' | 'declined';

interface Outcome {
  readonly table?: { schema: string[]; rows: Value[][] };
  readonly error?: string;
  readonly warnings: string[];
  readonly path?: Path;
}

function rowsOf(t: Table): Value[][] {
  return Array.from({ length: t.rowCount }, (_, r) => t.columns.map((c) => c.get(r)));
}

/** Runs `kql` over `decl` as source `src`, through a fresh provider (nothing cached between runs). */
async function run(decl: unknown, baseDir: string, kql: string, aggregate: boolean, parallel: ParallelSettings): Promise<Outcome> {
  const created = createSourceProvider({ src: decl }, baseDir, undefined, parallel);
  if (!created.ok) throw new Error(created.problems.join('\n'));
  const provider = created.provider;
  const warnings: string[] = [];
  let path: Path | undefined;
  const env: QueryEnvironment = {
    resolveTable: (name, signal, request) => provider.load(name, { signal, progress: () => {}, warn: (w) => warnings.push(w), request }),
    ...(aggregate
      ? {
          aggregateTable: async (name, plan, signal, request) => {
            const result = await provider.aggregate(name, plan, { signal, progress: () => {}, warn: (w) => warnings.push(w), request });
            path = result ? (result.kind === 'partials' ? 'partials' : 'table') : 'declined';
            return result;
          },
        }
      : {}),
    scope: Scope.empty,
    now: NOW,
  };
  try {
    const result = await runQuery(kql, env, new AbortController().signal);
    const t = result.table!;
    return { table: { schema: t.schema.map((c) => `${c.name}:${c.type}`), rows: rowsOf(t) }, warnings: [...warnings, ...result.warnings], ...(path ? { path } : {}) };
  } catch (e) {
    return { error: (e as Error).message, warnings, ...(path ? { path } : {}) };
  }
}

describe('sources/aggregation in reader threads', function () {
  this.timeout(120_000);
  const tmp = tempDir();
  after(() => tmp.cleanup());
  const PARALLEL: ParallelSettings = { workers: 2, minBytes: 0, rangeBytes: 3000 };

  // Access-log-like lines whose types shift between ranges: `bytes` turns real late in the file,
  // `status` is sometimes text, `event` is missing or null now and then, some lines are broken,
  // some times do not parse, and `actor` is an object (member paths are not split).
  const events = ['login', 'logout', 'file.upload', 'message.send', 'Login'];
  const access = Array.from({ length: 4000 }, (_, i) => {
    if (i % 997 === 500) return '{"ts": broken';
    const ts = i % 911 === 3 ? '"yesterday"' : `"2026-06-0${1 + (i % 7)}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00.${String(i % 1000).padStart(3, '0')}Z"`;
    const event = i % 53 === 0 ? '' : i % 59 === 0 ? ',"event":null' : `,"event":"${events[(i * 7) % events.length]}"`;
    const status = i % 401 === 7 ? '"200"' : String([200, 201, 403, 404, 500][i % 5]);
    const bytes = i > 3500 && i % 3 === 0 ? `${i}.5` : String(i * 1000);
    return `{"ts":${ts}${event},"status":${status},"bytes":${bytes},"actor":{"user":"u${i % 37}"},"user":"u${i % 41}","big":${i === 2222 ? '9223372036854775807' : String(i)}}`;
  });
  const file = join(tmp.path, 'access.jsonl');
  const random = join(tmp.path, 'random.jsonl');
  before(() => {
    writeFileSync(file, access.join('\n'));
    writeFileSync(random, Buffer.from(fc.sample(line, { seed: 777, numRuns: 2500 }).join('\n'), 'latin1'));
  });

  async function same(decl: unknown, kql: string, expected: Path | undefined, parallel = PARALLEL): Promise<Outcome> {
    const ordinary = await run(decl, tmp.path, kql, false, parallel);
    const split = await run(decl, tmp.path, kql, true, parallel);
    assert.deepEqual(split.table, ordinary.table, kql);
    assert.equal(split.error, ordinary.error, kql);
    assert.deepEqual(split.warnings, ordinary.warnings, kql);
    assert.equal(split.path, expected, `${kql}: path`);
    return split;
  }

  const timed = { path: 'access.jsonl', time: { field: 'ts' } };

  it('splits counts, long sums and extremes, with keys of every scalar type', async () => {
    const queries = [
      'src | summarize count() by event',
      'src | summarize count() by bin(ts, 1h), event',
      'src | summarize count()',
      'src | summarize n = count(), c = countif(status >= 400), s = sum(big), lo = min(ts), hi = max(event) by st = tolong(status)',
      'src | where status == 403 or event =~ "login" | extend day = startofday(ts) | summarize count(), sum(tolong(status)) by day, ok = status < 400',
      'src | summarize count(event), minif(user, status == 500), maxif(ts, event == "logout"), sumif(tolong(status), user == "u3") by user | sort by user asc',
      'src | summarize by event, tolong(status)',
      'src | summarize count() by tostring(bytes % 7), isnull(ts) | take 5',
      'src | summarize count(*) by ago(1d) > ts',
      'src | where user in ("u1", "u2") | summarize count() by event | top 3 by count_ desc',
      'src | summarize count_ = count(), count_ = countif(true) by count_ = event', // duplicate names are made unique the same way
      // `count` and `distinct` of columns are summarizes.
      'src | where status >= 400 | count',
      'src | where isnull(ts) | count',
      'src | distinct event, tolong(status)',
      // Member paths: struct columns, typed as the merge types them.
      'src | summarize count(), max(tostring(actor.user)) by tostring(actor.user) | sort by actor_user',
      'src | where actor.user in ("u3", "u4") | summarize count() by event',
    ];
    for (const q of queries) await same(timed, q, 'partials');
    const binned = await same(timed, 'src | summarize count() by bin(ts, 1d), event', 'partials');
    assert.ok(binned.table!.rows.length >= 30);
    assert.ok(binned.warnings.some((w) => /5 value\(s\) of time field "ts" could not be read as times and are null \(first at access\.jsonl:\d+: /.test(w)), binned.warnings.join('\n'));
    assert.ok(binned.warnings.some((w) => /skipped 4 malformed lines, first at access.jsonl:501/.test(w)), binned.warnings.join('\n'));
  });

  it('counts ambiguous local times when readers aggregate as when the table is read', async () => {
    const local = join(tmp.path, 'local.jsonl');
    writeFileSync(local, Array.from({ length: 3000 }, (_, i) => JSON.stringify({ ts: i % 7 === 0 ? `2024-10-27T02:${String(i % 60).padStart(2, '0')}:00` : '2024-06-01T12:00:00', e: `e${i % 3}` })).join('\n'));
    const binned = await same({ path: 'local.jsonl', timezone: 'Europe/Berlin' }, 'src | summarize count() by bin(ts, 1h), e', 'partials');
    assert.ok(binned.warnings.some((w) => w.includes('time field "ts" (Europe/Berlin, no offset in the values): 429 value(s) fell in an hour its clocks repeat')), binned.warnings.join('\n'));
  });

  it('reads the table instead when the split would not be exact', async () => {
    // A real sum depends on the order of addition; a real extreme on NaN; dynamic keys cross threads badly.
    await same(timed, 'src | summarize sum(bytes) by event', 'table');
    await same(timed, 'src | summarize max(bytes / 0.0) by event', 'table');
    await same(timed, 'src | summarize count() by status', 'table'); // a number, and text on some lines
    // Errors and warnings come from the ordinary path.
    const failed = await same(timed, 'src | where nosuch > 1 | summarize count()', 'table');
    assert.match(failed.error!, /nosuch/);
  });

  it('does not split what it cannot see whole', async () => {
    // An aggregate that does not combine, a wrapper over aggregates, names from outside the row.
    await same(timed, 'src | summarize dcount(user) by event', undefined);
    await same(timed, 'src | summarize round(100.0 * countif(status >= 400) / count(), 1) by event', undefined);
    await same(timed, 'let limit = 400; src | where status >= limit | summarize count() by event', undefined);
    await same(timed, 'src | where user in (datatable(u:string)["u1"]) | summarize count()', undefined);
    // A prefilter makes the ordinary read cheaper.
    await same(timed, 'src | where event == "logout" | summarize count() by user', undefined);
    // Later operators, not the source's, decide nothing here: the split is only at the source.
    await same(timed, 'src | project event, status | summarize count() by event', undefined);
    await same(timed, 'src | distinct *', undefined);
    // A source the query reads in several places: one read serves them all.
    await same(timed, 'let total = toscalar(src | summarize count()); src | summarize n = count() by event | extend pct = 100.0 * n / total', undefined);
    await same(timed, 'src | summarize count() by event | join (src | summarize n = count() by event) on event', undefined);
  });

  it('reads the table instead when ranges have many groups (ids), where merging columns is cheaper', async () => {
    const f = join(tmp.path, 'ids.jsonl');
    writeFileSync(f, Array.from({ length: 24_000 }, (_, i) => `{"id":"req-${i}","kind":"k${i % 3}"}`).join('\n'));
    const decl = { path: 'ids.jsonl', time: false };
    const wide: ParallelSettings = { ...PARALLEL, rangeBytes: 200_000 };
    const byId = await run(decl, tmp.path, 'src | summarize count() by id', true, wide);
    assert.equal(byId.path, 'table');
    assert.deepEqual(byId.table, (await run(decl, tmp.path, 'src | summarize count() by id', false, wide)).table);
    assert.equal((await run(decl, tmp.path, 'src | summarize count() by kind', true, wide)).path, 'partials');
  });

  it('types a member-path field the same in threads that never saw an object in it', async () => {
    const f = join(tmp.path, 'early-objects.jsonl');
    writeFileSync(f, Array.from({ length: 3000 }, (_, i) => `{"n":${i},"actor":${i < 20 ? `{"user":"u${i % 3}","ip":"10.0.0.${i}"}` : i % 2 ? '"system"' : 'null'}}`).join('\n'));
    await same({ path: 'early-objects.jsonl', time: false }, 'src | summarize count(), max(n) by tostring(actor.user), tostring(actor), isnull(actor.ip)', 'partials');
  });

  it('counts malformed lines once when a thread fails while aggregating', async () => {
    // A thread that ends itself once its reads are done, when asked for its columns or partial
    // results (the partial results of its ranges came with them): the load starts again on this thread.
    const wrapper = join(tmp.path, 'dying-worker.ts');
    writeFileSync(wrapper, `import { parentPort } from 'node:worker_threads';\nparentPort!.on('message', (m: { type: string }) => { if (m.type === 'describe' || m.type === 'aggregate') process.exit(3); });\nrequire(${JSON.stringify(join(__dirname, '../../../src/core/sources/jsonlWorker.ts'))});\n`);
    setJsonlWorkerScript(wrapper);
    try {
      const failed = await run(timed, tmp.path, 'src | summarize count() by event', true, PARALLEL);
      const ordinary = await run(timed, tmp.path, 'src | summarize count() by event', false, PARALLEL);
      assert.deepEqual(failed.table, ordinary.table);
      assert.equal(failed.path, 'table');
      assert.match(failed.warnings.join('\n'), /reading with worker threads failed/);
      assert.deepEqual(failed.warnings.filter((w) => /malformed/.test(w)), ordinary.warnings.filter((w) => /malformed/.test(w)));
      assert.match(failed.warnings.join('\n'), /skipped 4 malformed lines/);
    } finally {
      setJsonlWorkerScript(undefined);
    }
  });

  it('counts decompressed bytes once when a thread fails and the load starts again on this thread', async () => {
    for (let i = 1; i <= 4; i++) writeFileSync(join(tmp.path, `steady-${i}.jsonl.gz`), gzipSync(Array.from({ length: 5000 }, (_, r) => `{"k":${r % 7},"e":"e${r % 3}"}`).join('\n') + '\n'));
    const total = [1, 2, 3, 4].reduce((a, i) => a + gunzipSync(readFileSync(join(tmp.path, `steady-${i}.jsonl.gz`))).length, 0);
    const decl = { path: 'steady-*.jsonl.gz', time: false, maxDecompressedBytes: String(total + 1000) };
    const wrapper = join(tmp.path, 'dying-after-reads.ts');
    writeFileSync(wrapper, `import { parentPort } from 'node:worker_threads';\nparentPort!.on('message', (m: { type: string }) => { if (m.type === 'describe' || m.type === 'aggregate' || m.type === 'finish') process.exit(3); });\nrequire(${JSON.stringify(join(__dirname, '../../../src/core/sources/jsonlWorker.ts'))});\n`);
    setJsonlWorkerScript(wrapper);
    try {
      for (const aggregate of [true, false]) {
        const failed = await run(decl, tmp.path, 'src | summarize count() by e', aggregate, PARALLEL);
        assert.equal(failed.error, undefined, failed.error);
        assert.match(failed.warnings.join('\n'), /reading with worker threads failed/);
        assert.deepEqual(failed.table!.rows.map((r) => r[1]), [6668n, 6668n, 6664n]);
      }
    } finally {
      setJsonlWorkerScript(undefined);
    }
  });

  /**
   * A reader thread that notes the messages it gets: the ranges it reads (and whether it may drop
   * their rows once aggregated), the ranges it is asked to run the partial step over again, and
   * the ranges it reads again to aggregate, their rows having been dropped.
   */
  function notingWorker(name: string) {
    const notes = join(tmp.path, `${name}-notes`);
    const wrapper = join(tmp.path, `${name}-worker.ts`);
    writeFileSync(
      wrapper,
      `import { appendFileSync } from 'node:fs';\nimport { parentPort } from 'node:worker_threads';\n` +
        `parentPort!.on('message', (m: { type: string; ids?: number[]; dropAggregated?: boolean }) => { const note = (s: string) => appendFileSync(${JSON.stringify(notes)}, s + '\\n'); ` +
        `if (m.type === 'aggregate') note('aggregate ' + (m.ids ? m.ids.length : -1)); if (m.type === 'aggregateRange') note('again'); if (m.type === 'read') note(m.dropAggregated ? 'read drop' : 'read keep'); });\n` +
        `require(${JSON.stringify(join(__dirname, '../../../src/core/sources/jsonlWorker.ts'))});\n`,
    );
    const noted = (): string[] => {
      try {
        return readFileSync(notes, 'utf8').trim().split('\n');
      } catch {
        return [];
      }
    };
    return {
      /** Runs `body` with this reader thread, from no notes. */
      async use<T>(body: () => Promise<T>): Promise<T> {
        rmSync(notes, { force: true });
        setJsonlWorkerScript(wrapper);
        try {
          return await body();
        } finally {
          setJsonlWorkerScript(undefined);
        }
      },
      /** How many ranges each `aggregate` message asked for. */
      asked: () => noted().flatMap((n) => (n.startsWith('aggregate ') ? [Number(n.slice('aggregate '.length))] : [])),
      /** Ranges read again to aggregate. */
      readAgain: () => noted().filter((n) => n === 'again').length,
      /** `keep` or `drop`, for each range read. */
      reads: () => noted().flatMap((n) => (n.startsWith('read ') ? [n.slice('read '.length)] : [])),
    };
  }

  it('keeps each partial result computed as its range was read when its types are final, and computes only the others again', async () => {
    const thread = notingWorker('typed');
    const lines = 12_000;
    const line = (i: number, k: string) => (i < 50 ? `{"k":${k},"n":${i},"event":"e${i % 4}"}` : `{"event":"e${i % 4}","n":${i},"k":${k}}`);
    // The first lines (in the first range) list their keys in another order: a reader that never
    // met them orders its columns otherwise.
    const steady = join(tmp.path, 'steady.jsonl');
    writeFileSync(steady, Array.from({ length: lines }, (_, i) => line(i, String(i % 3))).join('\n'));
    // `k` is real in the first lines only: the reader of the first range types it real throughout,
    // the thread (which reads later ranges) types its ranges long, which the merged table does not.
    const early = join(tmp.path, 'real-early.jsonl');
    writeFileSync(early, Array.from({ length: lines }, (_, i) => line(i, i < 10 ? '1.5' : String(i % 3))).join('\n'));
    const parallel = { ...PARALLEL, rangeBytes: 4000 };
    const query = 'src | summarize count(), countif(n % 2 == 0) by k, event';
    await thread.use(() => same({ path: steady, time: false }, query, 'partials', parallel));
    // The ordinary run of `same` reads keeping rows; then the split's thread drops each range's
    // rows once aggregated, and needs nothing again.
    assert.match(thread.reads().join(' '), /^(keep )+drop( drop)*$/);
    assert.deepEqual([thread.asked(), thread.readAgain()], [[], 0], 'steady: no range computed again');
    await thread.use(() => same({ path: early, time: false }, query, 'partials', parallel));
    // The thread dropped the rows of the ranges it typed otherwise: it reads those ranges again,
    // each on its own (the file is not read again); those of the reader on the calling thread stand.
    assert.match(thread.reads().join(' '), /^(keep )+drop( drop)*$/);
    const ranges = Math.ceil(statSync(early).size / 4000);
    assert.deepEqual(thread.asked(), []);
    assert.ok(thread.readAgain() > 0 && thread.readAgain() < ranges / 2, `${thread.readAgain()} of about ${ranges} ranges read again`);
    // Readers keep the rows of sums and extremes (and without dropping): the thread runs the step
    // again over its ranges' rows, all asked at once.
    for (const [q, settings] of [[query, { ...parallel, dropAggregated: false }], ['src | summarize count(), sum(n), max(n) by k, event', parallel]] as const) {
      await thread.use(() => same({ path: early, time: false }, q, 'partials', settings));
      assert.match(thread.reads().join(' '), /^keep( keep)*$/, q);
      const again = thread.asked();
      assert.equal(again.length, 1, 'asked once');
      assert.ok(again[0] > 0 && again[0] < ranges / 2, `${again[0]} of about ${ranges} ranges computed again`);
    }
  });

  it('reads dropped ranges again without counting their bytes twice against the decompression limit', async () => {
    const thread = notingWorker('gzip');
    // Six files of about 100 KiB each; `k` turns real in the last: the readers typed the earlier
    // files' partial results long and dropped their rows.
    for (let i = 1; i <= 6; i++) {
      const rows = Array.from({ length: 5000 }, (_, r) => `{"k":${i === 6 && r % 2 ? `${r}.5` : r % 7},"e":"e${r % 3}"}`);
      writeFileSync(join(tmp.path, `typed-${i}.jsonl.gz`), gzipSync(rows.join('\n') + '\n'));
    }
    const total = [1, 2, 3, 4, 5, 6].reduce((a, i) => a + gunzipSync(readFileSync(join(tmp.path, `typed-${i}.jsonl.gz`))).length, 0);
    // Room for one read of the data, not two.
    const decl = { path: 'typed-*.jsonl.gz', time: false, maxDecompressedBytes: String(total + 1000) };
    const out = await thread.use(() => same(decl, 'src | summarize count() by e, half = tostring(k % 2)', 'partials', { ...PARALLEL }));
    assert.deepEqual(out.table!.schema, ['e:string', 'half:string', 'count_:long']);
    assert.ok(thread.readAgain() > 0, 'the thread read dropped ranges again');
  });

  it('reads the whole source again, keeping rows, when the merge needs rows that were dropped', async () => {
    const thread = notingWorker('restart');
    // `st` is a number but in the last lines: the final type, dynamic, refuses a split key, so the
    // ordinary path needs every row, and the thread had dropped those of its ranges.
    const f = join(tmp.path, 'turns-dynamic.jsonl');
    writeFileSync(f, Array.from({ length: 12_000 }, (_, i) => `{"lvl":"l${i % 3}","st":${i >= 11_900 ? '"n/a"' : 200 + (i % 3)}}`).join('\n'));
    const parallel = { ...PARALLEL, rangeBytes: 4000 };
    await thread.use(() => same({ path: f, time: false }, 'src | summarize count() by lvl, st', 'table', parallel));
    assert.match(thread.reads().join(' '), /^(keep )+(drop )+keep( keep)*$/);
    // A sum or an extreme over a value that turns real later keeps its rows: one read.
    const widening = join(tmp.path, 'widening.jsonl');
    writeFileSync(widening, Array.from({ length: 12_000 }, (_, i) => `{"lvl":"l${i % 3}","d":${i >= 11_900 ? `${i}.5` : i}}`).join('\n'));
    await thread.use(() => same({ path: widening, time: false }, 'src | summarize count(), max(d) by lvl', 'table', parallel));
    assert.match(thread.reads().join(' '), /^keep( keep)*$/);
  });

  it('runs the partial step again over a reader\'s kept ranges, however many groups they have, once another reader dropped rows', async () => {
    const thread = notingWorker('groups');
    // Distinct keys in the first range (the calling thread's reader declines it for too many
    // groups, and keeps its rows), few after (the thread drops its ranges' rows).
    const f = join(tmp.path, 'groups-first.jsonl');
    writeFileSync(f, Array.from({ length: 60_000 }, (_, i) => `{"k":"${i < 5000 ? `id-${i}` : `k${i % 50}`}"}`).join('\n'));
    await thread.use(() => same({ path: f, time: false }, 'src | summarize count() by k', 'partials', { ...PARALLEL, rangeBytes: 200_000 }));
    assert.match(thread.reads().join(' '), /^(keep )+drop( drop)*$/, 'no second read');
  });

  it('falls back to the table when the time field is decided while reading', async () => {
    // Without a declared time field, the threads decide it per range: ranges are not shared tables.
    await same('access.jsonl', 'src | summarize count() by status', 'table');
  });

  it('matches the ordinary path over random and broken lines', async () => {
    const queries = [
      'src | summarize count() by tostring(a)',
      'src | summarize count(), countif(isnotnull(b)), max(tostring(b)) by k = strlen(tostring(a)) % 3',
      'src | summarize sum(tolong(a)), min(tostring(ts)) by tostring(b)',
      'src | summarize count() by bin(todatetime(ts), 1d)',
      // Member paths into fields that are objects on some lines only, and in some ranges only.
      'src | summarize count(), countif(isnull(a.b)) by tostring(a.b), tostring(b["a"])',
      'src | summarize count() by tostring(a["__proto__"]), isempty(tostring(a.ts))',
    ];
    for (const q of queries) await same({ path: 'random.jsonl', time: false }, q, 'partials');
  });
});
