/** Ordering, equality and hash keys for values of any type. */
import { toJson } from './dynamic';
import { toDateTimeValue, toRealValue, toTimespanValue } from './convert';
import { DateTime, Timespan, type Value } from './values';

function numeric(v: Value): number | bigint | undefined {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return undefined;
}

/** NaN when either side is NaN: unordered, so every comparison with it is false (IEEE, as .NET). */
function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  // Precision: a bigint beyond 2^53 against a real compares by the rounded value, as Kusto does.
  return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
}

/** A datetime or timespan against another value: by time when the other is one of the same kind or text that reads as one. */
function compareTimes(a: DateTime | Timespan, b: Value): number | null {
  const other = b instanceof DateTime || b instanceof Timespan ? b : typeof b === 'string' ? (a instanceof DateTime ? toDateTimeValue(b) : toTimespanValue(b)) : null;
  if (other === null || (a instanceof DateTime) !== (other instanceof DateTime)) return null;
  return a.us < other.us ? -1 : a.us > other.us ? 1 : 0;
}

/**
 * Compares two non-null values for `<`, `>` and sorting. Returns null when they are not comparable
 * (different kinds that do not convert), which comparisons turn into null, and NaN when a number
 * is NaN. Arrays and bags compare by their JSON text, which `json` gives (a sort passes one that
 * remembers it). Text against a datetime or timespan (a dynamic value: typed columns are refused
 * when the query is compiled) compares by the time it reads as, and not at all when it reads as none.
 */
export function compareValues(a: Value, b: Value, json: (v: Value) => string = toJson): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return compareNumbers(na, nb);
  if (a instanceof DateTime || a instanceof Timespan) return compareTimes(a, b);
  if (b instanceof DateTime || b instanceof Timespan) {
    const c = compareTimes(b, a);
    return c === null ? null : -c;
  }
  // Mixed string/number (typically a dynamic value against a literal): compare numerically if possible.
  if (typeof a === 'string' && nb !== undefined) {
    const x = toRealValue(a);
    return x === null ? null : compareNumbers(x, nb);
  }
  if (typeof b === 'string' && na !== undefined) {
    const y = toRealValue(b);
    return y === null ? null : compareNumbers(na, y);
  }
  // Arrays and bags order among themselves by their JSON text; against a number, a string or a
  // bool they do not compare (`dynamic([1,2]) > 1` was true, by the text "[1,2]" against "1").
  if (typeof a === 'object' && typeof b === 'object') {
    const x = json(a);
    const y = json(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return null;
}

/**
 * Total order for sorting in direction `dir` (1 ascending, -1 descending); nulls are placed by the
 * caller. `json`: as for `compareValues`. Values of different kinds are ordered by kind in either
 * direction, as Kusto's `array_sort_asc` and `array_sort_desc` document (numbers, then datetimes
 * and timespans, then strings, then the rest), and never across kinds by value: `"2"` against
 * `10` compared numerically while `"2"` against `"10"` compared as text, which made the order of
 * a mixed dynamic column depend on the order of its rows. `min` and `max` pick what an ascending
 * and a descending sort put first.
 */
export function sortCompare(a: Value, b: Value, json?: (v: Value) => string, dir: 1 | -1 = 1): number {
  const ka = kindRank(a);
  const kb = kindRank(b);
  if (ka !== kb) return ka - kb;
  const c = compareValues(a, b, json) ?? 0;
  // NaN is unordered; a sort still needs a place for it: below every number, as a null is.
  return (Number.isNaN(c) ? nanFirst(a as number | bigint, b as number | bigint) : c) * dir;
}

function nanFirst(a: number | bigint, b: number | bigint): number {
  const x = typeof a === 'number' && Number.isNaN(a);
  const y = typeof b === 'number' && Number.isNaN(b);
  return x === y ? 0 : x ? -1 : 1;
}

function kindRank(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'bigint' || typeof v === 'number') return 1;
  if (v instanceof DateTime) return 2;
  if (v instanceof Timespan) return 3;
  if (typeof v === 'string') return 4;
  if (typeof v === 'boolean') return 5;
  return 6;
}

/** `==` on values; null when either side is null. */
export function valuesEqual(a: Value, b: Value): boolean | null {
  if (a === null || b === null) return null;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  const c = compareValues(a, b);
  return c === null ? false : c === 0;
}

const LONG_LIMIT = 2 ** 63;

/**
 * A primitive that is equal for equal values of the same type, for Map-based hashing
 * (group keys, join keys, distinct sets). Numbers of both kinds map to the same key when integral.
 */
export function hashKey(v: Value): string | number | bigint | boolean | null {
  if (v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'bigint':
      return v;
    case 'number':
      // A whole real in the long range keys as that long, exactly (2^53 and beyond too), so a real
      // key joins and groups with the long of the same value.
      return Number.isInteger(v) && v >= -LONG_LIMIT && v < LONG_LIMIT ? BigInt(v) : v;
  }
  if (v instanceof DateTime) return 'd\u0000' + v.us;
  if (v instanceof Timespan) return 't\u0000' + v.us;
  return 'j\u0000' + toJson(v);
}
