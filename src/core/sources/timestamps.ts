/**
 * Reading event times into microseconds since the Unix epoch (UTC). Parsers return NaN instead
 * of throwing: a bad timestamp is a null cell, never a failed load. Fractions beyond microseconds
 * are truncated.
 */
import type { NamedTimeFormat } from './spec';
import { daysFromCivil, takeLocalFold, type LocalFold, type TimeZone } from './timezone';
import { datetimeMicrosFromText, END_DATETIME_US, MIN_DATETIME_US } from '../query/values';

const MS_PER_DAY = 86_400_000;

/** Where the last successful `scan*` call stopped (an index into the scanned string). */
let scanEnd = 0;
/** Where the last `UTC` or `GMT` read as a zone without an offset ended (see `endsStamp`). */
let namedZoneEnd = -1;

function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function twoDigits(s: string, i: number): number {
  const a = digitAt(s, i), b = digitAt(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function validClock(h: number, m: number, s: number): boolean {
  return h >= 0 && h <= 23 && m >= 0 && m <= 59 && s >= 0 && s <= 60;
}

/** Wall-clock fields to UTC microseconds; `offsetMs` null means "use the zone". */
function toMicros(year: number, month: number, day: number, h: number, m: number, s: number, fracUs: number, offsetMs: number | null, zone: TimeZone): number {
  const localMs = daysFromCivil(year, month, day) * MS_PER_DAY + ((h * 60 + m) * 60 + s) * 1000;
  const offset = offsetMs ?? zone.offsetForLocal(localMs);
  return datetimeMicrosFromText(localMs - offset, fracUs) ?? NaN;
}

/** Reads `.123456789` (or `,`) at i; returns microseconds (truncated) and sets scanEnd. */
function scanFraction(s: string, i: number): number {
  let us = 0, digits = 0;
  let j = i;
  for (; digitAt(s, j) >= 0; j++) {
    if (digits < 6) us = us * 10 + digitAt(s, j);
    digits++;
  }
  if (digits === 0) return -1;
  for (let k = digits; k < 6; k++) us *= 10;
  scanEnd = j;
  return us;
}

/** `Z`, `+02`, `+0200`, `+02:00` at i; returns the offset in ms (NaN when absent) and sets scanEnd. */
function scanOffset(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 90 || c === 122) { // Z z
    scanEnd = i + 1;
    return 0;
  }
  if (c !== 43 && c !== 45) return NaN; // + -
  const h = twoDigits(s, i + 1);
  if (h < 0 || h > 18) return NaN;
  let j = i + 3;
  let m = 0;
  if (s.charCodeAt(j) === 58) { // :
    m = twoDigits(s, j + 1);
    if (m < 0) return NaN;
    j += 3;
  } else if (digitAt(s, j) >= 0) {
    m = twoDigits(s, j);
    if (m < 0) return NaN;
    j += 2;
  }
  if (m > 59) return NaN;
  scanEnd = j;
  const ms = (h * 60 + m) * 60_000;
  return c === 45 ? -ms : ms;
}

/**
 * The zone that ends a stamp at i: `Z`, `UTC` or `GMT` (with an offset after it: `GMT+02:00`,
 * `UTC+2`, as Java writes zones without a name), or an offset; NaN when none (scanEnd is then
 * unchanged). What follows must not continue a word, so `10:00:00 Zookeeper started` has no
 * `Z`. After a space (`attached` false) an offset needs its minutes too (`+0100`, `+01:00`):
 * `10:00:00 -15 dBm` is message text, not 15 hours west.
 */
function stampOffset(s: string, i: number, attached: boolean): number {
  const before = scanEnd;
  let ms: number;
  const c = s.charCodeAt(i);
  if ((c === 85 || c === 117 || c === 71 || c === 103) && /^(?:utc|gmt)$/i.test(s.slice(i, i + 3))) {
    ms = 0;
    scanEnd = i + 3;
    const sign = s.charCodeAt(scanEnd);
    // An offset after the name is the zone's; a sign that starts none is message text (`UTC-worker`).
    if (sign === 43 || sign === 45) {
      const offset = namedZoneOffset(s, scanEnd);
      if (!Number.isNaN(offset)) ms = offset;
    }
    if (ms === 0) namedZoneEnd = scanEnd;
  } else {
    ms = scanOffset(s, i);
    if (!Number.isNaN(ms) && !attached && c !== 90 && c !== 122 && scanEnd - i < 5) ms = NaN;
  }
  if (Number.isNaN(ms) || continuesWord(s, scanEnd)) {
    scanEnd = before;
    return NaN;
  }
  return ms;
}

/** The offset after `UTC`/`GMT` at i: `+2`, `+02`, `+0200`, `+02:00`; NaN when none. Sets scanEnd. */
function namedZoneOffset(s: string, i: number): number {
  let j = i + 1;
  let h = digitAt(s, j);
  if (h < 0) return NaN;
  j++;
  if (digitAt(s, j) >= 0) h = h * 10 + digitAt(s, j++);
  let m = 0;
  if (s.charCodeAt(j) === 58 || (digitAt(s, j) >= 0 && j - i === 3)) {
    if (s.charCodeAt(j) === 58) j++;
    m = twoDigits(s, j);
    if (m < 0) return NaN;
    j += 2;
  }
  if (h > 18 || m > 59) return NaN;
  scanEnd = j;
  const ms = (h * 60 + m) * 60_000;
  return s.charCodeAt(i) === 45 ? -ms : ms;
}

/**
 * Whether a line-start stamp may end at i: at the end of the line, before a space, tab, `:`, `]`
 * or `,`, or before text that does not go on a word or number and is not `+ - . /` (message text
 * in a script written without spaces, `Z开始同步`), where a longer stamp or a number could go on
 * (`10:00:00-5`, the `.123` of a pattern without `%f`, `2024-03-10-build.log`). After `UTC` or
 * `GMT` read as the zone, before any text that does not go on a word (`UTC-worker`).
 */
function endsStamp(line: string, i: number): boolean {
  if (i === line.length) return true;
  const c = line.charCodeAt(i);
  if (c === 32 || c === 9 || c === 58 || c === 93 || c === 44) return true;
  if (continuesWord(line, i)) return false;
  return i === namedZoneEnd || !(c === 43 || c === 45 || c === 46 || c === 47);
}

/**
 * Whether the character at i goes on a word or number: a digit, `_`, or a cased letter of any
 * script (`Zählerstand`). Scripts written without spaces (Chinese, Japanese) do not count: their
 * message text may follow a stamp directly (`…10:00:00Z开始同步`).
 */
function continuesWord(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95) return true;
  return c >= 0x80 && /^[\p{Lu}\p{Ll}\p{Lt}\p{N}]/u.test(s.slice(i, i + 2));
}

