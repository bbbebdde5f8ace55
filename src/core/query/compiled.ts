/** The shape of a compiled scalar expression and the context it is compiled in. */
import type { Expr } from './ast';
import type { Scope } from './scope';
import type { Column, NullMask, Table } from './table';
import { DateTime as DateTimeValue, Timespan as TimespanValue, type DateTime, type ScalarType, type Value } from './values';
import { QueryRuntimeError } from './errors';

export interface Compiled {
  readonly type: ScalarType;
  /** The value for one row of the table the expression was compiled against. */
  readonly eval: (row: number) => Value;
  /** Present when the value does not depend on the row (computed once). */
  readonly constant?: { readonly value: Value };
  /** Set when the expression is a plain column reference, enabling typed fast paths. */
  readonly column?: Column;
  /**
   * For real, datetime and timespan expressions that can supply it: the value as a raw number
   * (microseconds for datetime/timespan) without allocating a boxed value.
   */
  readonly evalRaw?: (row: number) => number | null;
  /**
   * For a real, datetime or timespan column, or `bin()` of one by a constant size: the column's
   * arrays and the binning, so a loop over every row (grouping) reads them without a call per row.
   * The value of a row is `binMicros(values[row], bin.size, bin.fromYearOne)`, or the number itself
   * without `bin`; null where `nulls` marks the row.
   */
  readonly rawArray?: RawArray;
}

export interface RawArray {
  readonly values: Float64Array;
  readonly nulls: NullMask;
  readonly bin?: { readonly size: number; readonly fromYearOne: boolean };
}

export function isRawType(t: ScalarType): t is 'real' | 'datetime' | 'timespan' {
  return t === 'real' || t === 'datetime' || t === 'timespan';
}

/** Boxes a raw number as a value of a raw type. */
export function boxRaw(type: 'real' | 'datetime' | 'timespan', n: number): Value {
  return type === 'real' ? n : type === 'datetime' ? new DateTimeValue(n) : new TimespanValue(n);
}

export function constant(type: ScalarType, value: Value): Compiled {
  const raw = rawOf(value);
  if (raw !== undefined && isRawType(type)) return { type, eval: () => value, constant: { value }, evalRaw: () => raw };
  return { type, eval: () => value, constant: { value } };
}

function rawOf(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof DateTimeValue || v instanceof TimespanValue) return v.us;
  return undefined;
}

/** Per-run settings and sinks shared by every operator of one query run. */
export interface RunSettings {
  /**
   * Which query run this is. Definitions remember the run that made them, so an error raised
   * inside one made by another run (an earlier cell) is reported where this query uses it: its
   * own span points into the other cell's text.
   */
  readonly origin: object;
  readonly now: DateTime;
  readonly warnings: string[];
  readonly makeListMax: number;
  /** User-defined function calls expanded so far (see countFunctionCall); shared by the whole run. */
  readonly functionCalls: { count: number };
}

/**
 * User-defined function calls one query may expand. A function that calls another twice, in a
 * chain of such definitions, doubles the work at each step: thirty steps are a billion calls, and
 * the query would run for hours rather than fail.
 */
export const MAX_FUNCTION_CALLS = 100_000;

/** Counts one call of a user-defined function; throws once the run has made more than MAX_FUNCTION_CALLS. */
export function countFunctionCall(run: RunSettings, name: string, at: { readonly start: number; readonly end: number }): void {
  if (++run.functionCalls.count > MAX_FUNCTION_CALLS) {
    throw new QueryRuntimeError(
      `user-defined functions expand to more than ${MAX_FUNCTION_CALLS.toLocaleString('en-US')} calls (this call of \`${name}\` is one too many)`,
      at.start,
      at.end - at.start,
      'a function that calls another several times, in a chain of such functions, multiplies the calls',
    );
  }
}

export interface ExprContext {
  readonly table: Table;
  readonly scope: Scope;
  /** Function parameters and function-body lets, which shadow columns. */
  readonly locals: ReadonlyMap<string, Compiled>;
  /** Results of tabular subqueries (`in (T | ...)`, `toscalar(...)`), evaluated before compiling. */
  readonly subqueries: ReadonlyMap<Expr, import('./table').Table>;
  readonly run: RunSettings;
}

