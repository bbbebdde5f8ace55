/**
 * Column accumulators that infer their type while rows stream in. A column starts with the type
 * of its first non-null value and widens when a different one arrives:
 * - long and real mix to real, unless a long is beyond ±2^53 (a double would round it): dynamic;
 * - a bigint outside the signed 64-bit range makes the column dynamic (exact bigint inside);
 * - any other mix becomes dynamic, holding each value as it is;
 * - a column that only ever saw nulls is dynamic.
 * Rows are addressed by index; skipped rows are filled with nulls lazily.
 */
import type { Column } from '../query/table';
import { DateTime, Timespan, type ScalarType, type Value } from '../query/values';
import { BoolStore, LongStore, NumberStore, RawString, StringStore, ValueStore, type ColumnStore, type StorePart } from './columnStores';
import { JsonTextStore, type RawJson } from './jsonTextStore';
import type { StructPart } from './structColumns';
import type { LocalFold } from './timezone';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const NEG_MAX_SAFE = -MAX_SAFE;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function kindOf(v: Exclude<Value, null>): ScalarType {
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return v > INT64_MAX || v < INT64_MIN ? 'dynamic' : 'long';
    case 'number':
      return 'real';
    case 'string':
      return 'string';
    default:
      if (v instanceof DateTime) return 'datetime';
      if (v instanceof Timespan) return 'timespan';
      return 'dynamic';
  }
}

function storeFor(type: ScalarType): ColumnStore {
  switch (type) {
    case 'long':
      return new LongStore();
    case 'real':
      return new NumberStore('real');
    case 'bool':
      return new BoolStore();
    case 'string':
      return new StringStore();
    default:
      return new ValueStore();
  }
}

/** Bits for the kinds of value a column has seen (see `mergedType`). */
export const KIND_BITS: Readonly<Partial<Record<ScalarType, number>>> = { bool: 1, long: 2, real: 4, string: 8, dynamic: 16, datetime: 32, timespan: 64 };

/**
 * The type a column gets from the kinds of its non-null values, independent of their order:
 * none -> dynamic; one kind -> that kind; long and real -> real unless a long is beyond ±2^53;
 * anything else -> dynamic.
 */
export function mergedType(kinds: number, unsafeLong: boolean): ScalarType {
  if (kinds === KIND_BITS.long! + KIND_BITS.real! && !unsafeLong) return 'real';
  for (const [type, bit] of Object.entries(KIND_BITS)) if (kinds === bit) return type as ScalarType;
  return 'dynamic';
}

/** One column of a partial table, ready to be merged with the same column of other parts. */
export interface ColumnPart {
  readonly name: string;
  readonly kinds: number;
  readonly unsafeLong: boolean;
  readonly store: StorePart | StructPart;
  /** The time column: datetime microseconds, with its unreadable values counted. */
  readonly time?: TimeReadReport;
}

export interface FinishedColumn {
  readonly type: ScalarType;
  readonly column: Column;
}

export class InferredColumn {
  private type: ScalarType | null = null;
  private store: ColumnStore | null = null;
  private unsafeLong = false;
  private kinds = 0;
  /** Rows stored so far, including nulls not yet materialised. */
  length = 0;
  /** Rows the column is expected to hold (see `reserve`), for a store made later. */
  private expected = 0;

  /** Sizes the column's storage for `rows` rows, now or when it is made. */
  reserve(rows: number): void {
    this.expected = rows;
    this.store?.reserve(rows);
  }

  /** Sets the value of row `row` (rows before it that were never set become null). */
  set(row: number, v: Value): void {
    if (this.length < row) this.padTo(row);
    this.length++;
    const store = this.store;
    if (v === null) {
      if (store !== null) store.pushNull();
      return;
    }
    switch (this.type) {
      case 'string':
        if (typeof v === 'string') return (store as StringStore).push(v);
        break;
      case 'long':
        if (typeof v === 'bigint' && v <= MAX_SAFE && v >= NEG_MAX_SAFE) return (store as LongStore).push(v);
        break;
      case 'real':
        if (typeof v === 'number') return (store as NumberStore).push(v);
        break;
      case 'bool':
        if (typeof v === 'boolean') return (store as BoolStore).push(v);
        break;
      case 'dynamic':
        if (store instanceof ValueStore) return store.push(v);
        break; // a store of JSON text: see pushSlow
    }
    this.pushSlow(v);
  }

