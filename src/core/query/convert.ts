/** Conversions between value types, following Kusto's `tostring`/`tolong`/... rules (failure is null). */
import { isDynamicArray, isDynamicObject, parseJson, toJson } from './dynamic';
import { parseDateTimeText, parseTimespanText } from './time';
import { DateTime, Timespan, timespanMicrosOrNull, typeOfValue, type ScalarType, type Value } from './values';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Kusto wraps 64-bit arithmetic. */
export function wrapLong(v: bigint): bigint {
  return v >= LONG_MIN && v <= LONG_MAX ? v : BigInt.asIntN(64, v);
}

export function formatReal(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

/**
 * A number written in decimal, as .NET reads numbers from text: JavaScript's `Number` would also
 * read `0b101`, `0o17` and `0x10`, which Kusto's conversions do not.
 */
const DECIMAL_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function toStringValue(v: Value): string {
  if (v === null) return '';
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return formatReal(v);
  }
  if (v instanceof DateTime) return v.toKustoString();
  if (v instanceof Timespan) return v.toString();
  return toJson(v);
}

/** Whether a whole number fits a long (a JSON integer beyond 64 bits, kept exact inside a dynamic value, does not). */
export function isLong(v: bigint): boolean {
  return v >= LONG_MIN && v <= LONG_MAX;
}

/** Ticks (100 ns) from 0001-01-01, where Kusto counts a datetime's ticks from, to 1970-01-01. */
const UNIX_EPOCH_TICKS = 621_355_968_000_000_000n;

/** The value as a long; null when it is no whole number or lies beyond 64 bits (never wrapped). */
export function toLongValue(v: Value): bigint | null {
  if (v === null) return null;
  switch (typeof v) {
    case 'bigint':
      return isLong(v) ? v : null;
    case 'number': {
      if (!Number.isFinite(v)) return null;
      const whole = BigInt(Math.trunc(v));
      return isLong(whole) ? whole : null;
    }
    case 'boolean':
      return v ? 1n : 0n;
    case 'string': {
      const t = v.trim();
      if (/^[+-]?\d+$/.test(t)) {
        // More than 19 significant digits is beyond 64 bits: said without parsing millions of digits.
        if (t.replace(/^[+-]?0*/, '').length > 19) return null;
        const b = BigInt(t);
        return isLong(b) ? b : null;
      }
      if (/^0x[0-9a-f]+$/i.test(t)) return wrapLong(BigInt(t));
      if (!DECIMAL_NUMBER.test(t)) return null;
      const n = Number(t);
      return Number.isFinite(n) ? wrapLong(BigInt(Math.trunc(n))) : null;
    }
  }
  // Ticks of 100 ns, as Kusto: a datetime's from 0001-01-01, a timespan's from zero.
  if (v instanceof DateTime) return Number.isFinite(v.us) ? BigInt(Math.trunc(v.us)) * 10n + UNIX_EPOCH_TICKS : null;
  if (v instanceof Timespan) return Number.isFinite(v.us) ? BigInt(Math.trunc(v.us)) * 10n : null;
  return null;
}

export function toRealValue(v: Value): number | null {
  if (v === null) return null;
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint':
      return Number(v);
    case 'boolean':
      return v ? 1 : 0;
    case 'string': {
      const t = v.trim();
      if (t === '') return null;
      const lower = t.toLowerCase();
      if (lower === 'nan') return NaN;
      if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
      if (lower === '-inf' || lower === '-infinity') return -Infinity;
      return DECIMAL_NUMBER.test(t) ? Number(t) : null;
    }
  }
  if (v instanceof DateTime) return v.us * 10 + Number(UNIX_EPOCH_TICKS);
  if (v instanceof Timespan) return v.us * 10;
  return null;
}

export function toBoolValue(v: Value): boolean | null {
  if (v === null) return null;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'bigint':
      return v !== 0n;
    case 'number':
      return Number.isNaN(v) ? null : v !== 0;
    case 'string': {
      const t = v.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      return null;
    }
  }
  return null;
}

export function toDateTimeValue(v: Value): DateTime | null {
  if (v === null) return null;
  if (v instanceof DateTime) return v;
  if (typeof v === 'string') {
    const us = parseDateTimeText(v);
    return us === null ? null : new DateTime(us);
  }
  return null;
}

export function toTimespanValue(v: Value): Timespan | null {
  if (v === null) return null;
  if (v instanceof Timespan) return v;
  if (typeof v === 'string') {
    const us = parseTimespanText(v);
    return us === null ? null : new Timespan(us);
  }
  // Ticks of 100 ns; an infinite real from the data is no timespan.
  if (typeof v === 'bigint' || typeof v === 'number') {
    const us = timespanMicrosOrNull(Number(v) / 10);
    return us === null ? null : new Timespan(us);
  }
  return null;
}

/** `todynamic`/`parse_json`: strings holding JSON become structures; anything else is wrapped as is. */
export function toDynamicValue(v: Value): Value {
  if (typeof v === 'string') {
    const parsed = parseJson(v);
    return parsed === undefined ? v : parsed;
  }
  if (v instanceof DateTime) return v.toKustoString();
  if (v instanceof Timespan) return v.toString();
  return v;
}

/** The value converted so it can be stored in a column of `type`; null when it cannot be. */
export function conform(type: ScalarType, v: Value): Value {
  if (v === null) return null;
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : toStringValue(v);
    case 'long':
      return typeof v === 'bigint' ? v : typeof v === 'number' || typeof v === 'boolean' ? toLongValue(v) : typeof v === 'string' ? toLongValue(v) : null;
    case 'real':
      return typeof v === 'number' ? v : typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'string' ? toRealValue(v) : null;
    case 'bool':
      return typeof v === 'boolean' ? v : toBoolValue(v);
    case 'datetime':
      return v instanceof DateTime ? v : toDateTimeValue(v);
    case 'timespan':
      return v instanceof Timespan ? v : typeof v === 'string' ? toTimespanValue(v) : null;
    case 'dynamic':
      if (v instanceof DateTime) return v.toKustoString();
      if (v instanceof Timespan) return v.toString();
      return v;
  }
}

/** Converts to a type on request (`to typeof(long)`, `parse ... x:long`). */
export function convertTo(type: ScalarType, v: Value): Value {
  switch (type) {
    case 'string':
      return toStringValue(v);
    case 'long':
      return toLongValue(v);
    case 'real':
      return toRealValue(v);
    case 'bool':
      return toBoolValue(v);
    case 'datetime':
      return toDateTimeValue(v);
    case 'timespan':
      return toTimespanValue(v);
    case 'dynamic':
      return toDynamicValue(v);
  }
}

/** Kusto's `gettype()` names. */
export function kustoTypeName(v: Value): string {
  const t = typeOfValue(v);
  if (t === 'null') return 'null';
  if (t === 'dynamic') return isDynamicArray(v) ? 'array' : isDynamicObject(v) ? 'dictionary' : 'dynamic';
  if (t === 'bool') return 'bool';
  if (t === 'long') return isLong(v as bigint) ? 'long' : 'real'; // beyond 64 bits a JSON integer is a real number
  if (t === 'real') return 'real';
  return t;
}
