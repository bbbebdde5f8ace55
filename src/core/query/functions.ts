/** Built-in scalar functions. Each compiles its arguments into one closure; constant calls fold. */
import { isDynamicColumn } from './structColumn';
import { createHash } from 'node:crypto';
import type { CallExpr, Expr } from './ast';
import { boxRaw, constant, isRawType, type Compiled, type RunSettings } from './compiled';
import { sortCompare, valuesEqual } from './compare';
import { conform, convertTo, kustoTypeName, toBoolValue, toDateTimeValue, toDynamicValue, toLongValue, toRealValue, toStringValue, toTimespanValue, wrapLong } from './convert';
import { binMicros, datePart, datetimeAdd, datetimeDiff, dayOfWeekIndex, dayOfYear, endOf, formatDateTime, formatTimespan, getPart, isoWeek, startOf } from './datetime-functions';
import { canonicalJson, getProperty, isDynamicArray, isDynamicObject, newObject, toDynamicValue as dynamicOf } from './dynamic';
import { QueryRuntimeError } from './errors';
import { ipv4Compare, ipv4InRange, ipv4IsPrivate, parseIpv4Masked, parseIpv4SearchTerm, textHasIpv4 } from './ip';
import { compileRegex } from './regex';
import { lowerInvariant, Occurrences, upperInvariant } from './text';
import { US_PER_DAY } from './time';
import { DateTime, Timespan, dateTimeOrNull, timespanOrNull, type DynamicValue, type ScalarType, type Value } from './values';

export interface FunctionCompileContext {
  readonly run: RunSettings;
  readonly node: CallExpr;
}

export interface BuiltinFunction {
  readonly min: number;
  readonly max: number;
  compile(args: Compiled[], fc: FunctionCompileContext): Compiled;
}

type Impl = (args: Value[]) => Value;
type TypeRule = ScalarType | ((args: Compiled[]) => ScalarType);

function fail(fc: FunctionCompileContext, message: string, hint?: string): QueryRuntimeError {
  return new QueryRuntimeError(message, fc.node.start, fc.node.end - fc.node.start, hint);
}

/** A pure function of its argument values. */
/** Checks arguments when a call is compiled, and may give them converted (see `timeArguments`). */
type Prepare = (args: Compiled[], fc: FunctionCompileContext) => Compiled[] | void;

function pure(min: number, max: number, type: TypeRule, impl: Impl, prepare?: Prepare): BuiltinFunction {
  return {
    min,
    max,
    compile(given, fc) {
      const args = prepare?.(given, fc) ?? given;
      const t = typeof type === 'function' ? type(args) : type;
      if (args.every((a) => a.constant)) return constant(t, impl(args.map((a) => (a.constant as { value: Value }).value)));
      const n = args.length;
      if (n === 1) {
        const a0 = args[0];
        const buf: Value[] = [null];
        return { type: t, eval: (r) => { buf[0] = a0.eval(r); return impl(buf); } };
      }
      if (n === 2) {
        const [a0, a1] = args;
        const buf: Value[] = [null, null];
        return { type: t, eval: (r) => { buf[0] = a0.eval(r); buf[1] = a1.eval(r); return impl(buf); } };
      }
      const buf: Value[] = new Array(n).fill(null);
      return {
        type: t,
        eval: (r) => {
          for (let i = 0; i < n; i++) buf[i] = args[i].eval(r);
          return impl(buf);
        },
      };
    },
  };
}

/** A one-argument string function. */
function str1(type: ScalarType, f: (s: string) => Value): BuiltinFunction {
  return pure(1, 1, type, (a) => f(toStringValue(a[0])));
}

const str = toStringValue;
const num = (v: Value): number | null => toRealValue(v);
const int = (v: Value): number | null => {
  const n = toRealValue(v);
  return n === null || !Number.isFinite(n) ? null : Math.trunc(n);
};
const us = (v: Value): number | null => (v instanceof DateTime || v instanceof Timespan ? v.us : null);

/**
 * The one type of the values a function picks among (iff, case, coalesce, min_of, max_of): their
 * type when they share one; real for longs and reals; a dynamic value with strings, datetimes or
 * timespans takes that type (its value read as one); other mixes are dynamic (each value kept as
 * it is). A branch that is a
 * null constant (`long(null)`) does not decide it. A dynamic value with numbers or bools is
 * refused, as Kusto asks for one type: read as either, something was lost without a word (as a
 * long, `coalesce(d.v, 0)` cut 2.5 to 2; as a real, ids beyond 2^53 rounded; bags became null).
 */
function branchType(branches: readonly Compiled[], fc: FunctionCompileContext, positions: readonly number[] = branches.map((_, i) => i)): ScalarType {
  const deciding = branches.filter((b, i) => !(b.constant && b.constant.value === null) && !noValues(b, fc.node.args[positions[i]]));
  const distinct = [...new Set(deciding.map((b) => b.type))];
  if (distinct.length <= 1) return distinct[0] ?? 'dynamic';
  const others = distinct.filter((t) => t !== 'dynamic');
  const dynamic = others.length < distinct.length;
  const numeric = others.every((t) => t === 'long' || t === 'real');
  if (dynamic && (numeric || (others.length === 1 && others[0] === 'bool'))) {
    const fn = fc.node.name;
    // The conversion written where the (first) dynamic argument is.
    const at = positions[branches.findIndex((b) => deciding.includes(b) && b.type === 'dynamic')];
    const written = (convert: string) => `${fn}(${fc.node.args.map((_, j) => (j === at ? `${convert}(x)` : '…')).join(', ')})`;
    const hint = others.includes('bool') ? `convert the dynamic value: ${written('tobool')}` : `convert the dynamic value: ${written('tolong')} for whole numbers, or todouble(x) to keep fractions`;
    throw fail(fc, `${fn}() mixes a dynamic value with a ${others.join(' and a ')}: say which type its result has`, hint);
  }
  if (numeric) return 'real';
  if (dynamic && others.length === 1) return others[0];
  return 'dynamic';
}

/**
 * A column without any value (a CSV column left empty, a JSON field never present: typed dynamic)
 * decides no type, as a null constant does not: the query should not fail on one export and run on
 * the next.
 */
function noValues(c: Compiled, written: Expr | undefined): boolean {
  const column = c.column;
  // Only a column named as such: a member of a JSON object (`d.x`) read so would make a misspelt
  // member 0 in one export and an error in the next.
  if (!column || c.type !== 'dynamic' || written?.kind !== 'Name') return false;
  for (let i = 0; i < column.length; i++) if (column.get(i) !== null) return false;
  return true;
}

