import type { Table } from '../query/table';
import { readLineRegions, type DecompressedBudget, type LineEvent } from './lineRegions';
import type { MalformedLog } from './malformed';
import type { ColumnLimit } from './jsonTable';
import type { SourceSpec } from './spec';

/** What a format reader needs from the load: limits, sinks for problems, projection, prefilter. */
export interface ReadContext {
  readonly spec: SourceSpec;
  readonly malformed: MalformedLog;
  /** Where the time field's first unreadable values are (JSON Lines; samples only: the time column counts them). */
  readonly timeFailures: MalformedLog;
  readonly warnings: string[];
  readonly signal?: AbortSignal;
  readonly onDiskBytes: (bytes: number) => void;
  /** Starts progress from zero again, for a read that is done again from the start. */
  readonly resetProgress?: () => void;
  /** The source's decompressed bytes so far (see maxDecompressedBytes); absent: counted per file. */
  readonly decompressed?: DecompressedBudget;
  /** Only these columns are needed (undefined: all). */
  readonly fields?: ReadonlySet<string>;
  /** Among `fields`, those needed only at these member paths. */
  readonly fieldPaths?: Readonly<Record<string, readonly (readonly string[])[]>>;
  /** Literals (UTF-8) that must all occur in a line's raw bytes for it to be read at all. */
  readonly mustContain: readonly Buffer[];
  /** With mustContain: lines holding a backslash are read whatever they contain. */
  readonly keepEscapedLines?: boolean;
  /** "Now", for the year of yearless timestamps when none is declared. */
  readonly now: Date;
  /** How a file is named in samples and warnings. */
  displayName(path: string): string;
  /** Count every line even behind a prefilter (ranges read in parallel need exact line counts). */
  readonly exactLineNumbers?: boolean;
  /** JSONL: every line through `JSON.parse` (see LoadOptions.parseEveryLine). */
  readonly parseEveryLine?: boolean;
  /** Bytes read at a time (default DEFAULT_CHUNK_BYTES); small for reads that stop early. */
  readonly chunkBytes?: number;
}

export interface FormatResult {
  readonly table: Table;
  readonly timeField: string | null;
  /** Set when the reader ran a partial aggregation (`table` then has no rows): its rows, and the rows read. */
  readonly aggregated?: { readonly table: Table; readonly rowCount: number };
}

export function lineEvents(path: string, ctx: ReadContext, range?: { readonly start: number; readonly end: number }, allocate?: (size: number) => Buffer): AsyncGenerator<LineEvent> {
  return readLineRegions(path, {
    ...(allocate ? { allocate } : {}),
    range,
    maxLineBytes: ctx.spec.maxLineBytes,
    maxDecompressedBytes: ctx.spec.maxDecompressedBytes,
    ...(ctx.decompressed ? { decompressed: ctx.decompressed } : {}),
    signal: ctx.signal,
    onDiskBytes: ctx.onDiskBytes,
    sourceName: ctx.spec.name,
    ...(ctx.chunkBytes ? { chunkBytes: ctx.chunkBytes } : {}),
  });
}

export function overlongReason(bytes: number, max: number): string {
  return `line is ${bytes} bytes, over maxLineBytes (${max})`;
}

/**
 * The column limit of a full load. A projected load only ever makes the columns the query names,
 * so it needs none.
 */
export function columnLimit(ctx: ReadContext): ColumnLimit | undefined {
  return ctx.fields ? undefined : { source: ctx.spec.name, maxColumns: ctx.spec.maxColumns };
}
