// Dependency-aware execution in the real editor: running a claim re-runs its edited upstream cell
// first; an unrun upstream edit marks the verdict stale and saving keeps its last consistent record;
// a duplicated cell gets a fresh id.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { storedVerdict, waitFor } from './helpers';

interface Api {
  refreshStale(notebook: vscode.NotebookDocument): Promise<void>;
  isStale(cell: vscode.NotebookCell): boolean;
  cellStatusItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[];
}


const byId = (doc: vscode.NotebookDocument, id: string) => doc.getCells().find((c) => c.metadata.casebook?.id === id)!;
const order = (cell: vscode.NotebookCell) => cell.executionSummary?.executionOrder ?? 0;

async function replaceText(cell: vscode.NotebookCell, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(cell.document.uri, new vscode.Range(cell.document.positionAt(0), cell.document.positionAt(cell.document.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

async function runCell(doc: vscode.NotebookDocument, cell: vscode.NotebookCell): Promise<void> {
  const before = order(cell);
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: doc.uri });
  await waitFor(`cell #${cell.metadata.casebook?.id} to run`, () => order(cell) !== before && cell.executionSummary?.success !== undefined);
}

describe('Casebook dependency graph in VS Code', () => {
  let doc: vscode.NotebookDocument;
  let api: Api;

  before(async () => {
    doc = await vscode.workspace.openNotebookDocument(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'graph.casebook.md'));
    await vscode.window.showNotebookDocument(doc);
    await vscode.commands.executeCommand('notebook.selectKernel', { id: 'casebook-kernel', extension: 'casebook.casebook' });
    api = vscode.extensions.getExtension<Api>('casebook.casebook')!.exports;
  });

  it('running only the claim re-runs the edited upstream query first, and the verdict follows the edit', async () => {
    const claim = byId(doc, 'official-scope');
    const upstream = byId(doc, 'nonpublic_reads');
    await runCell(doc, claim);
    assert.equal(storedVerdict(claim), 'contradicted');
    const upstreamRunBefore = order(upstream);
    assert.ok(upstreamRunBefore > 0, 'the claim ran its upstream cells the first time too');

    await replaceText(upstream, upstream.document.getText().replace('!= "public"', '== "secret"'));
    await runCell(doc, claim);
    assert.ok(order(upstream) > upstreamRunBefore, 'the edited upstream cell ran again');
    assert.ok(order(upstream) < order(claim), 'before the claim');
    assert.equal(storedVerdict(claim), 'supported', 'the verdict reflects the edit');
  });

  it('an upstream edit that has not run marks the verdict stale, and saving keeps the last consistent record', async () => {
    const claim = byId(doc, 'official-scope');
    const upstream = byId(doc, 'nonpublic_reads');
    const recordBefore = claim.metadata.casebook?.records?.[0]?.text;
    assert.match(recordBefore ?? '', /verdict: "supported"/);
    await api.refreshStale(doc);
    assert.equal(api.isStale(claim), false);

    await replaceText(upstream, upstream.document.getText().replace('== "secret"', '!= "public"'));
    await api.refreshStale(doc);
    assert.equal(api.isStale(upstream), true);
    assert.equal(api.isStale(claim), true, 'the claim depends on the edited cell');
    assert.equal(api.isStale(byId(doc, 'exports')), false, 'unrelated cells are not stale');
    assert.deepEqual(api.cellStatusItems(claim).map((i) => i.text)[0], '$(history) supported (stale)');

    assert.ok(await doc.save());
    const saved = fs.readFileSync(doc.uri.fsPath, 'utf8');
    assert.ok(saved.includes(recordBefore!), 'the file keeps the last consistent verdict record');
    assert.ok(saved.includes('| where room_visibility != "public"'), 'and the edited query');
  });

  it('a stored verdict made from other queries shows as stale when the file opens, before anything runs', async () => {
    // The file just saved holds the "supported" record beside the edited query: open a copy afresh.
    const copy = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'reopened.casebook.md');
    fs.writeFileSync(copy.fsPath, fs.readFileSync(doc.uri.fsPath));
    const reopened = await vscode.workspace.openNotebookDocument(copy);
    await vscode.window.showNotebookDocument(reopened);
    const claim = byId(reopened, 'official-scope');
    assert.equal(claim.executionSummary?.executionOrder, undefined, 'nothing has run in this notebook');
    // Opening the notebook is enough: nobody asks for a refresh.
    await waitFor('the stored verdict to show as stale', () => api.isStale(claim));
    assert.deepEqual(api.cellStatusItems(claim).map((i) => i.text)[0], '$(history) supported (stale)');
    assert.equal(api.isStale(byId(reopened, 'exports')), false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.window.showNotebookDocument(doc);
  });

  it('a duplicated cell gets a fresh id', async () => {
    const original = byId(doc, 'attacker_reads');
    const copy = new vscode.NotebookCellData(vscode.NotebookCellKind.Code, original.document.getText(), original.document.languageId);
    copy.metadata = JSON.parse(JSON.stringify(original.metadata));
    const edit = new vscode.WorkspaceEdit();
    edit.set(doc.uri, [vscode.NotebookEdit.insertCells(original.index + 1, [copy])]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const inserted = doc.cellAt(original.index + 1);
    await waitFor('the copy to get a fresh id', () => inserted.metadata.casebook?.id !== 'attacker_reads');
    assert.equal(inserted.metadata.casebook?.id, 'attacker_reads-2');
    assert.equal(original.metadata.casebook?.id, 'attacker_reads');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
