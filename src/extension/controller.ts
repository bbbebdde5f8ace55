/**
 * The notebook controller. Running a cell first runs the cells it depends on that are out of date
 * (the worker plans it from the notebook's dependency graph), then the cell; "run with dependents"
 * also re-runs everything downstream. Each execution gets an order number, its cancellation token
 * is bridged to an AbortController, and `end()` is called exactly once.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CellRecord } from '../core/format';
import { kindForLanguage, RUNNABLE_KINDS } from '../core/notebook/cellKinds';
import { validateFrontMatter } from '../core/notebook/frontMatter';
import { mergeRecords } from '../core/notebook/writeBack';
import type { SessionCell } from '../core/notebook/session';
import type { WireCellResult } from '../core/output/cellResult';
import type { NotebookSnapshot } from '../worker/protocol';
import type { CellRunner } from './cellRunner';
import { cellMeta } from './serializer';
import { SourceAccess } from './sourceAccess';

export const NOTEBOOK_TYPE = 'casebook';
export const CONTROLLER_ID = 'casebook-kernel';

export class CasebookController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private executionOrder = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly ranEmitter = new vscode.EventEmitter<vscode.NotebookDocument>();
  /** Fires after a batch of cells ran (staleness and status bar items refresh). */
  readonly onDidRun = this.ranEmitter.event;

  private readonly access = new SourceAccess();

  constructor(private readonly runner: CellRunner) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'Casebook');
    this.controller.supportedLanguages = ['kql', 'casebook-claim', 'casebook-timeline', 'casebook-claims', 'yaml'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'Runs queries, claims and timelines locally';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook, false);
    // Preferred for every Casebook notebook, so no kernel picker appears.
    const prefer = (nb: vscode.NotebookDocument) => {
      if (nb.notebookType === NOTEBOOK_TYPE) this.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
    };
    vscode.workspace.notebookDocuments.forEach(prefer);
    this.disposables.push(
      vscode.workspace.onDidOpenNotebookDocument(prefer),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.runner.forget(nb.uri.toString())),
      this.controller,
      this.ranEmitter,
    );
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }

  /** Runs cells (and, with `dependents`, every cell downstream of them). */
  async execute(cells: readonly vscode.NotebookCell[], notebook: vscode.NotebookDocument, dependents: boolean): Promise<void> {
    try {
      if (!vscode.workspace.isTrusted) {
        // VS Code does not run notebooks in Restricted Mode; this refuses Casebook's own commands
        // (run with dependents), which reach here without a cell execution to write into.
        void vscode.window.showWarningMessage('This workspace is not trusted, so Casebook runs nothing in it (no queries, no source reads). Trust the workspace (Workspaces: Manage Workspace Trust) to run cells.');
        return;
      }
      const snapshot = snapshotOf(notebook);
      const targets: string[] = [];
      for (const cell of cells) {
        if (isRunnable(cell)) targets.push(cellKey(cell));
        else await this.runOther(cell);
      }
      if (!targets.length) return;
      const refused = await this.access.check(notebook, snapshot);
      if (refused) {
        for (const cell of cells.filter(isRunnable)) await this.finish(cell, false, errorOutput(refused));
        return;
      }
      const plan = await this.runner.request(notebook.uri.toString(), snapshot, { type: 'plan', targets, dependents });
      const byKey = new Map(notebook.getCells().map((c) => [cellKey(c), c]));
      // Progress (which cell, how much of a source is read) in the window status bar.
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Casebook' }, async (progress) => {
        for (const [position, key] of plan.order.entries()) {
          const cell = byKey.get(key);
          if (!cell) continue;
          const label = `cell ${position + 1}/${plan.order.length}${cellMeta(cell).id ? ` #${cellMeta(cell).id}` : ''}`;
          progress.report({ message: label });
          if ((await this.executeCell(cell, snapshot, (m) => progress.report({ message: `${label}: ${m}` }))) === 'cancelled') break; // stopping one cell stops the run
        }
      });
    } finally {
      this.ranEmitter.fire(notebook);
    }
  }

  /** Front matter is validated when run; other non-runnable cells explain themselves. */
  private async runOther(cell: vscode.NotebookCell): Promise<void> {
    const role = cellMeta(cell).role;
    if (role === 'front-matter') {
      const problems = validateFrontMatter(cell.document.getText());
      await this.finish(cell, problems.length === 0, problems.length ? errorOutput(problems[0], problems.slice(1).join('\n')) : []);
      return;
    }
    if (role === 'raw' || role === 'problem' || cell.kind !== vscode.NotebookCellKind.Code) {
      await this.finish(cell, true, []);
      return;
    }
    await this.finish(cell, false, errorOutput(`Casebook does not run ${cell.document.languageId} cells.`, `Change the cell language to one of: ${RUNNABLE_KINDS.join(', ')}.`));
  }

  private async finish(cell: vscode.NotebookCell, success: boolean, outputs: vscode.NotebookCellOutput[]): Promise<void> {
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++this.executionOrder;
    execution.start(Date.now());
    try {
      await execution.replaceOutput(outputs);
    } finally {
      execution.end(success, Date.now());
    }
  }

  private async executeCell(cell: vscode.NotebookCell, snapshot: NotebookSnapshot, onProgress?: (message: string) => void): Promise<'done' | 'cancelled'> {
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++this.executionOrder;
    execution.start(Date.now());
    const abort = new AbortController();
    const subscription = execution.token.onCancellationRequested(() => abort.abort());
    let success = false;
    let cancelled = false;
    try {
      const { result } = await this.runner.request(cell.notebook.uri.toString(), snapshot, { type: 'run', key: cellKey(cell), maxRendererRows: maxRendererRows(cell.notebook) }, abort.signal, onProgress);
      cancelled = result.cancelled === true;
      await execution.replaceOutput(toOutputs(result));
      if (result.records) await updateRecords(cell, result.records);
      success = result.ok;
    } catch (e) {
      await execution.replaceOutput(errorOutput(`Casebook failed while running this cell: ${e instanceof Error ? e.message : String(e)}`));
    } finally {
      subscription.dispose();
      execution.end(success, Date.now());
    }
    return abort.signal.aborted || cancelled ? 'cancelled' : 'done';
  }
}

