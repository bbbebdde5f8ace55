/**
 * Markdown tables from query results. Cell text is log data an attacker may have written: it is
 * escaped so it cannot break the table, open an HTML tag, load a remote image, fake a fence, or
 * become a link (GFM turns bare `https://...` and `www.` text into links; an escaped `:` or `.`
 * keeps it text).
 */
import type { Table } from '../query/table';
import { showInvisible } from './invisible';
import { displayValue } from './values';

/**
 * Escapes text for a Markdown table cell (inline context, one line). Invisible characters are
 * shown as escapes, as everywhere log text is shown (see `showInvisible`): a bidi override in a
 * record on a code host would reorder what the reviewer reads.
 */
export function escapeMarkdownCell(text: string): string {
  return showInvisible(text)
    // Line breaks, including the ones some Markdown renderers (those built on JavaScript regular
    // expressions) also end a line at: U+2028, U+2029 and NEL.
    .replace(/\r\n?|[\n\u0085\u2028\u2029]/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|<>&~]/g, (c) => '\\' + c)
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(www)\./gi, '$1\\.');
}

export function tableToMarkdown(table: Table, maxRows: number): string {
  const shown = Math.min(maxRows, table.rowCount);
  const header = '| ' + table.schema.map((c) => escapeMarkdownCell(c.name)).join(' | ') + ' |';
  const rule = '| ' + table.schema.map(() => '---').join(' | ') + ' |';
  const rows: string[] = [];
  for (let i = 0; i < shown; i++) {
    rows.push('| ' + table.columns.map((c) => escapeMarkdownCell(displayValue(c.get(i)))).join(' | ') + ' |');
  }
  const lines = table.schema.length ? [header, rule, ...rows] : [];
  lines.push('', shown < table.rowCount ? `_Showing ${shown} of ${table.rowCount} rows._` : `_${table.rowCount} row${table.rowCount === 1 ? '' : 's'}._`);
  return lines.join('\n');
}
