/**
 * `npm run bench`: the five canonical queries with Casebook's CLI, DuckDB and jq on generated
 * access logs, medians of several warm runs, ratios against DuckDB, answer checks, and the
 * in-process measurements (session re-runs, cancellation, hashing).
 *
 *   npm run bench                       1M and 4M lines (generated into bench/data/ when missing)
 *   npm run bench -- --lines 200000     quick run on one small file (also a smoke test)
 *
 * Options: --runs N (default 3), --sizes 1m,4m, --jq-max-lines N (default 1000000; jq is far
 * slower, so larger files skip it), --no-jq, --no-build, --no-extras, --only Q1,Q4,
 * --json FILE (write the results as JSON).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { describeDisagreement, disagreements } from './check';
import { cancellationLatency, firstRunVsRerun, hashThroughput, type CancelResult, type RerunResult } from './extras';
import { writeAccessLog } from './generate';
import { QUERIES } from './queries';
import { BUILT_CLI, casebookEnvironment, hasJq, median, nodeStartMs, openDuckdb, ROOT, runCasebook, runDuckdb, runJq, START_UP_VARIABLES, warm } from './tools';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

function linesOf(size: string): number {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(size.trim());
  if (!m) throw new Error(`bad size ${size}`);
  return Math.round(Number(m[1]) * (m[2].toLowerCase() === 'm' ? 1e6 : m[2].toLowerCase() === 'k' ? 1e3 : 1));
}

export function dataFile(lines: number): string {
  const label = lines % 1_000_000 === 0 ? `${lines / 1_000_000}m` : lines % 1000 === 0 ? `${lines / 1000}k` : String(lines);
  return join(ROOT, 'bench', 'data', `access-${label}.jsonl`);
}

function ensureData(lines: number): string {
  const file = dataFile(lines);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} (${lines.toLocaleString('en-US')} lines)…\n`);
    writeAccessLog(file, { lines });
  }
  return file;
}

const fmt = (ms: number | undefined) => (ms === undefined ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 1000).toFixed(3)} s`);
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

interface Row {
  size: string;
  query: string;
  casebook: number;
  duckdb: number;
  jq?: number;
  maxRssMb: number;
}

async function main(): Promise<number> {
  const runs = Math.max(1, Number(option('runs') ?? 3));
  const quick = option('lines');
  const sizes = quick ? [quick] : (option('sizes') ?? '1m,4m').split(',');
  const jqMax = flag('no-jq') || !hasJq() ? -1 : Number(option('jq-max-lines') ?? 1_000_000);
  const only = option('only')?.split(',');
  const queries = QUERIES.filter((q) => !only || only.includes(q.id));
  if (!flag('no-build')) {
    const b = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  process.stdout.write(`load average at start: ${load()}; ${runs} runs per tool, medians; DuckDB ${'with 2 threads'}\n`);
  const present = START_UP_VARIABLES.filter((name) => process.env[name] !== undefined);
  const nodeStart = present.length > 0 ? { with: nodeStartMs(process.env, 5), without: nodeStartMs(casebookEnvironment(), 5) } : undefined;
  const environment = { removed: present, ...(nodeStart ? { nodeStartMs: nodeStart } : {}) };
  if (nodeStart) process.stdout.write(`${present.join(', ')} left out of Casebook's environment (no TLS is used): \`node -e 0\` takes ${nodeStart.with.toFixed(0)} ms with, ${nodeStart.without.toFixed(0)} ms without\n`);
  const duckdb = await openDuckdb(2);
  const rows: Row[] = [];
  const failures: string[] = [];
  let largest = '';
  for (const size of sizes) {
    const lines = linesOf(size);
    const file = ensureData(lines);
    largest = file;
    const mb = statSync(file).size / 1e6;
    const useJq = jqMax >= lines;
    process.stdout.write(`\n${file}: ${lines.toLocaleString('en-US')} lines, ${mb.toFixed(0)} MB${useJq ? '' : ' (jq skipped: too slow at this size)'}\n`);
    warm(file);
    for (const q of queries) {
      const times: Record<'casebook' | 'duckdb' | 'jq', number[]> = { casebook: [], duckdb: [], jq: [] };
      const answers: Record<string, string | undefined> = {};
      let rss = 0;
      for (let i = 0; i < runs; i++) {
        const first = i === 0;
        const c = runCasebook(BUILT_CLI, file, q, first);
        times.casebook.push(c.ms);
        rss = Math.max(rss, c.maxRssKb ?? 0);
        const d = await runDuckdb(duckdb, file, q, first);
        times.duckdb.push(d.ms);
        if (first) Object.assign(answers, { casebook: c.answer, duckdb: d.answer });
        if (useJq) {
          const j = runJq(file, q, first);
          times.jq.push(j.ms);
          if (first) answers.jq = j.answer;
        }
      }
      for (const d of disagreements(q, answers)) failures.push(`${size} ${describeDisagreement(d)}`);
      const row: Row = { size, query: q.id, casebook: median(times.casebook), duckdb: median(times.duckdb), ...(useJq ? { jq: median(times.jq) } : {}), maxRssMb: rss / 1024 };
      rows.push(row);
      process.stdout.write(`  ${q.id} casebook ${fmt(row.casebook)}  duckdb ${fmt(row.duckdb)}  jq ${fmt(row.jq)}  (${times.casebook.map((t) => (t / 1000).toFixed(2)).join('/')} | ${times.duckdb.map((t) => (t / 1000).toFixed(2)).join('/')})\n`);
    }
  }

  process.stdout.write(`\n| lines | query | Casebook | DuckDB | jq | Casebook/DuckDB | jq/DuckDB | Casebook peak RSS |\n|---|---|---|---|---|---|---|---|\n`);
  for (const r of rows) {
    const q = QUERIES.find((x) => x.id === r.query)!;
    process.stdout.write(`| ${r.size} | ${r.query} ${q.title} | ${fmt(r.casebook)} | ${fmt(r.duckdb)} | ${fmt(r.jq)} | ${ratio(r.casebook, r.duckdb)} | ${ratio(r.jq, r.duckdb)} | ${r.maxRssMb.toFixed(0)} MB |\n`);
  }
  const results: { rows: Row[]; environment: typeof environment; reruns?: RerunResult[]; cancels?: CancelResult[]; hash?: { mbPerSecond: number }; load: { start: string; end?: string } } = { rows, environment, load: { start: load() } };

  if (!flag('no-extras') && largest) {
    process.stdout.write(`\nSession first run vs re-run (in process, ${largest.split('/').pop()}, fresh session and cache per query; re-run: median of 3):\n`);
    results.reruns = [];
    for (const q of queries) {
      const r = await firstRunVsRerun(largest, q);
      results.reruns.push(r);
      process.stdout.write(`  ${q.id} first ${fmt(r.firstMs)}  re-run ${fmt(r.rerunMs)}  ${(r.firstMs / r.rerunMs).toFixed(1)}× faster  cache ${r.cacheHit ? 'hit' : 'MISS'}\n`);
      if (!r.cacheHit) failures.push(`${q.id}: the re-run did not take its source from the cache`);
    }
    process.stdout.write(`\nCancellation through the cell worker, dist/cellWorker.js (cancel sent after the delay; the extension terminates the worker after 1 s):\n`);
    results.cancels = [];
    const slow = QUERIES.find((q) => q.id === 'Q4')!.kql;
    const scenarios = [
      { phase: 'while reading the source', query: slow, afterMs: 1000 },
      { phase: 'while the engine runs (source cached)', query: 'logs | extend k = strcat(tostring(actor.user), "/", tostring(room.id)) | summarize dcount(k) by tostring(actor.user) | count', afterMs: 300, warmup: [slow] },
    ];
    for (const s of scenarios) {
      try {
        const c = await cancellationLatency(largest, s.query, s);
        results.cancels.push(c);
        process.stdout.write(`  ${s.phase}: result ${c.latencyMs.toFixed(0)} ms after cancel (${c.withinGrace ? 'cooperative, within 1 s' : 'would need the 1 s terminate'}; ${c.reportedCancelled ? 'reported as cancelled' : 'NOT reported as cancelled'})\n`);
      } catch (e) {
        process.stdout.write(`  ${s.phase}: ${(e as Error).message}\n`);
      }
    }
    const h = await hashThroughput(largest);
    results.hash = h;
    process.stdout.write(`\nhashFiles (SHA-256, warm cache): ${h.mbPerSecond.toFixed(0)} MB/s (${fmt(h.ms)} for ${largest.split('/').pop()})\n`);
  }
  results.load.end = load();
  process.stdout.write(`\nload average at end: ${results.load.end}\n`);
  const json = option('json');
  if (json) writeFileSync(json, JSON.stringify(results, null, 2));
  if (failures.length) {
    process.stderr.write(`\nFAILED: ${failures.length} problem(s)\n${failures.join('\n')}\n`);
    return 1;
  }
  process.stdout.write('all tools agree on every answer\n');
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(2);
    },
  );
}
