/** Parsing of datetime and timespan text (literals and `todatetime`/`totimespan`). */
import { datetimeMicrosFromText, timespanMicrosOrNull } from './values';

export const US_PER_MS = 1_000;
export const US_PER_SECOND = 1_000_000;
export const US_PER_MINUTE = 60 * US_PER_SECOND;
export const US_PER_HOUR = 60 * US_PER_MINUTE;
export const US_PER_DAY = 24 * US_PER_HOUR;

/** Milliseconds in 400 Gregorian years: the calendar repeats exactly after them. */
const MS_PER_400_YEARS = 146_097 * 86_400_000;

/**
 * `Date.UTC` for any year: it reads years 0–99 as 1900–1999, so the date is computed 400 years
 * later (same weekdays and leap years) and moved back. Months and days may overflow, as in Date.UTC.
 */
export function utcMillis(year: number, month0: number, day: number, h = 0, mi = 0, s = 0): number {
  return Date.UTC(year + 400, month0, day, h, mi, s) - MS_PER_400_YEARS;
}

/** Timespan literal suffixes, in microseconds (a tick is 100 ns). */
export const TIMESPAN_UNITS: Readonly<Record<string, number>> = {
  d: US_PER_DAY, day: US_PER_DAY, days: US_PER_DAY,
  h: US_PER_HOUR, hr: US_PER_HOUR, hrs: US_PER_HOUR, hour: US_PER_HOUR, hours: US_PER_HOUR,
  m: US_PER_MINUTE, min: US_PER_MINUTE, minute: US_PER_MINUTE, minutes: US_PER_MINUTE,
  s: US_PER_SECOND, sec: US_PER_SECOND, second: US_PER_SECOND, seconds: US_PER_SECOND,
  ms: US_PER_MS, milli: US_PER_MS, millis: US_PER_MS, millisecond: US_PER_MS, milliseconds: US_PER_MS,
  microsecond: 1, microseconds: 1,
  tick: 0.1, ticks: 0.1,
};

function isUnitPrefix(s: string): boolean {
  return Object.hasOwn(TIMESPAN_UNITS, s.toLowerCase());
}

