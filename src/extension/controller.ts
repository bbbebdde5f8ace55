/**
 * The notebook controller: runs cells in order through the worker, numbers executions, bridges the
 * cell's cancellation token to an AbortController, and always ends each execution exactly once.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CellRecord } from '../core/format';
import { kindForLanguage, RUNNABLE_KINDS } from '../core/notebook/cellKinds';
import type { SessionCell } from '../core/notebook/session';
import type { WireCellResult } from '../core/output/cellResult';
import type { CellRunner } from './cellRunner';
import { cellMeta } from './serializer';

export const NOTEBOOK_TYPE = 'casebook';
export const CONTROLLER_ID = 'casebook-kernel';

export class CasebookController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private executionOrder = 0;
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires after a cell's records were updated from a run (status bar items listen). */
  readonly onDidUpdateRecords: vscode.Event<vscode.NotebookCell>;
  private readonly recordsEmitter = new vscode.EventEmitter<vscode.NotebookCell>();

  constructor(private readonly runner: CellRunner) {
    this.onDidUpdateRecords = this.recordsEmitter.event;
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'Casebook');
    this.controller.supportedLanguages = ['kql', 'casebook-claim', 'casebook-timeline', 'casebook-claims', 'yaml'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'Runs queries, claims and timelines locally';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    // Preferred for every Casebook notebook, so no kernel picker appears.
    const prefer = (nb: vscode.NotebookDocument) => {
      if (nb.notebookType === NOTEBOOK_TYPE) this.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
    };
    vscode.workspace.notebookDocuments.forEach(prefer);
    this.disposables.push(
      vscode.workspace.onDidOpenNotebookDocument(prefer),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.runner.forget(nb.uri.toString())),
      this.controller,
      this.recordsEmitter,
    );
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  private async execute(cells: readonly vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    for (const cell of cells) {
      const completed = await this.executeCell(cell, notebook);
      if (completed === 'cancelled') break; // stopping one cell stops the run
    }
  }

  private async executeCell(cell: vscode.NotebookCell, notebook: vscode.NotebookDocument): Promise<'done' | 'cancelled'> {
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++this.executionOrder;
    execution.start(Date.now());
    const abort = new AbortController();
    const subscription = execution.token.onCancellationRequested(() => abort.abort());
    let success = false;
    let outcome: 'done' | 'cancelled' = 'done';
    try {
      if (!vscode.workspace.isTrusted) {
        await execution.replaceOutput(errorOutput('This workspace is not trusted, so Casebook runs nothing in it (no queries, no source reads).', 'Trust the workspace (Workspaces: Manage Workspace Trust) to run cells.'));
        return outcome;
      }
      const role = cellMeta(cell).role;
      if (role === 'front-matter' || role === 'raw' || cell.kind !== vscode.NotebookCellKind.Code) {
        success = true;
        await execution.clearOutput();
        return outcome;
      }
      const kind = kindForLanguage(cell.document.languageId);
      if (!RUNNABLE_KINDS.includes(kind)) {
        await execution.replaceOutput(errorOutput(`Casebook does not run ${cell.document.languageId} cells.`, `Change the cell language to one of: ${RUNNABLE_KINDS.join(', ')}.`));
        return outcome;
      }
      const result = await this.runner.run(
        notebook.uri.toString(),
        {
          notebookDir: notebookDirectory(notebook),
          frontMatter: frontMatterText(notebook),
          cell: toSessionCell(cell),
          preceding: precedingCells(notebook, cell),
          maxRendererRows: vscode.workspace.getConfiguration('casebook', notebook.uri).get<number>('results.maxRows', 10_000),
        },
        abort.signal,
      );
      if (result.cancelled) outcome = 'cancelled';
      await execution.replaceOutput(toOutputs(result));
      if (result.records) await updateRecords(cell, result.records, () => this.recordsEmitter.fire(cell));
      success = result.ok;
    } catch (e) {
      await execution.replaceOutput(errorOutput(`Casebook failed while running this cell: ${e instanceof Error ? e.message : String(e)}`));
    } finally {
      subscription.dispose();
      execution.end(success, Date.now());
    }
    return abort.signal.aborted ? 'cancelled' : outcome;
  }
}

export function toSessionCell(cell: vscode.NotebookCell): SessionCell {
  const meta = cellMeta(cell);
  return {
    key: cell.document.uri.toString(),
    kind: kindForLanguage(cell.document.languageId),
    ...(meta.id !== undefined ? { id: meta.id } : {}),
    source: cell.document.getText(),
    records: meta.records ?? [],
  };
}

function precedingCells(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell): SessionCell[] {
  return notebook
    .getCells(new vscode.NotebookRange(0, cell.index))
    .filter((c) => c.kind === vscode.NotebookCellKind.Code && !cellMeta(c).role && RUNNABLE_KINDS.includes(kindForLanguage(c.document.languageId)))
    .map(toSessionCell);
}

export function frontMatterText(notebook: vscode.NotebookDocument): string | undefined {
  return notebook.getCells().find((c) => cellMeta(c).role === 'front-matter')?.document.getText();
}

export function notebookDirectory(notebook: vscode.NotebookDocument): string {
  if (notebook.uri.scheme === 'file') return path.dirname(notebook.uri.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
}

function toOutputs(result: WireCellResult): vscode.NotebookCellOutput[] {
  const outputs = result.outputs.map(
    (o) =>
      new vscode.NotebookCellOutput(
        o.items.map((item) => (typeof item.data === 'string' ? vscode.NotebookCellOutputItem.text(item.data, item.mime) : vscode.NotebookCellOutputItem.json(item.data, item.mime))),
      ),
  );
  if (result.warnings.length) {
    outputs.push(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(result.warnings.map((w) => `⚠ ${w}`).join('\n'), 'text/plain')]));
  }
  if (result.error) outputs.unshift(...errorOutput(result.error.message, result.error.detail));
  return outputs;
}

function errorOutput(message: string, detail?: string): vscode.NotebookCellOutput[] {
  return [new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: 'Casebook', message, stack: detail ?? '' })])];
}

/** Writes records into the cell's metadata only when they differ, so unchanged runs leave the file clean. */
async function updateRecords(cell: vscode.NotebookCell, records: readonly CellRecord[], changed: () => void): Promise<void> {
  const meta = cellMeta(cell);
  const current = meta.records ?? [];
  const same = current.length === records.length && current.every((r, i) => r.tag === records[i].tag && r.text === records[i].text);
  if (same) return;
  const edit = new vscode.WorkspaceEdit();
  edit.set(cell.notebook.uri, [vscode.NotebookEdit.updateCellMetadata(cell.index, { ...cell.metadata, casebook: { ...meta, records: [...records] } })]);
  await vscode.workspace.applyEdit(edit);
  changed();
}
