/**
 * Columnar tables: the one in-memory shape that sources produce, the engine transforms and every
 * front end reads. Encodings keep memory bounded on multi-gigabyte exports (strings are
 * dictionary-encoded, numbers live in typed arrays) and let operators work on row indices.
 */
import { DateTime, Timespan, type ScalarType, type Value } from './values';
import { allEntries, dictionaryOf, entryAt, type Dictionary } from './dictionary';

export interface ColumnSchema {
  readonly name: string;
  readonly type: ScalarType;
}

/** A read-only column. `gather` builds a column holding the given rows, in that order. */
export interface Column {
  readonly type: ScalarType;
  readonly length: number;
  get(row: number): Value;
  gather(rows: ArrayLike<number>): Column;
}

export class Table {
  constructor(
    readonly schema: readonly ColumnSchema[],
    readonly columns: readonly Column[],
    readonly rowCount: number,
  ) {
    if (schema.length !== columns.length) throw new Error('schema and columns differ in length');
  }

  static empty(schema: readonly ColumnSchema[] = []): Table {
    return new Table(schema, schema.map((c) => createColumnBuilder(c.type).finish()), 0);
  }

  /** Builds a table from row objects; missing fields become null (or "" for strings). */
  static fromRows(schema: readonly ColumnSchema[], rows: readonly Readonly<Record<string, Value>>[]): Table {
    const builders = schema.map((c) => createColumnBuilder(c.type));
    for (const row of rows) {
      schema.forEach((c, i) => builders[i].push(Object.hasOwn(row, c.name) ? row[c.name] : null));
    }
    return new Table(schema, builders.map((b) => b.finish()), rows.length);
  }

  /** Column indexes by name, for wide tables (made on first use). */
  private byName: Map<string, number> | undefined;

  columnIndex(name: string): number {
    // A search is quicker for the few columns most tables have; a wide one (a union over
    // thousands of columns asks for each) would make it quadratic.
    if (this.schema.length <= 32) return this.schema.findIndex((c) => c.name === name);
    if (!this.byName) {
      this.byName = new Map();
      for (let i = this.schema.length - 1; i >= 0; i--) this.byName.set(this.schema[i].name, i); // the first of equal names wins, as findIndex
    }
    return this.byName.get(name) ?? -1;
  }

  column(name: string): Column | undefined {
    const i = this.columnIndex(name);
    return i < 0 ? undefined : this.columns[i];
  }

  get(row: number, col: number): Value {
    return this.columns[col].get(row);
  }

  /** One row as a null-prototype object keyed by column name. */
  row(i: number): Record<string, Value> {
    const out: Record<string, Value> = Object.create(null);
    this.schema.forEach((c, j) => (out[c.name] = this.columns[j].get(i)));
    return out;
  }

  *rows(): IterableIterator<Record<string, Value>> {
    for (let i = 0; i < this.rowCount; i++) yield this.row(i);
  }

  gather(rows: ArrayLike<number>): Table {
    return new Table(this.schema, this.columns.map((c) => c.gather(rows)), rows.length);
  }

  slice(start: number, end = this.rowCount): Table {
    const s = Math.max(0, Math.min(start, this.rowCount));
    const e = Math.max(s, Math.min(end, this.rowCount));
    const idx = new Uint32Array(e - s);
    for (let i = 0; i < idx.length; i++) idx[i] = s + i;
    return this.gather(idx);
  }
}

export interface ColumnBuilder {
  readonly type: ScalarType;
  readonly length: number;
  /** Appends a value; it must be null or of the builder's type (strings: null is stored as ""). */
  push(v: Value): void;
  finish(): Column;
}

