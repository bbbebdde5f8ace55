/**
 * Reader threads take about a tenth of a second to start. When `casebook query` will read a large
 * JSON Lines file with threads, it starts them here, before the rest of the tool loads (main.ts
 * imports this module first), and the read takes them over. The guess follows the loader's own
 * rules (sizes, and whether the query's filters allow a prefilter); a wrong one costs a thread's
 * start.
 */
import { statSync } from 'node:fs';
import { parseQuery } from '../core/query/parser';
import { planSourceRequests } from '../core/query/pushdown';
import { Scope } from '../core/query/scope';
import { formatFromName } from '../core/sources/formats';
import { PREFILTER_MIN_BYTES } from '../core/sources/limits';
import { PARALLEL_MIN_BYTES, PREFILTERED_PARALLEL_MIN_BYTES, startReadersEarly } from '../core/sources/readerPool';

/** Whether `casebook query` with these arguments reads a plain JSON Lines file large enough for threads. */
export function readsWithThreads(argv: readonly string[]): boolean {
  if (argv[0] !== 'query') return false;
  const sources = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) positionals.push(arg);
    else {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (value !== undefined && arg.startsWith('--source')) sources.set(value.slice(0, value.indexOf('=')), value.slice(value.indexOf('=') + 1));
    }
  }
  if (positionals.length !== 1) return false;
  let requests;
  try {
    requests = planSourceRequests(parseQuery(positionals[0]), { scope: Scope.empty, tableNames: [...sources.keys()] });
  } catch {
    return false; // the command reports the error
  }
  for (const [name, path] of sources) {
    // One gzip file is one task, read on one thread.
    if (formatFromName(path) !== 'jsonl' || /\.gz$/i.test(path)) continue;
    let bytes: number;
    try {
      const s = statSync(path);
      if (!s.isFile()) continue;
      bytes = s.size;
    } catch {
      continue; // globs and missing files are left to the load
    }
    const prefiltered = (requests.get(name)?.mustContain?.length ?? 0) > 0 && bytes >= PREFILTER_MIN_BYTES;
    if (bytes >= (prefiltered ? PREFILTERED_PARALLEL_MIN_BYTES : PARALLEL_MIN_BYTES)) return true;
  }
  return false;
}

if (readsWithThreads(process.argv.slice(2))) startReadersEarly();
