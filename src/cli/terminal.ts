/** Terminal output: log values are attacker-controlled, so escape sequences never reach the TTY. */
import type { Table } from '../core/query/table';
import { showInvisible } from '../core/output/invisible';
import { cutPoint, formatValue } from '../core/output/values';
import { fitToWidth, padFitted, type FittedText } from './textWidth';

/**
 * Replaces control characters (incl. ESC, so no ANSI sequence survives) and bidi controls with
 * visible escapes; on a terminal line breaks inside a value are escaped too.
 */
export function safeText(text: string): string {
  return showInvisible(text.replace(/\r/g, '\\r').replace(/\n/g, '\\n'));
}

const MAX_CELL = 60;

/**
 * A value as a table cell shows it: its start only (enough to fill a cell, so escaping and
 * measuring need not see megabytes), escaped, and with tabs shown as `\t` (a tab's width depends on
 * where it falls, so no column could line it up).
 */
function cellText(value: string): string {
  const head = value.length > MAX_CELL * 16 ? value.slice(0, cutPoint(value, MAX_CELL * 16)) : value;
  return safeText(head).replace(/\t/g, '\\t');
}

/** A fixed-width text table of the first `maxRows` rows. */
export function renderTextTable(table: Table, maxRows: number): string {
  const shown = Math.min(maxRows, table.rowCount);
  const header = table.schema.map((c) => fitToWidth(cellText(c.name), MAX_CELL));
  const rows: FittedText[][] = [];
  for (let i = 0; i < shown; i++) rows.push(table.columns.map((c) => fitToWidth(cellText(formatValue(c.get(i))), MAX_CELL)));
  // Loops, not spread arguments: a spread of 300,000 rows overflows the call stack.
  const widths = header.map((h) => h.width);
  for (const r of rows) for (let j = 0; j < r.length; j++) widths[j] = Math.max(widths[j], r[j].width);
  const line = (cells: FittedText[]) => cells.map((c, j) => padFitted(c, widths[j])).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const r of rows) out.push(line(r));
  out.push(shown < table.rowCount ? `(showing ${shown} of ${table.rowCount} rows)` : `(${table.rowCount} row${table.rowCount === 1 ? '' : 's'})`);
  return out.join('\n');
}

/** Progress on stderr, only when it is an interactive terminal (never in pipes or CI logs). */
export class Progress {
  private active = false;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}
  get enabled(): boolean {
    return Boolean(this.stream.isTTY);
  }
  show(message: string): void {
    if (!this.enabled) return;
    const width = Math.max(20, (this.stream.columns ?? 80) - 1);
    this.stream.write('\r\u001b[2K' + fitToWidth(safeText(message), width).text);
    this.active = true;
  }
  clear(): void {
    if (this.active) this.stream.write('\r\u001b[2K');
    this.active = false;
  }
}

/**
 * JSON for stdout. JSON.stringify leaves DEL, C1 controls (U+0080–U+009F, which include a one-byte
 * CSI) and line/paragraph separators raw; they are escaped so log text cannot drive a terminal.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
