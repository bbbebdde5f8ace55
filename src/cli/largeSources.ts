/**
 * The sources of a `casebook query` command line that are plain JSON Lines files large enough to
 * be read with threads (by their names and sizes; the query is not parsed). Light enough for the
 * launcher, which starts reader threads before the tool loads (see earlyReaders.ts).
 */
import { statSync } from 'node:fs';
import { formatFromName } from '../core/sources/formats';
import { PARALLEL_MIN_BYTES, PREFILTERED_PARALLEL_MIN_BYTES } from '../core/sources/readerPool';

export interface LargeSource {
  readonly name: string;
  readonly bytes: number;
}

/** A `--source` option's name and value (`NAME=VALUE`, split at the first `=`), or null without a name. */
export function sourceOption(option: string): { readonly name: string; readonly value: string } | null {
  const eq = option.indexOf('=');
  return eq > 0 ? { name: option.slice(0, eq), value: option.slice(eq + 1) } : null;
}

/** Whether a `--source` value (after `NAME=`) is settings, `{...}`, rather than a path. */
export function isSourceSettings(value: string): boolean {
  const text = value.trim();
  return text.startsWith('{') && text.endsWith('}');
}

/**
 * The path a `--source` value names: the value itself, or for settings (`{path: PATH, ...}`, also
 * as JSON) the `path` written plainly or quoted without escapes. A guess from the text, without a
 * YAML parser: a path it misses only costs the head start.
 */
function sourcePath(value: string): string {
  if (!isSourceSettings(value)) return value;
  const m = /[{,]\s*(?:path|"path"|'path')\s*:\s*(?:"([^"\\]*)"|'([^']*)'|([^\s"'{}[\],][^{}[\],]*?))\s*[,}]/.exec(value);
  return m ? (m[1] ?? m[2] ?? m[3]) : '';
}

/** The `--source` options (name and path) and the positional arguments of `casebook query`, else null. */
export function queryArguments(argv: readonly string[]): { sources: Map<string, string>; positionals: string[] } | null {
  if (argv[0] !== 'query') return null;
  const sources = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) positionals.push(arg);
    else {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      const option = value !== undefined && arg.startsWith('--source') ? sourceOption(value) : null;
      if (option) sources.set(option.name, sourcePath(option.value));
    }
  }
  return { sources, positionals };
}

export function largeJsonlSources(sources: ReadonlyMap<string, string>): LargeSource[] {
  const large: LargeSource[] = [];
  for (const [name, path] of sources) {
    // One gzip file is one task, read on one thread.
    if (formatFromName(path) !== 'jsonl' || /\.gz$/i.test(path)) continue;
    try {
      const s = statSync(path);
      if (s.isFile() && s.size >= PARALLEL_MIN_BYTES) large.push({ name, bytes: s.size });
    } catch {
      // globs and missing files are left to the load
    }
  }
  return large;
}

/**
 * A `where` with a quoted literal usually lets the read skip lines by their bytes (a prefilter),
 * which makes threads pay off only from PREFILTERED_PARALLEL_MIN_BYTES. A guess from the text,
 * without parsing the query: the tool decides once it has (see `readsWithThreads`).
 */
const FILTERS_BY_A_LITERAL = /\|\s*(?:where|filter)\b[^|]*["']/;

/** Whether `casebook query` with these arguments may read a source with threads (a guess; see above). */
export function mayReadWithThreads(argv: readonly string[]): boolean {
  const args = queryArguments(argv);
  if (args === null || args.positionals.length !== 1) return false;
  const threshold = FILTERS_BY_A_LITERAL.test(args.positionals[0]) ? PREFILTERED_PARALLEL_MIN_BYTES : PARALLEL_MIN_BYTES;
  return largeJsonlSources(args.sources).some((s) => s.bytes >= threshold);
}