function maxRendererRows(notebook: vscode.NotebookDocument): number {
  return vscode.workspace.getConfiguration('casebook', notebook.uri).get<number>('results.maxRows', 10_000);
}

export function cellKey(cell: vscode.NotebookCell): string {
  return cell.document.uri.toString();
}

export function isRunnable(cell: vscode.NotebookCell): boolean {
  return cell.kind === vscode.NotebookCellKind.Code && !cellMeta(cell).role && RUNNABLE_KINDS.includes(kindForLanguage(cell.document.languageId));
}

export function toSessionCell(cell: vscode.NotebookCell): SessionCell {
  const meta = cellMeta(cell);
  return {
    key: cellKey(cell),
    kind: kindForLanguage(cell.document.languageId),
    ...(meta.id !== undefined ? { id: meta.id } : {}),
    source: cell.document.getText(),
    records: meta.records ?? [],
  };
}

/** The notebook as the worker needs it: folder, front matter and every runnable cell in order. */
export function snapshotOf(notebook: vscode.NotebookDocument): NotebookSnapshot {
  const config = vscode.workspace.getConfiguration('casebook', notebook.uri);
  return {
    dir: notebookDirectory(notebook),
    frontMatter: frontMatterText(notebook),
    cells: notebook.getCells().filter(isRunnable).map(toSessionCell),
    settings: {
      sourceDefaults: { maxDecompressedBytes: config.get<number>('sources.maxDecompressedBytes', 8 * 2 ** 30), maxLineBytes: config.get<number>('sources.maxLineBytes', 16 * 2 ** 20), maxColumns: config.get<number>('sources.maxColumns', 1000) },
      maxResultRows: config.get<number>('query.maxResultRows', 10_000_000),
    },
  };
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
async function updateRecords(cell: vscode.NotebookCell, records: readonly CellRecord[]): Promise<void> {
  const meta = cellMeta(cell);
  const current = meta.records ?? [];
  const merged = mergeRecords(current, records);
  if (merged === current) return;
  const edit = new vscode.WorkspaceEdit();
  edit.set(cell.notebook.uri, [vscode.NotebookEdit.updateCellMetadata(cell.index, { ...cell.metadata, casebook: { ...meta, records: [...merged] } })]);
  await vscode.workspace.applyEdit(edit);
}
