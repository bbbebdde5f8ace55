/** Calendar arithmetic and formatting for datetime values (UTC, microseconds). */
import { US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND, utcMillis } from './time';
import { DateTime } from './values';

/** Microseconds from 0001-01-01 to 1970-01-01: Kusto bins relative to year 1 (e.g. weekly bins start on Monday). */
const EPOCH_FROM_YEAR_ONE = 62_135_596_800_000_000n;

/** floor((us - origin) / size) * size + origin, computed so that large offsets stay exact. */
export function binMicros(us: number, size: number, fromYearOne: boolean): number {
  if (!fromYearOne) return Math.floor(us / size) * size;
  const shift = binShift(size, true);
  return Math.floor((us + shift) / size) * size - shift;
}

/** The `shift` of binMicros: bins are floor((us + shift) / size) * size - shift. */
export function binShift(size: number, fromYearOne: boolean): number {
  return fromYearOne ? yearOneShift(size) : 0;
}

let lastSize = NaN;
let lastShift = 0;

/** The epoch's offset within a bin of `size` counted from year 1 (memoised: bins repeat one size per query). */
function yearOneShift(size: number): number {
  if (size !== lastSize) {
    lastShift = Number.isInteger(size) ? Number(EPOCH_FROM_YEAR_ONE % BigInt(size)) : (62_135_596_800_000_000 % size);
    lastSize = size;
  }
  return lastShift;
}

function parts(us: number): { y: number; mo: number; d: number; h: number; mi: number; s: number; frac: number; dow: number } {
  const ms = Math.floor(us / 1000);
  const dt = new Date(ms);
  const frac = us - Math.floor(us / US_PER_SECOND) * US_PER_SECOND;
  return { y: dt.getUTCFullYear(), mo: dt.getUTCMonth() + 1, d: dt.getUTCDate(), h: dt.getUTCHours(), mi: dt.getUTCMinutes(), s: dt.getUTCSeconds(), frac, dow: dt.getUTCDay() };
}

function utc(y: number, mo: number, d: number): number {
  return utcMillis(y, mo - 1, d) * 1000;
}

export function startOf(unit: 'day' | 'week' | 'month' | 'year' | 'hour', us: number, offset = 0): number {
  const p = parts(us);
  switch (unit) {
    case 'hour':
      return Math.floor(us / US_PER_HOUR) * US_PER_HOUR;
    case 'day':
      return utc(p.y, p.mo, p.d + offset);
    case 'week':
      return utc(p.y, p.mo, p.d - p.dow + 7 * offset); // weeks start on Sunday
    case 'month':
      return utc(p.y, p.mo + offset, 1);
    case 'year':
      return utc(p.y + offset, 1, 1);
  }
}

/** The last microsecond of the period (Kusto's last tick, at microsecond precision). */
export function endOf(unit: 'day' | 'week' | 'month' | 'year', us: number, offset = 0): number {
  return startOf(unit, us, offset + 1) - 1;
}

const PART_ALIASES: Record<string, string> = {
  year: 'year', years: 'year', yy: 'year', yyyy: 'year',
  quarter: 'quarter', quarters: 'quarter', q: 'quarter', qq: 'quarter',
  month: 'month', months: 'month', mm: 'month', m: 'month',
  week: 'week', weeks: 'week', wk: 'week', ww: 'week',
  day: 'day', days: 'day', dd: 'day', d: 'day',
  dayofyear: 'dayofyear', dy: 'dayofyear', week_of_year: 'week',
  hour: 'hour', hours: 'hour', hh: 'hour',
  minute: 'minute', minutes: 'minute', mi: 'minute', n: 'minute',
  second: 'second', seconds: 'second', ss: 'second', s: 'second',
  millisecond: 'millisecond', milliseconds: 'millisecond', ms: 'millisecond',
  microsecond: 'microsecond', microseconds: 'microsecond', mcs: 'microsecond',
  nanosecond: 'nanosecond', nanoseconds: 'nanosecond', ns: 'nanosecond',
};

export function datePart(name: string): string | undefined {
  const k = name.toLowerCase();
  return Object.hasOwn(PART_ALIASES, k) ? PART_ALIASES[k] : undefined;
}

const FIXED: Record<string, number> = { day: US_PER_DAY, dayofyear: US_PER_DAY, hour: US_PER_HOUR, minute: US_PER_MINUTE, second: US_PER_SECOND, millisecond: 1000, microsecond: 1, nanosecond: 0.001 };

/** Number of `part` boundaries crossed from b to a (Kusto's datetime_diff). */
export function datetimeDiff(part: string, a: number, b: number): number {
  const pa = parts(a);
  const pb = parts(b);
  switch (part) {
    case 'year':
      return pa.y - pb.y;
    case 'quarter':
      return pa.y * 4 + Math.floor((pa.mo - 1) / 3) - (pb.y * 4 + Math.floor((pb.mo - 1) / 3));
    case 'month':
      return pa.y * 12 + pa.mo - (pb.y * 12 + pb.mo);
    case 'week':
      return Math.round((startOf('week', a) - startOf('week', b)) / (7 * US_PER_DAY));
    case 'nanosecond':
      return (a - b) * 1000;
    default: {
      const size = FIXED[part];
      return Math.floor(a / size) - Math.floor(b / size);
    }
  }
}