/** `2h`, `1.5d`, `-30m`, `1.02:03:04.5`, `02:03`, `00:00:01.1234567`; null when not a timespan. */
export function parseTimespanText(text: string): number | null {
  const t = text.trim();
  const unit = /^([+-]?)(\d+(?:\.\d+)?)\s*([a-zA-Z]+)$/.exec(t);
  if (unit) {
    if (!isUnitPrefix(unit[3])) return null;
    const v = timespanMicrosOrNull(Number(unit[2]) * TIMESPAN_UNITS[unit[3].toLowerCase()]); // whole microseconds, as every timespan
    return v === null ? null : unit[1] === '-' ? -v : v;
  }
  const clock = /^([+-]?)(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/.exec(t);
  if (clock) {
    const [, sign, days, h, m, s, frac] = clock;
    let us = Number(days ?? 0) * US_PER_DAY + Number(h) * US_PER_HOUR + Number(m) * US_PER_MINUTE + Number(s ?? 0) * US_PER_SECOND;
    if (frac) us += Math.trunc(Number(frac.padEnd(7, '0')) / 10); // sub-microsecond digits are cut, as when reading logs
    return timespanMicrosOrNull(sign === '-' ? -us : us);
  }
  const plain = /^([+-]?)(\d+)$/.exec(t);
  if (plain) return timespanMicrosOrNull((plain[1] === '-' ? -1 : 1) * Number(plain[2]) * US_PER_DAY);
  return null;
}

// As a source's stamps are read: a comma before the fraction (log4j, Python's logging); a zone
// that is `Z`, `UTC` or `GMT` (`GMT+02:00`, `UTC+2`), or an offset, attached (`+02` alone too)
// or after spaces (with its minutes: `10:00:00 -15` is no zone).
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(?:\s*(Z|(?:UTC|GMT)(?:[+-](?:\d{1,2}(?::\d{2})?|\d{4}))?)|([+-]\d{2}(?::?\d{2})?)|\s+([+-]\d{2}:?\d{2}))?$/i;
const SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** Month/day/year with slashes or dashes, as Kusto reads `02/17/2016 08:40:01` and `12-02-2022` (its examples). */
const US = /^(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|GMT)?$/i;
/**
 * RFC 822/1123 and RFC 850, the forms Kusto lists: `Sat, 8 Nov 14 15:05:02 GMT`,
 * `Saturday, 08-Nov-14 15:05 GMT`, `8 Nov 2014 15:05`.
 */
const RFC = /^(?:[a-z]+,\s*)?(\d{1,2})(?:\s+|-)([a-z]{3})(?:\s+|-)(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(GMT|UTC|Z|[+-]\d{4})?$/i;

/** A two-digit year as RFC 2822 reads it: 00-49 are 2000-2049, 50-99 are 1950-1999. */
function fullYear(digits: string): number {
  const y = Number(digits);
  return digits.length > 2 ? y : y < 50 ? 2000 + y : 1900 + y;
}

function fromParts(y: number, mo: number, d: number, h: number, mi: number, s: number, fracUs: number, offsetMinutes: number): number | null {
  if (Number.isNaN(offsetMinutes)) return null;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  // Reject dates that rolled over (e.g. 2024-02-31); the date alone, so that a leap second
  // (23:59:60) becomes the next day's first second, as a source's stamps are read.
  const day = utcMillis(y, mo - 1, d);
  if (Number.isNaN(day) || new Date(day).getUTCDate() !== d) return null;
  const ms = day + ((h * 60 + mi) * 60 + s) * 1000;
  // A zone offset can move a date past either end of Kusto's range (9999-12-31 23:00 -02:00).
  return datetimeMicrosFromText(ms - offsetMinutes * 60_000, fracUs);
}

/**
 * Minutes east of UTC of `Z`, `UTC`, `GMT`, `UTC+2`, `GMT+02:00` or an offset; NaN for an offset
 * no zone has (hours beyond 18, or minutes beyond 59), as a source's stamps are read.
 */
function offsetOf(zone: string | undefined): number {
  if (!zone) return 0;
  const offset = zone.replace(/^\s*(?:z|utc|gmt)/i, '');
  if (offset === '') return 0;
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(offset);
  if (!m) return NaN;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 18 || minutes > 59) return NaN;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/**
 * An ISO 8601 date-time written in a notebook (the front matter's `now`, a claim's window, a
 * timeline's windows and markers) as microseconds, or null: read as queries read datetimes, so a
 * time without a zone is UTC on every machine (`Date.parse` reads it in the machine's zone).
 */
export function parseIsoInstant(text: string): number | null {
  const t = text.trim();
  return /^\d{4}-\d{1,2}-\d{1,2}/.test(t) ? parseDateTimeText(t) : null;
}

/** Microseconds since the epoch, or null. Text without a zone is UTC. */
export function parseDateTimeText(text: string): number | null {
  const t = text.trim();
  let m = ISO.exec(t) ?? SLASHED.exec(t);
  if (m) {
    // Digits beyond the microsecond are cut (not rounded), as when a source's timestamps are read.
    const frac = m[7] ? Number(m[7].slice(0, 6).padEnd(6, '0')) : 0;
    return fromParts(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), frac, offsetOf(m[8] ?? m[9] ?? m[10]));
  }
  m = US.exec(t);
  if (m) {
    const frac = m[8] ? Number(m[8].slice(0, 6).padEnd(6, '0')) : 0;
    return fromParts(Number(m[4]), Number(m[1]), Number(m[3]), Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0), frac, 0);
  }
  m = RFC.exec(t);
  if (m) {
    const month = MONTHS.indexOf(m[2].toLowerCase());
    if (month < 0) return null;
    return fromParts(fullYear(m[3]), month + 1, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), 0, offsetOf(m[7]));
  }
  return null;
}
