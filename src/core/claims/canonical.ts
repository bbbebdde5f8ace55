/**
 * Canonical bytes of a result table and their SHA-256: the evidence hash stored with verdicts.
 *
 * The same rows must hash the same in every worker, cache and (later) engine, whatever order they
 * come in, so the hash is over sorted row encodings:
 *
 *   line 1:     JSON array of [name, type] per column
 *   next lines: one JSON array per row, values canonical (below), lines sorted by UTF-8 bytes
 *   every line ends with "\n"
 *
 * Values: null -> null; bool -> true/false; long -> exact decimal digits; real -> shortest JSON
 * number (NaN/±Infinity as the strings "NaN", "Infinity", "-Infinity"); string -> JSON string;
 * datetime -> ISO 8601 UTC string, fraction without trailing zeros (outside the representable
 * range: `(invalid datetime: N µs from 1970)`); timespan -> Kusto text
 * `[-][d.]hh:mm:ss[.fffffff]`; dynamic -> JSON with object keys sorted by code point.
 */
import { createHash } from 'node:crypto';
import type { Table } from '../query/table';
import { datetimeText } from '../output/values';
import { DateTime, Timespan, type Value } from '../query/values';

export function canonicalValue(v: Value | undefined): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : JSON.stringify(String(v));
    case 'string':
      return JSON.stringify(v);
  }
  if (v instanceof DateTime) return JSON.stringify(datetimeText(v));
  if (v instanceof Timespan) return JSON.stringify(v.toString());
  if (Array.isArray(v)) return '[' + v.map((x) => canonicalValue(x as Value)).join(',') + ']';
  const obj = v as Readonly<Record<string, Value>>;
  const keys = Object.keys(obj).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalValue(obj[k])).join(',') + '}';
}

export function canonicalRow(table: Table, row: number): string {
  return '[' + table.columns.map((c) => canonicalValue(c.get(row))).join(',') + ']';
}

/** The canonical bytes of a whole table (see the module comment). */
export function canonicalTableBytes(table: Table): Buffer {
  const header = JSON.stringify(table.schema.map((c) => [c.name, c.type]));
  const rows: Buffer[] = [];
  for (let i = 0; i < table.rowCount; i++) rows.push(Buffer.from(canonicalRow(table, i) + '\n', 'utf8'));
  rows.sort(Buffer.compare);
  return Buffer.concat([Buffer.from(header + '\n', 'utf8'), ...rows]);
}

export function tableSha256(table: Table): string {
  return createHash('sha256').update(canonicalTableBytes(table)).digest('hex');
}