/** A branch's value as the branches' type (see `branchType`): a long branch of a real result is a real (`iff(c, 7, 0.5) / 2` is 3.5). */
function asType(c: Compiled, type: ScalarType): Compiled {
  if (c.type === type || (type === 'dynamic' && c.type !== 'datetime' && c.type !== 'timespan')) return c;
  if (c.constant) return constant(type, conform(type, c.constant.value));
  const inner = c.eval;
  return { type, eval: (r) => conform(type, inner(r)) };
}

const firstType = (args: Compiled[]) => args[0].type;

/** `x` rounded to `digits` decimals (tens, hundreds… when negative), halves away from zero as .NET's MidpointRounding.AwayFromZero, which Kusto uses. */
function roundReal(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  if (digits >= 0) {
    const scaled = Math.abs(x) * 10 ** digits;
    // From 2^52 on a double has no fraction at this precision left to round (1e307 scaled by 100 is infinite).
    return scaled < 2 ** 52 ? (Math.sign(x) * Math.round(scaled)) / 10 ** digits : x;
  }
  const unit = 10 ** -digits;
  // round(1.7e308, -308) is 2e308, beyond the largest double: infinite.
  return Number.isFinite(unit) ? Math.sign(x) * Math.round(Math.abs(x) / unit) * unit : Math.sign(x) * 0;
}

/**
 * A long rounded to a multiple of 10^`places`, halves away from zero, exactly; null when that
 * multiple is beyond 64 bits (round(9223372036854775807, -1)), rather than a wrapped value of the
 * other sign.
 */
function roundLong(v: bigint, places: number): bigint | null {
  if (places > 19) return 0n; // half of 10^20 is beyond every long
  const unit = 10n ** BigInt(places);
  let q = v / unit;
  const r = v % unit;
  if ((r < 0n ? -r : r) * 2n >= unit) q += v < 0n ? -1n : 1n;
  const rounded = q * unit;
  return rounded === wrapLong(rounded) ? rounded : null;
}

function bin(value: Value, size: Value): Value {
  if (value === null || size === null) return null;
  if (value instanceof DateTime) {
    if (!(size instanceof Timespan) || size.us <= 0) return null;
    return new DateTime(binMicros(value.us, size.us, true));
  }
  if (value instanceof Timespan) {
    if (!(size instanceof Timespan) || size.us <= 0) return null;
    return timespanOrNull(Math.floor(value.us / size.us) * size.us);
  }
  if (typeof value === 'bigint') {
    if (typeof size === 'bigint') {
      if (size <= 0n) return null;
      const q = value / size;
      const binned = (value % size !== 0n && value < 0n ? q - 1n : q) * size;
      return binned === wrapLong(binned) ? binned : null; // bin(-2^63, 10) is below every long
    }
    const s = num(size);
    if (s === null || s <= 0) return null;
    // A long stays a long: a bin size that is not whole (2.5) gives bins that are, rounded down.
    const binned = Math.floor(Math.floor(Number(value) / s) * s);
    return Number.isFinite(binned) ? wrapLong(BigInt(binned)) : null; // a tiny bin size overflows

  }
  const v = num(value);
  const s = num(size);
  if (v === null || s === null || s <= 0) return null;
  return Math.floor(v / s) * s;
}

function binAt(value: Value, size: Value, fixed: Value): Value {
  if (size instanceof Timespan && ((value instanceof DateTime && fixed instanceof DateTime) || (value instanceof Timespan && fixed instanceof Timespan))) {
    if (size.us <= 0) return null;
    const us = Math.floor((value.us - fixed.us) / size.us) * size.us + fixed.us;
    return value instanceof DateTime ? dateTimeOrNull(us) : new Timespan(us);
  }
  const v = num(value);
  const s = num(size);
  const f = num(fixed);
  if (v === null || s === null || f === null || s <= 0) return null;
  const r = Math.floor((v - f) / s) * s + f;
  if (typeof value !== 'bigint') return r;
  return Number.isFinite(r) ? wrapLong(BigInt(Math.round(r))) : null; // an infinite origin or size from the data
}

/** A negative start counts from the end, as in Kusto (`substring("123456", -2, 2)` is "56"). */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Counts characters as `strlen` does, by code point: counted in UTF-16 units, a character beyond
 * the BMP (an emoji) was cut in half, leaving text that is not valid Unicode.
 */
function substring(s: string, start: number | null, length: number | null): string {
  if (start === null) return '';
  if (!SURROGATE.test(s)) return sliceRange(s.length, start, length, (from, to) => s.slice(from, to));
  const chars = Array.from(s);
  return sliceRange(chars.length, start, length, (from, to) => chars.slice(from, to).join(''));
}

/** Characters `start` (from the end when negative) to `start + length` of `count`, by `slice`. */
function sliceRange(count: number, start: number, length: number | null, slice: (from: number, to?: number) => string): string {
  const from = Math.max(0, start < 0 ? count + start : start);
  if (length === null) return slice(from);
  return length <= 0 ? '' : slice(from, from + length);
}

function split(s: string, delimiter: string, index: Value): Value {
  const parts = delimiter === '' ? [s] : s.split(delimiter);
  if (index === null) return parts;
  const i = int(index);
  if (i === null || i < 0 || i >= parts.length) return [];
  return [parts[i]];
}

/**
 * Kusto rewrite strings use `\1`..`\9` for groups and `\\` for a backslash. `$1` is accepted too,
 * but only for a group the pattern has: `$100` in a price stays text where no group 1 exists.
 */
function rewrite(template: string, group: (n: number) => string, groups: number): string {
  return template.replace(/\\(\d|\\)|\$(\d)/g, (m, a: string | undefined, b: string | undefined) => {
    if (a === '\\') return '\\';
    if (b !== undefined && Number(b) > groups) return m;
    return group(Number(a ?? b));
  });
}

/** Where to look again after an empty match at `end`: past the next character, both halves of a surrogate pair. */
function afterEmptyMatch(s: string, end: number): number {
  const c = s.charCodeAt(end);
  return c >= 0xd800 && c <= 0xdbff && end + 1 < s.length && (s.charCodeAt(end + 1) & 0xfc00) === 0xdc00 ? end + 2 : end + 1;
}

function replaceRegex(s: string, pattern: string, template: string): string {
  const re = compileRegex(pattern);
  const m = re.matcher(s);
  let out = '';
  let last = 0;
  let from = 0;
  while (from <= s.length && m.find(from)) {
    const start = m.start();
    const end = m.end();
    out += s.slice(last, start) + rewrite(template, (n) => (n <= m.groupCount() ? (m.group(n) ?? '') : ''), m.groupCount());
    last = end;
    from = end === start ? afterEmptyMatch(s, end) : end;
  }
  return out + s.slice(last);
}

function extract(pattern: string, group: number, s: string): string | null {
  const re = compileRegex(pattern);
  const m = re.matcher(s);
  if (!m.find()) return null;
  if (group < 0 || group > m.groupCount()) return null;
  return m.group(group);
}

