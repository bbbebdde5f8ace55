/** Arithmetic on values, with Kusto's typing: long/long stays long, datetime − datetime is a timespan ... */
import { isLong, wrapLong } from './convert';
import { DateTime, Timespan, dateTimeOrNull, timespanOrNull, type ScalarType, type Value } from './values';

export type ArithOp = '+' | '-' | '*' | '/' | '%';

const isNum = (t: ScalarType) => t === 'long' || t === 'real';

/** The static result type, or a reason the operands do not combine. */
export function arithType(op: ArithOp, a: ScalarType, b: ScalarType): ScalarType | { error: string } {
  if (a === 'dynamic' || b === 'dynamic') return 'dynamic';
  if (a === 'bool' || b === 'bool' || a === 'string' || b === 'string') {
    const hint = a === 'string' && b === 'string' && op === '+' ? '; use strcat() to join strings' : '';
    return { error: `cannot apply \`${op}\` to ${a} and ${b}${hint}` };
  }
  if (isNum(a) && isNum(b)) return a === 'long' && b === 'long' ? 'long' : 'real';
  if (a === 'datetime' && b === 'datetime' && op === '-') return 'timespan';
  if (a === 'datetime' && b === 'timespan' && (op === '+' || op === '-')) return 'datetime';
  if (a === 'timespan' && b === 'datetime' && op === '+') return 'datetime';
  if (a === 'timespan' && b === 'timespan') {
    if (op === '+' || op === '-' || op === '%') return 'timespan';
    if (op === '/') return 'real';
  }
  if (a === 'timespan' && isNum(b) && (op === '*' || op === '/')) return 'timespan';
  if (isNum(a) && b === 'timespan' && op === '*') return 'timespan';
  return { error: `cannot apply \`${op}\` to ${a} and ${b}` };
}

/**
 * Kusto's modulo is never negative: 0 <= n % d < abs(d) (`-14 % 12` is 10, `14 % -12` is 2),
 * where JavaScript's remainder keeps the dividend's sign.
 */
export function kustoModulo(n: number, d: number): number {
  const r = n % d;
  if (r >= 0) return r;
  const up = r + Math.abs(d);
  return up === Math.abs(d) ? 0 : up; // a tiny negative remainder rounds up to d itself: that is 0
}

function longModulo(n: bigint, d: bigint): bigint {
  const r = n % d;
  return r < 0n ? r + (d < 0n ? -d : d) : r;
}

function longOp(op: ArithOp, a: bigint, b: bigint): bigint | null {
  switch (op) {
    case '+':
      return wrapLong(a + b);
    case '-':
      return wrapLong(a - b);
    case '*':
      return wrapLong(a * b);
    case '/':
      // BigInt division truncates toward zero, like Kusto; dividing by zero gives null.
      return b === 0n ? null : wrapLong(a / b);
    case '%':
      return b === 0n ? null : wrapLong(longModulo(a, b));
  }
}

function realOp(op: ArithOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return kustoModulo(a, b);
  }
}

export function arith(op: ArithOp, a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  const ta = typeof a;
  const tb = typeof b;
  // A JSON integer beyond 64 bits (kept exact in a dynamic value) computes as a real, never wrapped.
  if (ta === 'bigint' && tb === 'bigint' && isLong(a as bigint) && isLong(b as bigint)) return longOp(op, a as bigint, b as bigint);
  const aNum = ta === 'bigint' || ta === 'number';
  const bNum = tb === 'bigint' || tb === 'number';
  if (aNum && bNum) return realOp(op, Number(a), Number(b));
  if (a instanceof DateTime) {
    if (b instanceof Timespan) {
      if (op === '+') return dateTimeOrNull(a.us + b.us);
      if (op === '-') return dateTimeOrNull(a.us - b.us);
    } else if (b instanceof DateTime && op === '-') return new Timespan(a.us - b.us);
    return null;
  }
  if (a instanceof Timespan) {
    if (b instanceof Timespan) {
      if (op === '+') return timespanOrNull(a.us + b.us);
      if (op === '-') return timespanOrNull(a.us - b.us);
      if (op === '/') return a.us / b.us;
      if (op === '%') return b.us === 0 ? null : new Timespan(kustoModulo(a.us, b.us));
      return null;
    }
    if (b instanceof DateTime && op === '+') return dateTimeOrNull(a.us + b.us);
    if (bNum) {
      if (op === '*') return timespanOrNull(a.us * Number(b));
      if (op === '/') return Number(b) === 0 ? null : timespanOrNull(a.us / Number(b));
    }
    return null;
  }
  if (aNum && b instanceof Timespan && op === '*') return timespanOrNull(Number(a) * b.us);
  return null;
}


export function negate(v: Value): Value {
  if (v === null) return null;
  if (typeof v === 'bigint') return isLong(v) ? wrapLong(-v) : -Number(v); // beyond 64 bits: a real
  if (typeof v === 'number') return -v;
  if (v instanceof Timespan) return new Timespan(-v.us);
  return null;
}