/**
 * ISO 8601 / RFC 3339 at `start`: `2026-06-09`, `2026-06-09T10:11`, `2026-06-09 10:11:12.5`,
 * optionally followed by `Z`, `UTC`/`GMT` or an offset (after a single space too; see `stampOffset`).
 * Without an offset the wall-clock time is read in `zone`. Sets scanEnd.
 */
export function scanIso(s: string, start: number, zone: TimeZone): number {
  const y0 = twoDigits(s, start), y1 = twoDigits(s, start + 2);
  if (y0 < 0 || y1 < 0 || s.charCodeAt(start + 4) !== 45 || s.charCodeAt(start + 7) !== 45) return NaN;
  const year = y0 * 100 + y1;
  const month = twoDigits(s, start + 5);
  const day = twoDigits(s, start + 8);
  if (!validDate(year, month, day)) return NaN;
  let i = start + 10;
  let h = 0, m = 0, sec = 0, frac = 0;
  const sep = s.charCodeAt(i);
  // The hour may have one digit (`2024-03-10 1:02:03`): read as midnight, the line was 1 h off.
  const hourDigits = digitAt(s, i + 1) < 0 ? 0 : s.charCodeAt(i + 2) === 58 ? 1 : s.charCodeAt(i + 3) === 58 && digitAt(s, i + 2) >= 0 ? 2 : 0;
  if ((sep === 84 || sep === 116 || sep === 32) && hourDigits > 0) {
    h = hourDigits === 1 ? digitAt(s, i + 1) : twoDigits(s, i + 1);
    i += hourDigits - 2;
    m = twoDigits(s, i + 4);
    i += 6;
    if (s.charCodeAt(i) === 58) {
      sec = twoDigits(s, i + 1);
      i += 3;
      const dot = s.charCodeAt(i);
      if (dot === 46 || dot === 44) {
        frac = scanFraction(s, i + 1);
        if (frac < 0) return NaN;
        i = scanEnd;
      }
    }
    if (!validClock(h, m, sec)) return NaN;
  }
  let offset: number | null = stampOffset(s, i, true);
  if (Number.isNaN(offset) && s.charCodeAt(i) === 32) offset = stampOffset(s, i + 1, false);
  if (Number.isNaN(offset)) {
    offset = null;
    scanEnd = i;
  }
  return toMicros(year, month, day, h, m, sec, frac, offset, zone);
}