export function createColumnBuilder(type: ScalarType, capacity = 1024): ColumnBuilder {
  switch (type) {
    case 'string':
      return new StringColumnBuilder(capacity);
    case 'long':
      return new LongColumnBuilder(capacity);
    case 'real':
      return new NumericColumnBuilder('real', capacity, (v) => (typeof v === 'number' ? v : undefined), (n) => n);
    case 'datetime':
      return new NumericColumnBuilder('datetime', capacity, (v) => (v instanceof DateTime ? v.us : undefined), (n) => new DateTime(n));
    case 'timespan':
      return new NumericColumnBuilder('timespan', capacity, (v) => (v instanceof Timespan ? v.us : undefined), (n) => new Timespan(n));
    case 'bool':
      return new BoolColumnBuilder(capacity);
    case 'dynamic':
      return new ValueColumnBuilder('dynamic');
  }
}

/** A column over a plain array, for computed values of any one type. */
export function columnFromValues(type: ScalarType, values: readonly Value[]): Column {
  const b = createColumnBuilder(type, Math.max(16, values.length));
  for (const v of values) b.push(v);
  return b.finish();
}

function grow<T extends { length: number; set(a: ArrayLike<number | bigint>): void }>(arr: T, make: (n: number) => T, need: number): T {
  if (need <= arr.length) return arr;
  const next = make(Math.max(need, arr.length * 2));
  next.set(arr as unknown as ArrayLike<number | bigint>);
  return next;
}

function typeError(type: ScalarType, v: Value): Error {
  return new TypeError(`cannot store ${typeof v === 'object' && v ? v.constructor.name : typeof v} in a ${type} column`);
}

// ---- strings: dictionary-encoded ----

class StringColumn implements Column {
  readonly type = 'string' as const;
  constructor(
    private readonly dict: Dictionary,
    /** Each row's dictionary code, for loops that read them in bulk. Never to be written. */
    readonly codes: Uint32Array,
  ) {}
  get length(): number {
    return this.codes.length;
  }
  get(row: number): string {
    return entryAt(this.dict, this.codes[row]);
  }
  /** Dictionary code of a row; equal strings have equal codes within one column. */
  code(row: number): number {
    return this.codes[row];
  }
  /** The string of a dictionary code. */
  entry(code: number): string {
    return entryAt(this.dict, code);
  }
  /** How many distinct strings the dictionary holds (codes are below it). */
  get dictionarySize(): number {
    return this.dict.size;
  }
  /** Every distinct string, by code (a dictionary read from bytes makes all its strings now). */
  get dictionary(): readonly string[] {
    return allEntries(this.dict);
  }
  /** The dictionary itself, for a column that shares it. */
  get codeDictionary(): Dictionary {
    return this.dict;
  }
  gather(rows: ArrayLike<number>): Column {
    const codes = new Uint32Array(rows.length);
    for (let i = 0; i < rows.length; i++) codes[i] = this.codes[rows[i]];
    return new StringColumn(this.dict, codes);
  }
}

/** What a string column offers loops over its codes. */
export interface CodedStrings {
  code(row: number): number;
  readonly codes: Uint32Array;
  entry(code: number): string;
  readonly dictionarySize: number;
  readonly dictionary: readonly string[];
  readonly codeDictionary: Dictionary;
}

export function isStringColumn(c: Column): c is Column & CodedStrings {
  return c instanceof StringColumn;
}

class StringColumnBuilder implements ColumnBuilder {
  readonly type = 'string' as const;
  private codes: Uint32Array;
  private readonly dict: string[] = [];
  private readonly index = new Map<string, number>();
  length = 0;
  constructor(capacity: number) {
    this.codes = new Uint32Array(capacity);
  }
  push(v: Value): void {
    if (v !== null && typeof v !== 'string') throw typeError('string', v);
    const s = v ?? '';
    let code = this.index.get(s);
    if (code === undefined) {
      code = this.dict.length;
      // Copy so the dictionary does not pin a large parent string (a V8 sliced-string trap).
      const owned = s.length < 64 ? (' ' + s).slice(1) : s;
      this.dict.push(owned);
      this.index.set(owned, code);
    }
    this.codes = grow(this.codes, (n) => new Uint32Array(n), this.length + 1);
    this.codes[this.length++] = code;
  }
  finish(): Column {
    return new StringColumn(dictionaryOf(this.dict), this.codes.slice(0, this.length));
  }
}

