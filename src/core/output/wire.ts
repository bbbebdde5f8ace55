/**
 * Output payloads sent to the notebook renderer. Plain JSON, bounded in size, typed per column so
 * the renderer can sort and format without guessing.
 */
import type { Table } from '../query/table';
import type { ScalarType } from '../query/values';
import { DateTime, Timespan } from '../query/values';
import { datetimeText, formatValue } from './values';

export const TABLE_MIME = 'application/vnd.casebook.table+json';
export const CLAIM_MIME = 'application/vnd.casebook.claim+json';
export const CHART_MIME = 'application/vnd.casebook.chart+json';

/** A cell as sent to the renderer: longs and datetimes as strings (exact), reals as numbers. */
export type WireCell = string | number | boolean | null;

export interface WireTable {
  readonly columns: readonly { readonly name: string; readonly type: ScalarType }[];
  readonly rows: readonly (readonly WireCell[])[];
  /** Rows in the full result; `rows.length` may be smaller, and the renderer says so. */
  readonly totalRows: number;
  readonly title?: string;
}

export function toWireCell(v: unknown): WireCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v instanceof DateTime) return datetimeText(v);
  if (typeof v === 'bigint' || v instanceof Timespan) return String(v);
  return formatValue(v as never);
}

export function tableToWire(table: Table, maxRows: number, title?: string): WireTable {
  const shown = Math.min(maxRows, table.rowCount);
  const rows: WireCell[][] = new Array(shown);
  for (let i = 0; i < shown; i++) rows[i] = table.columns.map((c) => toWireCell(c.get(i)));
  return { columns: table.schema.map((c) => ({ name: c.name, type: c.type })), rows, totalRows: table.rowCount, ...(title ? { title } : {}) };
}
