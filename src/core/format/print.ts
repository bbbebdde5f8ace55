/**
 * Prints a notebook in canonical form: LF line ends, one blank line between blocks, a trailing
 * newline, nothing volatile. `printNotebook` verifies its own output by parsing it back, so a
 * notebook that cannot be represented is refused with a reason instead of being saved lossily.
 */
import { type Cell, type CodeCell, type MarkdownCell, type NotebookFile } from './model';
import { BREAK_MARKER, isConflictMarkerLine, isRecordOpenLine, parseBody, parseCellInfo, parseNotebook, toLines, wrapCloseMarker } from './parse';

export class UnrepresentableNotebookError extends Error {
  constructor(
    message: string,
    readonly cellIndex?: number,
  ) {
    super(message);
    this.name = 'UnrepresentableNotebookError';
  }
}

const LF = (s: string) => s.replace(/\r\n?/g, '\n');

export function printNotebook(notebook: NotebookFile): string {
  const normalized = normalizeNotebook(notebook);
  checkRepresentable(normalized);
  const blocks: string[] = [];
  if (normalized.frontMatter !== undefined) {
    blocks.push(normalized.frontMatter === '' ? '---\n---' : `---\n${normalized.frontMatter}\n---`);
  }
  let previous: Cell | undefined;
  for (const cell of normalized.cells) {
    if (cell.type === 'markdown') {
      if (previous?.type === 'markdown') blocks.push(BREAK_MARKER);
      blocks.push(printMarkdown(cell, blocks.length === 0));
    } else {
      blocks.push(printCode(cell), ...cell.records.map((r) => r.text));
    }
    previous = cell;
  }
  const text = blocks.length ? blocks.join('\n\n') + '\n' : '';
  verifyRoundTrip(normalized, text);
  return text;
}

/** LF everywhere; the canonical form two equal notebooks share. */
export function normalizeNotebook(notebook: NotebookFile): NotebookFile {
  return {
    ...(notebook.frontMatter !== undefined ? { frontMatter: LF(notebook.frontMatter) } : {}),
    cells: notebook.cells.map((c): Cell =>
      c.type === 'markdown'
        ? { type: 'markdown', text: LF(c.text) }
        : {
            type: 'code',
            kind: c.kind,
            ...(c.id !== undefined ? { id: c.id } : {}),
            ...(c.attrs !== undefined ? { attrs: c.attrs } : {}),
            source: LF(c.source),
            records: c.records.map((r) => ({ tag: r.tag, text: LF(r.text) })),
          },
    ),
  };
}

function printMarkdown(cell: MarkdownCell, isFirstBlock: boolean): string {
  if (!needsWrap(cell.text, isFirstBlock)) return cell.text;
  let n = 0;
  const lines = cell.text.split('\n');
  const suffix = () => (n === 0 ? '' : ':' + n);
  while (lines.includes(wrapCloseMarker(suffix()))) n++;
  const open = `<!-- casebook:markdown${suffix()} -->`;
  return cell.text === '' ? `${open}\n${wrapCloseMarker(suffix())}` : `${open}\n${cell.text}\n${wrapCloseMarker(suffix())}`;
}

/** A Markdown cell needs explicit markers when, printed bare, it would not read back as itself. */
function needsWrap(text: string, isFirstBlock: boolean): boolean {
  if (text === '') return true;
  const lines = text.split('\n');
  if (isFirstBlock && lines[0] === '---') return true;
  // After a code cell, a leading record marker would attach this text to that cell.
  if (isRecordOpenLine(lines[0])) return true;
  const parsed = parseBody(lines);
  if ('message' in parsed || parsed.endedInOpenFence) return true;
  if (parsed.cells.length !== 1) return true;
  const only = parsed.cells[0];
  return only.type !== 'markdown' || only.text !== text;
}

function printCode(cell: CodeCell): string {
  const longestRun = Math.max(0, ...cell.source.split('\n').map((l) => /^ {0,3}(`+)/.exec(l)?.[1].length ?? 0));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const info = [cell.kind, cell.id !== undefined ? '#' + cell.id : undefined, cell.attrs].filter((s) => s !== undefined && s !== '').join(' ');
  return cell.source === '' ? `${fence}${info}\n${fence}` : `${fence}${info}\n${cell.source}\n${fence}`;
}

function checkRepresentable(notebook: NotebookFile): void {
  if (notebook.frontMatter !== undefined && notebook.frontMatter.split('\n').some((l) => l === '---' || l === '...')) {
    throw new UnrepresentableNotebookError('the front matter contains a line `---` or `...`, which would end it early; remove that line');
  }
  notebook.cells.forEach((cell, index) => {
    const texts = cell.type === 'markdown' ? [cell.text] : [cell.source, ...cell.records.map((r) => r.text)];
    if (texts.some((t) => t.split('\n').some(isConflictMarkerLine))) {
      throw new UnrepresentableNotebookError(`cell ${index + 1} contains a merge-conflict marker line (<<<<<<<, |||||||, >>>>>>>); remove it to save`, index);
    }
    if (cell.type === 'code') {
      const info = parseCellInfo([cell.kind, cell.id !== undefined ? '#' + cell.id : '', cell.attrs ?? ''].join(' '));
      if (!info || info.kind !== cell.kind || info.id !== cell.id) {
        throw new UnrepresentableNotebookError(`cell ${index + 1} has a kind or id that cannot be written as a fence info string: ${JSON.stringify(cell.kind)} ${JSON.stringify(cell.id ?? '')}`, index);
      }
    }
  });
}

function verifyRoundTrip(expected: NotebookFile, text: string): void {
  const back = parseNotebook(text);
  if (!back.ok) throw new UnrepresentableNotebookError(`the notebook would not read back: ${back.problem.message}`);
  const a = expected.cells;
  const b = back.notebook.cells;
  if (back.notebook.frontMatter !== expected.frontMatter) throw new UnrepresentableNotebookError('the front matter would not read back unchanged');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (!sameCell(a[i], b[i])) throw new UnrepresentableNotebookError(`cell ${i + 1} would not read back unchanged; check its records and fences`, i);
  }
}

function sameCell(a: Cell | undefined, b: Cell | undefined): boolean {
  if (!a || !b || a.type !== b.type) return false;
  if (a.type === 'markdown') return a.text === (b as MarkdownCell).text;
  const c = b as CodeCell;
  return (
    a.kind === c.kind &&
    a.id === c.id &&
    (a.attrs ?? '') === (c.attrs ?? '') &&
    a.source === c.source &&
    a.records.length === c.records.length &&
    a.records.every((r, i) => r.tag === c.records[i].tag && r.text === c.records[i].text)
  );
}

export { toLines };
