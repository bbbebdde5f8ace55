import type { PartialAggregation } from '../query/partialAggregation';
import type { Table } from '../query/table';
import type { MalformedSample } from './malformed';
import type { ParallelSettings } from './jsonlParallel';
import type { SourceCache } from './sourceCache';

/**
 * A file as it was when read; what the cache and provenance compare (see `sameVersion`). Size and
 * modification time alone can be kept by a changed file (`cp -p`, `touch -r`, an archive
 * extracted over another); its change time and inode cannot be set that way.
 */
export interface SourceFile {
  /** Absolute path. */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Status change time: set by the system on every write, rename or `touch`. */
  readonly ctimeMs?: number;
  /** Device and inode: a file replaced through a rename or a retargeted link is another file. */
  readonly dev?: number;
  readonly ino?: number;
}

/** The version of a file a `stat` gives (see SourceFile). */
export function fileVersion(path: string, s: { size: number; mtimeMs: number; ctimeMs: number; dev: number; ino: number }): SourceFile {
  return { path, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, dev: s.dev, ino: s.ino };
}

/** Whether two readings of a file are of the same bytes, as far as the file system can tell. */
export function sameVersion(a: SourceFile, b: SourceFile): boolean {
  return a.path === b.path && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.dev === b.dev && a.ino === b.ino;
}

export interface LoadedSource {
  readonly name: string;
  readonly table: Table;
  /** Files in reading order. */
  readonly files: readonly SourceFile[];
  readonly rowCount: number;
  /** Lines that could not be read as rows (samples name files relative to the base directory). */
  readonly malformed: { readonly count: number; readonly samples: readonly MalformedSample[] };
  readonly warnings: readonly string[];
  readonly format: 'jsonl' | 'csv' | 'tsv' | 'text';
  /** The column holding the event time (type datetime), if any. */
  readonly timeField: string | null;
  /**
   * Set when the load ran `LoadOptions.aggregate` where it read the rows: the partial step's rows,
   * in source order. `table` then has the source's columns but no rows (`rowCount` counts those
   * read), and the load is not cached.
   */
  readonly aggregated?: Table;
}

export interface LoadProgress {
  /** Bytes read from disk so far (compressed bytes for gzip files). */
  readonly bytesRead: number;
  /** Size on disk of all the source's files. */
  readonly totalBytes: number;
}

export interface LoadOptions {
  /** Relative paths are resolved against this directory (the notebook's). */
  readonly baseDir: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly cache?: SourceCache;
  /**
   * Projection: only these top-level fields are needed. The table holds just these columns (those
   * that occur), with the same types and order as in a full load.
   */
  readonly fields?: readonly string[];
  /**
   * Raw prefilter: a line (CSV: a record) is read only if its raw bytes contain every literal.
   * The caller must only pass literals that every wanted row contains verbatim; JSON escapes
   * (`\u0041`, `\/`) hide text from this test.
   */
  readonly mustContain?: readonly string[];
  /**
   * With `mustContain` (JSONL): also read every line that holds a backslash. A JSON escape can
   * spell a literal without its bytes (`\u0041`, `\/`), so this makes the prefilter safe for
   * literals a query compares decoded values with.
   */
  readonly keepEscapedLines?: boolean;
  /**
   * The caller filters rows itself, so the load may have more rows than `mustContain` selects:
   * a cached load of the same files with fewer literals (or none) can be used instead.
   */
  readonly allowExtraRows?: boolean;
  /**
   * JSONL: fields (among `fields`) that are needed only at these member paths, each a list of
   * keys. Such a column keeps, of each object, just the values at those paths.
   */
  readonly fieldPaths?: Readonly<Record<string, readonly (readonly string[])[]>>;
  /**
   * JSONL: read only about this many bytes, in line-aligned pieces spread over the files, to learn
   * which columns and types the data has. The result is a sample and is never cached.
   */
  readonly sampleBytes?: number;
  /**
   * JSONL: parse every line with `JSON.parse`, the reference the byte scanner is tested against
   * (tests compare the two; reads on the calling thread only, and is never cached).
   */
  readonly parseEveryLine?: boolean;
  /** "Now", for the year of yearless timestamps when the source declares none (default: the clock). */
  readonly now?: Date;
  /**
   * Reading JSONL with worker threads over line-aligned byte ranges (plain files) or whole files
   * (gzip). By default on for sources of 32 MiB and more (512 MiB with `mustContain`) when the
   * worker script is available; `false` reads on the calling thread. The result is the same.
   */
  readonly parallel?: ParallelSettings | false;
  /**
   * JSONL read with worker threads: run this partial aggregation in the threads, over each range
   * they read, instead of sending their rows back (see `LoadedSource.aggregated`). A read that
   * cannot split (on one thread, an unsettled time field, member-path columns, types that do not
   * combine exactly) returns the table as usual.
   */
  readonly aggregate?: PartialAggregation;
}