// ---- nullable typed arrays ----

/** Null flags; `undefined` when the column has no nulls. */
export type NullMask = Uint8Array | undefined;

function gatherMask(mask: NullMask, rows: ArrayLike<number>): NullMask {
  if (!mask) return undefined;
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = mask[rows[i]];
  return out;
}

class LongColumn implements Column {
  readonly type = 'long' as const;
  constructor(
    readonly values: BigInt64Array,
    readonly nulls: NullMask,
  ) {}
  get length(): number {
    return this.values.length;
  }
  get(row: number): bigint | null {
    return this.nulls?.[row] ? null : this.values[row];
  }
  gather(rows: ArrayLike<number>): Column {
    const values = new BigInt64Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = this.values[rows[i]];
    return new LongColumn(values, gatherMask(this.nulls, rows));
  }
}

export function isLongColumn(c: Column): c is Column & { readonly values: BigInt64Array; readonly nulls: NullMask } {
  return c instanceof LongColumn;
}

class LongColumnBuilder implements ColumnBuilder {
  readonly type = 'long' as const;
  private values: BigInt64Array;
  private nulls: Uint8Array | undefined;
  length = 0;
  constructor(capacity: number) {
    this.values = new BigInt64Array(capacity);
  }
  push(v: Value): void {
    this.values = grow(this.values, (n) => new BigInt64Array(n), this.length + 1);
    if (v === null) {
      this.nulls = grow(this.nulls ?? new Uint8Array(this.values.length), (n) => new Uint8Array(n), this.length + 1);
      this.nulls[this.length++] = 1;
      return;
    }
    if (typeof v !== 'bigint') throw typeError('long', v);
    this.values[this.length++] = v;
  }
  finish(): Column {
    return new LongColumn(this.values.slice(0, this.length), this.nulls ? padMask(this.nulls, this.length) : undefined);
  }
}

function padMask(mask: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(mask.subarray(0, Math.min(length, mask.length)));
  return out;
}

/** real, datetime and timespan: a Float64Array of numbers (datetime/timespan in microseconds). */
class NumericColumn implements Column {
  constructor(
    readonly type: ScalarType,
    /** The numbers, for loops that read them in bulk (a null row's number is meaningless). Never to be written. */
    readonly values: Float64Array,
    /** 1 marks a null row; undefined when there are none. Never to be written. */
    readonly nulls: NullMask,
    private readonly box: (n: number) => Value,
  ) {}
  get length(): number {
    return this.values.length;
  }
  get(row: number): Value {
    return this.nulls?.[row] ? null : this.box(this.values[row]);
  }
  /** The raw number (microseconds for datetime/timespan), or null. Avoids boxing in hot loops. */
  raw(row: number): number | null {
    return this.nulls?.[row] ? null : this.values[row];
  }
  gather(rows: ArrayLike<number>): Column {
    const values = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = this.values[rows[i]];
    return new NumericColumn(this.type, values, gatherMask(this.nulls, rows), this.box);
  }
}

export function isNumericColumn(c: Column): c is Column & { raw(row: number): number | null; readonly values: Float64Array; readonly nulls: NullMask } {
  return c instanceof NumericColumn;
}

