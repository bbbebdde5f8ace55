/**
 * Loading a source for one query: just the columns the query reads and, when its filters allow,
 * only the lines that can match (see `SourceRequest` in the query engine). JSON Lines only; other
 * formats load whole (CSV types columns from their values, so a subset of rows could type them
 * differently).
 *
 * Prefiltering starts at PREFILTER_MIN_BYTES.
 *
 * A prefiltered load types its columns from the lines it read. To keep the query's result the one
 * a full load gives, it is checked against a sample of the whole source (pieces spread over the
 * files): a field the prefiltered rows lack but the sample has becomes a column of nulls of the
 * sample's type; a field whose type the sample would widen, or a required field neither has,
 * makes the load fall back to reading every line (still only the requested columns).
 */
import type { PartialAggregation } from '../query/partialAggregation';
import type { SourceRequest } from '../query/sourceRequest';
import { Table, createColumnBuilder, type Column, type ColumnSchema } from '../query/table';
import type { ScalarType } from '../query/values';
import { KIND_BITS, mergedType } from './columns';
import { resolveFormat } from './formats';
import { PREFILTER_MIN_BYTES } from './limits';
import { wantsParallel } from './jsonlParallel';
import { isCached, loadSource, sourceFiles } from './loadSource';
import { resolveSourcePaths } from './paths';
import type { SourceSpec } from './spec';
import type { LoadedSource, LoadOptions } from './types';

/** Bytes of the sample a prefiltered load is checked against. */
export const CHECK_SAMPLE_BYTES = 4 * 1024 * 1024;

/** Prefiltered loads already checked (and completed with null columns), by the cached load. */
const checked = new WeakMap<LoadedSource, LoadedSource>();

export interface QueryLoadTuning {
  readonly prefilterMinBytes?: number;
  readonly sampleBytes?: number;
}

export async function loadForQuery(spec: SourceSpec, request: SourceRequest | undefined, options: LoadOptions, tuning: QueryLoadTuning = {}): Promise<LoadedSource> {
  if (!request?.fields) return loadSource(spec, options);
  const paths = await resolveSourcePaths(spec.paths, options.baseDir, spec.name);
  if (resolveFormat(spec.format, paths, spec.name) !== 'jsonl') return loadSource(spec, options);
  const projected: LoadOptions = { ...options, fields: request.fields, ...(request.paths ? { fieldPaths: request.paths } : {}), allowExtraRows: true };
  const literals = request.mustContain ?? [];
  if (literals.length === 0 || (await sourceFiles(spec, options.baseDir)).reduce((a, f) => a + f.size, 0) < (tuning.prefilterMinBytes ?? PREFILTER_MIN_BYTES)) return loadSource(spec, projected);
  const prefiltered: LoadOptions = { ...projected, mustContain: literals, keepEscapedLines: true };
  if (await isCached(spec, prefiltered)) {
    const cached = await loadSource(spec, prefiltered);
    const known = checked.get(cached);
    if (known) return known;
  }
  // The sample is read on this thread while worker threads read the matching lines.
  const sampling = loadSource(spec, {
    baseDir: options.baseDir,
    signal: options.signal,
    fields: request.fields,
    ...(request.paths ? { fieldPaths: request.paths } : {}),
    sampleBytes: tuning.sampleBytes ?? CHECK_SAMPLE_BYTES,
    parallel: false,
    ...(options.now ? { now: options.now } : {}),
  });
  sampling.catch(() => {}); // awaited below unless the filtered load fails first
  const filtered = await loadSource(spec, prefiltered);
  const known = checked.get(filtered);
  if (known) return known;
  const sample = await sampling;
  const completed = completeFromSample(filtered, sample, request);
  if (completed) {
    checked.set(filtered, completed);
    return completed;
  }
  return loadSource(spec, projected);
}

/**
 * A projected parallel read that runs the query's partial aggregation in the reader threads (see
 * `LoadOptions.aggregate`). Undefined, before anything is read, when that does not apply: a
 * prefilter to use (cheaper than a full read), not JSON Lines, too small for threads, or already
 * cached. The result may still be the table itself (`aggregated` unset) when the threads cannot
 * split the aggregation exactly.
 */
export async function loadAggregated(spec: SourceSpec, request: SourceRequest, plan: PartialAggregation, options: LoadOptions): Promise<LoadedSource | undefined> {
  if (!request.fields || request.mustContain?.length) return undefined;
  const paths = await resolveSourcePaths(spec.paths, options.baseDir, spec.name);
  if (resolveFormat(spec.format, paths, spec.name) !== 'jsonl') return undefined;
  if (!wantsParallel(await sourceFiles(spec, options.baseDir), options.parallel)) return undefined;
  const projected: LoadOptions = { ...options, fields: request.fields, ...(request.paths ? { fieldPaths: request.paths } : {}), allowExtraRows: true };
  if (await isCached(spec, projected)) return undefined;
  return loadSource(spec, { ...projected, aggregate: plan });
}

function kindBits(type: ScalarType): number {
  return KIND_BITS[type] ?? KIND_BITS.dynamic!;
}

/**
 * The prefiltered load with null columns for fields only the sample has, or null when the sample
 * shows that a full read would type a column differently or a required field is nowhere seen.
 */
export function completeFromSample(filtered: LoadedSource, sample: LoadedSource, request: SourceRequest): LoadedSource | null {
  const time = new Set([filtered.timeField, sample.timeField].filter((f): f is string => f !== null));
  const add: ColumnSchema[] = [];
  for (const field of request.fields ?? []) {
    const have = filtered.table.schema.find((c) => c.name === field);
    const seen = sample.table.schema.find((c) => c.name === field);
    if (time.has(field)) {
      if (!have && seen) add.push(seen);
      continue;
    }
    if (!have) {
      if (seen) add.push(seen);
      else if (request.required?.includes(field)) return null; // exists somewhere else, or not at all: only a full read knows
      continue;
    }
    if (seen && mergedType(kindBits(have.type) | kindBits(seen.type), false) !== have.type) return null;
  }
  if (add.length === 0) return filtered;
  const n = filtered.table.rowCount;
  const columns: Column[] = add.map((c) => {
    const b = createColumnBuilder(c.type, Math.max(16, n));
    for (let i = 0; i < n; i++) b.push(null);
    return b.finish();
  });
  const table = new Table([...filtered.table.schema, ...add], [...filtered.table.columns, ...columns], n);
  return { ...filtered, table };
}
