// Runs inside VS Code's extension host with the real API: opens fixture notebooks, executes them
// through the Casebook controller, and checks outputs and the bytes written on save.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { openNotebook, waitFor, workspaceUri } from './helpers';

const TABLE_MIME = 'application/vnd.casebook.table+json';
const decoder = new TextDecoder();



function codeCells(doc: vscode.NotebookDocument): vscode.NotebookCell[] {
  return doc.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId !== 'yaml');
}


async function runAll(doc: vscode.NotebookDocument): Promise<void> {
  await vscode.commands.executeCommand('notebook.selectKernel', { id: 'casebook-kernel', extension: 'casebook.casebook' });
  const before = new Map(codeCells(doc).map((c) => [c, c.executionSummary?.executionOrder]));
  await vscode.commands.executeCommand('notebook.execute');
  await waitFor('every code cell to finish', () =>
    codeCells(doc).every((c) => c.executionSummary?.success !== undefined && c.executionSummary.executionOrder !== before.get(c) && c.executionSummary.timing?.endTime !== undefined),
  );
}

function tableOf(cell: vscode.NotebookCell): { columns: { name: string; type: string }[]; rows: unknown[][]; totalRows: number } {
  for (const output of cell.outputs) {
    const item = output.items.find((i) => i.mime === TABLE_MIME);
    if (item) return JSON.parse(decoder.decode(item.data));
  }
  assert.fail(`cell ${cell.index} has no table output; outputs: ${cell.outputs.map((o) => o.items.map((i) => i.mime + ' ' + decoder.decode(i.data)).join(',')).join(' | ')}`);
}

function errorOf(cell: vscode.NotebookCell): { name: string; message: string; stack?: string } | undefined {
  for (const output of cell.outputs) {
    const item = output.items.find((i) => i.mime === 'application/vnd.code.notebook.error');
    if (item) return JSON.parse(decoder.decode(item.data));
  }
  return undefined;
}