  /** Sets row `row` to an object or array still in the line's bytes (kept as text: see JsonTextStore). */
  setJson(row: number, raw: RawJson): void {
    if (!(this.store instanceof JsonTextStore) && this.store !== null) return this.set(row, raw.decode());
    if (this.length < row) this.padTo(row);
    this.length++;
    if (this.store === null) {
      this.kinds |= KIND_BITS.dynamic!;
      this.startStore('dynamic', new JsonTextStore());
    }
    (this.store as JsonTextStore).push(raw);
  }

  /** Sets row `row` to a string still in the line's bytes (decoded only when new or not a string column). */
  setRaw(row: number, raw: RawString): void {
    if (this.type !== 'string' && this.store !== null) return this.set(row, raw.decode());
    if (this.length < row) this.padTo(row);
    this.length++;
    if (this.store === null) {
      // The column's first value: its store gets it as bytes too (see StringStore.pushBytes).
      this.kinds |= KIND_BITS.string!;
      this.startStore('string');
    }
    (this.store as StringStore).pushBytes(raw);
  }

  /** Whether the column takes its next string as `pushBytesAt` gives it: a string column, its store made. */
  takesBytes(): boolean {
    return this.type === 'string' && this.store !== null;
  }

  /** setRaw of a column that `takesBytes`, for the string in buf[start, end) (`hash`: its fnvBytes). */
  pushBytesAt(row: number, buf: Uint8Array, start: number, end: number, hash: number): void {
    if (this.length < row) this.padTo(row);
    this.length++;
    (this.store as StringStore).pushBytesAt(buf, start, end, hash);
  }

  padTo(rows: number): void {
    if (this.store !== null) for (let i = this.length; i < rows; i++) this.store.pushNull();
    if (rows > this.length) this.length = rows;
  }

  /** Drops every row (see `ColumnStore.rewind`); the kinds seen so far, and so the type, stay. */
  rewind(): void {
    this.store?.rewind();
    this.length = 0;
  }

  private pushSlow(v: Exclude<Value, null>): void {
    const kind = kindOf(v);
    // Noted whatever the column's type: a real column that turns dynamic for a long beyond ±2^53
    // exports long + real, which a merge would otherwise type real (and its dynamic part null).
    if (typeof v === 'bigint' && (v > MAX_SAFE || v < NEG_MAX_SAFE)) this.unsafeLong = true;
    // Every kind reaches this method at least once before the column is dynamic, so `kinds` is
    // complete wherever it matters for merging.
    this.kinds |= KIND_BITS[kind] ?? KIND_BITS.dynamic!;
    // Objects and arrays kept as text, then a value of another kind or one parsed already (a line
    // the scanner left to JSON.parse): every value is kept as a value from now on.
    if (this.store instanceof JsonTextStore) this.rebuild('dynamic', (x) => x);
    if (this.store === null) {
      this.startStore(kind);
    } else if (this.type === kind) {
      // a long beyond ±2^53 (only longs reach here with the same kind)
    } else if (this.type === 'long' && kind === 'real' && !this.unsafeLong) {
      this.rebuild('real', (x) => (x === null ? null : Number(x as bigint)));
    } else if (this.type === 'real' && kind === 'long' && (v as bigint) <= MAX_SAFE && (v as bigint) >= NEG_MAX_SAFE) {
      return (this.store as NumberStore).push(Number(v as bigint));
    } else if (this.type === 'real') {
      // Integral doubles in a real column were longs (the JSON number rule makes every safe
      // integer a long), so they become bigints again: dynamic values do not depend on row order.
      this.rebuild('dynamic', (x) => (typeof x === 'number' && Number.isSafeInteger(x) ? BigInt(x) : x));
    } else if (this.type !== 'dynamic') {
      this.rebuild('dynamic', (x) => x);
    }
    this.append(v);
  }

  /** Makes the store for the column's first value, with nulls for the rows before it. */
  private startStore(kind: ScalarType, store: ColumnStore = storeFor(kind)): void {
    this.type = kind;
    this.store = store;
    this.store.reserve(this.expected);
    for (let i = 0; i < this.length - 1; i++) this.store.pushNull();
  }

  private append(v: Exclude<Value, null>): void {
    switch (this.type) {
      case 'long':
        if ((v as bigint) > MAX_SAFE || (v as bigint) < NEG_MAX_SAFE) this.unsafeLong = true;
        return (this.store as LongStore).push(v as bigint);
      case 'real':
        return (this.store as NumberStore).push(v as number);
      case 'bool':
        return (this.store as BoolStore).push(v as boolean);
      case 'string':
        return (this.store as StringStore).push(v as string);
      default:
        return (this.store as ValueStore).push(v);
    }
  }

