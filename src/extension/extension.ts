/**
 * Activation: registers the `*.casebook.md` serializer, the controller and the commands. The
 * extension only adapts VS Code objects to the core; all logic lives in `src/core`.
 */
import * as vscode from 'vscode';
import { CellRunner } from './cellRunner';
import { CasebookController, NOTEBOOK_TYPE } from './controller';
import { CasebookSerializer, notebookMeta } from './serializer';
import { registerRendererMessaging } from './rendererMessages';
import { NEW_NOTEBOOK_TEMPLATE } from './template';

export function activate(context: vscode.ExtensionContext): void {
  const runner = new CellRunner(context.extensionPath);
  const controller = new CasebookController(runner);
  context.subscriptions.push(
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new CasebookSerializer(), {
      // Outputs are reproducible and never stored; records (verdicts) live in metadata and are.
      transientOutputs: true,
    }),
    controller,
    { dispose: () => runner.dispose() },
    registerRendererMessaging(),
    vscode.workspace.onDidOpenNotebookDocument(warnIfRecovered),
    vscode.commands.registerCommand('casebook.newNotebook', newNotebook),
    vscode.commands.registerCommand('casebook.reopenAsText', reopenAsText),
  );
  vscode.workspace.notebookDocuments.forEach(warnIfRecovered);
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