function byteDigit(b: Uint8Array, i: number): number {
  const c = b[i] - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function byteTwoDigits(b: Uint8Array, i: number): number {
  const x = byteDigit(b, i), y = byteDigit(b, i + 1);
  return x < 0 || y < 0 ? -1 : x * 10 + y;
}

/**
 * ISO 8601 text with an explicit offset (`2026-06-09T10:11:12.345Z`, `... 10:11+02:00`) read
 * straight from UTF-8 bytes, giving exactly what `scanIso` gives for the same text (an explicit
 * offset makes the zone irrelevant). NaN for any other shape; callers then decode the text and
 * use the general reader.
 */
export function isoBytesToMicros(b: Uint8Array, start: number, end: number): number {
  if (end - start < 17) return NaN;
  const y0 = byteTwoDigits(b, start), y1 = byteTwoDigits(b, start + 2);
  if (y0 < 0 || y1 < 0 || b[start + 4] !== 45 || b[start + 7] !== 45) return NaN;
  const year = y0 * 100 + y1;
  const month = byteTwoDigits(b, start + 5);
  const day = byteTwoDigits(b, start + 8);
  if (!validDate(year, month, day)) return NaN;
  let i = start + 10;
  const sep = b[i];
  if (!(sep === 84 || sep === 116 || sep === 32) || b[i + 3] !== 58) return NaN;
  const h = byteTwoDigits(b, i + 1);
  const m = byteTwoDigits(b, i + 4);
  if (h < 0 || m < 0) return NaN;
  i += 6;
  let sec = 0, frac = 0;
  if (i < end && b[i] === 58) {
    sec = byteTwoDigits(b, i + 1);
    if (sec < 0) return NaN;
    i += 3;
    if (i < end && (b[i] === 46 || b[i] === 44)) {
      i++;
      let digits = 0;
      for (; i < end && byteDigit(b, i) >= 0; i++, digits++) if (digits < 6) frac = frac * 10 + byteDigit(b, i);
      if (digits === 0) return NaN;
      for (let k = digits; k < 6; k++) frac *= 10;
    }
  }
  if (!validClock(h, m, sec) || i >= end) return NaN;
  let offsetMs: number;
  const c = b[i];
  if (c === 90 || c === 122) {
    offsetMs = 0;
    i++;
  } else if (c === 43 || c === 45) {
    const oh = byteTwoDigits(b, i + 1);
    if (oh < 0 || oh > 18 || i + 3 > end) return NaN;
    let j = i + 3;
    let om = 0;
    if (j < end && b[j] === 58) {
      om = byteTwoDigits(b, j + 1);
      if (om < 0 || j + 3 > end) return NaN;
      j += 3;
    } else if (j < end && byteDigit(b, j) >= 0) {
      om = byteTwoDigits(b, j);
      if (om < 0 || j + 2 > end) return NaN;
      j += 2;
    }
    if (om > 59) return NaN;
    offsetMs = (oh * 60 + om) * 60_000 * (c === 45 ? -1 : 1);
    i = j;
  } else return NaN;
  if (i !== end) return NaN;
  const localMs = daysFromCivil(year, month, day) * MS_PER_DAY + ((h * 60 + m) * 60 + sec) * 1000;
  return datetimeMicrosFromText(localMs - offsetMs, frac) ?? NaN;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

function monthAt(s: string, i: number): number {
  return MONTHS.indexOf(s.slice(i, i + 3).toLowerCase()) + 1;
}

/** `Jun  9 10:11:12[.123]` (BSD syslog, no year) at `start`. Sets scanEnd. */
export function scanSyslog(s: string, start: number, year: number, zone: TimeZone): number {
  const month = monthAt(s, start);
  if (month === 0 || s.charCodeAt(start + 3) !== 32) return NaN;
  let i = start + 4;
  if (s.charCodeAt(i) === 32) i++;
  let day = digitAt(s, i);
  if (day < 0) return NaN;
  i++;
  if (digitAt(s, i) >= 0) day = day * 10 + digitAt(s, i++);
  if (s.charCodeAt(i) !== 32 || s.charCodeAt(i + 3) !== 58 || s.charCodeAt(i + 6) !== 58) return NaN;
  const h = twoDigits(s, i + 1), m = twoDigits(s, i + 4), sec = twoDigits(s, i + 7);
  if (!validDate(year, month, day) || !validClock(h, m, sec)) return NaN;
  i += 9;
  let frac = 0;
  if (s.charCodeAt(i) === 46) {
    frac = scanFraction(s, i + 1);
    if (frac < 0) return NaN;
    i = scanEnd;
  }
  scanEnd = i;
  return toMicros(year, month, day, h, m, sec, frac, null, zone);
}

/** Common/combined log format `09/Jun/2026:10:11:12 +0200`, brackets optional. Sets scanEnd. */
export function scanClf(s: string, start: number, zone: TimeZone): number {
  let i = start;
  const bracket = s.charCodeAt(i) === 91;
  if (bracket) i++;
  const day = twoDigits(s, i);
  const month = monthAt(s, i + 3);
  const y0 = twoDigits(s, i + 7), y1 = twoDigits(s, i + 9);
  if (day < 0 || month === 0 || y0 < 0 || y1 < 0 || s.charCodeAt(i + 2) !== 47 || s.charCodeAt(i + 6) !== 47 || s.charCodeAt(i + 11) !== 58) return NaN;
  const year = y0 * 100 + y1;
  const h = twoDigits(s, i + 12), m = twoDigits(s, i + 15), sec = twoDigits(s, i + 18);
  if (s.charCodeAt(i + 14) !== 58 || s.charCodeAt(i + 17) !== 58 || !validDate(year, month, day) || !validClock(h, m, sec)) return NaN;
  i += 20;
  let frac = 0;
  if (s.charCodeAt(i) === 46) {
    frac = scanFraction(s, i + 1);
    if (frac < 0) return NaN;
    i = scanEnd;
  }
  let offset: number | null = null;
  if (s.charCodeAt(i) === 32) {
    const o = scanOffset(s, i + 1);
    if (!Number.isNaN(o)) {
      offset = o;
      i = scanEnd;
    }
  }
  if (bracket) {
    if (s.charCodeAt(i) !== 93) return NaN;
    i++;
  }
  scanEnd = i;
  return toMicros(year, month, day, h, m, sec, frac, offset, zone);
}

export type EpochUnit = 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'epoch_ns';
const EPOCH_US: Readonly<Record<EpochUnit, number>> = { epoch_s: 1e6, epoch_ms: 1e3, epoch_us: 1, epoch_ns: 1e-3 };

/** The unit an undeclared epoch number most plausibly has, from its magnitude (see docs). */
export function guessEpochUnit(n: number): EpochUnit {
  const a = Math.abs(n);
  if (a < 1e11) return 'epoch_s';
  if (a < 1e14) return 'epoch_ms';
  if (a < 1e17) return 'epoch_us';
  return 'epoch_ns';
}

export function epochToMicros(n: number, unit: EpochUnit): number {
  if (!Number.isFinite(n)) return NaN;
  return inDateRange(unit === 'epoch_ns' ? Math.trunc(n / 1000) : Math.round(n * EPOCH_US[unit]));
}

/**
 * Event times are read within years 0001–9999 (Kusto's datetime range, `MIN_DATETIME_US` up to
 * `END_DATETIME_US`); anything beyond, however it was written, is no time.
 */
function inDateRange(us: number): number {
  return us >= MIN_DATETIME_US && us < END_DATETIME_US ? us : NaN;
}

const NUMERIC_TEXT = /^\s*-?\d+(?:\.\d+)?\s*$/;
/** Decimals of each unit that are whole microseconds. */
const MICROSECOND_DIGITS: Readonly<Record<EpochUnit, number>> = { epoch_s: 6, epoch_ms: 3, epoch_us: 0, epoch_ns: 0 };

/**
 * Numeric text as an epoch in `unit`, read from its digits: what is finer than a microsecond is
 * cut, as in ISO text, where a double would round it (`1710064800.9999999` went to the next
 * second). Spaces around the number are allowed; anything else is NaN.
 */
export function epochTextToMicros(text: string, unit: EpochUnit): number {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return epochDigitsToMicros(text, start, end, unit) === end ? epochValue : NaN;
}

/** Whether a code unit is white space as a regular expression's `\s` matches it (as `isNumericText` trims). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** The epoch `epochDigitsToMicros` read last. */
let epochValue = NaN;

/**
 * Reads `-?digits(.digits)?` from `start` (not past `end`) as an epoch in `unit` into
 * `epochValue`; returns where the number ends, or -1 when there is none.
 */
function epochDigitsToMicros(s: string, start: number, end: number, unit: EpochUnit): number {
  let i = start;
  const negative = s.charCodeAt(i) === 45;
  if (negative) i++;
  const wholeStart = i;
  while (i < end && digitAt(s, i) >= 0) i++;
  const wholeEnd = i;
  if (wholeEnd === wholeStart) return -1;
  let fraction = 0;
  const digits = MICROSECOND_DIGITS[unit];
  if (i < end && s.charCodeAt(i) === 46 && digitAt(s, i + 1) >= 0) {
    i++;
    for (let k = 0; i < end && digitAt(s, i) >= 0; i++, k++) if (k < digits) fraction = fraction * 10 + digitAt(s, i);
    const read = Math.min(digits, i - (wholeEnd + 1));
    for (let k = read; k < digits; k++) fraction *= 10;
  }
  // Nanoseconds: the last three digits of the whole number are below a microsecond.
  const whole = unit === 'epoch_ns' ? (wholeEnd - wholeStart > 3 ? Number(s.slice(wholeStart, wholeEnd - 3)) : 0) : Number(s.slice(wholeStart, wholeEnd));
  const us = unit === 'epoch_ns' ? whole : whole * EPOCH_US[unit] + fraction;
  epochValue = inDateRange(negative ? -us : us);
  return i;
}

/** A number at `start` read as an epoch in `unit` (a squid access log's `1710064800.123`). Sets scanEnd. */
function scanEpoch(s: string, start: number, unit: EpochUnit): number {
  const end = epochDigitsToMicros(s, start, s.length, unit);
  if (end < 0) return NaN;
  scanEnd = end;
  return epochValue;
}

/** Whether text is a bare number (which the `auto` format reads as an epoch). */
export function isNumericText(s: string): boolean {
  return NUMERIC_TEXT.test(s);
}

/**
 * A compiled strftime-like pattern. `scan` matches at `start` and sets scanEnd; `year` is used
 * when the pattern has none (`yearless`: no `%Y`, `%y` or `%s`).
 */
export interface TimePattern {
  readonly yearless: boolean;
  scan(s: string, start: number, zone: TimeZone, year: number): number;
}

type FieldSetter = (f: PatternFields, text: string) => boolean;
interface PatternFields { year: number; month: number; day: number; hour: number; minute: number; second: number; frac: number; offset: number | null; pm: number; hour12: boolean; epoch: number }

const DIRECTIVES: Readonly<Record<string, [string, FieldSetter | null]>> = {
  Y: ['([+-]?\\d{4})', (f, t) => ((f.year = Number(t)), true)],
  // As POSIX strptime: 69-99 are 1969-1999, 00-68 are 2000-2068.
  y: ['(\\d{2})', (f, t) => ((f.year = Number(t) + (Number(t) >= 69 ? 1900 : 2000)), true)],
  m: ['(\\d{1,2})', (f, t) => ((f.month = Number(t)), true)],
  d: ['(\\d{1,2})', (f, t) => ((f.day = Number(t)), true)],
  e: ['\\s?(\\d{1,2})', (f, t) => ((f.day = Number(t)), true)],
  H: ['(\\d{1,2})', (f, t) => ((f.hour = Number(t)), true)],
  I: ['(\\d{1,2})', (f, t) => ((f.hour = Number(t)), (f.hour12 = true), true)],
  M: ['(\\d{2})', (f, t) => ((f.minute = Number(t)), true)],
  S: ['(\\d{2})', (f, t) => ((f.second = Number(t)), true)],
  f: ['(\\d{1,9})', (f, t) => ((f.frac = Number(t.slice(0, 6).padEnd(6, '0'))), true)],
  z: ['(Z|z|[+-]\\d{2}(?::?\\d{2})?)', (f, t) => ((f.offset = scanOffset(t, 0)), !Number.isNaN(f.offset))],
  b: ['([A-Za-z]{3})', (f, t) => ((f.month = monthAt(t, 0)), f.month > 0)],
  h: ['([A-Za-z]{3})', (f, t) => ((f.month = monthAt(t, 0)), f.month > 0)],
  B: ['([A-Za-z]+)', (f, t) => ((f.month = MONTH_NAMES.indexOf(t.toLowerCase()) + 1), f.month > 0)],
  p: ['([AaPp][Mm])', (f, t) => ((f.pm = t[0] === 'P' || t[0] === 'p' ? 1 : 0), true)],
  s: ['(-?\\d+)', (f, t) => ((f.epoch = Number(t)), true)],
  T: ['(\\d{1,2}):(\\d{2}):(\\d{2})', null],
  F: ['([+-]?\\d{4})-(\\d{1,2})-(\\d{1,2})', null],
};
const EXPANSIONS: Readonly<Record<string, string>> = { T: '%H:%M:%S', F: '%Y-%m-%d' };

export function compileTimePattern(pattern: string): TimePattern {
  let expanded = pattern;
  for (const [k, v] of Object.entries(EXPANSIONS)) expanded = expanded.split('%' + k).join(v);
  let source = '';
  const setters: FieldSetter[] = [];
  for (let i = 0; i < expanded.length; i++) {
    const ch = expanded[i];
    if (ch === '%') {
      const d = expanded[++i];
      if (d === '%') {
        source += '%';
        continue;
      }
      const directive = DIRECTIVES[d];
      if (!directive || !directive[1]) throw new Error(`unsupported time pattern directive %${d ?? ''}`);
      source += directive[0];
      setters.push(directive[1]);
    } else if (ch === ' ') {
      // A run of spaces is one \s+: `\s+\s+` backtracks in quadratic time over a line of spaces
      // (the layout `%b  %e` that syslog's padding suggests).
      if (!source.endsWith('\\s+')) source += '\\s+';
    } else {
      source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const re = new RegExp(source, 'y');
  return {
    yearless: !/%[Yys]/.test(expanded.replaceAll('%%', '')),
    scan(s: string, start: number, zone: TimeZone, year: number): number {
      re.lastIndex = start;
      const m = re.exec(s);
      if (!m) return NaN;
      const f: PatternFields = { year, month: 1, day: 1, hour: 0, minute: 0, second: 0, frac: 0, offset: null, pm: -1, hour12: false, epoch: NaN };
      for (let g = 0; g < setters.length; g++) if (!setters[g](f, m[g + 1])) return NaN;
      scanEnd = start + m[0].length;
      // The fraction of a negative epoch (`-1.5`) counts away from zero too.
      if (!Number.isNaN(f.epoch)) {
        if (f.epoch < 0 || Object.is(f.epoch, -0)) return inDateRange(f.epoch * 1e6 - f.frac);
        return datetimeMicrosFromText(f.epoch * 1000, f.frac) ?? NaN; // as ISO text, to the last microseconds of 9999
      }
      if (f.hour12) {
        if (f.hour < 1 || f.hour > 12) return NaN;
        f.hour = (f.hour % 12) + (f.pm === 1 ? 12 : 0);
      } else if (f.pm === 1 && f.hour < 12) f.hour += 12;
      if (!validDate(f.year, f.month, f.day) || !validClock(f.hour, f.minute, f.second)) return NaN;
      return toMicros(f.year, f.month, f.day, f.hour, f.minute, f.second, f.frac, f.offset, zone);
    },
  };
}

export interface TimeReaderOptions {
  format: NamedTimeFormat | string;
  zone: TimeZone;
  /** Year for yearless stamps (syslog, and patterns without a year). */
  year: number;
  /**
   * When the year is assumed rather than declared: the latest time a yearless stamp may be. Each
   * is placed in the latest year from `year` back that puts it no later than this (December's
   * lines read in January are from the year before; a 29 February from the last leap year).
   */
  latest?: number;
}

/** How many years back from the assumed one a yearless stamp is looked for (29 February may need 8). */
const MAX_YEARS_BACK = 8;
/** A leap year: a stamp that does not read in it is no stamp at all (every month and day exist in it). */
const A_LEAP_YEAR = 2000;

/**
 * Reads one source's event times. `readValue` takes a whole JSON/CSV value; `readLineStart`
 * finds the stamp of a text line (at its start; for `clf` the first `[...]`). Both return
 * microseconds or NaN.
 */
export class TimeReader {
  private readonly pattern: TimePattern | null;
  /** The years yearless stamps were placed in, so the loader can say: bit k is set for `year - k`. */
  yearlessYears = 0;

  /**
   * Where the last time read lay on the zone's clock: plainly, or in an hour its clocks repeat or
   * skip (see `LocalFold`), which the reading had to resolve by rule.
   */
  lastFold: LocalFold = 0;

  constructor(private readonly options: TimeReaderOptions) {
    this.pattern = options.format.includes('%') ? compileTimePattern(options.format) : null;
  }

  get zoneName(): string {
    return this.options.zone.name;
  }

  readValue(v: string | number | bigint): number {
    takeLocalFold();
    return this.withFold(this.readValueOnce(v));
  }

  readLineStart(line: string): number {
    takeLocalFold();
    return this.withFold(this.readLineStartOnce(line));
  }

  /** A time just read, noting where it lay on the zone's clock (`lastFold`). */
  private withFold(us: number): number {
    this.lastFold = Number.isNaN(us) ? 0 : takeLocalFold();
    return us;
  }

  private readValueOnce(v: string | number | bigint): number {
    const { format } = this.options;
    if (typeof v === 'bigint') {
      // Nanoseconds beyond 2^53 cut exactly, not rounded through a double.
      if (format === 'epoch_ns' || (format === 'auto' && guessEpochUnit(Number(v)) === 'epoch_ns')) return inDateRange(Number(v / 1000n));
      v = Number(v);
    }
    if (typeof v === 'number') {
      if (format === 'auto') return epochToMicros(v, guessEpochUnit(v));
      if (format.startsWith('epoch_')) return epochToMicros(v, format as EpochUnit);
      return NaN;
    }
    // Most auto values are ISO text: skip the numeric test when the text starts like a date.
    if (format === 'auto' && v.charCodeAt(4) === 45) {
      const us = this.scan(v, 0);
      if (!Number.isNaN(us) && scanEnd === v.length) return us;
    }
    if (format.startsWith('epoch_') || (format === 'auto' && NUMERIC_TEXT.test(v))) {
      return epochTextToMicros(v, format === 'auto' ? guessEpochUnit(Number(v)) : (format as EpochUnit));
    }
    const us = this.scan(v, 0);
    return !Number.isNaN(us) && scanEnd === v.length ? us : NaN;
  }

  private readLineStartOnce(line: string): number {
    namedZoneEnd = -1;
    if (this.options.format === 'clf') {
      const open = line.indexOf('[');
      return open < 0 ? NaN : scanClf(line, open, this.options.zone);
    }
    const us = this.scan(line, 0);
    if (Number.isNaN(us)) return NaN;
    return endsStamp(line, scanEnd) ? us : NaN;
  }

  private scan(s: string, start: number): number {
    const { format, zone, year } = this.options;
    if (this.pattern) return this.pattern.yearless ? this.scanYearless(s, start) : this.pattern.scan(s, start, zone, year);
    switch (format) {
      case 'iso':
        return scanIso(s, start, zone);
      case 'syslog':
        return this.scanYearless(s, start);
      case 'clf':
        return scanClf(s, start, zone);
      case 'auto': {
        const iso = scanIso(s, start, zone);
        if (!Number.isNaN(iso)) return iso;
        const clf = scanClf(s, start, zone);
        if (!Number.isNaN(clf)) return clf;
        return this.scanYearless(s, start);
      }
      default:
        return format.startsWith('epoch_') ? scanEpoch(s, start, format as EpochUnit) : NaN;
    }
  }

  /**
   * A stamp without a year (syslog, or the pattern's): in the declared year; with an assumed year,
   * in the latest year that puts it no later than `latest` (NaN when none of MAX_YEARS_BACK does).
   */
  private scanYearless(s: string, start: number): number {
    const { zone, year, latest } = this.options;
    const us = this.scanInYear(s, start, year, zone);
    if (latest === undefined || (!Number.isNaN(us) && us <= latest)) {
      if (!Number.isNaN(us)) this.yearlessYears |= 1;
      return us;
    }
    // Not a stamp at all (most lines that fail), or one dated too late or on 29 February.
    if (Number.isNaN(us) && Number.isNaN(this.scanInYear(s, start, A_LEAP_YEAR, zone))) return NaN;
    for (let back = 1; back <= MAX_YEARS_BACK; back++) {
      takeLocalFold(); // of a year not taken
      const earlier = this.scanInYear(s, start, year - back, zone);
      if (!Number.isNaN(earlier) && earlier <= latest) {
        this.yearlessYears |= 1 << back;
        return earlier;
      }
    }
    return NaN;
  }

  private scanInYear(s: string, start: number, year: number, zone: TimeZone): number {
    return this.pattern ? this.pattern.scan(s, start, zone, year) : scanSyslog(s, start, year, zone);
  }
}

/**
 * The warning for local times the zone's clock changes made ambiguous: `repeated` fell in an hour
 * the clocks repeat (read as the first of the two), `skipped` in one they skip (read with the
 * offset before the change). Events near such a change may be out of order. Null when none did.
 */
export function localFoldWarning(zone: string, field: string, repeated: number, skipped: number): string | null {
  if (repeated === 0 && skipped === 0) return null;
  const parts: string[] = [];
  if (repeated) parts.push(`${repeated} value(s) fell in an hour its clocks repeat when they go back and were read as the earlier of the two`);
  if (skipped) parts.push(`${skipped} fell in an hour its clocks skip when they go forward and were read with the offset before the change`);
  return `time field "${field}" (${zone}, no offset in the values): ${parts.join('; ')}. Events around these clock changes may be out of order`;
}

/** The warning for yearless stamps read with an assumed year (null when none was read). */
export function assumedYearWarning(year: number, yearlessYears: number, latest: number): string | null {
  const years: number[] = [];
  for (let back = MAX_YEARS_BACK; back >= 0; back--) if (yearlessYears & (1 << back)) years.push(year - back);
  if (years.length === 0) return null;
  const limit = new Date(latest / 1000).toISOString().replace('.000Z', 'Z');
  const named = years.length === 1 ? `${years[0]}` : `${years.slice(0, -1).join(', ')} or ${years[years.length - 1]}`;
  return `timestamps carry no year; assumed ${named}, the latest year that puts each no later than ${limit} (declare time.year to set it)`;
}

/** The calendar year in `zone` at an instant (in microseconds). */
export function yearInZone(us: number, zone: TimeZone): number {
  const ms = Math.floor(us / 1000);
  return new Date(ms + zone.offsetAtUtc(ms)).getUTCFullYear();
}

/** A whole string as ISO 8601 (at least a date); NaN otherwise. */
export function readIsoText(s: string, zone: TimeZone): number {
  const us = scanIso(s, 0, zone);
  return !Number.isNaN(us) && scanEnd === s.length ? us : NaN;
}
