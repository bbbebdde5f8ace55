/**
 * Activation: registers the `*.casebook.md` serializer, the controller and the commands. The
 * extension only adapts VS Code objects to the core; all logic lives in `src/core`.
 */
import * as vscode from 'vscode';
import { CellRunner } from './cellRunner';
import { CasebookController, NOTEBOOK_TYPE } from './controller';
import { CasebookSerializer, notebookMeta } from './serializer';
import { registerRendererMessaging } from './rendererMessages';
import { registerCellIdFeatures } from './cellIds';
import { registerQueryCompletion } from './completion';
import { StaleTracker } from './staleness';
import { cellStatusItems, registerStatusBar } from './statusBar';
import { NEW_NOTEBOOK_TEMPLATE } from './template';

/** What the extension exposes to other extensions and to its own integration tests. */
export interface CasebookApi {
  cellStatusItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[];
  /** Recomputes which cells are stale (normally debounced after edits) and resolves when known. */
  refreshStale(notebook: vscode.NotebookDocument): Promise<void>;
  isStale(cell: vscode.NotebookCell): boolean;
  /** Whether a worker (which reads sources and runs queries) is running for the notebook. */
  hasWorker(notebook: vscode.NotebookDocument): boolean;
}

export function activate(context: vscode.ExtensionContext): CasebookApi {
  const runner = new CellRunner(context.extensionPath);
  const controller = new CasebookController(runner);
  const stale = new StaleTracker(runner);
  const messaging = registerRendererMessaging(stale);
  context.subscriptions.push(
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new CasebookSerializer(), {
      // Outputs are reproducible and never stored; records (verdicts) live in metadata and are.
      transientOutputs: true,
    }),
    controller,
    { dispose: () => runner.dispose() },
    stale,
    messaging,
    controller.onDidRun((nb) => void stale.refresh(nb)),
    registerStatusBar(stale),
    registerCellIdFeatures((cells, nb) => controller.execute(cells, nb, true)),
    registerQueryCompletion(),
    vscode.workspace.onDidOpenNotebookDocument(warnIfRecovered),
    vscode.commands.registerCommand('casebook.newNotebook', newNotebook),
    vscode.commands.registerCommand('casebook.reopenAsText', reopenAsText),
    vscode.commands.registerCommand('casebook.insertClaimsSummary', insertClaimsSummary),
  );
  vscode.workspace.notebookDocuments.forEach(warnIfRecovered);
  return {
    cellStatusItems: (cell) => cellStatusItems(cell, stale.isStale(cell)),
    refreshStale: (nb) => stale.refresh(nb),
    isStale: (cell) => stale.isStale(cell),
    hasWorker: (nb) => runner.hasWorker(nb.uri.toString()),
  };
}

export function deactivate(): void {
  // Disposables registered on the context clean up the workers.
}

function warnIfRecovered(notebook: vscode.NotebookDocument): void {
  const recovery = notebook.notebookType === NOTEBOOK_TYPE ? notebookMeta(notebook).recovery : undefined;
  if (!recovery) return;
  void vscode.window
    .showErrorMessage(`Casebook could not read ${vscode.workspace.asRelativePath(notebook.uri)}: ${recovery.message} (line ${recovery.line}). It is open in recovery mode; nothing will be lost.`, 'Reopen as Text')
    .then((choice) => (choice ? reopenAsText(notebook.uri) : undefined));
}

async function newNotebook(): Promise<void> {
  const document = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, new CasebookSerializer().deserializeNotebook(new TextEncoder().encode(NEW_NOTEBOOK_TEMPLATE)));
  await vscode.window.showNotebookDocument(document);
}

async function reopenAsText(uri?: vscode.Uri): Promise<void> {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeNotebookEditor?.notebook.uri;
  if (!target) return;
  await vscode.commands.executeCommand('vscode.openWith', target, 'default');
}

/** Adds a `claims` cell at the end (or runs the existing one): every claim's verdict and the ACH matrix. */
async function insertClaimsSummary(): Promise<void> {
  const editor = vscode.window.activeNotebookEditor;
  if (!editor || editor.notebook.notebookType !== NOTEBOOK_TYPE) {
    void vscode.window.showInformationMessage('Open a Casebook notebook to summarise its claims.');
    return;
  }
  const notebook = editor.notebook;
  let cell = notebook.getCells().find((c) => c.document.languageId === 'casebook-claims');
  if (!cell) {
    const edit = new vscode.WorkspaceEdit();
    const data = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, '', 'casebook-claims');
    data.metadata = { casebook: { id: 'claims-summary' } };
    edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(notebook.cellCount, [data])]);
    await vscode.workspace.applyEdit(edit);
    cell = notebook.cellAt(notebook.cellCount - 1);
  }
  editor.revealRange(new vscode.NotebookRange(cell.index, cell.index + 1), vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: notebook.uri });
}