/** Kusto's bounds on extract_all's capture groups. */
const EXTRACT_ALL_GROUPS = { min: 1, max: 16 };

/** extract_all's pattern, which must have 1 to 16 capture groups (Kusto rejects others). */
function extractAllRegex(pattern: string, at?: { start: number; end: number }) {
  const re = compileRegex(pattern, '', at);
  const groups = re.groupCount();
  if (groups < EXTRACT_ALL_GROUPS.min || groups > EXTRACT_ALL_GROUPS.max) {
    throw new QueryRuntimeError(
      `extract_all needs a regular expression with ${EXTRACT_ALL_GROUPS.min} to ${EXTRACT_ALL_GROUPS.max} capture groups; \`${pattern}\` has ${groups}`,
      at?.start,
      at ? at.end - at.start : undefined,
      'put what to extract in parentheses, e.g. @"id=(\\d+)"',
    );
  }
  return re;
}

/**
 * `extract_all`: every match's groups. `groups` picks them by number or by name (`(?P<name>...)`);
 * one group, picked or the pattern's only one, gives a flat array of its values, as Kusto documents.
 */
/** The group numbers `groups` names (a constant list, the same array every row: kept for the next row). */
let lastPick: { re: unknown; groups: readonly DynamicValue[]; picked: number[] } | undefined;
function pickedGroups(re: ReturnType<typeof extractAllRegex>, groups: readonly DynamicValue[]): number[] {
  if (lastPick?.re === re && lastPick.groups === groups) return lastPick.picked;
  const names = groups.some((g) => typeof g === 'string') ? re.namedGroups() : undefined;
  const picked = groups.map((g) => (typeof g === 'string' ? (names && Object.hasOwn(names, g) ? names[g] : -1) : (int(g as Value) ?? -1)));
  lastPick = { re, groups, picked };
  return picked;
}

function extractAll(pattern: string, groups: readonly DynamicValue[] | null, s: string): Value {
  const re = extractAllRegex(pattern);
  const m = re.matcher(s);
  const count = m.groupCount();
  const picked = groups ? pickedGroups(re, groups) : undefined;
  const valueOf = (g: number) => (g >= 0 && g <= count ? (m.group(g) ?? '') : '');
  const out: DynamicValue[] = [];
  let from = 0;
  while (from <= s.length && m.find(from)) {
    if (picked) out.push(picked.length === 1 ? valueOf(picked[0]) : picked.map(valueOf));
    else if (count <= 1) out.push(m.group(count === 1 ? 1 : 0) ?? '');
    else {
      const row: string[] = [];
      for (let g = 1; g <= count; g++) row.push(m.group(g) ?? '');
      out.push(row);
    }
    from = m.end() === m.start() ? afterEmptyMatch(s, m.end()) : m.end();
  }
  return out.length ? out : null;
}

function trimRegex(pattern: string, s: string, start: boolean, end: boolean): string {
  compileRegex(pattern); // an invalid pattern is reported as written, not wrapped as below
  let out = s;
  if (start) {
    const m = compileRegex(`^(?:${pattern})+`).matcher(out);
    if (m.find()) out = out.slice(m.end());
  }
  if (end) {
    const m = compileRegex(`(?:${pattern})+$`).matcher(out);
    if (m.find()) out = out.slice(0, m.start());
  }
  return out;
}

/**
 * The search of `indexof` and `array_index_of`, as Kusto documents them: a negative start counts
 * from the end; each occurrence is looked for within `length` places (-1: all) of where the search
 * for it starts, one past the last; null for a length below -1 or a negative occurrence, -1 when
 * not found (occurrence 0 included). `findIn(from, end)` gives the first match in [from, end), or -1.
 */
function nthOccurrence(size: number, start: Value, length: Value, occurrence: Value, findIn: (from: number, end: number) => number): bigint | null {
  let from = start === null ? 0 : int(start);
  const len = length === null ? -1 : int(length);
  let nth = occurrence === null ? 1 : int(occurrence);
  if (from === null || len === null || nth === null || len < -1 || nth < 0) return null;
  if (from < 0) from = Math.max(0, size + from);
  if (from > size) return null;
  if (nth === 0) return -1n;
  let at = from - 1;
  while (nth-- > 0) {
    const first = at + 1;
    at = findIn(first, len < 0 ? size : Math.min(size, first + len));
    if (at < 0) return -1n;
  }
  return BigInt(at);
}

/** Needles shorter than this are searched with `indexOf`: retrying them costs little. */
const LONG_NEEDLE = 32;

function indexOf(s: string, lookup: string, start: Value, length: Value, occurrence: Value): bigint | null {
  // Places counted by code point, as strlen and substring count them (counted in UTF-16 units,
  // `substring(s, indexof(s, x))` began past x when an emoji came before it); searched in units.
  const places = SURROGATE.test(s) ? codePointPlaces(s) : null;
  const unit = (place: number) => (places ? places.unitAt[place] : place);
  const place = (u: number) => (places ? places.placeOf[u] : u);
  const size = places ? places.unitAt.length - 1 : s.length;
  if (lookup.length >= LONG_NEEDLE) {
    // Occurrence after occurrence, each searched from one past the last: the matcher goes on where
    // it stopped. A match must end within the window.
    let matches: Occurrences | undefined;
    return nthOccurrence(size, start, length, occurrence, (from, end) => {
      matches ??= new Occurrences(s, lookup, unit(from));
      const at = matches.next();
      return at >= 0 && at + lookup.length <= unit(end) ? place(at) : -1;
    });
  }
  // A match must end within the window, so the text is cut at its end.
  return nthOccurrence(size, start, length, occurrence, (from, end) => {
    const cut = unit(end);
    const at = (cut < s.length ? s.slice(0, cut) : s).indexOf(lookup, unit(from));
    return at < 0 ? -1 : place(at);
  });
}

/**
 * Where each code point of `s` starts in UTF-16 units (`unitAt`, with the length last), and the
 * code point each unit belongs to (`placeOf`); a lone surrogate is a code point of its own.
 */
function codePointPlaces(s: string): { unitAt: Int32Array; placeOf: Int32Array } {
  const unitAt = new Int32Array(s.length + 1);
  const placeOf = new Int32Array(s.length + 1);
  let p = 0;
  for (let u = 0; u < s.length; p++) {
    unitAt[p] = u;
    placeOf[u] = p;
    const pair = (s.charCodeAt(u) & 0xfc00) === 0xd800 && u + 1 < s.length && (s.charCodeAt(u + 1) & 0xfc00) === 0xdc00;
    if (pair) placeOf[u + 1] = p;
    u += pair ? 2 : 1;
  }
  unitAt[p] = s.length;
  placeOf[s.length] = p;
  return { unitAt: unitAt.subarray(0, p + 1), placeOf };
}

