/**
 * Cell status bar items: a claim's verdict at a glance (read from the stored record in the cell's
 * metadata, which is small and already parsed — never from outputs) and every cell's id.
 */
import * as vscode from 'vscode';
import { parseVerdictRecord } from '../core/claims/record';
import { cellMeta } from './serializer';
import { NOTEBOOK_TYPE } from './controller';

const ICONS: Record<string, string> = { supported: '$(pass-filled)', contradicted: '$(error)', inconclusive: '$(question)', error: '$(warning)' };

export function cellStatusItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
  const meta = cellMeta(cell);
  if (cell.kind !== vscode.NotebookCellKind.Code || meta.role) return [];
  const items: vscode.NotebookCellStatusBarItem[] = [];
  if (cell.document.languageId === 'casebook-claim') {
    const verdict = meta.records?.map(parseVerdictRecord).find((v) => v !== undefined);
    const item = new vscode.NotebookCellStatusBarItem(verdict ? `${ICONS[verdict.verdict]} ${verdict.verdict}` : '$(circle-outline) no verdict yet', vscode.NotebookCellStatusBarAlignment.Left);
    item.tooltip = verdict ? `Computed verdict: ${verdict.verdict}${verdict.rule ? `\nDecided by ${verdict.rule}` : ''}${verdict.rows !== undefined ? `\n${verdict.rows} evidence rows` : ''}` : 'Run this claim to compute its verdict.';
    item.accessibilityInformation = { label: verdict ? `verdict ${verdict.verdict}` : 'no verdict yet' };
    items.push(item);
  }
  if (meta.id) {
    const id = new vscode.NotebookCellStatusBarItem(`#${meta.id}`, vscode.NotebookCellStatusBarAlignment.Right);
    id.tooltip = `Cell id: later cells use it as a table name (${meta.id})`;
    items.push(id);
  }
  return items;
}

export function registerStatusBar(): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.NotebookCellStatusBarItemProvider = {
    onDidChangeCellStatusBarItems: changed.event,
    provideCellStatusBarItems: (cell) => cellStatusItems(cell),
  };
  return vscode.Disposable.from(
    changed,
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, provider),
    vscode.workspace.onDidChangeNotebookDocument((e) => {
      if (e.notebook.notebookType === NOTEBOOK_TYPE && e.cellChanges.some((c) => c.metadata)) changed.fire();
    }),
  );
}
