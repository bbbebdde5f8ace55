/**
 * Column accumulators that infer their type while rows stream in. A column starts with the type
 * of its first non-null value and widens when a different one arrives:
 * - long and real mix to real, unless a long is beyond ±2^53 (a double would round it): dynamic;
 * - a bigint outside the signed 64-bit range makes the column dynamic (exact bigint inside);
 * - any other mix becomes dynamic, holding each value as it is;
 * - a column that only ever saw nulls is dynamic.
 * Rows are addressed by index; skipped rows are filled with nulls lazily.
 */
import { createColumnBuilder, type Column, type ColumnBuilder } from '../query/table';
import { DateTime, Timespan, type ScalarType, type Value } from '../query/values';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
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

export interface FinishedColumn {
  readonly type: ScalarType;
  readonly column: Column;
}

export class InferredColumn {
  private type: ScalarType | null = null;
  private builder: ColumnBuilder | null = null;
  private pendingNulls = 0;
  private unsafeLong = false;

  get length(): number {
    return (this.builder?.length ?? 0) + this.pendingNulls;
  }

  /** Sets the value of row `row` (rows before it that were never set become null). */
  set(row: number, v: Value): void {
    this.padTo(row);
    this.push(v);
  }

  padTo(rows: number): void {
    const missing = rows - this.length;
    if (missing <= 0) return;
    if (!this.builder) this.pendingNulls += missing;
    else for (let i = 0; i < missing; i++) this.builder.push(null);
  }

  private push(v: Value): void {
    if (v === null) {
      if (this.builder) this.builder.push(null);
      else this.pendingNulls++;
      return;
    }
    const builder = this.builder;
    const kind = kindOf(v);
    if (builder !== null && kind === this.type) {
      if (kind === 'long' && !this.unsafeLong && ((v as bigint) > MAX_SAFE || (v as bigint) < -MAX_SAFE)) this.unsafeLong = true;
      builder.push(v);
      return;
    }
    this.pushMismatched(kind, v);
  }

  private pushMismatched(kind: ScalarType, v: Exclude<Value, null>): void {
    if (this.builder === null) {
      this.type = kind;
      this.builder = createColumnBuilder(kind, Math.max(1024, this.pendingNulls + 1));
      for (let i = 0; i < this.pendingNulls; i++) this.builder.push(null);
      this.pendingNulls = 0;
      this.push(v);
      return;
    }
    if (this.type === 'dynamic') {
      this.builder.push(v);
      return;
    }
    if (this.type === 'long' && kind === 'real' && !this.unsafeLong) {
      this.rebuild('real', (x) => (x === null ? null : Number(x as bigint)));
      this.builder.push(v);
      return;
    }
    if (this.type === 'real' && kind === 'long' && (v as bigint) <= MAX_SAFE && (v as bigint) >= -MAX_SAFE) {
      this.builder.push(Number(v as bigint));
      return;
    }
    this.rebuild('dynamic', (x) => x);
    this.builder.push(v);
  }

  private rebuild(type: ScalarType, convert: (v: Value) => Value): void {
    const old = this.builder!.finish();
    const next = createColumnBuilder(type, Math.max(1024, old.length * 2));
    for (let i = 0; i < old.length; i++) next.push(convert(old.get(i)));
    this.builder = next;
    this.type = type;
  }

  finish(rowCount: number): FinishedColumn {
    this.padTo(rowCount);
    if (!this.builder) {
      const b = createColumnBuilder('dynamic');
      for (let i = 0; i < rowCount; i++) b.push(null);
      return { type: 'dynamic', column: b.finish() };
    }
    return { type: this.type!, column: this.builder.finish() };
  }
}

/** The event-time column: microseconds or null, with a count of values that were not times. */
export class TimeColumn {
  private readonly builder: ColumnBuilder;
  failures = 0;
  firstFailure: string | null = null;

  constructor(leadingNulls: number) {
    this.builder = createColumnBuilder('datetime', Math.max(1024, leadingNulls + 1));
    for (let i = 0; i < leadingNulls; i++) this.builder.push(null);
  }

  get length(): number {
    return this.builder.length;
  }

  padTo(rows: number): void {
    for (let i = this.builder.length; i < rows; i++) this.builder.push(null);
  }

  /** `us` is NaN when the value could not be read; `original` is kept for the first such value. */
  set(row: number, us: number, original: unknown): void {
    this.padTo(row);
    if (Number.isNaN(us)) {
      this.failures++;
      if (this.firstFailure === null) this.firstFailure = describe(original).slice(0, 80);
      this.builder.push(null);
    } else this.builder.push(new DateTime(us));
  }

  setNull(row: number): void {
    this.padTo(row);
    this.builder.push(null);
  }

  finish(rowCount: number): FinishedColumn {
    this.padTo(rowCount);
    return { type: 'datetime', column: this.builder.finish() };
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