  private rebuild(type: ScalarType, convert: (v: Value) => Value): void {
    const old = this.store!;
    const next = storeFor(type);
    next.reserve(this.expected);
    for (let i = 0; i < old.length; i++) {
      const x = convert(old.get(i));
      if (x === null) next.pushNull();
      else if (next instanceof NumberStore) next.push(x as number);
      else (next as ValueStore).push(x);
    }
    this.store = next;
    this.type = type;
  }

  finish(rowCount: number): FinishedColumn {
    this.padTo(rowCount);
    if (this.store === null) {
      const store = new ValueStore();
      for (let i = 0; i < rowCount; i++) store.pushNull();
      return { type: 'dynamic', column: store.finish() };
    }
    return { type: this.type!, column: this.store.finish() };
  }

  exportPart(name: string, rowCount: number): ColumnPart {
    this.padTo(rowCount);
    const store: StorePart = this.store ? this.store.export() : { kind: 'null', length: rowCount };
    return { name, kinds: this.kinds, unsafeLong: this.unsafeLong, store };
  }
}

/**
 * What reading a time column met: values that were not times (and the first of them), and local
 * times the zone's clock changes made ambiguous (see `LocalFold`).
 */
export interface TimeReadReport {
  failures: number;
  firstFailure: string | null;
  repeated: number;
  skipped: number;
}

export function emptyTimeReport(): TimeReadReport {
  return { failures: 0, firstFailure: null, repeated: 0, skipped: 0 };
}

/** Adds what a later part of the read met (its first failure counts only when `into` has none). */
export function addTimeReport(into: TimeReadReport, from: TimeReadReport | undefined): void {
  if (!from) return;
  into.failures += from.failures;
  into.firstFailure ??= from.firstFailure;
  into.repeated += from.repeated;
  into.skipped += from.skipped;
}

/** The event-time column: microseconds or null, with what reading them met (a `TimeReadReport`). */
export class TimeColumn implements TimeReadReport {
  private readonly store = new NumberStore('datetime');
  failures = 0;
  firstFailure: string | null = null;
  repeated = 0;
  skipped = 0;
  /** Called when a value fails while `firstFailure` is unset (so the reader can note where). */
  onFirstFailure: (() => void) | null = null;

  constructor(leadingNulls: number) {
    for (let i = 0; i < leadingNulls; i++) this.store.pushNull();
  }

  get length(): number {
    return this.store.length;
  }

  padTo(rows: number): void {
    for (let i = this.store.length; i < rows; i++) this.store.pushNull();
  }

  reserve(rows: number): void {
    this.store.reserve(rows);
  }

  rewind(): void {
    this.store.rewind();
  }

  /**
   * `us` is NaN when the value could not be read; `original` is kept for the first such value.
   * `fold`: where the value lay on its zone's clock (the reader's `lastFold`).
   */
  set(row: number, us: number, original: unknown, fold: LocalFold = 0): void {
    if (this.store.length < row) this.padTo(row);
    if (fold === 1) this.repeated++;
    else if (fold === 2) this.skipped++;
    if (Number.isNaN(us)) {
      // An empty value is no time, as an absent one (it is how the field is chosen, and the rows
      // before the choice hold it as a null): not an unreadable one.
      if (original === '') return this.store.pushNull();
      this.failures++;
      if (this.firstFailure === null) {
        this.firstFailure = describe(original).slice(0, 80);
        this.onFirstFailure?.();
      }
      this.store.pushNull();
    } else this.store.push(us);
  }

  /** A time read already: `time[index]` (microseconds, not NaN). */
  setRead(row: number, time: Float64Array, index = 0): void {
    if (this.store.length < row) this.padTo(row);
    this.store.pushFrom(time, index);
  }

  setNull(row: number): void {
    if (this.store.length < row) this.padTo(row);
    this.store.pushNull();
  }

  finish(rowCount: number): FinishedColumn {
    this.padTo(rowCount);
    return { type: 'datetime', column: this.store.finish() };
  }

  exportPart(name: string, rowCount: number): ColumnPart {
    this.padTo(rowCount);
    return { name, kinds: KIND_BITS.datetime!, unsafeLong: false, store: this.store.export(), time: { failures: this.failures, firstFailure: this.firstFailure, repeated: this.repeated, skipped: this.skipped } };
  }
}

/** Short text for a value in a warning; works for null-prototype objects and bigints. */
function describe(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v !== 'object' || v === null) return String(v);
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  } catch {
    return Array.isArray(v) ? '[array]' : '{object}';
  }
}
