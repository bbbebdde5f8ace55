/**
 * Text and JSON forms of values, shared by the CLI, the renderer payloads and reports so every
 * front end shows the same thing.
 */
import { isStringTooLong } from '../query/errors';
import { isDynamicColumn } from '../query/structColumn';
import { isNumericColumn, isStringColumn, type Column } from '../query/table';
import { DateTime, Timespan, type Value } from '../query/values';

/** JSON-safe form: longs as JSON numbers with exact digits (via `stringifyJson`), datetimes as ISO 8601 UTC. */
export type JsonValue = null | boolean | number | string | bigint | JsonValue[] | { [key: string]: JsonValue };

export function toJsonValue(v: Value | undefined): JsonValue {
  if (v === null || v === undefined) return null;
  if (v instanceof DateTime) return datetimeText(v);
  if (v instanceof Timespan) return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x as Value));
  if (typeof v === 'object') {
    const out: { [key: string]: JsonValue } = {};
    for (const k of Object.keys(v)) {
      // defineProperty so a key named __proto__ stays plain data.
      Object.defineProperty(out, k, { value: toJsonValue((v as Record<string, Value>)[k]), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

/**
 * JSON text with exact 64-bit integers (bigints are written as bare digits). Strings are escaped as
 * `JSON.stringify` does (C0 controls, lone surrogates), plus DEL, the C1 controls (U+0080–U+009F,
 * which some terminals obey like ESC sequences) and U+2028/U+2029, so the text is ASCII-safe for
 * terminals and valid in JavaScript too; it parses back to the same values.
 */
export function stringifyJson(v: JsonValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
    case 'boolean':
      return JSON.stringify(v);
    case 'string':
      return jsonString(v);
  }
  if (Array.isArray(v)) return '[' + v.map(stringifyJson).join(',') + ']';
  return '{' + Object.keys(v).map((k) => jsonString(k) + ':' + stringifyJson(v[k])).join(',') + '}';
}

/**
 * `stringifyJson(toJsonValue(v))`, written straight from the value: no JSON form of it is made
 * first (for an object, a copy whose every key was defined one by one, which cost more than
 * writing the text).
 */
export function jsonText(v: Value | undefined): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : jsonString(String(v));
  }
  if (v instanceof DateTime) return jsonString(datetimeText(v));
  if (v instanceof Timespan) return jsonString(v.toString());
  if (Array.isArray(v)) {
    let text = '[';
    // A hole is written as nothing, as mapping and joining the array writes it.
    for (let i = 0; i < v.length; i++) text += (i === 0 ? '' : ',') + (i in v ? jsonText(v[i] as Value) : '');
    return text + ']';
  }
  let text = '{';
  const record = v as Record<string, Value>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) text += (i === 0 ? '' : ',') + jsonString(keys[i]) + ':' + jsonText(record[keys[i]]);
  return text + '}';
}

const EXTRA_ESCAPES = /[\u007f-\u009f\u2028\u2029]/g;

