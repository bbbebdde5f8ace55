/**
 * Reads and writes `*.casebook.md`. A file that cannot be parsed opens in a recovery view holding
 * its exact text, and saving that view writes the text back unchanged: nothing is ever lost.
 */
import * as vscode from 'vscode';
import { KNOWN_CELL_KINDS, parseNotebook, printNotebook, type Cell, type CellRecord, type NotebookFile } from '../core/format';
import { kindForLanguage, languageForKind } from '../core/notebook/cellKinds';

/** What Casebook keeps in cell metadata under the `casebook` key. */
export interface CasebookCellMetadata {
  role?: 'front-matter' | 'problem' | 'raw';
  id?: string;
  attrs?: string;
  records?: CellRecord[];
}

export interface CasebookNotebookMetadata {
  /**
   * Set when the file could not be parsed and is shown in recovery mode. `original` (base64) holds
   * the file's bytes: the editor's text cannot always reproduce them (line endings, and bytes that
   * are not UTF-8, marked `undecodable`).
   */
  recovery?: { message: string; line: number; original?: string; undecodable?: boolean };
}

export function cellMeta(cell: { metadata?: { [key: string]: unknown } }): CasebookCellMetadata {
  return (cell.metadata?.casebook as CasebookCellMetadata | undefined) ?? {};
}

export function notebookMeta(nb: { metadata?: { [key: string]: unknown } }): CasebookNotebookMetadata {
  return (nb.metadata?.casebook as CasebookNotebookMetadata | undefined) ?? {};
}

/** A leading byte order mark is dropped (as by the command-line tool); invalid UTF-8 is an error. */
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lossyDecoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

export class CasebookSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    let text: string;
    try {
      text = strictDecoder.decode(content);
    } catch {
      // Saving decoded text would replace the undecodable bytes: the file opens in recovery mode.
      return undecodableNotebook(content);
    }
    const parsed = parseNotebook(text);
    if (!parsed.ok) return recoveryNotebook(text, { ...parsed.problem, original: Buffer.from(content).toString('base64') });
    return toNotebookData(parsed.notebook);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const recovery = notebookMeta(data).recovery;
    if (recovery) return recoveryBytes(data, recovery);
    return encoder.encode(printNotebook(fromNotebookData(data)));
  }
}

export function toNotebookData(file: NotebookFile): vscode.NotebookData {
  const cells: vscode.NotebookCellData[] = [];
  if (file.frontMatter !== undefined) {
    const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, file.frontMatter, 'yaml');
    cell.metadata = { casebook: { role: 'front-matter' } satisfies CasebookCellMetadata };
    cells.push(cell);
  }
  for (const c of file.cells) {
    if (c.type === 'markdown') {
      cells.push(new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, c.text, 'markdown'));
      continue;
    }
    const cell = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, c.source, languageForKind(c.kind));
    const meta: CasebookCellMetadata = {};
    if (c.id !== undefined) meta.id = c.id;
    if (c.attrs !== undefined) meta.attrs = c.attrs;
    if (c.records.length) meta.records = [...c.records];
    cell.metadata = { casebook: meta };
    cells.push(cell);
  }
  return new vscode.NotebookData(cells);
}

export function fromNotebookData(data: vscode.NotebookData): NotebookFile {
  let frontMatter: string | undefined;
  const cells: Cell[] = [];
  data.cells.forEach((cell, index) => {
    const meta = cellMeta(cell);
    if (meta.role === 'problem') return;
    if (meta.role === 'front-matter' && frontMatter === undefined) {
      frontMatter = cell.value;
      return;
    }
    if (cell.kind === vscode.NotebookCellKind.Markup) {
      cells.push({ type: 'markdown', text: cell.value });
      return;
    }
    const kind = kindForLanguage(cell.languageId);
    // A cell of a kind Casebook does not run still needs an id to be recognised as a cell on reopen.
    const id = meta.id ?? (KNOWN_CELL_KINDS.includes(kind) ? undefined : `cell-${index + 1}`);
    cells.push({
      type: 'code',
      kind,
      ...(id !== undefined ? { id } : {}),
      ...(meta.attrs !== undefined ? { attrs: meta.attrs } : {}),
      source: cell.value,
      records: meta.records ?? [],
    });
  });
  return { ...(frontMatter !== undefined ? { frontMatter } : {}), cells };
}

function undecodableNotebook(content: Uint8Array): vscode.NotebookData {
  const text = lossyDecoder.decode(content);
  const at = text.indexOf('\ufffd');
  const line = at < 0 ? 1 : text.slice(0, at).split('\n').length;
  return recoveryNotebook(
    text,
    { message: 'the file is not valid UTF-8', line, original: Buffer.from(content).toString('base64'), undecodable: true },
    'Bytes that are not UTF-8 are shown as \ufffd in the cell below. Saving writes the file back byte for byte while the cell is unchanged; to edit it, fix its encoding in a text editor (**Reopen Editor With… → Text Editor**) and reopen it. This note is not saved.',
  );
}

function recoveryNotebook(text: string, problem: NonNullable<CasebookNotebookMetadata['recovery']>, advice?: string): vscode.NotebookData {
  const banner = new vscode.NotebookCellData(
    vscode.NotebookCellKind.Markup,
    [
      `**Casebook could not read this notebook:** ${problem.message} (line ${problem.line}).`,
      '',
      advice ??
        'The whole file is shown in the cell below, exactly as it is on disk, so nothing is lost. Fix it there and save, then reopen the file; or use **Reopen Editor With… → Text Editor**. This note is not saved.',
    ].join('\n'),
    'markdown',
  );
  banner.metadata = { casebook: { role: 'problem' } satisfies CasebookCellMetadata };
  const raw = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, text, 'markdown');
  raw.metadata = { casebook: { role: 'raw' } satisfies CasebookCellMetadata };
  const data = new vscode.NotebookData([banner, raw]);
  data.metadata = { casebook: { recovery: problem } satisfies CasebookNotebookMetadata };
  return data;
}

/**
 * In recovery mode the file is the raw cell's text, byte for byte; anything else refuses to save.
 * A file that is not UTF-8 is written back only as it was: its text cannot hold those bytes.
 */
function recoveryBytes(data: vscode.NotebookData, recovery: NonNullable<CasebookNotebookMetadata['recovery']>): Uint8Array {
  const raw = data.cells.filter((c) => cellMeta(c).role === 'raw');
  const others = data.cells.filter((c) => !cellMeta(c).role);
  if (raw.length !== 1 || others.length > 0) {
    throw new Error('Casebook: this notebook is open in recovery mode; keep exactly one text cell holding the file, fix it, save, and reopen. Nothing was written.');
  }
  if (recovery.original === undefined) return encoder.encode(raw[0].value);
  // The editor keeps a cell's text with LF line ends: compare on those, then write the file's own bytes.
  const original = Buffer.from(recovery.original, 'base64');
  const lf = (text: string) => text.replace(/\r\n?/g, '\n');
  if (lf(raw[0].value) === lf(lossyDecoder.decode(original).replace(/^\ufeff/, ''))) return original;
  if (!recovery.undecodable) return encoder.encode(raw[0].value);
  throw new Error('Casebook: this file is not valid UTF-8, and saving the edited text would replace its undecodable bytes. Fix its encoding in a text editor (Reopen Editor With… → Text Editor), then reopen it. Nothing was written.');
}