export function datetimeAdd(part: string, amount: number, us: number): number {
  const p = parts(us);
  const timeOfDay = us - utc(p.y, p.mo, p.d);
  const addMonths = (n: number) => {
    const target = new Date(utcMillis(p.y, p.mo - 1 + n, 1));
    const lastDay = new Date(utcMillis(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    return utc(target.getUTCFullYear(), target.getUTCMonth() + 1, Math.min(p.d, lastDay)) + timeOfDay;
  };
  switch (part) {
    case 'year':
      return addMonths(12 * amount);
    case 'quarter':
      return addMonths(3 * amount);
    case 'month':
      return addMonths(amount);
    case 'week':
      return us + amount * 7 * US_PER_DAY;
    default:
      return us + amount * FIXED[part];
  }
}

export function getPart(part: string, us: number): number {
  const p = parts(us);
  switch (part) {
    case 'year':
      return p.y;
    case 'quarter':
      return Math.floor((p.mo - 1) / 3) + 1;
    case 'month':
      return p.mo;
    case 'week':
      return isoWeek(us);
    case 'day':
      return p.d;
    case 'dayofyear':
      return dayOfYear(us);
    case 'hour':
      return p.h;
    case 'minute':
      return p.mi;
    case 'second':
      return p.s;
    case 'millisecond':
      return Math.floor(p.frac / 1000);
    case 'microsecond':
      return p.frac;
    default:
      return p.frac * 1000;
  }
}

export function dayOfYear(us: number): number {
  const p = parts(us);
  return Math.round((utc(p.y, p.mo, p.d) - utc(p.y, 1, 1)) / US_PER_DAY) + 1;
}

export function dayOfWeekIndex(us: number): number {
  return parts(us).dow;
}

export function isoWeek(us: number): number {
  const p = parts(us);
  const dow = (p.dow + 6) % 7; // Monday = 0
  const thursday = utc(p.y, p.mo, p.d - dow + 3);
  const yearStart = utc(new Date(thursday / 1000).getUTCFullYear(), 1, 1);
  return Math.floor((thursday - yearStart) / (7 * US_PER_DAY)) + 1;
}

/** .NET-style custom format: yyyy yy MM M dd d HH H hh h mm m ss s f..fffffff F..FFFFFFF tt, other text as is. */
export function formatDateTime(dt: DateTime, format: string): string {
  const p = parts(dt.us);
  const frac7 = String(p.frac * 10).padStart(7, '0');
  let out = '';
  let i = 0;
  while (i < format.length) {
    const ch = format[i];
    let j = i;
    while (j < format.length && format[j] === ch) j++;
    const n = j - i;
    const two = (v: number) => String(v).padStart(2, '0');
    switch (ch) {
      case 'y':
        // `y` is the year of the century unpadded (2009 -> 9), `yy` padded, longer runs the whole year.
        out += n === 1 ? String(p.y % 100) : n === 2 ? two(p.y % 100) : String(p.y).padStart(n, '0');
        break;
      case 'M':
        out += n === 1 ? String(p.mo) : two(p.mo);
        break;
      case 'd':
        out += n === 1 ? String(p.d) : two(p.d);
        break;
      case 'H':
        out += n === 1 ? String(p.h) : two(p.h);
        break;
      case 'h': {
        const h12 = p.h % 12 === 0 ? 12 : p.h % 12;
        out += n === 1 ? String(h12) : two(h12);
        break;
      }
      case 'm':
        out += n === 1 ? String(p.mi) : two(p.mi);
        break;
      case 's':
        out += n === 1 ? String(p.s) : two(p.s);
        break;
      case 'f':
        out += frac7.slice(0, Math.min(n, 7));
        break;
      case 'F': {
        const f = frac7.slice(0, Math.min(n, 7)).replace(/0+$/, '');
        out += f;
        break;
      }
      case 't':
        out += (p.h < 12 ? 'AM' : 'PM').slice(0, n === 1 ? 1 : 2);
        break;
      default:
        out += format.slice(i, j);
    }
    i = j;
  }
  return out;
}

/**
 * `format_timespan`: `d`…`dddddddd` days (at least that many digits), `h`/`hh` (or `H`/`HH`) hours,
 * `m`/`mm` minutes, `s`/`ss` seconds, `f`… fraction digits, `F`… fraction digits without trailing
 * zeros; anything else (`.`, `:`, spaces, brackets) is written as it is. A negative span starts with `-`.
 */
export function formatTimespan(us: number, format: string): string {
  const sign = us < 0 ? '-' : '';
  let rest = Math.abs(us);
  const days = Math.floor(rest / US_PER_DAY);
  rest -= days * US_PER_DAY;
  const h = Math.floor(rest / US_PER_HOUR);
  rest -= h * US_PER_HOUR;
  const mi = Math.floor(rest / US_PER_MINUTE);
  rest -= mi * US_PER_MINUTE;
  const s = Math.floor(rest / US_PER_SECOND);
  const frac7 = String((rest - s * US_PER_SECOND) * 10).padStart(7, '0');
  let out = '';
  for (let i = 0; i < format.length; ) {
    const ch = format[i];
    let j = i;
    while (j < format.length && format[j] === ch) j++;
    const n = j - i;
    const pad = (v: number) => String(v).padStart(Math.min(n, 2), '0');
    switch (ch) {
      case 'd':
        out += String(days).padStart(Math.min(n, 8), '0');
        break;
      case 'h':
      case 'H':
        out += pad(h);
        break;
      case 'm':
        out += pad(mi);
        break;
      case 's':
        out += pad(s);
        break;
      case 'f':
        out += frac7.slice(0, Math.min(n, 7));
        break;
      case 'F':
        out += frac7.slice(0, Math.min(n, 7)).replace(/0+$/, '');
        break;
      default:
        out += format.slice(i, j);
    }
    i = j;
  }
  return sign + out;
}
