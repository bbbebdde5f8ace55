/**
 * Result table: virtualised (only visible rows are in the DOM, so 100k rows scroll smoothly),
 * sortable by column, typed formatting, copy as CSV or Markdown, and an explicit row count.
 * Every value reaches the DOM through `textContent`: log data is never parsed as HTML.
 */
import { csvLine } from '../core/output/csv';
import { escapeMarkdownCell } from '../core/output/markdown';
import type { WireCell, WireTable } from '../core/output/wire';
import { el } from './dom';

const ROW_HEIGHT = 22;
const VISIBLE_ROWS = 18;
const OVERSCAN = 8;

type SortState = { column: number; descending: boolean } | undefined;

/** `moreHint` says where the rest of a cut table is. */
export function renderTable(data: WireTable, host: HTMLElement, moreHint = 'raise casebook.results.maxRows to see more'): void {
  const root = el('div', { class: 'cb-table' });
  const toolbar = el('div', { class: 'cb-toolbar' });
  const count = el('span', { class: 'cb-count' }, rowCountText(data, moreHint));
  const status = el('span', { class: 'cb-status', role: 'status' });
  const copyCsv = el('button', { type: 'button', title: 'Copy the shown rows as CSV' }, 'Copy CSV');
  const copyMd = el('button', { type: 'button', title: 'Copy the shown rows as a Markdown table' }, 'Copy Markdown');
  toolbar.append(count, copyCsv, copyMd, status);

  const scroller = el('div', { class: 'cb-scroller', tabindex: '0' });
  const table = el('table');
  const colgroup = el('colgroup');
  const thead = el('thead');
  const headRow = el('tr');
  const tbody = el('tbody');
  table.append(colgroup, thead, tbody);
  thead.append(headRow);
  scroller.append(table);
  root.append(toolbar, scroller);
  host.replaceChildren(root);

  if (data.columns.length === 0) {
    scroller.remove();
    return;
  }

  let order = data.rows.map((_, i) => i);
  let sort: SortState;
  const fractions = data.columns.map((_, i) => fractionDigitsOf(data, i));
  const widths = columnWidths(data, fractions);
  data.columns.forEach((c, i) => {
    colgroup.append(el('col', { style: `width:${widths[i]}ch` }));
    const th = el('th', { scope: 'col', title: `${c.name} (${c.type}) — click to sort`, 'aria-sort': 'none' });
    th.append(el('span', { class: 'cb-colname' }, c.name), el('span', { class: 'cb-coltype' }, typeLabel(c.type)));
    th.addEventListener('click', () => {
      sort = sort?.column === i ? { column: i, descending: !sort.descending } : { column: i, descending: false };
      order = sortedOrder(data, sort);
      headRow.querySelectorAll('th').forEach((h, j) => h.setAttribute('aria-sort', j === i ? (sort!.descending ? 'descending' : 'ascending') : 'none'));
      draw();
    });
    headRow.append(th);
  });
  const viewportRows = Math.min(VISIBLE_ROWS, Math.max(1, data.rows.length));
  scroller.style.maxHeight = `${(viewportRows + 1) * ROW_HEIGHT + 4}px`;

  let lastStart = -1;
  let lastEnd = -1;
  const draw = (force = true) => {
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(order.length, first + VISIBLE_ROWS + 2 * OVERSCAN);
    if (!force && first === lastStart && last === lastEnd) return;
    lastStart = first;
    lastEnd = last;
    const rows: HTMLElement[] = [spacer(first * ROW_HEIGHT, data.columns.length)];
    for (let r = first; r < last; r++) rows.push(renderRow(data, order[r], fractions));
    rows.push(spacer((order.length - last) * ROW_HEIGHT, data.columns.length));
    tbody.replaceChildren(...rows);
  };
  scroller.addEventListener('scroll', () => requestAnimationFrame(() => draw(false)), { passive: true });
  draw();

  const copy = async (text: string, what: string) => {
    status.textContent = (await writeClipboard(text)) ? `Copied ${order.length} rows as ${what}.` : 'Copy failed: the clipboard is not available here.';
  };
  copyCsv.addEventListener('click', () => void copy(toCsv(data, order), 'CSV'));
  copyMd.addEventListener('click', () => void copy(toMarkdown(data, order), 'Markdown'));
}

