/**
 * The answer-equality check: every tool must return the same canonical answer for every query.
 * The benchmark runs it on its first timed run of each query; the unit test runs it on tiny data.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { QUERIES, type BenchQuery } from './queries';
import { hasJq, runCasebook, runDuckdb, runJq, type CasebookCommand } from './tools';

export interface Disagreement {
  readonly query: string;
  readonly answers: Readonly<Record<string, string>>;
}

/** Tools whose answers differ from DuckDB's (the reference), per query. */
export function disagreements(query: BenchQuery, answers: Readonly<Record<string, string | undefined>>): Disagreement[] {
  const reference = answers.duckdb;
  const present = Object.entries(answers).filter((e): e is [string, string] => e[1] !== undefined);
  if (present.every(([, a]) => a === reference)) return [];
  return [{ query: query.id, answers: Object.fromEntries(present) }];
}

export function describeDisagreement(d: Disagreement): string {
  const lines = Object.entries(d.answers).map(([tool, a]) => `  ${tool.padEnd(8)} ${a.length > 400 ? a.slice(0, 400) + '…' : a}`);
  return `${d.query}: the tools disagree\n${lines.join('\n')}`;
}

/** Runs each query once with each tool and returns every disagreement (empty: all agree). */
export async function checkAnswers(file: string, options: { casebook: CasebookCommand; duckdb: DuckDBConnection; jq?: boolean; queries?: readonly BenchQuery[] }): Promise<Disagreement[]> {
  const useJq = options.jq !== false && hasJq();
  const out: Disagreement[] = [];
  for (const q of options.queries ?? QUERIES) {
    const answers = {
      casebook: runCasebook(options.casebook, file, q, true).answer,
      duckdb: (await runDuckdb(options.duckdb, file, q, true)).answer,
      ...(useJq ? { jq: runJq(file, q, true).answer } : {}),
    };
    out.push(...disagreements(q, answers));
  }
  return out;
}
