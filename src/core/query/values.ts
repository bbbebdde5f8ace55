/**
 * The runtime value model shared by the engine, the sources and every front end.
 *
 * Representation (chosen so results are exact and hashable the same way everywhere):
 * - null            -> `null` (Kusto's null for every type; strings are never null, see below)
 * - bool            -> `boolean`
 * - long / int      -> `bigint` (exact 64-bit; `int` is folded into `long`)
 * - real            -> `number`
 * - string          -> `string` (Kusto strings are never null: a missing string is "")
 * - datetime        -> `DateTime` (UTC, microseconds since the Unix epoch)
 * - timespan        -> `Timespan` (microseconds)
 * - dynamic         -> `DynamicValue`: a JSON-like array or null-prototype object; dynamic scalars
 *                      are represented by their natural scalar (JSON integer -> bigint, other number -> number)
 */
export type ScalarType = 'bool' | 'long' | 'real' | 'string' | 'datetime' | 'timespan' | 'dynamic';

export const SCALAR_TYPES: readonly ScalarType[] = ['bool', 'long', 'real', 'string', 'datetime', 'timespan', 'dynamic'];

/** Microsecond-precision UTC instant. Immutable. */
export class DateTime {
  constructor(readonly us: number) {}
  static fromMillis(ms: number): DateTime {
    return new DateTime(ms * 1000);
  }
  toMillis(): number {
    return Math.floor(this.us / 1000);
  }
  /** ISO 8601 in UTC, fraction only when non-zero and without trailing zeros: `2026-06-09T10:11:12.5Z`. */
  toISOString(): string {
    if (!isRepresentable(this.us)) return outOfRange(this.us);
    const ms = Math.floor(this.us / 1000);
    const fraction = this.us - Math.floor(ms / 1000) * 1_000_000; // microseconds within the second
    const seconds = isoSeconds(ms);
    if (fraction === 0) return seconds + 'Z';
    return seconds + '.' + String(fraction).padStart(6, '0').replace(/0+$/, '') + 'Z';
  }
  /** Kusto's `tostring()` form: seven fractional digits, e.g. `2026-06-09T10:11:12.5000000Z`. */
  toKustoString(): string {
    if (!isRepresentable(this.us)) return outOfRange(this.us);
    const ms = Math.floor(this.us / 1000);
    const fraction = this.us - Math.floor(ms / 1000) * 1_000_000;
    return isoSeconds(ms) + '.' + String(fraction).padStart(6, '0') + '0Z';
  }
  toString(): string {
    return this.toISOString();
  }
}

/**
 * Kusto's datetimes run from 0001-01-01 up to 10000-01-01 (excluded), here in microseconds from
 * 1970. Both bounds are exact doubles (the microseconds near them are not: a double holds whole
 * microseconds exactly only within about 285 years of 1970).
 */
export const MIN_DATETIME_US = -62_135_596_800_000_000;
export const END_DATETIME_US = 253_402_300_800_000_000;

/**
 * The latest time a double holds before the end of the range: 9999-12-31T23:59:59.999968Z
 * (doubles are 32 µs apart there).
 */
export const LAST_DATETIME_US = END_DATETIME_US - 32;

/**
 * Microseconds for a time read from text, given as whole milliseconds (exact) and the
 * microseconds after them, or null outside Kusto's range. The range is checked on the exact
 * milliseconds, so a time in the range's last 16 µs, which rounds up to its end as a double, is
 * kept as the last time held: `9999-12-31T23:59:59.9999999Z` (.NET's `DateTime.MaxValue`, common
 * in logs as "never") is a time, not a null.
 */
export function datetimeMicrosFromText(ms: number, usAfterMs: number): number | null {
  const wholeMs = ms + Math.floor(usAfterMs / 1000);
  if (!(wholeMs >= MIN_DATETIME_US / 1000 && wholeMs < END_DATETIME_US / 1000)) return null;
  return Math.min(ms * 1000 + usAfterMs, LAST_DATETIME_US);
}

/**
 * Microseconds computed for a datetime (arithmetic, conversions) as the whole microsecond nearest,
 * or null outside Kusto's range, as Kusto's conversions give: a nanosecond epoch read as
 * milliseconds is no date.
 */
