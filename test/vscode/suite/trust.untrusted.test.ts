// In an untrusted workspace Casebook opens and renders notebooks but runs nothing: no query, no
// source read, no worker. (VS Code's Restricted Mode keeps the controller from being asked, and the
// controller refuses on its own too.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

interface Api {
  cellStatusItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[];
  hasWorker(notebook: vscode.NotebookDocument): boolean;
}

describe('Casebook in an untrusted workspace', () => {
  it('opens and renders the notebook, and running it produces no results', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this instance opened the folder untrusted');
    const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'basic.casebook.md'));
    await vscode.window.showNotebookDocument(doc);
    assert.equal(doc.notebookType, 'casebook');
    assert.equal(doc.cellCount, 5, 'the notebook renders with all its cells');
    const api = vscode.extensions.getExtension<Api>('casebook.casebook')!.exports;
    assert.deepEqual(api.cellStatusItems(doc.cellAt(2)).map((i) => i.text), ['#failures'], 'the extension is active in restricted mode');
    void vscode.commands.executeCommand('notebook.execute');
    await new Promise((r) => setTimeout(r, 5000));
    for (const cell of doc.getCells()) {
      assert.equal(cell.outputs.length, 0, `cell ${cell.index} has no outputs`);
      assert.equal(cell.executionSummary?.success, undefined, `cell ${cell.index} did not run`);
    }
    // Casebook's own command reaches the controller, which refuses by itself: no worker, no output.
    await vscode.commands.executeCommand('casebook.runCellAndDependents', { index: 2 });
    assert.equal(api.hasWorker(doc), false, 'no worker was started, so no source was read');
    assert.equal(doc.cellAt(2).outputs.length, 0);
  });
});