describe('Casebook notebooks in VS Code', () => {
  it('opens *.casebook.md as a casebook notebook with front matter, Markdown and query cells', async () => {
    const doc = await openNotebook('basic.casebook.md');
    assert.equal(doc.notebookType, 'casebook');
    const cells = doc.getCells().map((c) => `${c.kind === vscode.NotebookCellKind.Markup ? 'md' : c.document.languageId}`);
    assert.deepEqual(cells, ['yaml', 'md', 'kql', 'kql', 'kql']);
    assert.equal(doc.cellAt(2).metadata.casebook?.id, 'failures');
  });

  it('runs every cell through the Casebook controller and shows typed result tables', async () => {
    const doc = await openNotebook('basic.casebook.md');
    await runAll(doc);
    const [failures, victimIps, chained] = codeCells(doc);
    for (const c of [failures, victimIps, chained]) assert.equal(c.executionSummary?.success, true, `cell ${c.index}: ${JSON.stringify(errorOf(c))}`);
    const t = tableOf(failures);
    assert.deepEqual(t.columns, [
      { name: 'user', type: 'string' },
      { name: 'failures', type: 'long' },
    ]);
    assert.deepEqual(t.rows, [
      ['b.clerk', '2'],
      ['a.official', '1'],
    ]);
    assert.deepEqual(tableOf(victimIps).rows, [['192.0.2.10'], ['203.0.113.66']]);
    // A later cell uses an earlier cell's result by its id.
    assert.deepEqual(tableOf(chained).rows, [['b.clerk', '2']]);
    const orders = [failures, victimIps, chained].map((c) => c.executionSummary?.executionOrder ?? 0);
    assert.ok(orders[0] < orders[1] && orders[1] < orders[2], `execution order increases: ${orders}`);
    // Outputs are not stored, so running leaves the notebook clean.
    assert.equal(doc.isDirty, false);
  });

  it('saves canonical bytes after an edit', async () => {
    const doc = await openNotebook('basic.casebook.md');
    const original = fs.readFileSync(doc.uri.fsPath, 'utf8');
    const edit = new vscode.WorkspaceEdit();
    edit.set(doc.uri, [vscode.NotebookEdit.insertCells(doc.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, 'Added in the editor.', 'markdown')])]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    const saved = fs.readFileSync(doc.uri.fsPath, 'utf8');
    assert.equal(saved, original + '\nAdded in the editor.\n');
  });

  it('shows a positioned, actionable error for a bad query', async () => {
    const doc = await openNotebook('basic.casebook.md');
    const edit = new vscode.WorkspaceEdit();
    edit.set(doc.uri, [vscode.NotebookEdit.insertCells(doc.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'auth\n| summarise count()', 'kql')])]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const cell = doc.cellAt(doc.cellCount - 1);
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: doc.uri });
    await waitFor('the bad cell to finish', () => cell.executionSummary?.success !== undefined);
    assert.equal(cell.executionSummary?.success, false);
    const error = errorOf(cell);
    assert.ok(error, 'an error output is shown');
    assert.match(error.message + '\n' + (error.stack ?? ''), /summarise/);
    assert.match(error.message + '\n' + (error.stack ?? ''), /did you mean .?summarize/);
    assert.match(error.message + '\n' + (error.stack ?? ''), /line 2/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('opens a file with merge-conflict markers in recovery mode and writes it back unchanged', async () => {
    const uri = workspaceUri('conflict.casebook.md');
    const before = fs.readFileSync(uri.fsPath);
    const doc = await openNotebook('conflict.casebook.md');
    assert.equal(doc.metadata.casebook?.recovery?.line, 7);
    const raw = doc.getCells().find((c) => c.metadata.casebook?.role === 'raw');
    assert.ok(raw, 'the raw text cell exists');
    assert.equal(raw.document.getText(), before.toString('utf8'));
    // Touch and save: the bytes on disk must be exactly what the user wrote.
    const edit = new vscode.WorkspaceEdit();
    edit.set(doc.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...doc.metadata })]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty, 'the edit made the notebook dirty, so saving writes');
    assert.equal(await doc.save(), true);
    assert.deepEqual(fs.readFileSync(uri.fsPath), before);
  });

  it('opens a file that is not valid UTF-8 in recovery mode and never replaces its bytes', async () => {
    const uri = workspaceUri('latin1.casebook.md');
    // "Café" in Latin-1 (0xe9 is not UTF-8 on its own), and a BOM-less Windows line ending.
    const before = Buffer.concat([Buffer.from('# Notes\r\n\nCaf'), Buffer.from([0xe9]), Buffer.from('\n\n```kql #q\nprint 1\n```\n')]);
    fs.writeFileSync(uri.fsPath, before);
    const doc = await openNotebook('latin1.casebook.md');
    assert.equal(doc.metadata.casebook?.recovery?.message, 'the file is not valid UTF-8');
    assert.equal(doc.metadata.casebook?.recovery?.line, 3);
    const raw = doc.getCells().find((c) => c.metadata.casebook?.role === 'raw');
    assert.ok(raw, 'the raw text cell exists');
    assert.match(raw.document.getText(), /Caf\ufffd/);
    const touch = new vscode.WorkspaceEdit();
    touch.set(doc.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...doc.metadata })]);
    assert.ok(await vscode.workspace.applyEdit(touch));
    assert.equal(await doc.save(), true, 'an unchanged recovery view saves');
    assert.deepEqual(fs.readFileSync(uri.fsPath), before, 'the original bytes, not their decoded text');
    // Edited text cannot hold the Latin-1 byte: saving is refused and the file stays as it was.
    const change = new vscode.WorkspaceEdit();
    change.insert(raw.document.uri, new vscode.Position(0, 0), 'x');
    assert.ok(await vscode.workspace.applyEdit(change));
    const saved = await Promise.resolve(doc.save()).catch(() => false);
    assert.equal(saved, false, 'saving edited text of a non-UTF-8 file is refused');
    assert.deepEqual(fs.readFileSync(uri.fsPath), before);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('keeps broken front matter verbatim and reports it when a cell runs', async () => {
    const uri = workspaceUri('broken-front-matter.casebook.md');
    const before = fs.readFileSync(uri.fsPath, 'utf8');
    const doc = await openNotebook('broken-front-matter.casebook.md');
    assert.equal(doc.cellAt(0).document.getText(), 'title: [unclosed');
    // The problem shows as soon as the file is open, on the front matter itself.
    await waitFor('a diagnostic on the front matter', () => vscode.languages.getDiagnostics(doc.cellAt(0).document.uri).length > 0);
    const [diagnostic] = vscode.languages.getDiagnostics(doc.cellAt(0).document.uri);
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostic.message, /Flow sequence/);
    const cell = codeCells(doc)[0];
    await vscode.commands.executeCommand('notebook.selectKernel', { id: 'casebook-kernel', extension: 'casebook.casebook' });
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: doc.uri });
    await waitFor('the cell to finish', () => cell.executionSummary?.success !== undefined);
    assert.equal(cell.executionSummary?.success, false);
    assert.match(errorOf(cell)?.message ?? '', /front matter/);
    const touch = new vscode.WorkspaceEdit();
    touch.set(doc.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...doc.metadata })]);
    assert.ok(await vscode.workspace.applyEdit(touch));
    assert.equal(await doc.save(), true);
    assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), before);
  });

  it('cancels a long-running query through the cell token', async () => {
    const doc = await openNotebook('basic.casebook.md');
    const edit = new vscode.WorkspaceEdit();
    edit.set(doc.uri, [vscode.NotebookEdit.insertCells(doc.cellCount, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'range x from 1 to 50000000 step 1\n| summarize dcount(x)', 'kql')])]);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const cell = doc.cellAt(doc.cellCount - 1);
    await vscode.commands.executeCommand('notebook.selectKernel', { id: 'casebook-kernel', extension: 'casebook.casebook' });
    void vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: doc.uri });
    await waitFor('the query to start', () => cell.executionSummary?.timing?.startTime !== undefined || cell.outputs.length > 0, 30_000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1500));
    const cancelledAt = Date.now();
    await vscode.commands.executeCommand('notebook.cell.cancelExecution', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: doc.uri });
    await waitFor('the cancelled cell to end', () => cell.executionSummary?.success !== undefined, 30_000);
    assert.equal(cell.executionSummary?.success, false);
    console.log(`casebook: cancellation ended the cell ${Date.now() - cancelledAt} ms after the request`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
