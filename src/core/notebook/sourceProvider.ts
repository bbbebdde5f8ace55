/**
 * Front-matter sources as tables for a session: validated once, loaded on first use through the
 * shared cache, with malformed-line counts surfaced as warnings on the cell that read them.
 */
import * as path from 'node:path';
import { hashFiles, loadAggregated, loadForQuery, loadSource, parseSources, sourceFiles, SourceCache, SourceLoadError, SourceSpecError, type LoadedSource, type LoadProgress, type ParallelSettings, type SourceSpec } from '../sources';
import type { Table } from '../query/table';
import type { ProgressReporter, SourceFileHash, SourceLoad, SourceProvider } from './session';

export type SourceCacheLike = SourceCache;

/** Bytes read, spread over a source, to list its columns for an error message. */
const COLUMNS_SAMPLE_BYTES = 4 * 1024 * 1024;

export function createSourceCache(): SourceCache {
  return new SourceCache();
}

export interface NotebookSources extends SourceProvider {
  aggregate: NonNullable<SourceProvider['aggregate']>;
}

export function createSourceProvider(
  declared: Readonly<Record<string, unknown>>,
  baseDir: string,
  cache: SourceCache = createSourceCache(),
  /** How sources are read with threads (see `LoadOptions.parallel`); default: by size. */
  parallel?: ParallelSettings | false,
  /** The notebook's fixed "now", for yearless stamps (see `LoadOptions.now`); default: the clock. */
  now?: Date,
): { ok: true; provider: NotebookSources } | { ok: false; problems: string[] } {
  let specs: Record<string, SourceSpec>;
  try {
    specs = parseSources(declared);
  } catch (e) {
    if (e instanceof SourceSpecError) return { ok: false, problems: e.problems.map((p) => `front matter: ${p}`) };
    throw e;
  }
  return { ok: true, provider: sourcesProvider(specs, baseDir, cache, parallel, now) };
}

/** The tables of sources already validated (`parseSources`), as `createSourceProvider` gives them. */
export function sourcesProvider(
  specs: Readonly<Record<string, SourceSpec>>,
  baseDir: string,
  cache: SourceCache = createSourceCache(),
  parallel?: ParallelSettings | false,
  now?: Date,
): NotebookSources {
  const loaded = new Map<string, LoadedSource>();
  const fixedNow = now ? { now } : {};
  const provider: NotebookSources = {
    names: () => Object.keys(specs),
    async load(name: string, { signal, progress, warn, request }: SourceLoad): Promise<Table | undefined> {
      const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
      if (!spec) return undefined;
      // Only what the query being run needs from the source (the whole source without a query).
      const source = await loadForQuery(spec, request, {
        baseDir,
        signal,
        cache,
        ...(parallel !== undefined ? { parallel } : {}),
        ...fixedNow,
        onProgress: progressOf(name, progress),
      });
      loaded.set(name, source);
      for (const w of describeLoad(source)) warn?.(w);
      return source.table;
    },
    async aggregate(name, plan, { signal, progress, warn, request }) {
      const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
      if (!spec) return undefined;
      const source = await loadAggregated(spec, request, plan, { baseDir, signal, cache, ...(parallel !== undefined ? { parallel } : {}), ...fixedNow, onProgress: progressOf(name, progress) });
      if (!source) return undefined;
      loaded.set(name, source);
      for (const w of describeLoad(source)) warn?.(w);
      return source.aggregated ? { kind: 'partials', table: source.aggregated } : { kind: 'table', table: source.table };
    },
    async columns(name: string, signal: AbortSignal): Promise<readonly string[] | undefined> {
      // Only a JSON Lines source is read for some fields; other formats are read whole.
      const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
      if (!spec || loaded.get(name)?.format !== 'jsonl') return undefined;
      const sample = await loadSource(spec, { baseDir, signal, sampleBytes: COLUMNS_SAMPLE_BYTES, ...fixedNow });
      return sample.table.schema.map((c) => c.name);
    },
    async provenance(name: string, signal: AbortSignal): Promise<readonly SourceFileHash[]> {
      // The files as they are now: a claim runs only on results as current as its sources (a
      // changed file makes the cells that read it stale), and the files of the last load by any
      // cell may be others (a glob's file since removed made every later claim fail).
      const files = Object.hasOwn(specs, name) ? await sourceFiles(specs[name], baseDir) : undefined;
      if (!files) return [];
      const digests = await hashFiles(files, signal);
      return digests.map((d) => ({ path: path.relative(baseDir, d.path).split(path.sep).join('/'), sha256: d.sha256, bytes: d.size }));
    },
  };
  return provider;
}

function progressOf(name: string, progress: ProgressReporter): (p: LoadProgress) => void {
  return (p) => progress(`reading ${name}: ${p.totalBytes ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 0}% of ${(p.totalBytes / 1048576).toFixed(1)} MiB`);
}

/** Warnings a person should see about a source: skipped lines (with where), assumed years. */
export function describeLoad(source: LoadedSource): string[] {
  const out = source.warnings.map((w) => `${source.name}: ${w}`);
  if (source.malformed.count > 0) {
    const where = source.malformed.samples.map((s) => `${s.file}:${s.line} (${s.reason})`).join(', ');
    out.push(`${source.name}: skipped ${source.malformed.count} malformed line${source.malformed.count === 1 ? '' : 's'}${where ? `, first at ${where}` : ''}`);
  }
  return out;
}

/** Errors about source files (missing, unreadable, over a limit): usage-level for the CLI. */
export function isSourceFileError(e: unknown): e is SourceLoadError {
  return e instanceof SourceLoadError;
}