export function datetimeMicros(us: number): number | null {
  const whole = nearestWhole(us);
  return whole >= MIN_DATETIME_US && whole < END_DATETIME_US ? whole : null;
}

/** `datetimeMicros` as a value. */
export function dateTimeOrNull(us: number): DateTime | null {
  const whole = datetimeMicros(us);
  return whole === null ? null : new DateTime(whole);
}

/**
 * Microseconds computed for a timespan (a fraction of one: `1s / 3`) as the whole microsecond
 * nearest; values keep whole microseconds, so they print, compare and hash alike everywhere.
 */
export function timespanMicros(us: number): number {
  return nearestWhole(us);
}

/** Kusto's longest timespan: 2^63 - 1 ticks of 100 ns (about 10.7 million days). */
const MAX_TIMESPAN_US = 922_337_203_685_477_580;

/** `timespanMicros` of a computed value, or null when a real from the data made it NaN or beyond Kusto's range. */
export function timespanMicrosOrNull(us: number): number | null {
  return Math.abs(us) <= MAX_TIMESPAN_US ? nearestWhole(us) : null;
}

/** A timespan of `us` microseconds (whole), or null when it is NaN or beyond Kusto's range. */
export function timespanOrNull(us: number): Timespan | null {
  const whole = timespanMicrosOrNull(us);
  return whole === null ? null : new Timespan(whole);
}

/** The nearest whole number, halves away from zero (so -x / 2 is -(x / 2), as .NET's rounding). */
function nearestWhole(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));

/**
 * `YYYY-MM-DDTHH:MM:SS` (UTC) of whole milliseconds from 1970, computed from the day number
 * (H. Hinnant's civil-from-days): `Date`'s `toISOString` takes about 3 µs a call, which was most
 * of the time a result of datetimes spent being written. Years outside 0001-9999 go through `Date`.
 */
function isoSeconds(ms: number): string {
  if (ms < MIN_DATETIME_US / 1000 || ms >= END_DATETIME_US / 1000) return new Date(ms).toISOString().slice(0, 19);
  const days = Math.floor(ms / DAY_MS);
  const second = Math.floor((ms - days * DAY_MS) / 1000);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153); // from March
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hh = Math.floor(second / 3600), mm = Math.floor((second % 3600) / 60), ss = second % 60;
  return `${year < 1000 ? String(year).padStart(4, '0') : year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[hh]}:${TWO_DIGITS[mm]}:${TWO_DIGITS[ss]}`;
}

/** JavaScript dates reach ±8.64e15 ms; beyond that a datetime (e.g. an epoch of 1e308 in a log) has no text form. */
function isRepresentable(us: number): boolean {
  return Number.isFinite(us) && Math.abs(us / 1000) <= 8.64e15;
}

function outOfRange(us: number): string {
  return `(invalid datetime: ${us} µs from 1970)`;
}

/** Microsecond-precision duration. Immutable. */
export class Timespan {
  constructor(readonly us: number) {}
  /** Kusto's text form: `[-][d.]hh:mm:ss[.fffffff]`. */
  toString(): string {
    let us = this.us;
    const sign = us < 0 ? '-' : '';
    us = Math.abs(us);
    const days = Math.floor(us / 86_400_000_000);
    us -= days * 86_400_000_000;
    const h = Math.floor(us / 3_600_000_000);
    us -= h * 3_600_000_000;
    const m = Math.floor(us / 60_000_000);
    us -= m * 60_000_000;
    const s = Math.floor(us / 1_000_000);
    const frac = us - s * 1_000_000;
    const two = (n: number) => String(n).padStart(2, '0');
    const fracText = frac ? '.' + String(frac * 10).padStart(7, '0') : '';
    return `${sign}${days ? days + '.' : ''}${two(h)}:${two(m)}:${two(s)}${fracText}`;
  }
}

export type DynamicValue = readonly DynamicValue[] | { readonly [key: string]: DynamicValue } | string | number | bigint | boolean | null;

export type Value = null | boolean | bigint | number | string | DateTime | Timespan | DynamicArray | DynamicObject;
export type DynamicArray = readonly DynamicValue[];
export type DynamicObject = { readonly [key: string]: DynamicValue };

/** The runtime type of a value (arrays and objects are `dynamic`). */
export function typeOfValue(v: Value): ScalarType | 'null' {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'long';
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
