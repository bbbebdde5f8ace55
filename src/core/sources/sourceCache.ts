/**
 * Loaded sources kept for a notebook session, so re-running a cell does not re-read files that
 * did not change. An entry is valid while every file is still the version it was when read (see
 * `sameVersion`) and the set of files matched is the same. The cache is bounded by an estimate of
 * the tables' memory and evicts the least recently used entries beyond it.
 */
import { dictionaryBytes } from '../query/dictionary';
import { isDynamicColumn } from '../query/structColumn';
import { isNumericColumn, isStringColumn, type Table } from '../query/table';
import { DEFAULT_CACHE_BUDGET_BYTES } from './limits';
import { sameVersion, type LoadedSource, type SourceFile } from './types';

/** Which part of a source a load read: columns (and paths inside them) and rows. */
export interface LoadShape {
  /** Everything that identifies the source except the shape (spec, base directory). */
  readonly identity: string;
  /** null: every column. */
  readonly fields: readonly string[] | null;
  /** Fields kept only at some member paths. */
  readonly paths: Readonly<Record<string, readonly (readonly string[])[]>> | null;
  readonly mustContain: readonly string[];
  readonly keepEscapedLines: boolean;
}

interface Entry {
  readonly files: readonly SourceFile[];
  readonly source: LoadedSource;
  readonly bytes: number;
  readonly shape?: LoadShape;
}

/**
 * Whether a load of shape `have` holds everything a load of shape `want` would: its columns (a
 * field kept whole, or at paths that cover the wanted ones) and its rows (exactly, or with
 * `extraRows` a superset: fewer literals, and escaped lines kept whenever `want` keeps them).
 */
export function shapeCovers(have: LoadShape, want: LoadShape, extraRows: boolean): boolean {
  if (have.identity !== want.identity) return false;
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (extraRows) {
    if (!have.mustContain.every((l) => want.mustContain.includes(l))) return false;
    if (have.mustContain.length > 0 && !have.keepEscapedLines && want.keepEscapedLines) return false;
  } else if (!same(have.mustContain, want.mustContain) || (have.mustContain.length > 0 && have.keepEscapedLines !== want.keepEscapedLines)) return false;
  if (have.fields === null) return true;
  if (want.fields === null) return false;
  for (const f of want.fields) {
    if (!have.fields.includes(f)) return false;
    const kept = have.paths && Object.hasOwn(have.paths, f) ? have.paths[f] : undefined;
    if (!kept) continue; // kept whole
    const wanted = want.paths && Object.hasOwn(want.paths, f) ? want.paths[f] : undefined;
    if (!wanted) return false;
    if (!wanted.every((p) => kept.some((k) => k.length <= p.length && k.every((key, i) => p[i] === key)))) return false;
  }
  return true;
}

export interface SourceCacheStats {
  hits: number;
  misses: number;
  evictions: number;
}

export class SourceCache {
  private readonly entries = new Map<string, Entry>(); // insertion order = least recently used first
  private bytes = 0;
  readonly stats: SourceCacheStats = { hits: 0, misses: 0, evictions: 0 };
  readonly budgetBytes: number;

  constructor(options: { budgetBytes?: number } = {}) {
    this.budgetBytes = options.budgetBytes ?? DEFAULT_CACHE_BUDGET_BYTES;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached source for `key` if it was read from exactly these files; counts a hit or miss. */
  lookup(key: string, files: readonly SourceFile[]): LoadedSource | undefined {
    const entry = this.peek(key, files);
    if (entry) this.stats.hits++;
    else this.stats.misses++;
    return entry;
  }

  /** Like lookup, without counting (for opportunistic reuse such as projecting a full load). */
  peek(key: string, files: readonly SourceFile[]): LoadedSource | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (!sameFiles(entry.files, files)) {
      this.remove(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.source;
  }

  /**
   * A cached load of these files that holds what a load of `want` would (see `shapeCovers`),
   * preferring the smallest. Counts a hit or a miss.
   */
  covering(want: LoadShape, files: readonly SourceFile[], extraRows: boolean, count = true): { source: LoadedSource; shape: LoadShape } | undefined {
    let best: [string, Entry & { shape: LoadShape }] | undefined;
    for (const [key, entry] of this.entries) {
      if (!entry.shape || !shapeCovers(entry.shape, want, extraRows) || !sameFiles(entry.files, files)) continue;
      if (!best || entry.bytes < best[1].bytes) best = [key, entry as Entry & { shape: LoadShape }];
    }
    if (!best) {
      if (count) this.stats.misses++;
      return undefined;
    }
    if (!count) return { source: best[1].source, shape: best[1].shape };
    this.entries.delete(best[0]);
    this.entries.set(best[0], best[1]);
    this.stats.hits++;
    return { source: best[1].source, shape: best[1].shape };
  }

  store(key: string, files: readonly SourceFile[], source: LoadedSource, shape?: LoadShape): void {
    this.remove(key);
    const bytes = estimateTableBytes(source.table);
    if (bytes > this.budgetBytes) return; // would evict everything and still not fit
    this.entries.set(key, { files, source, bytes, ...(shape ? { shape } : {}) });
    this.bytes += bytes;
    for (const [k] of this.entries) {
      if (this.bytes <= this.budgetBytes) break;
      this.remove(k);
      this.stats.evictions++;
    }
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}

function sameFiles(a: readonly SourceFile[], b: readonly SourceFile[]): boolean {
  return a.length === b.length && a.every((f, i) => sameVersion(f, b[i]));
}

/**
 * Rough heap size of a table: typed arrays at their width, string dictionaries at two bytes per
 * character plus per-string overhead (lazy ones as they will be once whole; objects kept as JSON
 * text likewise), other values by sampling their JSON length.
 */
export function estimateTableBytes(table: Table): number {
  let total = 0;
  for (const column of table.columns) {
    const n = column.length;
    if (isStringColumn(column)) {
      total += 4 * n;
      total += dictionaryBytes(column.codeDictionary);
    } else if (isDynamicColumn(column) && column.storage.kind === 'json') {
      total += 4 * n + dictionaryBytes(column.storage.dict); // objects as their JSON text
    } else if (isNumericColumn(column) || column.type === 'long') total += 9 * n;
    else if (column.type === 'bool') total += n;
    else {
      const step = Math.max(1, Math.floor(n / 256));
      let sampled = 0, sampleBytes = 0;
      for (let i = 0; i < n; i += step, sampled++) sampleBytes += 16 + approximateSize(column.get(i));
      total += sampled ? Math.ceil((sampleBytes / sampled) * n) : 0;
    }
  }
  return total + 256;
}

function approximateSize(v: unknown): number {
  if (v === null || typeof v !== 'object') return typeof v === 'string' ? 2 * v.length : 16;
  try {
    return 3 * JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)).length;
  } catch {
    return 256;
  }
}
