/**
 * Cell ids a person can see and trust: pasted or duplicated cells get fresh ids (with a notice),
 * ids are renamed together with every reference, and graph problems (duplicate ids, references to
 * missing ids, cycles) are diagnostics on the cells before anything runs.
 */
import * as vscode from 'vscode';
import { applyEdits, CELL_ID, freshId, idReferences } from '../core/notebook/cellIds';
import { kindForLanguage } from '../core/notebook/cellKinds';
import { checkFrontMatter, parseFrontMatter, type FrontMatterProblem } from '../core/notebook/frontMatter';
import { buildGraph } from '../core/notebook/graph';
import { cellKey, frontMatterText, isRunnable, NOTEBOOK_TYPE, toSessionCell } from './controller';
import { cellMeta } from './serializer';

const DIAGNOSTIC_DEBOUNCE_MS = 300;

export function registerCellIdFeatures(runWithDependents: (cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument) => Promise<void>): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection('casebook');
  const timers = new Map<string, NodeJS.Timeout>();
  const refresh = (notebook: vscode.NotebookDocument) => {
    const key = notebook.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => updateDiagnostics(notebook, diagnostics), DIAGNOSTIC_DEBOUNCE_MS));
  };
  vscode.workspace.notebookDocuments.filter((nb) => nb.notebookType === NOTEBOOK_TYPE).forEach(refresh);
  return vscode.Disposable.from(
    diagnostics,
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    vscode.workspace.onDidOpenNotebookDocument((nb) => nb.notebookType === NOTEBOOK_TYPE && refresh(nb)),
    vscode.workspace.onDidCloseNotebookDocument((nb) => nb.getCells().forEach((c) => diagnostics.delete(c.document.uri))),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      if (e.notebook.notebookType !== NOTEBOOK_TYPE) return;
      const added = e.contentChanges.flatMap((c) => [...c.addedCells]);
      if (added.length) void giveCopiesFreshIds(e.notebook, added);
      e.contentChanges.forEach((c) => c.removedCells.forEach((cell) => diagnostics.delete(cell.document.uri)));
      refresh(e.notebook);
    }),
    vscode.commands.registerCommand('casebook.renameCellId', (arg?: unknown) => renameCellId(cellFromArgument(arg))),
    vscode.commands.registerCommand('casebook.runCellAndDependents', async (arg?: unknown) => {
      const cell = cellFromArgument(arg);
      if (cell) await runWithDependents([cell], cell.notebook);
    }),
  );
}

/** The cell a command was invoked on: from a cell toolbar or status bar item, or the focused cell. */
function cellFromArgument(arg: unknown): vscode.NotebookCell | undefined {
  if (arg && typeof arg === 'object' && 'document' in arg && 'notebook' in arg) return arg as vscode.NotebookCell;
  if (arg && typeof arg === 'object' && 'cell' in arg) return cellFromArgument((arg as { cell: unknown }).cell);
  const editor = vscode.window.activeNotebookEditor;
  if (!editor) return undefined;
  if (arg && typeof arg === 'object' && 'index' in arg && typeof (arg as { index: unknown }).index === 'number') return editor.notebook.cellAt((arg as { index: number }).index);
  const selection = editor.selections[0];
  return selection && !selection.isEmpty ? editor.notebook.cellAt(selection.start) : undefined;
}

/** A pasted or duplicated cell keeps its text but gets an id nobody else has. */
async function giveCopiesFreshIds(notebook: vscode.NotebookDocument, added: readonly vscode.NotebookCell[]): Promise<void> {
  const addedSet = new Set(added);
  const taken = new Set(notebook.getCells().filter((c) => !addedSet.has(c)).flatMap((c) => (cellMeta(c).id ? [cellMeta(c).id!] : [])));
  const edit = new vscode.WorkspaceEdit();
  const renamed: string[] = [];
  for (const cell of added) {
    const id = cellMeta(cell).id;
    if (!id) continue;
    if (!taken.has(id)) {
      taken.add(id);
      continue;
    }
    const next = freshId(id, taken);
    taken.add(next);
    edit.set(notebook.uri, [vscode.NotebookEdit.updateCellMetadata(cell.index, { ...cell.metadata, casebook: { ...cellMeta(cell), id: next, records: [] } })]);
    renamed.push(`#${id} → #${next}`);
  }
  if (!renamed.length) return;
  await vscode.workspace.applyEdit(edit);
  void vscode.window.showInformationMessage(`Casebook gave the copied cell${renamed.length === 1 ? '' : 's'} a fresh id (${renamed.join(', ')}); references still point to the original.`);
}

