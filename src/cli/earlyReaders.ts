/**
 * Reader threads take about a tenth of a second to start. When `casebook query` will read a large
 * JSON Lines file with threads, the launcher starts them before the tool loads (a guess from the
 * file's name and size and the query's text; see largeSources.ts), and this module, which main.ts
 * imports first, keeps them for the read or starts them now. Its check follows the loader's own
 * rules (sizes, and whether the query's filters allow a prefilter); a wrong one costs a thread's
 * start.
 */
import { parseQuery } from '../core/query/parser';
import { planSourceRequests } from '../core/query/pushdown';
import { Scope } from '../core/query/scope';
import { PREFILTER_MIN_BYTES } from '../core/sources/limits';
import { dropHandedOverThreads, PREFILTERED_PARALLEL_MIN_BYTES, startReadersEarly } from '../core/sources/readerPool';
import { largeJsonlSources, queryArguments } from './largeSources';

/** Whether `casebook query` with these arguments reads a plain JSON Lines file large enough for threads. */
export function readsWithThreads(argv: readonly string[]): boolean {
  const args = queryArguments(argv);
  if (!args || args.positionals.length !== 1) return false;
  const large = largeJsonlSources(args.sources);
  if (large.length === 0) return false;
  let requests;
  try {
    requests = planSourceRequests(parseQuery(args.positionals[0]), { scope: Scope.empty, tableNames: [...args.sources.keys()] });
  } catch {
    return false; // the command reports the error
  }
  return large.some(({ name, bytes }) => {
    const prefiltered = (requests.get(name)?.mustContain?.length ?? 0) > 0 && bytes >= PREFILTER_MIN_BYTES;
    return !prefiltered || bytes >= PREFILTERED_PARALLEL_MIN_BYTES;
  });
}

if (readsWithThreads(process.argv.slice(2))) startReadersEarly();
else dropHandedOverThreads();