function arrayIndexOf(items: readonly Value[], value: Value, start: Value, length: Value, occurrence: Value): bigint | null {
  return nthOccurrence(items.length, start, length, occurrence, (from, end) => {
    for (let i = from; i < end; i++) if (valuesEqual(items[i], value) === true) return i;
    return -1;
  });
}

function isEmpty(v: Value): boolean {
  return v === null || v === '';
}

function pack(args: Value[]): Value {
  const o = newObject();
  for (let i = 0; i + 1 < args.length; i += 2) o[str(args[i])] = dynamicOf(args[i + 1]);
  return o;
}

function decodeOrAsIs(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseUrl(url: string): Value {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return newObject();
  }
  const o = newObject();
  o.Scheme = u.protocol.replace(/:$/, '');
  o.Host = u.hostname;
  o.Port = u.port;
  o.Path = u.pathname;
  // Percent escapes that are not UTF-8 (from the logs) stay as written rather than fail the query.
  o.Username = decodeOrAsIs(u.username);
  o.Password = decodeOrAsIs(u.password);
  const q = newObject();
  u.searchParams.forEach((v, k) => (q[k] = v));
  o['Query Parameters'] = q;
  o.Fragment = u.hash.replace(/^#/, '');
  return o;
}

/** Bytes that are not UTF-8 decode to null ("" as a string), as Kusto documents, not to replacement characters. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function base64Decode(s: string): string {
  const clean = s.trim();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(clean)) return '';
  try {
    return strictUtf8.decode(Buffer.from(clean, 'base64'));
  } catch {
    return '';
  }
}

/**
 * `bag_has_key`: a key, or a nested one in JSONPath notation (`$.a.b`, `$['a']["b"]`; Kusto
 * supports no array indexes there). Text starting with `$` that is no such path is a plain key.
 */
let lastPath: { key: string; path: string[] | null } | undefined;
function bagHasKey(bag: Value, key: string): boolean {
  // The key is most often a constant: its path is parsed once.
  if (lastPath?.key !== key) lastPath = { key, path: key.startsWith('$') ? jsonPathKeys(key) : null };
  const path = lastPath.path;
  let at: Value = bag;
  for (const k of path ?? [key]) {
    if (!isDynamicObject(at) || !Object.hasOwn(at, k)) return false;
    at = at[k] as Value;
  }
  return true;
}

/** The member names of a JSONPath such as `$.a['b']`, or null when it is not one. */
function jsonPathKeys(path: string): string[] | null {
  const keys: string[] = [];
  const step = /\.([^.[\]'"]+)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/y;
  step.lastIndex = 1;
  while (step.lastIndex < path.length) {
    const m = step.exec(path);
    if (!m) return null;
    keys.push(m[1] ?? m[2] ?? m[3]);
  }
  return keys.length > 0 ? keys : null;
}

const PART_OR_FAIL = (args: Compiled[], fc: FunctionCompileContext) => {
  const c = args[0].constant;
  if (c && datePart(str(c.value)) === undefined) throw fail(fc, `unknown datetime part "${str(c.value)}"`, 'parts are year, quarter, month, week, day, hour, minute, second, millisecond, microsecond, nanosecond');
};

/**
 * Arguments read as a datetime (or timespan). Text is refused when the query is compiled: these
 * functions gave null or "" for it on every row, so `summarize by bin(when, 1h)` over a text
 * column put every row in one empty group. A string literal is read as a time once; a dynamic
 * value's text is read as one on each row, as comparisons read it. `others`: further types the
 * function takes (bin takes numbers).
 */
function timeArguments(kind: 'datetime' | 'timespan', positions: readonly number[], others: readonly ScalarType[] = []): Prepare {
  const read = kind === 'datetime' ? toDateTimeValue : toTimespanValue;
  return (args, fc) =>
    args.map((a, i) => {
      if (!positions.includes(i) || a.type === kind || others.includes(a.type) || (a.constant && a.constant.value === null)) return a;
      const at = fc.node.args[i];
      const fn = fc.node.name;
      if (a.type === 'dynamic') {
        const inner = a.eval;
        return { type: 'dynamic', eval: (r: number) => { const v = inner(r); return typeof v === 'string' ? read(v) : v; } };
      }
      if (a.type === 'string' && a.constant) {
        const value = read(a.constant.value);
        if (value === null) throw new QueryRuntimeError(`${fn}() reads argument ${i + 1} as a ${kind}, and "${str(a.constant.value)}" is none`, at.start, at.end - at.start, kind === 'datetime' ? 'write datetime(2026-01-31 10:00)' : 'write a timespan: 1h, 30m, 1d');
        return constant(kind, value);
      }
      const convert = kind === 'datetime' ? 'todatetime' : 'totimespan';
      const written = fc.node.args.map((_, j) => (j === i ? `${convert}(x)` : '…')).join(', ');
      const hint = a.type === 'string' ? `read the text as a ${kind}: ${fn}(${written})` : undefined;
      const takes = [kind, ...others];
      const named = takes.length === 1 ? kind : `${takes.slice(0, -1).join(', ')} or ${takes[takes.length - 1]}`;
      throw new QueryRuntimeError(`${fn}() takes a ${named} as argument ${i + 1}, not a ${a.type}`, at.start, at.end - at.start, hint);
    });
}
const DATETIME_FIRST = timeArguments('datetime', [0]);
const withPart = (positions: readonly number[]): Prepare => {
  const times = timeArguments('datetime', positions);
  return (args, fc) => {
    PART_OR_FAIL(args, fc);
    return times(args, fc);
  };
};

const FUNCTIONS: Record<string, BuiltinFunction> = Object.create(null);

function define(names: string | string[], f: BuiltinFunction): void {
  for (const n of Array.isArray(names) ? names : [names]) FUNCTIONS[n] = f;
}

// ---- time ----
define('now', {
  min: 0,
  max: 1,
  compile: (args, fc) => {
    const offset = args[0]?.constant?.value;
    return constant('datetime', dateTimeOrNull(fc.run.now.us + (offset instanceof Timespan ? offset.us : 0)));
  },
});
define('ago', {
  min: 1,
  max: 1,
  compile: (args, fc) => pure(1, 1, 'datetime', (a) => (a[0] instanceof Timespan ? dateTimeOrNull(fc.run.now.us - a[0].us) : null)).compile(args, fc),
});
const binGeneric = pure(2, 2, firstType, (a) => bin(a[0], a[1]));
const binTimes = timeArguments('datetime', [0], ['long', 'real', 'timespan']);
/** bin_at's origin, of the kind of the value it bins: a datetime or timespan literal is read as one. */
const ORIGIN_AS = { datetime: timeArguments('datetime', [2]), timespan: timeArguments('timespan', [2]) } as const;
/**
 * bin's and bin_at's arguments: a dynamic value binned by a timespan is read as a datetime, by a
 * number as a real (numeric text included), so the result has the type of what it bins.
 */
const BIN_ARGUMENTS: Prepare = (args, fc) => {
  const [x, size] = args;
  if (x.type !== 'dynamic') return binTimes(args, fc);
  const read: Compiled = size.type === 'timespan' ? { type: 'datetime', eval: (r) => toDateTimeValue(x.eval(r)) } : { type: 'real', eval: (r) => toRealValue(x.eval(r)) };
  return binTimes([read, ...args.slice(1)], fc);
};
const BIN_AT_ARGUMENTS: Prepare = (given, fc) => {
  const args = BIN_ARGUMENTS(given, fc) ?? given;
  const kind = args[0].type;
  if (kind === 'datetime' || kind === 'timespan') return ORIGIN_AS[kind](args, fc);
  // A number binned from a text origin: text against a number is refused everywhere else too.
  if ((kind === 'long' || kind === 'real') && args[2].type === 'string') {
    const at = fc.node.args[2];
    throw new QueryRuntimeError(`bin_at() bins a ${kind} from a ${kind} origin, not a string`, at.start, at.end - at.start, 'write the origin as a number: bin_at(x, 7, 1)');
  }
  return args;
};
define(['bin', 'floor'], {
  min: 2,
  max: 2,
  compile: (given, fc) => {
    const args = BIN_ARGUMENTS(given, fc) ?? given;
    const [x, size] = args;
    const s = size.constant?.value;
    const step = x.type === 'real' ? (typeof s === 'number' || typeof s === 'bigint' ? Number(s) : undefined) : s instanceof Timespan ? s.us : undefined;
    const raw = x.evalRaw;
    // Column or computed raw numbers with a constant bin size: no boxing until a value is asked for.
    if (raw && !x.constant && isRawType(x.type) && step !== undefined && step > 0) {
      const type = x.type;
      const fromYearOne = type === 'datetime';
      const evalRaw = (r: number) => {
        const v = raw(r);
        return v === null ? null : binMicros(v, step, fromYearOne);
      };
      const source = x.rawArray;
      const rawArray = source && !source.bin ? { ...source, bin: { size: step, fromYearOne } } : undefined;
      return { type, evalRaw, rawArray, eval: (r) => { const v = evalRaw(r); return v === null ? null : boxRaw(type, v); } };
    }
    return binGeneric.compile(args, fc);
  },
});
define('bin_at', pure(3, 3, firstType, (a) => binAt(a[0], a[1], a[2]), BIN_AT_ARGUMENTS));
define('startofday', pure(1, 2, 'datetime', (a) => (a[0] instanceof DateTime ? dateTimeOrNull(startOf('day', a[0].us, int(a[1]) ?? 0)) : null), DATETIME_FIRST));
define('startofhour', pure(1, 1, 'datetime', (a) => (a[0] instanceof DateTime ? dateTimeOrNull(startOf('hour', a[0].us)) : null), DATETIME_FIRST));
define('startofweek', pure(1, 2, 'datetime', (a) => (a[0] instanceof DateTime ? dateTimeOrNull(startOf('week', a[0].us, int(a[1]) ?? 0)) : null), DATETIME_FIRST));
define('startofmonth', pure(1, 2, 'datetime', (a) => (a[0] instanceof DateTime ? dateTimeOrNull(startOf('month', a[0].us, int(a[1]) ?? 0)) : null), DATETIME_FIRST));
define('startofyear', pure(1, 2, 'datetime', (a) => (a[0] instanceof DateTime ? dateTimeOrNull(startOf('year', a[0].us, int(a[1]) ?? 0)) : null), DATETIME_FIRST));
define('endofday', pure(1, 2, 'datetime', (a) => (a[0] instanceof DateTime ? dateTimeOrNull(endOf('day', a[0].us, int(a[1]) ?? 0)) : null), DATETIME_FIRST));
define('endofweek', pure(1, 2, 'datetime', (a) => (a[0] instanceof DateTime ? dateTimeOrNull(endOf('week', a[0].us, int(a[1]) ?? 0)) : null), DATETIME_FIRST));
define('endofmonth', pure(1, 2, 'datetime', (a) => (a[0] instanceof DateTime ? dateTimeOrNull(endOf('month', a[0].us, int(a[1]) ?? 0)) : null), DATETIME_FIRST));
define('endofyear', pure(1, 2, 'datetime', (a) => (a[0] instanceof DateTime ? dateTimeOrNull(endOf('year', a[0].us, int(a[1]) ?? 0)) : null), DATETIME_FIRST));
define('datetime_diff', pure(3, 3, 'long', (a) => {
  const part = datePart(str(a[0]));
  const x = us(a[1]);
  const y = us(a[2]);
  if (part === undefined || x === null || y === null) return null;
  // Nanoseconds across more than 292 years are beyond a long: null, not a wrapped count.
  const diff = part === 'nanosecond' ? BigInt(Math.trunc(x - y)) * 1000n : BigInt(Math.trunc(datetimeDiff(part, x, y)));
  return diff === wrapLong(diff) ? diff : null;
}, withPart([1, 2])));
define('datetime_add', pure(3, 3, 'datetime', (a) => {
  const part = datePart(str(a[0]));
  const n = int(a[1]);
  const x = us(a[2]);
  return part === undefined || n === null || x === null ? null : dateTimeOrNull(datetimeAdd(part, n, x));
}, withPart([2])));
define(['datetime_part', 'datepart'], pure(2, 2, 'long', (a) => {
  const part = datePart(str(a[0]));
  const x = us(a[1]);
  return part === undefined || x === null ? null : BigInt(getPart(part, x));
}, withPart([1])));
define('format_datetime', pure(2, 2, 'string', (a) => (a[0] instanceof DateTime ? formatDateTime(a[0], str(a[1])) : ''), DATETIME_FIRST));
define('format_timespan', pure(2, 2, 'string', (a) => (a[0] instanceof Timespan ? formatTimespan(a[0].us, str(a[1])) : ''), timeArguments('timespan', [0])));
define(['todatetime', 'todate'], pure(1, 1, 'datetime', (a) => toDateTimeValue(a[0])));
define(['totimespan', 'time', 'totime'], pure(1, 1, 'timespan', (a) => toTimespanValue(a[0])));
const fromUnix = (scale: number) => pure(1, 1, 'datetime', (a) => {
  const n = num(a[0]);
  return n === null ? null : dateTimeOrNull(n * scale);
});
define('unixtime_seconds_todatetime', fromUnix(1_000_000));
define('unixtime_milliseconds_todatetime', fromUnix(1_000));
define('unixtime_microseconds_todatetime', fromUnix(1));
define('unixtime_nanoseconds_todatetime', fromUnix(0.001));
define('hourofday', pure(1, 1, 'long', (a) => (a[0] instanceof DateTime ? BigInt(getPart('hour', a[0].us)) : null), DATETIME_FIRST));
define('dayofweek', pure(1, 1, 'timespan', (a) => (a[0] instanceof DateTime ? new Timespan(dayOfWeekIndex(a[0].us) * US_PER_DAY) : null), DATETIME_FIRST));
define('dayofmonth', pure(1, 1, 'long', (a) => (a[0] instanceof DateTime ? BigInt(getPart('day', a[0].us)) : null), DATETIME_FIRST));
define('dayofyear', pure(1, 1, 'long', (a) => (a[0] instanceof DateTime ? BigInt(dayOfYear(a[0].us)) : null), DATETIME_FIRST));
define(['getyear', 'datetime_year'], pure(1, 1, 'long', (a) => (a[0] instanceof DateTime ? BigInt(getPart('year', a[0].us)) : null), DATETIME_FIRST));
define(['getmonth', 'monthofyear'], pure(1, 1, 'long', (a) => (a[0] instanceof DateTime ? BigInt(getPart('month', a[0].us)) : null), DATETIME_FIRST));
define('week_of_year', pure(1, 1, 'long', (a) => (a[0] instanceof DateTime ? BigInt(isoWeek(a[0].us)) : null), DATETIME_FIRST));

// ---- strings ----
define('tolower', str1('string', lowerInvariant));
define('toupper', str1('string', upperInvariant));
define('strlen', str1('long', (s) => BigInt([...s].length)));
define('reverse', str1('string', (s) => [...s].reverse().join('')));
define('strcat', pure(1, 64, 'string', (a) => a.map(str).join('')));
define('strcat_delim', pure(2, 65, 'string', (a) => a.slice(1).map(str).join(str(a[0]))));
define('substring', pure(2, 3, 'string', (a) => substring(str(a[0]), int(a[1]), a.length > 2 && a[2] !== null ? int(a[2]) : null)));
define('split', pure(2, 3, 'dynamic', (a) => split(str(a[0]), str(a[1]), a.length > 2 ? a[2] : null)));
/** Longest string strrep builds; beyond it the query stops with an error instead of exhausting memory. */
const MAX_STRREP_CHARS = 100_000_000;
define('strrep', pure(2, 3, 'string', (a) => {
  const n = int(a[1]);
  if (n === null || n <= 0) return '';
  const text = str(a[0]);
  const delimiter = a.length > 2 ? str(a[2]) : '';
  const times = Math.min(n, 1_000_000);
  if (times * (text.length + delimiter.length) > MAX_STRREP_CHARS) {
    throw new QueryRuntimeError(`strrep would build a string of more than ${MAX_STRREP_CHARS.toLocaleString('en-US')} characters`);
  }
  return new Array<string>(times).fill(text).join(delimiter);
}));
define('indexof', pure(2, 5, 'long', (a) => indexOf(str(a[0]), str(a[1]), a[2] ?? null, a[3] ?? null, a[4] ?? null)));
define('countof', pure(2, 3, 'long', (a) => {
  const s = str(a[0]);
  const search = str(a[1]);
  if (a.length > 2 && str(a[2]) === 'regex') {
    const m = compileRegex(search).matcher(s);
    let n = 0n;
    let from = 0;
    while (from <= s.length && m.find(from)) {
      n++;
      from = m.end() === m.start() ? afterEmptyMatch(s, m.end()) : m.end();
    }
    return n;
  }
  if (search === '') return 0n;
  let n = 0n;
  if (search.length >= LONG_NEEDLE) {
    for (const matches = new Occurrences(s, search, 0); matches.next() >= 0; ) n++;
    return n;
  }
  for (let at = s.indexOf(search); at >= 0; at = s.indexOf(search, at + 1)) n++;
  return n;
}));
define('replace_string', pure(3, 3, 'string', (a) => {
  const lookup = str(a[1]);
  return lookup === '' ? str(a[0]) : str(a[0]).split(lookup).join(str(a[2]));
}));
define(['replace_regex', 'replace'], pure(3, 3, 'string', (a) => replaceRegex(str(a[0]), str(a[1]), str(a[2]))));
define('extract', {
  min: 3,
  max: 4,
  compile: (args, fc) => {
    const type: ScalarType = args.length > 3 ? typeOfArg(args[3], fc) : 'string';
    const f = pure(3, 3, type, (a) => {
      const g = int(a[1]);
      const v = g === null ? null : extract(str(a[0]), g, str(a[2]));
      if (type === 'string') return v ?? '';
      return v === null ? null : convertTo(type, v);
    });
    if (args[0].constant) compileRegex(str(args[0].constant.value), '', fc.node.args[0]);
    return f.compile(args.slice(0, 3), fc);
  },
});
define(['extract_all', 'extractall'], {
  min: 2,
  max: 3,
  compile: (args, fc) => {
    if (args[0].constant) extractAllRegex(str(args[0].constant.value), fc.node.args[0]);
    if (args.length === 2) return pure(2, 2, 'dynamic', (a) => extractAll(str(a[0]), null, str(a[1]))).compile(args, fc);
    return pure(3, 3, 'dynamic', (a) => {
      return extractAll(str(a[0]), isDynamicArray(a[1]) ? a[1] : null, str(a[2]));
    }).compile(args, fc);
  },
});
define('trim', pure(2, 2, 'string', (a) => trimRegex(str(a[0]), str(a[1]), true, true)));
define('trim_start', pure(2, 2, 'string', (a) => trimRegex(str(a[0]), str(a[1]), true, false)));
define('trim_end', pure(2, 2, 'string', (a) => trimRegex(str(a[0]), str(a[1]), false, true)));
define('base64_encode_tostring', str1('string', (s) => Buffer.from(s, 'utf8').toString('base64')));
define('base64_decode_tostring', str1('string', base64Decode));
define('url_decode', str1('string', (s) => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return '';
  }
}));
// Lone surrogates (possible in log data) cannot be percent-encoded; they become U+FFFD first.
// Spaces as `+` and escapes in lower case, as Kusto's example shows (`hello world` -> `hello+world`, `:` -> `%3a`).
define('url_encode', str1('string', (s) => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')).replace(/%20/g, '+').replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())));
define(['parse_url', 'parseurl'], str1('dynamic', parseUrl));
define('hash_sha256', str1('string', (s) => createHash('sha256').update(s, 'utf8').digest('hex')));
define('hash_md5', str1('string', (s) => createHash('md5').update(s, 'utf8').digest('hex')));
/** Widths above 16 are cut to 16, as Kusto documents (16 digits hold any 64-bit value). */
const MAX_TOHEX_WIDTH = 16;
define('tohex', pure(1, 2, 'string', (a) => {
  const n = toLongValue(a[0]);
  if (n === null) return '';
  const hex = BigInt.asUintN(64, n).toString(16);
  return hex.padStart(Math.min(int(a[1] ?? null) ?? 0, MAX_TOHEX_WIDTH), '0');
}));
define('isascii', str1('bool', (s) => /^[\x00-\x7f]*$/.test(s)));

// ---- conversion ----
const tostringGeneric = pure(1, 1, 'string', (a) => str(a[0]));
define('tostring', {
  min: 1,
  max: 1,
  compile: (args, fc) => {
    // Dynamic strings kept as dictionary codes: the same codes, nulls as "".
    const col = args[0].column;
    const strings = isDynamicColumn(col) ? col.asStrings() : undefined;
    if (strings) return { type: 'string', eval: (r) => strings.get(r), column: strings };
    return tostringGeneric.compile(args, fc);
  },
});
define('tolong', pure(1, 1, 'long', (a) => toLongValue(a[0])));
// Kusto's int is 32 bits: a value beyond them does not convert (null). Casebook has one integer
// type, so the result is a long.
const INT_LIMIT = 2n ** 31n;
define('toint', pure(1, 1, 'long', (a) => {
  const v = toLongValue(a[0]);
  return v !== null && v >= -INT_LIMIT && v < INT_LIMIT ? v : null;
}));
define(['todouble', 'toreal', 'todecimal'], pure(1, 1, 'real', (a) => toRealValue(a[0])));
define(['tobool', 'toboolean'], pure(1, 1, 'bool', (a) => toBoolValue(a[0])));
// Empty text is null, as Kusto documents (`isnull(parse_json(""))` is true); other text that is not JSON stays a string.
define(['todynamic', 'parse_json', 'toobject', 'parsejson'], pure(1, 1, 'dynamic', (a) => (a[0] === '' ? null : toDynamicValue(a[0]))));
// A whole number inside a dynamic value is an `int` when it fits 32 bits, as Kusto reports
// (`gettype(parse_json('1'))` is "int"); a long column or literal stays `long`.
const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;
define('gettype', {
  min: 1,
  max: 1,
  compile: (args, fc) => {
    const inDynamic = args[0].type === 'dynamic';
    return pure(1, 1, 'string', (a) => (inDynamic && typeof a[0] === 'bigint' && a[0] >= INT_MIN && a[0] <= INT_MAX ? 'int' : kustoTypeName(a[0]))).compile(args, fc);
  },
});

// ---- logic and nulls ----
define('not', pure(1, 1, 'bool', (a) => {
  const b = toBoolValue(a[0]);
  return b === null ? null : !b;
}));
define('isempty', pure(1, 1, 'bool', (a) => isEmpty(a[0])));
define('isnotempty', pure(1, 1, 'bool', (a) => !isEmpty(a[0])));
define('isnull', pure(1, 1, 'bool', (a) => a[0] === null));
define('isnotnull', pure(1, 1, 'bool', (a) => a[0] !== null));
define('isnan', pure(1, 1, 'bool', (a) => typeof a[0] === 'number' && Number.isNaN(a[0])));
define('isfinite', pure(1, 1, 'bool', (a) => typeof a[0] === 'number' ? Number.isFinite(a[0]) : a[0] !== null));
define('coalesce', {
  min: 1,
  max: 64,
  compile: (given, fc) => {
    const type = branchType(given, fc);
    const args = given.map((a) => asType(a, type));
    // Strings are never null, so coalesce skips empty strings too (as Kusto does for string arguments).
    return {
      type,
      eval: (r) => {
        for (const a of args) {
          const v = a.eval(r);
          if (v !== null && v !== '') return v;
        }
        return type === 'string' ? '' : null;
      },
    };
  },
});
define(['iff', 'iif'], {
  min: 3,
  max: 3,
  compile: ([c, thenValue, elseValue], fc) => {
    const type = branchType([thenValue, elseValue], fc, [1, 2]);
    const t = asType(thenValue, type);
    const f = asType(elseValue, type);
    return { type, eval: (r) => (toBoolValue(c.eval(r)) === true ? t.eval(r) : f.eval(r)) };
  },
});
define('case', {
  min: 3,
  max: 129,
  compile: (args, fc) => {
    if (args.length % 2 === 0) throw fail(fc, 'case() takes condition/value pairs followed by an else value');
    const picked = args.map((_, i) => i).filter((i) => i % 2 === 1 || i === args.length - 1);
    const type = branchType(picked.map((i) => args[i]), fc, picked);
    args = args.map((a, i) => (i % 2 === 1 || i === args.length - 1 ? asType(a, type) : a));
    return {
      type,
      eval: (r) => {
        for (let i = 0; i + 1 < args.length; i += 2) if (toBoolValue(args[i].eval(r)) === true) return args[i + 1].eval(r);
        return args[args.length - 1].eval(r);
      },
    };
  },
});
/** `max_of` (dir -1: what a descending sort puts first) or `min_of` (1), as the one type of its arguments. */
function extremeOf(dir: 1 | -1): BuiltinFunction {
  return {
    min: 1,
    max: 64,
    compile: (args, fc) => {
      const type = branchType(args, fc);
      const pick = (a: Value[]) => a.reduce<Value>((m, v) => (v === null ? m : m === null || sortCompare(v, m, undefined, dir) < 0 ? v : m), null);
      return pure(1, 64, type, pick).compile(args.map((a) => asType(a, type)), fc);
    },
  };
}
define('max_of', extremeOf(-1));
define('min_of', extremeOf(1));

// ---- math ----
const math1 = (f: (x: number) => number | null) => pure(1, 1, 'real', (a) => {
  const x = num(a[0]);
  return x === null ? null : f(x);
});
define('abs', pure(1, 1, firstType, (a) => {
  const v = a[0];
  if (typeof v === 'bigint') return v < 0n ? -v : v;
  if (v instanceof Timespan) return new Timespan(Math.abs(v.us));
  const x = num(v);
  return x === null ? null : Math.abs(x);
}));
define('round', pure(1, 2, (args) => (args[0].type === 'long' ? 'long' : 'real'), (a) => {
  const d = a.length > 1 ? int(a[1]) ?? 0 : 0;
  if (typeof a[0] === 'bigint') return d >= 0 ? a[0] : roundLong(a[0], -d);
  const x = num(a[0]);
  return x === null ? null : roundReal(x, d);
}));
define('ceiling', math1(Math.ceil));
/** Null for a negative argument, as Kusto documents for `sqrt` and the logarithms (not NaN). */
const nonNegative = (f: (x: number) => number) => (x: number) => (x < 0 ? null : f(x));
define('sqrt', math1(nonNegative(Math.sqrt)));
define('exp', math1(Math.exp));
define('log', math1(nonNegative(Math.log)));
define('log10', math1(nonNegative(Math.log10)));
define('log2', math1(nonNegative(Math.log2)));
define('pow', pure(2, 2, 'real', (a) => {
  const x = num(a[0]);
  const y = num(a[1]);
  return x === null || y === null ? null : x ** y;
}));
define('sign', pure(1, 1, 'real', (a) => {
  const x = num(a[0]);
  return x === null ? null : Math.sign(x);
}));

// ---- dynamic ----
define(['array_length', 'arraylength'], pure(1, 1, 'long', (a) => (isDynamicArray(a[0]) ? BigInt(a[0].length) : null)));
define('pack_array', pure(0, 64, 'dynamic', (a) => a.map(dynamicOf)));
define(['pack', 'bag_pack'], pure(0, 128, 'dynamic', pack));
define('bag_keys', pure(1, 1, 'dynamic', (a) => (isDynamicObject(a[0]) ? Object.keys(a[0]) : null)));
/** `strcat_array(array, delimiter)`: the elements as tostring gives them (nested values as JSON), joined. */
define('strcat_array', pure(2, 2, 'string', (a) => (isDynamicArray(a[0]) ? a[0].map((x) => str(x as Value)).join(str(a[1])) : ''), (args, fc) => {
  if (args[0].type !== 'dynamic') throw fail(fc, `the first argument of \`strcat_array\` is an array (dynamic), not ${args[0].type}`);
}));
/**
 * `dynamic_to_json(value)`: JSON text with every property bag's keys in ordinal order, so equal
 * values give equal text whatever order their keys came in; a value that is not dynamic as tostring gives it.
 */
define('dynamic_to_json', pure(1, 1, 'string', (a) => (isDynamicArray(a[0]) || isDynamicObject(a[0]) ? canonicalJson(a[0]) : str(a[0]))));
define('bag_has_key', pure(2, 2, 'bool', (a) => bagHasKey(a[0], str(a[1]))));
define('set_has_element', pure(2, 2, 'bool', (a) => (isDynamicArray(a[0]) ? a[0].some((x) => valuesEqual(x as Value, a[1]) === true) : false)));
define('array_index_of', pure(2, 5, 'long', (a) => (isDynamicArray(a[0]) ? arrayIndexOf(a[0] as readonly Value[], a[1], a[2] ?? null, a[3] ?? null, a[4] ?? null) : null)));
define('array_concat', pure(1, 64, 'dynamic', (a) => (a.every(isDynamicArray) ? (a as DynamicValue[][]).flat(1) : null)));
define('array_slice', pure(3, 3, 'dynamic', (a) => {
  if (!isDynamicArray(a[0])) return null;
  const n = a[0].length;
  let s = int(a[1]) ?? 0;
  let e = int(a[2]) ?? n - 1;
  if (s < 0) s += n;
  if (e < 0) e += n;
  return a[0].slice(Math.max(0, s), Math.max(0, e + 1));
}));
/** `array_sort_asc/desc(array [, nulls_last])`: nulls go last unless `nulls_last` is false, in either direction, as Kusto documents. */
const arraySort = (dir: 1 | -1) => pure(1, 2, 'dynamic', (a) => {
  if (!isDynamicArray(a[0])) return null;
  const nullsLast = a.length < 2 || a[1] !== false;
  return [...a[0]].sort((x, y) => {
    if (x === null || y === null) return x === y ? 0 : (x === null) === nullsLast ? 1 : -1;
    return sortCompare(x as Value, y as Value, undefined, dir);
  });
}, (args, fc) => {
  // Kusto's form that sorts several arrays together gives several columns, which is not supported here.
  if (args.length > 1 && args[1].type !== 'bool') throw fail(fc, `the second argument of \`${fc.node.name}\` is nulls_last, a bool; sorting several arrays together is not supported`);
});
define('array_sort_asc', arraySort(1));
define('array_sort_desc', arraySort(-1));
define('bag_get', pure(2, 2, 'dynamic', (a) => getProperty(a[0], str(a[1]))));


// ---- network ----
define('ipv4_is_in_range', pure(2, 2, 'bool', (a) => ipv4InRange(str(a[0]), str(a[1]))));
define('ipv4_is_private', str1('bool', ipv4IsPrivate));
// Addresses may carry an IP prefix (`192.168.1.1/24`), as Kusto's network functions accept.
define('parse_ipv4', str1('long', (s) => {
  const n = parseIpv4Masked(s);
  return n === null ? null : BigInt(n);
}));
define('ipv4_compare', pure(2, 3, 'long', (a) => {
  const c = ipv4Compare(str(a[0]), str(a[1]), a.length > 2 ? int(a[2]) : undefined);
  return c === null ? null : BigInt(c);
}));
/**
 * `has_ipv4(text, ip)`, `has_ipv4_prefix(text, prefix)` and their `has_any_` forms (addresses as
 * arguments or in arrays): whether the text holds such an address; false when no term is a valid
 * address (or prefix ending in a dot).
 */
const hasIpv4 = (prefixes: boolean, many: boolean) => pure(2, many ? 64 : 2, 'bool', (a) => {
  const terms: number[][] = [];
  for (const arg of a.slice(1)) {
    for (const item of many && isDynamicArray(arg) ? arg : [arg]) {
      const term = parseIpv4SearchTerm(str(item as Value), prefixes);
      if (term !== null) terms.push(term);
    }
  }
  return textHasIpv4(str(a[0]), terms);
});
define('has_ipv4', hasIpv4(false, false));
define('has_ipv4_prefix', hasIpv4(true, false));
define('has_any_ipv4', hasIpv4(false, true));
define('has_any_ipv4_prefix', hasIpv4(true, true));

function typeOfArg(c: Compiled, fc: FunctionCompileContext): ScalarType {
  const v = c.constant?.value;
  const t = typeof v === 'string' ? TYPEOF_NAMES[v] : undefined;
  if (!t) throw fail(fc, 'the type argument must be typeof(long), typeof(real), typeof(datetime) ...');
  return t;
}

const TYPEOF_NAMES: Record<string, ScalarType> = { string: 'string', long: 'long', int: 'long', real: 'real', double: 'real', bool: 'bool', datetime: 'datetime', timespan: 'timespan', dynamic: 'dynamic' };
/** `typeof(long)` as an argument: the type name as a string constant. */
define('typeof', {
  min: 1,
  max: 1,
  compile: (_args, fc) => {
    const a = fc.node.args[0];
    if (a.kind !== 'Name' || !Object.hasOwn(TYPEOF_NAMES, a.name)) throw fail(fc, 'typeof() takes a type name, like typeof(long)');
    return constant('string', a.name);
  },
});

export function builtinFunction(name: string): BuiltinFunction | undefined {
  return Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
}

export function functionNames(): string[] {
  return Object.keys(FUNCTIONS);
}