export function rowCountText(data: WireTable, moreHint = 'raise casebook.results.maxRows to see more'): string {
  if (data.cutForSize) moreHint = 'more would be too large for a notebook output; project fewer or shorter columns, or use casebook query';
  const n = data.totalRows;
  const rows = `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
  return data.rows.length < n ? `Showing ${data.rows.length.toLocaleString('en-US')} of ${rows} (${moreHint})` : rows;
}

function renderRow(data: WireTable, index: number, fractions: readonly number[]): HTMLElement {
  const tr = el('tr');
  const row = data.rows[index];
  data.columns.forEach((c, i) => {
    const v = row[i];
    const td = el('td', { class: v === null ? 'cb-null' : `cb-${c.type}` }, displayText(v, c.type, fractions[i]));
    tr.append(td);
  });
  return tr;
}

function spacer(height: number, columns: number): HTMLElement {
  const tr = el('tr', { class: 'cb-spacer', 'aria-hidden': 'true', style: `height:${height}px` });
  tr.append(el('td', { colspan: String(columns) }));
  return tr;
}

function displayText(v: WireCell, type: string, fractionDigits = 0): string {
  if (v === null) return 'null';
  if (type === 'datetime' && typeof v === 'string') {
    // Pad fractions to the column's longest so times line up: 07:55:02.930 next to 07:54:49.903.
    const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(v);
    if (!m) return v;
    const fraction = fractionDigits ? '.' + (m[2] ?? '').padEnd(fractionDigits, '0') : '';
    return `${m[1].replace('T', ' ')}${fraction} UTC`;
  }
  return String(v);
}

/** Digits after the second in the longest datetime fraction of a column (0 when none). */
function fractionDigitsOf(data: WireTable, column: number): number {
  if (data.columns[column].type !== 'datetime') return 0;
  let digits = 0;
  for (const row of data.rows) {
    const v = row[column];
    if (typeof v === 'string') digits = Math.max(digits, /\.(\d+)Z$/.exec(v)?.[1].length ?? 0);
  }
  return digits;
}

function typeLabel(type: string): string {
  return type === 'datetime' ? 'datetime (UTC)' : type;
}

function columnWidths(data: WireTable, fractions: readonly number[]): number[] {
  const sample = data.rows.slice(0, 200);
  return data.columns.map((c, i) => {
    const longest = sample.reduce((m, r) => Math.max(m, displayText(r[i], c.type, fractions[i]).length), Math.max(c.name.length, typeLabel(c.type).length) + 1);
    return Math.min(60, Math.max(6, longest + 2));
  });
}

function sortedOrder(data: WireTable, sort: NonNullable<SortState>): number[] {
  const type = data.columns[sort.column].type;
  const cmp = comparator(type);
  const order = data.rows.map((_, i) => i);
  order.sort((a, b) => {
    const x = data.rows[a][sort.column];
    const y = data.rows[b][sort.column];
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1; // nulls last either way
    const c = cmp(x, y);
    return (sort.descending ? -c : c) || a - b;
  });
  return order;
}

function comparator(type: string): (a: NonNullable<WireCell>, b: NonNullable<WireCell>) => number {
  if (type === 'long') {
    return (a, b) => {
      try {
        const x = BigInt(a as string);
        const y = BigInt(b as string);
        return x < y ? -1 : x > y ? 1 : 0;
      } catch {
        return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
      }
    };
  }
  if (type === 'real') return (a, b) => Number(a) - Number(b);
  if (type === 'bool') return (a, b) => Number(a) - Number(b);
  return (a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
}

function toCsv(data: WireTable, order: readonly number[]): string {
  const lines = [csvLine(data.columns.map((c) => c.name))];
  const types = data.columns.map((c) => c.type);
  for (const i of order) lines.push(csvLine(data.rows[i].map((v) => (v === null ? '' : String(v))), types));
  return lines.join('\r\n') + '\r\n';
}

function toMarkdown(data: WireTable, order: readonly number[]): string {
  const lines = ['| ' + data.columns.map((c) => escapeMarkdownCell(c.name)).join(' | ') + ' |', '| ' + data.columns.map(() => '---').join(' | ') + ' |'];
  for (const i of order) lines.push('| ' + data.rows[i].map((v) => escapeMarkdownCell(v === null ? '' : String(v))).join(' | ') + ' |');
  return lines.join('\n') + '\n';
}

async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = el('textarea', { style: 'position:fixed;opacity:0' });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}
