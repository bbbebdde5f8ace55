/**
 * Parses a `*.casebook.md` file. Line based and total: every line of the input ends up in exactly
 * one place of the model, or the parse fails with a positioned problem (and the editor opens the
 * file in a fallback that cannot lose text).
 */
import { KNOWN_CELL_KINDS, type Cell, type CellRecord, type CodeCell, type FormatProblem, type ParseOutcome } from './model';

export const BREAK_MARKER = '<!-- casebook:break -->';
const WRAP_OPEN = /^<!-- casebook:markdown(?::(\d+))? -->$/;
const RECORD_OPEN = /^<!-- casebook:([a-z][a-z0-9-]*)(?:[ \t]|-->|$)/;
const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const CLOSING_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
// Matched against trimmed text: a lazy `.*?` before `[ \t]*$` took time quadratic in the spaces of a long line.
const CELL_INFO = /^([A-Za-z][\w-]*)(?:[ \t]+#([A-Za-z0-9][\w.-]*))?(?:[ \t]+(\S.*))?$/;
const CONFLICT_MARKER = /^(?:<{7}|>{7}|\|{7})(?: |$)/;
const RESERVED_TAGS = new Set(['markdown', 'break']);
/**
 * Records Casebook writes whole (a claim's verdict): every line of one is its own, so a fence or
 * a marker line inside means its closing line is missing, and one outside any cell means its cell
 * was changed. Records of other tags (a reviewer's) are kept verbatim to their closing line.
 */
const WRITTEN_TAGS = new Set(['verdict']);

export function wrapCloseMarker(suffix: string): string {
  return `<!-- /casebook:markdown${suffix} -->`;
}
export function recordCloseMarker(tag: string): string {
  return `<!-- /casebook:${tag} -->`;
}

/** Splits into lines with LF semantics; CRLF and a leading BOM are normalised away. */
export function toLines(text: string): string[] {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = normalized.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface CodeFenceInfo {
  kind: string;
  id?: string;
  attrs?: string;
}

/** The info string of a runnable cell fence, or undefined when the fence is ordinary Markdown. */
export function parseCellInfo(info: string): CodeFenceInfo | undefined {
  const m = CELL_INFO.exec(info.trim());
  if (!m) return undefined;
  const [, kind, id, attrs] = m;
  if (!id && !KNOWN_CELL_KINDS.includes(kind)) return undefined;
  return { kind, ...(id ? { id } : {}), ...(attrs ? { attrs } : {}) };
}

export function parseNotebook(text: string): ParseOutcome {
  const lines = toLines(text);
  const conflict = lines.findIndex((l) => CONFLICT_MARKER.test(l));
  if (conflict >= 0) {
    return fail(`merge-conflict marker at line ${conflict + 1}; resolve the conflict, then reopen the notebook`, conflict + 1);
  }
  let start = 0;
  let frontMatter: string | undefined;
  if (lines[0] === '---') {
    const end = lines.findIndex((l, i) => i > 0 && (l === '---' || l === '...'));
    if (end < 0) return fail('the front matter that starts at line 1 is never closed (expected a line with `---`)', 1);
    frontMatter = lines.slice(1, end).join('\n');
    start = end + 1;
  }
  const body = parseBody(lines, start);
  if ('message' in body) return { ok: false, problem: body };
  return { ok: true, notebook: { ...(frontMatter !== undefined ? { frontMatter } : {}), cells: body.cells }, cellLines: body.cellLines };
}

export interface BodyParse {
  cells: Cell[];
  /** True when the input ended inside an ordinary Markdown fence (it would swallow what follows). */
  endedInOpenFence: boolean;
  /** The 1-based line each cell begins on (a code cell's opening fence), by cell index. */
  cellLines: number[];
}

/** Parses the part after the front matter. `lineOffset` makes reported lines file-relative. */
export function parseBody(lines: readonly string[], from = 0): BodyParse | FormatProblem {
  const cells: Cell[] = [];
  const cellLines: number[] = [];
  let markdown: string[] = [];
  let markdownFrom = 0;
  let endedInOpenFence = false;
  const flushMarkdown = () => {
    const text = trimBlankLines(markdown);
    if (text !== undefined) {
      cells.push({ type: 'markdown', text });
      cellLines.push(markdownFrom + markdown.findIndex((l) => l.trim() !== '') + 1);
    }
    markdown = [];
  };

  let i = from;
  while (i < lines.length) {
    const line = lines[i];
    if (line === BREAK_MARKER) {
      flushMarkdown();
      i++;
      continue;
    }
    const wrap = WRAP_OPEN.exec(line);
    if (wrap) {
      flushMarkdown();
      const close = wrapCloseMarker(wrap[1] !== undefined ? ':' + wrap[1] : '');
      const end = indexOfLine(lines, close, i + 1);
      if (end < 0) return { message: `the Markdown block opened at line ${i + 1} is never closed (expected \`${close}\`)`, line: i + 1 };
      cells.push({ type: 'markdown', text: lines.slice(i + 1, end).join('\n') });
      cellLines.push(i + 1);
      i = end + 1;
      continue;
    }
    const fence = openingFence(line);
    if (fence) {
      const [, indent, marker, info] = fence;
      const cellInfo = indent === '' && marker[0] === '`' ? parseCellInfo(info) : undefined;
      const end = findClosingFence(lines, i + 1, marker);
      if (cellInfo) {
        if (end < 0) return { message: `the ${cellInfo.kind} cell opened at line ${i + 1} is never closed (expected a line with ${marker})`, line: i + 1 };
        flushMarkdown();
        const records = readRecords(lines, end + 1);
        if ('message' in records) return records;
        const cell: CodeCell = { type: 'code', ...cellInfo, source: lines.slice(i + 1, end).join('\n'), records: records.records };
        cells.push(cell);
        cellLines.push(i + 1);
        i = records.next;
        continue;
      }
      // An ordinary fenced block inside Markdown: copy it whole, so fences inside it stay text.
      if (end < 0) {
        // Never closed, it runs to the end of the file (as on a code host): were cells or records
        // below it, they would silently become Markdown and `check` would find no claim to check.
        const hidden = lines.findIndex((l, j) => j > i && (isRecordLine(l) || isCellFence(l)));
        if (hidden >= 0) return { message: `the fenced block opened at line ${i + 1} is never closed, so the cells below it would be read as its text (expected a line with ${marker} before line ${hidden + 1})`, line: i + 1 };
        endedInOpenFence = true;
      }
      const stop = end < 0 ? lines.length - 1 : end;
      if (markdown.length === 0) markdownFrom = i;
      for (let j = i; j <= stop; j++) markdown.push(lines[j]);
      i = stop + 1;
      continue;
    }
    // Records follow their cell; one here follows none (its cell's fence was changed into ordinary
    // Markdown, `~~~claim` or `Claim`), and its claim would silently go unchecked.
    if (isRecordLine(line)) return { message: `the ${RECORD_OPEN.exec(line)![1]} record at line ${i + 1} follows no cell: was the cell above it changed? (a cell's fence is three backticks and its kind in lower case, as in \`\`\`claim)`, line: i + 1 };
    if (markdown.length === 0) markdownFrom = i;
    markdown.push(line);
    i++;
  }
  flushMarkdown();
  return { cells, endedInOpenFence, cellLines };
}

function readRecords(lines: readonly string[], from: number): { records: CellRecord[]; next: number } | FormatProblem {
  const records: CellRecord[] = [];
  let next = from;
  for (;;) {
    let j = next;
    while (j < lines.length && lines[j].trim() === '') j++;
    const open = j < lines.length ? RECORD_OPEN.exec(lines[j]) : null;
    if (!open || RESERVED_TAGS.has(open[1])) return { records, next };
    const close = recordCloseMarker(open[1]);
    // Its closing line is missing where a record Casebook writes meets a fence or a marker (it holds
    // neither: its values are escaped), or any record meets the opening of another record of its
    // kind or a verdict's: reading on would take the cells below into this record.
    const written = WRITTEN_TAGS.has(open[1]);
    const opensAnother = (line: string) => {
      const next = RECORD_OPEN.exec(line);
      return next !== null && (next[1] === open[1] || WRITTEN_TAGS.has(next[1]));
    };
    let end = j + 1;
    while (end < lines.length && lines[end] !== close && !opensAnother(lines[end]) && !(written && (RECORD_OPEN.test(lines[end]) || lines[end] === BREAK_MARKER || FENCE.test(lines[end])))) end++;
    if (end >= lines.length || lines[end] !== close) {
      return { message: `the ${open[1]} record opened at line ${j + 1} is never closed (expected \`${close}\`${end < lines.length ? ` before line ${end + 1}` : ''})`, line: j + 1 };
    }
    records.push({ tag: open[1], text: lines.slice(j, end + 1).join('\n') });
    next = end + 1;
  }
}

function findClosingFence(lines: readonly string[], from: number, open: string): number {
  for (let j = from; j < lines.length; j++) {
    const m = CLOSING_FENCE.exec(lines[j]);
    if (m && m[1][0] === open[0] && m[1].length >= open.length) return j;
  }
  return -1;
}

function indexOfLine(lines: readonly string[], wanted: string, from: number): number {
  for (let j = from; j < lines.length; j++) if (lines[j] === wanted) return j;
  return -1;
}

/** Joins lines without leading and trailing blank lines; undefined when nothing is left. */
function trimBlankLines(lines: readonly string[]): string | undefined {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return a < b ? lines.slice(a, b).join('\n') : undefined;
}

/**
 * A fence that opens a block, as CommonMark reads it: a backtick fence's info string holds no
 * backtick, so "```x``` is inline code" is a line of text. A cell's fence is one all the same
 * (attributes with a backtick, as earlier versions wrote them, would otherwise lose the cell).
 */
function openingFence(line: string): RegExpExecArray | null {
  const m = FENCE.exec(line);
  return m && m[2][0] === '`' && m[3].includes('`') && !(m[1] === '' && parseCellInfo(m[3]) !== undefined) ? null : m;
}

/** The opening line of a record Casebook writes (see WRITTEN_TAGS). */
function isRecordLine(line: string): boolean {
  const open = RECORD_OPEN.exec(line);
  return open !== null && WRITTEN_TAGS.has(open[1]);
}

/** A fence that opens a runnable cell. */
function isCellFence(line: string): boolean {
  const m = openingFence(line);
  return m !== null && m[1] === '' && m[2][0] === '`' && parseCellInfo(m[3]) !== undefined;
}

function fail(message: string, line: number): ParseOutcome {
  return { ok: false, problem: { message, line } };
}

export function isRecordOpenLine(line: string): boolean {
  return RECORD_OPEN.test(line);
}

export function isConflictMarkerLine(line: string): boolean {
  return CONFLICT_MARKER.test(line);
}