async function renameCellId(cell: vscode.NotebookCell | undefined): Promise<void> {
  if (!cell || !isRunnable(cell)) {
    void vscode.window.showInformationMessage('Select a query, claim or timeline cell to rename its id.');
    return;
  }
  const notebook = cell.notebook;
  const oldId = cellMeta(cell).id;
  const taken = new Set(notebook.getCells().filter((c) => c !== cell).flatMap((c) => (cellMeta(c).id ? [cellMeta(c).id!] : [])));
  const newId = await vscode.window.showInputBox({
    title: oldId ? `Rename cell #${oldId}` : 'Give this cell an id',
    prompt: 'Later cells use the id as a table name; every reference is updated.',
    value: oldId ?? '',
    validateInput: (v) => (!CELL_ID.test(v) ? 'An id starts with a letter and has letters, digits, _, - or . only.' : taken.has(v) ? `#${v} is already the id of another cell.` : undefined),
  });
  if (!newId || newId === oldId) return;
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [vscode.NotebookEdit.updateCellMetadata(cell.index, { ...cell.metadata, casebook: { ...cellMeta(cell), id: newId } })]);
  const unsure: string[] = [];
  if (oldId) {
    for (const other of notebook.getCells()) {
      if (other === cell || !isRunnable(other)) continue;
      const text = other.document.getText();
      const refs = idReferences(kindForLanguage(other.document.languageId), text, oldId, newId);
      if (refs.unsure) unsure.push(cellMeta(other).id ? `#${cellMeta(other).id}` : `cell ${other.index + 1}`);
      if (!refs.edits.length) continue;
      const whole = new vscode.Range(other.document.positionAt(0), other.document.positionAt(text.length));
      edit.replace(other.document.uri, whole, applyEdits(text, refs.edits));
    }
  }
  await vscode.workspace.applyEdit(edit);
  if (unsure.length) void vscode.window.showWarningMessage(`Renamed #${oldId} to #${newId}. Check ${unsure.join(', ')}: it mentions #${oldId} in a form Casebook could not update safely.`);
}

/** Front matter problems as they are typed: errors stop every run, near-miss keys only warn. */
function frontMatterDiagnostics(notebook: vscode.NotebookDocument, diagnostics: vscode.DiagnosticCollection): void {
  const cell = notebook.getCells().find((c) => cellMeta(c).role === 'front-matter');
  if (!cell) return;
  const text = cell.document.getText();
  const at = (line: number | undefined) => (line !== undefined && line >= 1 && line <= cell.document.lineCount ? cell.document.lineAt(line - 1).range : cell.document.lineAt(0).range);
  const make = (p: FrontMatterProblem, severity: vscode.DiagnosticSeverity) => {
    const d = new vscode.Diagnostic(at(p.line), p.message.replace(/^front matter: /, ''), severity);
    d.source = 'casebook';
    return d;
  };
  const { errors, warnings } = checkFrontMatter(text);
  diagnostics.set(cell.document.uri, [...errors.map((p) => make(p, vscode.DiagnosticSeverity.Error)), ...warnings.map((p) => make(p, vscode.DiagnosticSeverity.Warning))]);
}

function updateDiagnostics(notebook: vscode.NotebookDocument, diagnostics: vscode.DiagnosticCollection): void {
  if (notebook.isClosed) return;
  frontMatterDiagnostics(notebook, diagnostics);
  const fm = parseFrontMatter(frontMatterText(notebook));
  const known = fm.ok ? { sources: Object.keys(fm.value.sources), params: Object.keys(fm.value.params) } : { sources: [], params: [] };
  const cells = notebook.getCells().filter(isRunnable);
  const graph = buildGraph(cells.map(toSessionCell), known);
  for (const cell of cells) {
    const node = graph.nodes.get(cellKey(cell));
    const problems = node?.problems ?? [];
    diagnostics.set(
      cell.document.uri,
      problems.map((p) => {
        const name = /`([^`]+)`/.exec(p.message)?.[1];
        const text = cell.document.getText();
        const at = name ? text.indexOf(name) : -1;
        const range = at >= 0 ? new vscode.Range(cell.document.positionAt(at), cell.document.positionAt(at + name!.length)) : cell.document.lineAt(0).range;
        const d = new vscode.Diagnostic(range, p.message, vscode.DiagnosticSeverity.Error);
        d.source = 'casebook';
        d.code = p.kind;
        return d;
      }),
    );
  }
}
