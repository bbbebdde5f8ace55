/** Running one query with each tool: Casebook's CLI (a new process), DuckDB (in process), jq. */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parseJsonLines, type Answer, type BenchQuery } from './queries';

export const ROOT = resolve(__dirname, '..');

export interface Timed {
  readonly ms: number;
  readonly answer?: Answer;
  /** Peak resident set size in KiB (Casebook runs under /usr/bin/time). */
  readonly maxRssKb?: number;
}

const scratch = mkdtempSync(join(tmpdir(), 'casebook-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

const GNU_TIME = '/usr/bin/time';

/** How to start the CLI: the built bundle by default, or from source (no build) for tests. */
export type CasebookCommand = readonly string[];
export const BUILT_CLI: CasebookCommand = [process.execPath, join(ROOT, 'dist', 'cli.js')];
export const SOURCE_CLI: CasebookCommand = [process.execPath, '--require', require.resolve('tsx/cjs'), join(ROOT, 'src', 'cli', 'main.ts')];

/**
 * Variables that make every Node.js process pay at start for work a query never uses, left out of
 * the CLI's environment: with NODE_EXTRA_CA_CERTS set, Node.js 20 (OpenSSL 3) reads and parses
 * that certificate bundle before running any code (nodejs/node#40524), whether or not the program
 * makes a TLS connection, and Casebook makes none. The run prints what that costs on the machine.
 */
export const START_UP_VARIABLES = ['NODE_EXTRA_CA_CERTS'] as const;

export function casebookEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of START_UP_VARIABLES) delete env[name];
  return env;
}

/** Medians of `runs` starts of `node -e 0` with the given environment, in ms. */
export function nodeStartMs(env: NodeJS.ProcessEnv, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0'], { env, stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  return median(times);
}

/**
 * `casebook query --source logs=FILE 'KQL' --format jsonl`, stdout into a file (as `> /dev/null`
 * would, without a pipe the harness has to drain). Wall time includes process start and reading.
 */
export function runCasebook(command: CasebookCommand, file: string, query: BenchQuery, wantAnswer: boolean): Timed {
  const out = join(scratch, 'casebook.out');
  const timing = join(scratch, 'casebook.time');
  const fd = openSync(out, 'w');
  const useTime = existsSync(GNU_TIME);
  const argv = [...command, 'query', '--source', `logs=${file}`, query.kql, '--format', 'jsonl'];
  const started = performance.now();
  const options = { stdio: ['ignore', fd, 'pipe'] as ('ignore' | number | 'pipe')[], encoding: 'utf8' as const, env: casebookEnvironment() };
  const r = useTime ? spawnSync(GNU_TIME, ['-f', '%M', '-o', timing, ...argv], options) : spawnSync(argv[0], argv.slice(1), options);
  const ms = performance.now() - started;
  closeSync(fd);
  if (r.status !== 0) throw new Error(`casebook failed on ${query.id} (exit ${r.status}): ${r.stderr}`);
  const maxRssKb = useTime ? Number(readFileSync(timing, 'utf8').trim().split('\n').pop()) : undefined;
  return { ms, maxRssKb, ...(wantAnswer ? { answer: query.fromCasebook(parseJsonLines(readFileSync(out, 'utf8'))) } : {}) };
}

export async function runDuckdb(connection: DuckDBConnection, file: string, query: BenchQuery, wantAnswer: boolean): Promise<Timed> {
  const started = performance.now();
  const reader = await connection.runAndReadAll(query.sql(file));
  const rows = reader.getRowObjects();
  const ms = performance.now() - started;
  return { ms, ...(wantAnswer ? { answer: query.fromDuckdb(rows as Record<string, unknown>[]) } : {}) };
}

export function hasJq(): boolean {
  return spawnSync('jq', ['--version'], { encoding: 'utf8' }).status === 0;
}

export function runJq(file: string, query: BenchQuery, wantAnswer: boolean): Timed {
  const out = join(scratch, 'jq.out');
  const fd = openSync(out, 'w');
  const started = performance.now();
  const r = spawnSync('jq', [...query.jq, file], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - started;
  closeSync(fd);
  if (r.status !== 0) throw new Error(`jq failed on ${query.id} (exit ${r.status}): ${r.stderr}`);
  return { ms, ...(wantAnswer ? { answer: query.fromJq(readFileSync(out, 'utf8')) } : {}) };
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function openDuckdb(threads = 2): Promise<DuckDBConnection> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  return instance.connect();
}

/** Reads a file once so timed runs start from a warm page cache. */
export function warm(file: string): void {
  spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });
}
