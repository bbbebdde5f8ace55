/**
 * Cell status bar items: a claim's verdict at a glance (read from the stored record in the cell's
 * metadata — small and already there, never from outputs), whether a result is stale, and every
 * cell's id (click to rename).
 */
import * as vscode from 'vscode';
import { cellVerdict } from '../core/claims/record';
import { cellMeta } from './serializer';
import { isRunnable, NOTEBOOK_TYPE } from './controller';
import type { StaleTracker } from './staleness';

const ICONS: Record<string, string> = { supported: '$(pass-filled)', contradicted: '$(error)', inconclusive: '$(question)', error: '$(warning)' };
const STALE_TOOLTIP = 'Stale: this cell, a cell it reads or a source file changed since it ran. Run it to update (Casebook runs what it depends on first).';

export function cellStatusItems(cell: vscode.NotebookCell, stale = false): vscode.NotebookCellStatusBarItem[] {
  const meta = cellMeta(cell);
  if (cell.kind !== vscode.NotebookCellKind.Code || meta.role) return [];
  const items: vscode.NotebookCellStatusBarItem[] = [];
  if (cell.document.languageId === 'casebook-claim') {
    const verdict = cellVerdict(meta.records ?? []);
    const text = verdict ? `${stale ? '$(history)' : ICONS[verdict.verdict]} ${verdict.verdict}${stale ? ' (stale)' : ''}` : '$(circle-outline) no verdict yet';
    const item = new vscode.NotebookCellStatusBarItem(text, vscode.NotebookCellStatusBarAlignment.Left);
    item.tooltip = verdict
      ? `${stale ? STALE_TOOLTIP + '\n\nLast consistent verdict' : 'Computed verdict'}: ${verdict.verdict}${verdict.rule ? `\nDecided by ${verdict.rule}` : ''}${verdict.rows !== undefined ? `\n${verdict.rows} evidence rows` : ''}`
      : 'Run this claim to compute its verdict.';
    item.accessibilityInformation = { label: verdict ? `verdict ${verdict.verdict}${stale ? ', stale' : ''}` : 'no verdict yet' };
    items.push(item);
  } else if (stale) {
    const item = new vscode.NotebookCellStatusBarItem('$(history) stale', vscode.NotebookCellStatusBarAlignment.Left);
    item.tooltip = STALE_TOOLTIP;
    items.push(item);
  }
  if (isRunnable(cell)) {
    const id = new vscode.NotebookCellStatusBarItem(meta.id ? `#${meta.id}` : '$(tag) add id', vscode.NotebookCellStatusBarAlignment.Right);
    id.tooltip = meta.id ? `Cell id: later cells use it as a table name. Click to rename it everywhere.` : 'Give this cell an id so other cells can use its result.';
    id.command = { title: 'Rename cell id', command: 'casebook.renameCellId', arguments: [cell] };
    items.push(id);
  }
  return items;
}

export function registerStatusBar(stale: StaleTracker): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.NotebookCellStatusBarItemProvider = {
    onDidChangeCellStatusBarItems: changed.event,
    provideCellStatusBarItems: (cell) => cellStatusItems(cell, stale.isStale(cell)),
  };
  return vscode.Disposable.from(
    changed,
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, provider),
    stale.onDidChange(() => changed.fire()),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      if (e.notebook.notebookType === NOTEBOOK_TYPE && e.cellChanges.some((c) => c.metadata)) changed.fire();
    }),
  );
}
