/**
 * Output payloads sent to the notebook renderer. Plain JSON, bounded in size, typed per column so
 * the renderer can sort and format without guessing.
 */
import type { Table } from '../query/table';
import type { ScalarType } from '../query/values';
import { DateTime, Timespan } from '../query/values';
import { datetimeText, displayValue } from './values';

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
  /** Set when rows were left out to keep the output's size bounded (rather than by a row limit). */
  readonly cutForSize?: true;
  readonly title?: string;
}

/**
 * Text an output's table sends to the notebook at most, in characters (about 2 bytes each in
 * memory), and of one value: log lines of megabytes would otherwise make an output of gigabytes,
 * more than a message can carry, and the cell would show nothing at all. Rows past the budget are
 * left out, and a value past its cap is cut saying so (as reports do).
 */
export const WIRE_TEXT_BUDGET = 64 * 1024 * 1024;
export const WIRE_VALUE_CHARS = 1024 * 1024;
/** The least a value keeps however wide the table (a table of 100,000 columns has 671 characters each). */
const MIN_VALUE_CHARS = 256;

/** A value as the renderer gets it; text past `maxChars` is cut, saying so. */
export function toWireCell(v: unknown, maxChars = WIRE_VALUE_CHARS): WireCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > maxChars ? displayValue(v, maxChars) : v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (v instanceof DateTime) return datetimeText(v);
  if (typeof v === 'bigint' || v instanceof Timespan) return String(v);
  return displayValue(v as never, maxChars);
}

export interface WireOptions {
  readonly title?: string;
  /** Characters of text the table holds at most (rows past it are left out). */
  readonly textBudget?: number;
  /** Characters of one value (the rest is cut, saying so). */
  readonly valueChars?: number;
}

export function tableToWire(table: Table, maxRows: number, options: WireOptions = {}): WireTable {
  const { title, textBudget = WIRE_TEXT_BUDGET } = options;
  // A value's share of the budget, so that one row of many long values fits it too.
  const valueChars = Math.min(options.valueChars ?? WIRE_VALUE_CHARS, Math.max(MIN_VALUE_CHARS, Math.floor(textBudget / Math.max(1, table.columns.length))));
  const limit = Math.min(maxRows, table.rowCount);
  const rows: WireCell[][] = [];
  let text = 0;
  for (let i = 0; i < limit; i++) {
    const row = table.columns.map((c) => toWireCell(c.get(i), valueChars));
    for (const cell of row) text += typeof cell === 'string' ? cell.length : 8;
    // The first row always goes: its values are capped to their share, so it fits.
    if (text > textBudget && rows.length > 0) break;
    rows.push(row);
  }
  const cutForSize = rows.length < limit;
  return { columns: table.schema.map((c) => ({ name: c.name, type: c.type })), rows, totalRows: table.rowCount, ...(cutForSize ? { cutForSize: true as const } : {}), ...(title ? { title } : {}) };
}