function jsonString(s: string): string {
  return JSON.stringify(s).replace(EXTRA_ESCAPES, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/**
 * ISO 8601 text of a datetime. A datetime outside the years JavaScript dates can hold (which only a
 * bug upstream can produce, e.g. from an epoch value such as 1e308) reads as text saying so, rather
 * than failing every output of the result it is in.
 */
export function datetimeText(v: DateTime): string {
  try {
    return v.toISOString();
  } catch {
    return `(invalid datetime: ${v.us} µs from 1970)`;
  }
}

/** The display text of a value: what a table cell shows. */
export function formatValue(v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (v instanceof DateTime) return datetimeText(v);
  if (typeof v === 'object' && !(v instanceof DateTime) && !(v instanceof Timespan)) return jsonText(v);
  return String(v);
}

/**
 * Characters of one value that documents for reading show (reports, the Markdown fallback, the
 * evidence written into a notebook): log data can hold values of megabytes, which would swamp a
 * report or a file under review. What is left out is said, never silently dropped; the evidence
 * hash and the query results keep the whole value.
 */
export const DISPLAY_VALUE_CHARS = 2000;

/** Where to cut `text` to at most `maxChars` code units: not between the two halves of a surrogate pair. */
export function cutPoint(text: string, maxChars: number): number {
  return /[\ud800-\udbff]/.test(text[maxChars - 1]) ? maxChars - 1 : maxChars;
}

/** `formatValue` cut to `maxChars`, saying how much was left out. */
export function displayValue(v: Value | undefined, maxChars = DISPLAY_VALUE_CHARS): string {
  let text: string;
  try {
    text = formatValue(v);
  } catch (e) {
    if (!isStringTooLong(e)) throw e;
    return '… (a value too long to be text)';
  }
  if (text.length <= maxChars) return text;
  const cut = cutPoint(text, maxChars);
  const left = text.length - cut;
  return `${text.slice(0, cut)}… (${left.toLocaleString('en-US')} more character${left === 1 ? '' : 's'})`;
}

/**
 * Writes rows of `table` as the JSON text `stringifyJson(rowToJson(table, row))` gives, without
 * building an object per row: each key's text is made once, in the order such an object lists
 * its keys (names that are array indices first).
 */
export function rowJsonWriter(table: { readonly schema: readonly { readonly name: string }[]; readonly columns: readonly Column[] }): (row: number) => string {
  const index = new Map(table.schema.map((c, j) => [c.name, j]));
  const order = Object.keys(rowToJson({ schema: table.schema, columns: table.schema.map(() => ({ get: () => null })) }, 0)).map((name) => index.get(name)!);
  const keys = order.map((j) => jsonString(table.schema[j].name) + ':');
  const memo = { chars: MEMO_CHARS };
  const values = order.map((j) => valueJsonWriter(table.columns[j], memo));
  return (row) => {
    let text = '{';
    for (let k = 0; k < values.length; k++) text += (k === 0 ? '' : ',') + keys[k] + values[k](row);
    return text + '}';
  };
}

/** Dictionaries up to this size have each entry's JSON text kept once made (see valueJsonWriter). */
const MEMO_ENTRIES = 1 << 16;
/**
 * Characters of entries' texts a writer keeps in all (its columns share them): a column whose
 * every row differs (large objects, say) gains nothing from the texts kept, which would hold a
 * second copy of its output until the writing ends.
 */
const MEMO_CHARS = 1 << 22;

/**
 * The JSON text of a column's value at a row, as `stringifyJson(toJsonValue(column.get(row)))`
 * gives, made with less work for the columns results are mostly made of: a string column's rows
 * repeat a few entries (an entry's text is made once), and a datetime's text is written without
 * escaping (ISO 8601 text needs none). Writing a result runs code that has not run before in the
 * process, so each call saved counts (2,016 rows by hour and event took about 20 ms to write).
 */
function valueJsonWriter(column: Column, memo: { chars: number }): (row: number) => string {
  const generic = (row: number) => jsonText(column.get(row));
  // Each entry's text once made: strings, and objects kept as their JSON text (a log's nested
  // objects), whose rows repeat entries as strings do (null rows are not coded).
  const coded = isStringColumn(column) ? { codes: column.codes, nulls: null, size: column.dictionarySize } : isDynamicColumn(column) && (column.storage.kind === 'string' || column.storage.kind === 'json') ? { codes: column.storage.codes, nulls: column.storage.nulls, size: column.storage.dict.size } : null;
  if (coded && coded.size <= MEMO_ENTRIES) {
    const texts: (string | undefined)[] = new Array(coded.size);
    const { codes, nulls } = coded;
    return (row) => {
      if (nulls !== null && nulls[row] === 1) return 'null';
      const kept = texts[codes[row]];
      if (kept !== undefined) return kept;
      const text = generic(row);
      if (text.length <= memo.chars) {
        memo.chars -= text.length;
        texts[codes[row]] = text;
      }
      return text;
    };
  }
  if (column.type === 'datetime' && isNumericColumn(column)) {
    const { values, nulls } = column;
    // Rows by time bins repeat each bin for every other key: the last text is kept.
    let lastUs = NaN, lastText = '';
    return (row) => {
      if (nulls?.[row]) return 'null';
      if (values[row] === lastUs) return lastText;
      const text = datetimeText(new DateTime(values[row]));
      lastUs = values[row];
      // Only the text of a datetime out of range, which starts with "(", is other than ASCII digits and signs.
      return (lastText = text.charCodeAt(0) === 0x28 ? jsonString(text) : '"' + text + '"');
    };
  }
  return generic;
}

/** One table row as a JSON object keyed by column name (key order = column order). */
export function rowToJson(table: { readonly schema: readonly { readonly name: string }[]; readonly columns: readonly { get(row: number): Value }[] }, row: number): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  table.schema.forEach((c, j) => Object.defineProperty(out, c.name, { value: toJsonValue(table.columns[j].get(row)), enumerable: true, writable: true, configurable: true }));
  return out;
}
