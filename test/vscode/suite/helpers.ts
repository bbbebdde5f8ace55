// Shared by the extension-host test files.
import * as vscode from 'vscode';

export async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function workspaceUri(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the test workspace is not open');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

export async function openNotebook(name: string): Promise<vscode.NotebookDocument> {
  const doc = await vscode.workspace.openNotebookDocument(workspaceUri(name));
  await vscode.window.showNotebookDocument(doc);
  return doc;
}

export async function selectCasebookKernel(): Promise<void> {
  await vscode.commands.executeCommand('notebook.selectKernel', { id: 'casebook-kernel', extension: 'casebook.casebook' });
}

/** The verdict stored in a claim cell's metadata record, if any. */
export function storedVerdict(cell: vscode.NotebookCell): string | undefined {
  const text: string | undefined = cell.metadata.casebook?.records?.[0]?.text;
  return text ? /^verdict: "(\w+)"$/m.exec(text)?.[1] : undefined;
}
