// Competing claims in the real editor: verdicts land in cell metadata and status bar items, and the
// saved bytes equal what `casebook run --write` writes for the same notebook.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { storedVerdict, waitFor } from './helpers';

interface Api {
  cellStatusItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[];
}



describe('Casebook claims in VS Code', () => {
  it('computes competing verdicts, shows them in the status bar, and saves the same bytes as the CLI', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const uri = vscode.Uri.joinPath(folder, 'claims.casebook.md');
    const original = fs.readFileSync(uri.fsPath, 'utf8');
    const doc = await vscode.workspace.openNotebookDocument(uri);
    await vscode.window.showNotebookDocument(doc);
    await vscode.commands.executeCommand('notebook.selectKernel', { id: 'casebook-kernel', extension: 'casebook.casebook' });
    await vscode.commands.executeCommand('notebook.execute');
    const claims = doc.getCells().filter((c) => c.document.languageId === 'casebook-claim');
    assert.equal(claims.length, 2);
    await waitFor('both verdicts', () => claims.every((c) => storedVerdict(c) !== undefined));
    assert.deepEqual(claims.map(storedVerdict), ['contradicted', 'supported']);
    assert.ok(doc.isDirty, 'new verdict records make the notebook dirty');

    const extension = vscode.extensions.getExtension<Api>('casebook.casebook');
    assert.ok(extension?.isActive);
    const items = claims.map((c) => extension.exports.cellStatusItems(c).map((i) => i.text));
    assert.deepEqual(items, [
      ['$(error) contradicted', '#official-scope'],
      ['$(pass-filled) supported', '#attacker-exfil'],
    ]);

    const summary = doc.getCells().find((c) => c.document.languageId === 'casebook-claims');
    assert.ok(summary);
    await waitFor('the claims summary', () => summary.outputs.length >= 3);

    assert.ok(await doc.save());
    const saved = fs.readFileSync(uri.fsPath, 'utf8');
    assert.notEqual(saved, original);

    // The CLI, on a copy of the unsaved original next to the same data, must write the same bytes.
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-it-'));
    try {
      fs.cpSync(path.dirname(uri.fsPath), scratch, { recursive: true });
      const copy = path.join(scratch, 'claims.casebook.md');
      fs.writeFileSync(copy, original);
      execFileSync(process.execPath, [path.join(extension.extensionPath, 'dist', 'cli.js'), 'run', '--write', copy], { stdio: 'pipe' });
      assert.equal(saved, fs.readFileSync(copy, 'utf8'));
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }

    // Running again changes nothing: the file stays clean.
    const orders = claims.map((c) => c.executionSummary?.executionOrder);
    await vscode.commands.executeCommand('notebook.execute');
    await waitFor('the re-run', () => claims.every((c, i) => c.executionSummary?.executionOrder !== orders[i] && c.executionSummary?.success === true));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(doc.isDirty, false, 'unchanged verdicts leave the notebook clean');
  });
});
