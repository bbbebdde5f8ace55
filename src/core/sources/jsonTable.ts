/**
 * Builds a table from JSON rows handed in as parallel key/value arrays. Shared by the full
 * `JSON.parse` path and the projected scanner so both infer the same columns in the same order.
 *
 * Column order is first-seen: columns appear in the order their keys are first met, row by row;
 * among the keys first met in the same row, integer-like keys ("0", "42") come first in numeric
 * order, then the others in row order (this is the order `JSON.parse` gives object keys).
 */
import { Table, type Column, type ColumnSchema } from '../query/table';
import type { Value } from '../query/values';
import { emptyTimeReport, InferredColumn, TimeColumn, type ColumnPart, type FinishedColumn, type TimeReadReport } from './columns';
import { StructAccumulator, StructLeaves } from './structColumns';
import type { TemplateRun } from './jsonScanner';

/** What templateColumns gives: per value of the run its column, and the struct fields whose objects its rows hold. */
export interface TemplateColumns {
  readonly values: readonly (InferredColumn | TimeColumn)[];
  readonly structs: readonly StructAccumulator[];
}
import { RawString } from './columnStores';
import { RawJson } from './jsonTextStore';
import { RAISE_MAX_COLUMNS, SourceLoadError } from './errors';
import type { TimeFieldPolicy } from './timeField';

/** The limit on a full load's columns, and the source it belongs to (for the error). */
export interface ColumnLimit {
  readonly source: string;
  readonly maxColumns: number;
}

/**
 * The error of a load that met more distinct top-level fields than `maxColumns`. It names no
 * field: worker threads meet the fields in another order than one sequential read would.
 */