class NumericColumnBuilder implements ColumnBuilder {
  private values: Float64Array;
  private nulls: Uint8Array | undefined;
  length = 0;
  constructor(
    readonly type: ScalarType,
    capacity: number,
    private readonly unbox: (v: Value) => number | undefined,
    private readonly box: (n: number) => Value,
  ) {
    this.values = new Float64Array(capacity);
  }
  push(v: Value): void {
    this.values = grow(this.values, (n) => new Float64Array(n), this.length + 1);
    if (v === null) {
      this.nulls = grow(this.nulls ?? new Uint8Array(this.values.length), (n) => new Uint8Array(n), this.length + 1);
      this.nulls[this.length++] = 1;
      return;
    }
    const n = this.unbox(v);
    if (n === undefined) throw typeError(this.type, v);
    this.values[this.length++] = n;
  }
  finish(): Column {
    return new NumericColumn(this.type, this.values.slice(0, this.length), this.nulls ? padMask(this.nulls, this.length) : undefined, this.box);
  }
}

const BOOL_NULL = 2;

class BoolColumn implements Column {
  readonly type = 'bool' as const;
  constructor(private readonly values: Uint8Array) {}
  get length(): number {
    return this.values.length;
  }
  get(row: number): boolean | null {
    const v = this.values[row];
    return v === BOOL_NULL ? null : v === 1;
  }
  gather(rows: ArrayLike<number>): Column {
    const values = new Uint8Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = this.values[rows[i]];
    return new BoolColumn(values);
  }
}

class BoolColumnBuilder implements ColumnBuilder {
  readonly type = 'bool' as const;
  private values: Uint8Array;
  length = 0;
  constructor(capacity: number) {
    this.values = new Uint8Array(capacity);
  }
  push(v: Value): void {
    if (v !== null && typeof v !== 'boolean') throw typeError('bool', v);
    this.values = grow(this.values, (n) => new Uint8Array(n), this.length + 1);
    this.values[this.length++] = v === null ? BOOL_NULL : v ? 1 : 0;
  }
  finish(): Column {
    return new BoolColumn(this.values.slice(0, this.length));
  }
}

// ---- anything else: a plain array ----

class ValueColumn implements Column {
  constructor(
    readonly type: ScalarType,
    private readonly values: readonly Value[],
  ) {}
  get length(): number {
    return this.values.length;
  }
  get(row: number): Value {
    return this.values[row] ?? null;
  }
  gather(rows: ArrayLike<number>): Column {
    const out = new Array<Value>(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.values[rows[i]];
    return new ValueColumn(this.type, out);
  }
}

class ValueColumnBuilder implements ColumnBuilder {
  private readonly values: Value[] = [];
  constructor(readonly type: ScalarType) {}
  get length(): number {
    return this.values.length;
  }
  push(v: Value): void {
    this.values.push(v);
  }
  finish(): Column {
    return new ValueColumn(this.type, this.values);
  }
}

// ---- bulk construction from prebuilt storage (used by sources, which fill typed arrays directly) ----

/**
 * A string column over a dictionary and per-row codes. Dictionary entries must be distinct
 * (equal strings must share a code). The arrays are owned by the column afterwards.
 */
export function stringColumnFromCodes(dictionary: readonly string[] | Dictionary, codes: Uint32Array): Column {
  return new StringColumn(Array.isArray(dictionary) ? dictionaryOf(dictionary as string[]) : (dictionary as Dictionary), codes);
}

/** A long column over values and optional null flags (1 = null); arrays are owned by the column. */
export function longColumnFromArray(values: BigInt64Array, nulls?: Uint8Array): Column {
  return new LongColumn(values, nulls);
}

/** A real/datetime/timespan column over numbers (microseconds for datetime/timespan) and optional null flags. */
export function numberColumnFromArray(type: 'real' | 'datetime' | 'timespan', values: Float64Array, nulls?: Uint8Array): Column {
  const box = type === 'real' ? (n: number): Value => n : type === 'datetime' ? (n: number): Value => new DateTime(n) : (n: number): Value => new Timespan(n);
  return new NumericColumn(type, values, nulls, box);
}

/** A bool column over bytes: 0 false, 1 true, 2 null. */
export function boolColumnFromArray(values: Uint8Array): Column {
  return new BoolColumn(values);
}
