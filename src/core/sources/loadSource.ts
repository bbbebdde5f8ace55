/** Loading one declared source into a table: resolve files, pick the reader, use the cache. */
import { stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { Table } from '../query/table';
import { readCsv } from './csvReader';
import { fileReadError, SourceLoadError } from './errors';
import { resolveFormat } from './formats';
import { readJsonl, readJsonlSample } from './jsonlReader';
import { readJsonlParallel, wantsParallel } from './jsonlParallel';
import { MalformedLog } from './malformed';
import { resolveSourcePaths } from './paths';
import type { FormatResult, ReadContext } from './readContext';
import type { SourceSpec } from './spec';
import { readText } from './textReader';
import { fileVersion, sameVersion, type LoadedSource, type LoadOptions, type SourceFile } from './types';
import type { LoadShape } from './sourceCache';
import { DecompressedBudget } from './lineRegions';

export async function statFiles(paths: readonly string[], sourceName: string): Promise<SourceFile[]> {
  return Promise.all(
    paths.map(async (path) => {
      try {
        const s = await stat(path);
        return fileVersion(path, s);
      } catch (e) {
        throw new SourceLoadError(`source "${sourceName}": cannot read ${path}: ${(e as Error).message}`);
      }
    }),
  );
}

/** The files a source reads, as they are now (in reading order). */
export async function sourceFiles(spec: SourceSpec, baseDir: string): Promise<SourceFile[]> {
  return statFiles(await resolveSourcePaths(spec.paths, baseDir, spec.name), spec.name);
}

/** What identifies a load: the source (spec and base directory) and which part of it is read. */
function shapeOf(spec: SourceSpec, baseDir: string, options: LoadOptions, mustContain: readonly string[]): LoadShape {
  const { name, ...settings } = spec;
  const fields = options.fields ? [...new Set(options.fields)].sort() : null;
  let paths: Record<string, string[][]> | null = null;
  if (fields && options.fieldPaths) {
    for (const f of fields) {
      const p = Object.hasOwn(options.fieldPaths, f) ? options.fieldPaths[f] : undefined;
      if (!p || p.length === 0) continue;
      paths ??= Object.create(null) as Record<string, string[][]>;
      paths[f] = p.map((x) => [...x]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    }
  }
  const literals = [...new Set(mustContain)].sort();
  // A fixed "now" places yearless stamps when the source declares no year: a read made for another is another read.
  const now = options.now && !(spec.time && spec.time.year !== undefined) ? options.now.toISOString() : null;
  return { identity: JSON.stringify([name, settings, baseDir, ...(now ? [now] : [])]), fields, paths, mustContain: literals, keepEscapedLines: literals.length > 0 && options.keepEscapedLines === true };
}

/** Whether `loadSource` with these options would be answered from the cache (nothing is counted or read). */
export async function isCached(spec: SourceSpec, options: LoadOptions): Promise<boolean> {
  if (!options.cache || options.sampleBytes) return false;
  const mustContain = (options.mustContain ?? []).filter((s) => s.length > 0);
  const files = await sourceFiles(spec, options.baseDir);
  return options.cache.covering(shapeOf(spec, options.baseDir, options, mustContain), files, options.allowExtraRows === true, false) !== undefined;
}

export async function loadSource(spec: SourceSpec, options: LoadOptions): Promise<LoadedSource> {
  const { baseDir, signal } = options;
  const cache = options.sampleBytes || options.parseEveryLine ? undefined : options.cache;
  signal?.throwIfAborted();
  const mustContain = (options.mustContain ?? []).filter((s) => s.length > 0);
  const paths = await resolveSourcePaths(spec.paths, baseDir, spec.name);
  const files = await statFiles(paths, spec.name);
  const shape = shapeOf(spec, baseDir, options, mustContain);
  const key = JSON.stringify(shape);
  if (cache) {
    // The same load, or one that holds it (a full load to cut a projection from, say).
    const hit = cache.covering(shape, files, options.allowExtraRows === true);
    if (hit) return shape.fields && (hit.shape.fields === null || hit.shape.fields.length > shape.fields.length) ? project(hit.source, shape.fields) : hit.source;
  }
  const format = resolveFormat(spec.format, paths, spec.name);
  const totalBytes = files.reduce((a, f) => a + f.size, 0);
  let bytesRead = 0;
  const malformed = new MalformedLog();
  const warnings: string[] = [];
  const ctx: ReadContext & { resetProgress(): void } = {
    resetProgress: () => (bytesRead = 0),
    spec,
    malformed,
    timeFailures: new MalformedLog(),
    warnings,
    signal,
    onDiskBytes: (n) => {
      bytesRead += n;
      options.onProgress?.({ bytesRead, totalBytes });
    },
    fields: options.fields ? new Set(options.fields) : undefined,
    ...(shape.paths ? { fieldPaths: shape.paths } : {}),
    mustContain: mustContain.map((s) => Buffer.from(s, 'utf8')),
    keepEscapedLines: shape.keepEscapedLines,
    ...(options.parseEveryLine ? { parseEveryLine: true } : {}),
    now: options.now ?? new Date(),
    displayName: (p) => displayName(baseDir, p),
    decompressed: new DecompressedBudget(),
  };
  let result: FormatResult;
  try {
    switch (format) {
      case 'jsonl':
        if (options.sampleBytes) result = await readJsonlSample(files, ctx, options.sampleBytes);
        else result = (!options.parseEveryLine && (await tryParallel(files, ctx, options))) || (await readJsonl(paths, ctx));
        break;
      case 'csv':
        result = await readCsv(paths, ctx, ',');
        break;
      case 'tsv':
        result = await readCsv(paths, ctx, '\t');
        break;
      case 'text':
        result = await readText(paths, ctx);
        break;
    }
  } catch (e) {
    throw fileReadError(e, spec.name, ctx.displayName) ?? e;
  }
  const loaded: LoadedSource = {
    name: spec.name,
    table: result.table,
    ...(result.aggregated ? { aggregated: result.aggregated.table } : {}),
    files,
    rowCount: result.aggregated?.rowCount ?? result.table.rowCount,
    malformed: { count: malformed.count, samples: malformed.samples },
    warnings,
    format,
    timeField: result.timeField,
  };
  if (cache) {
    const after = await statFiles(paths, spec.name);
    const changed = after.filter((f, i) => !sameVersion(f, files[i]));
    if (changed.length === 0) {
      if (!loaded.aggregated) cache.store(key, files, loaded, shape);
    }
    else warnings.push(`${changed.map((f) => ctx.displayName(f.path)).join(', ')} changed while being read; the result may mix old and new content`);
  }
  return loaded;
}

/**
 * The parallel read when it applies (null: read on this thread). A failure of the threads
 * themselves (not of the data, a limit or a cancellation) falls back to reading on this thread,
 * with a warning.
 */
async function tryParallel(files: readonly SourceFile[], ctx: ReadContext & { resetProgress(): void }, options: LoadOptions): Promise<FormatResult | null> {
  if (!wantsParallel(files, options.parallel, ctx.mustContain.length > 0)) return null;
  const decompressed = ctx.decompressed?.used();
  try {
    return await readJsonlParallel(files, { ...ctx, exactLineNumbers: true }, options.parallel || {}, options.aggregate);
  } catch (e) {
    if (e instanceof SourceLoadError || (e as Error).name === 'AbortError' || ctx.signal?.aborted) throw e;
    // The read on one thread counts its bytes from the start again.
    ctx.resetProgress();
    if (decompressed !== undefined) ctx.decompressed!.setUsed(decompressed);
    ctx.warnings.push(`reading with worker threads failed (${(e as Error).message}); read on one thread instead`);
    return null;
  }
}

/** Paths under the base directory are shown relative to it, others in full. */
function displayName(baseDir: string, path: string): string {
  const rel = relative(baseDir, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** A loaded source restricted to some columns (same order and types as the full table). */
function project(full: LoadedSource, fields: readonly string[]): LoadedSource {
  const keep = new Set(fields);
  const indices = full.table.schema.map((c, i) => (keep.has(c.name) ? i : -1)).filter((i) => i >= 0);
  const table = new Table(
    indices.map((i) => full.table.schema[i]),
    indices.map((i) => full.table.columns[i]),
    full.table.rowCount,
  );
  return { ...full, table };
}