export function tooManyColumns(limit: ColumnLimit): SourceLoadError {
  return new SourceLoadError(
    `source "${limit.source}" has more than ${limit.maxColumns} distinct top-level fields, which is unusual for a log (it may be hostile). ` +
      `Reading it whole would make every field a column over every row, so only queries that project or summarize named fields read it. ` +
      `To read every field, ${RAISE_MAX_COLUMNS}.`,
  );
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/**
 * Room sized beyond an estimated row count. Estimates from a range's first region err by a few
 * percent, and a thread's running table is estimated from its share of the bytes, but threads take
 * ranges as they finish them, so a faster one reads more (a fifth more seen on 4M lines). Room never
 * filled costs address space only; growing copies every row so far.
 */
const EXPECTED_ROWS_MARGIN = 1.3;

function isArrayIndex(key: string): boolean {
  return ARRAY_INDEX.test(key) && Number(key) < 4294967295;
}

export class JsonTableBuilder {
  private readonly columns = new Map<string, InferredColumn | TimeColumn | StructAccumulator>();
  private readonly order: string[] = [];
  private readonly lastKeys: string[] = [];
  private readonly lastColumns: (InferredColumn | TimeColumn | StructAccumulator)[] = [];
  rowCount = 0;
  /** Rows the table is expected to reach (see `expectRows`). */
  private expected = 0;

  /** `fieldPaths`: fields kept only at some member paths (see StructAccumulator). */
  constructor(
    readonly time: TimeFieldPolicy,
    private readonly fieldPaths?: Readonly<Record<string, readonly (readonly string[])[]>>,
    private readonly columnLimit?: ColumnLimit,
  ) {}

  /**
   * Adds one row. Values are final except the time field's, which may be a raw string/number/
   * bigint to read as a time, unless `readTime[0]` (not NaN) already holds its time (only the time
   * field's value can have been read that way). `count` entries of the arrays are used.
   */
  addRow(keys: readonly string[], values: readonly (Value | StructLeaves | RawString | RawJson)[], count: number, readTime: Float64Array | null = null): void {
    const row = this.rowCount++;
    if (this.time.undecided) this.decideTime(keys, values, count);
    let fresh: string[] | null = null;
    const lastKeys = this.lastKeys, lastColumns = this.lastColumns;
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      // Rows usually repeat the previous row's key order: compare before a map lookup.
      let column = lastKeys[i] === key ? lastColumns[i] : this.columns.get(key);
      if (column === undefined) {
        if (this.columnLimit && this.columns.size >= this.columnLimit.maxColumns) throw tooManyColumns(this.columnLimit);
        const paths = this.fieldPaths && Object.hasOwn(this.fieldPaths, key) ? this.fieldPaths[key] : undefined;
        column = key === this.time.field ? this.newTimeColumn(row) : paths ? new StructAccumulator(paths) : new InferredColumn();
        if (this.expected > 0) column.reserve(this.expected);
        this.columns.set(key, column);
        (fresh ??= []).push(key);
      }
      lastKeys[i] = key;
      lastColumns[i] = column;
      let v = values[i];
      if (v instanceof RawJson) {
        // Only plain fields are read as text (never a struct field, the time field or a candidate).
        if (column instanceof InferredColumn) {
          column.setJson(row, v);
          continue;
        }
        v = v.decode();
      }
      if (v instanceof RawString) {
        // Only plain fields are read raw (never the time field or a time candidate).
        if (column instanceof InferredColumn) column.setRaw(row, v);
        else if (column instanceof StructAccumulator) column.set(row, v.decode());
        else column.set(row, this.time.reader.readValue(v.decode()), v.decode(), this.time.reader.lastFold);
      } else if (column instanceof StructAccumulator) column.set(row, v);
      else if (v instanceof StructLeaves) {
        // Only struct fields are read as leaves; the time field never is, but an object is no time.
        if (column instanceof TimeColumn) column.set(row, NaN, '{object}');
        else column.set(row, null);
      }
      else if (column instanceof TimeColumn) {
        if (readTime !== null && readTime[0] === readTime[0]) column.setRead(row, readTime); // read from the bytes already
        else if (v === null) column.setNull(row);
        else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') column.set(row, this.time.reader.readValue(v), v, this.time.reader.lastFold);
        else column.set(row, NaN, v);
      } else column.set(row, v);
    }
    if (fresh) this.appendToOrder(fresh);
  }

  /**
   * The columns of a run of rows that a line template read (see templateRuns.ts), when the run can
   * be written column by column with the very result addRow gives row by row: the time field
   * decided, every column made already (no new column, so no column order to settle), the time
   * value the time column's, every other value a string column's (a top-level field's, or a path's
   * of a struct field). Null: add the rows with addRow.
   */
  templateColumns(run: TemplateRun): TemplateColumns | null {
    if (this.time.undecided) return null;
    const values: (InferredColumn | TimeColumn)[] = [], structs: StructAccumulator[] = [];
    for (const key of run.structKeys) {
      const column = this.columns.get(key);
      if (!(column instanceof StructAccumulator)) return null;
      structs.push(column);
    }
    for (let v = 0; v < run.keys.length; v++) {
      const column = this.columns.get(run.keys[v]);
      const leaf = run.leaves[v] >= 0 && column instanceof StructAccumulator ? column.leafTakingBytes(run.leaves[v]) : null;
      if (leaf !== null) values.push(leaf);
      else if (v === run.timeValue && column instanceof TimeColumn) values.push(column);
      else if (v !== run.timeValue && run.leaves[v] === -1 && column instanceof InferredColumn && column.takesBytes()) values.push(column);
      else return null;
    }
    return { values, structs };
  }

  /** Counts `rows` rows written into the columns templateColumns gave. */
  addedRows(rows: number): void {
    this.rowCount += rows;
  }

  /**
   * Set when the time column's first unreadable value (since `takeTimeFailures`) was just added:
   * the reader notes where it was and clears it.
   */
  timeFailurePending = false;

  private newTimeColumn(leadingNulls: number): TimeColumn {
    const column = new TimeColumn(leadingNulls);
    column.onFirstFailure = () => (this.timeFailurePending = true);
    return column;
  }

  private decideTime(keys: readonly string[], values: readonly (Value | StructLeaves | RawString | RawJson)[], count: number): void {
    const chosen = this.time.offer((field) => {
      for (let i = 0; i < count; i++) if (keys[i] === field) return values[i];
      return undefined;
    });
    if (chosen === null) return;
    const existing = this.columns.get(chosen);
    // Earlier rows can only have held nulls in the chosen field.
    if (existing) {
      const column = this.newTimeColumn(existing.length);
      if (this.expected > 0) column.reserve(this.expected);
      this.columns.set(chosen, column);
      this.lastKeys.length = 0;
      this.lastColumns.length = 0;
    }
  }

  private appendToOrder(fresh: string[]): void {
    if (fresh.length > 1 && fresh.some(isArrayIndex)) {
      const indices = fresh.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
      fresh = [...indices, ...fresh.filter((k) => !isArrayIndex(k))];
    }
    for (const key of fresh) this.order.push(key);
  }

  /**
   * The table will probably reach about `rows` rows (an estimate): columns are sized for them and
   * a margin now (and those met later when they appear) instead of doubling their way there. An
   * estimate that still fits what is sized changes nothing: a thread's running table is estimated
   * again at each of its ranges, and sizing again for a few more rows would copy every row so far
   * into twice the memory.
   */
  expectRows(rows: number): void {
    if (rows <= this.expected) return;
    this.expected = Math.ceil(rows * EXPECTED_ROWS_MARGIN);
    for (const column of this.columns.values()) column.reserve(this.expected);
  }

  /** Column names in first-seen order. */
  get columnNames(): readonly string[] {
    return this.order;
  }

  /**
   * The time column's unreadable values since the last call, and a fresh count from here (a
   * table that holds several tasks reports them per task).
   */
  takeTimeFailures(): TimeReadReport {
    const column = this.time.field === null ? undefined : this.columns.get(this.time.field);
    if (!(column instanceof TimeColumn)) return emptyTimeReport();
    const taken = { failures: column.failures, firstFailure: column.firstFailure, repeated: column.repeated, skipped: column.skipped };
    column.failures = 0;
    column.firstFailure = null;
    column.repeated = 0;
    column.skipped = 0;
    return taken;
  }

  /**
   * Drops every row, keeping the columns (their order, the kinds of value they saw, dictionaries
   * and storage) for the rows that follow. False, with nothing dropped, when a column cannot (a
   * struct field).
   */
  rewind(): boolean {
    const columns = [...this.columns.values()];
    if (columns.some((c) => c instanceof StructAccumulator)) return false;
    for (const c of columns) (c as InferredColumn | TimeColumn).rewind();
    this.rowCount = 0;
    return true;
  }

  /** All columns (first-seen order) as transferable parts, for merging with other ranges. */
  exportParts(): ColumnPart[] {
    return this.order.map((name) => this.columns.get(name)!.exportPart(name, this.rowCount));
  }

  /** The finished table, keeping only `keep` columns when given. */
  finish(keep?: ReadonlySet<string>): { table: Table; timeColumn: TimeColumn | null } {
    const schema: ColumnSchema[] = [];
    const cols: Column[] = [];
    let timeColumn: TimeColumn | null = null;
    for (const name of this.order) {
      const acc = this.columns.get(name)!;
      if (acc instanceof TimeColumn) timeColumn = acc;
      if (keep && !keep.has(name)) continue;
      const done: FinishedColumn = acc.finish(this.rowCount);
      schema.push({ name, type: done.type });
      cols.push(done.column);
    }
    return { table: new Table(schema, cols, this.rowCount), timeColumn };
  }
}
