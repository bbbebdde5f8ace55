/**
 * Which cells show results that are out of date: an upstream cell's text, the cell's own text or a
 * source file changed since they ran (asked of the notebook's worker), or a claim's stored record was
 * made from other queries (computed here, also before anything ran). Refreshed after every run and,
 * debounced, after opening and edits; shown in the cell status bar and on claim cards, and announced when saving a
 * notebook whose stored verdicts are stale (the file keeps their last consistent records).
 */
import * as vscode from 'vscode';
import type { CellRunner } from './cellRunner';
import { staleRecordKeys } from '../core/notebook/recordStaleness';
import { cellKey, frontMatterText, isRunnable, NOTEBOOK_TYPE, snapshotOf, toSessionCell } from './controller';
import { cellMeta } from './serializer';

const DEBOUNCE_MS = 400;

export class StaleTracker implements vscode.Disposable {
  private readonly stale = new Map<string, ReadonlySet<string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly emitter = new vscode.EventEmitter<vscode.NotebookDocument>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly runner: CellRunner) {
    this.disposables = [
      this.emitter,
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.notebook.notebookType === NOTEBOOK_TYPE && (e.contentChanges.length || e.cellChanges.some((c) => c.document))) this.schedule(e.notebook);
      }),
      vscode.workspace.onDidSaveNotebookDocument((nb) => this.announceOnSave(nb)),
      vscode.workspace.onDidOpenNotebookDocument((nb) => nb.notebookType === NOTEBOOK_TYPE && this.schedule(nb)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.stale.delete(nb.uri.toString())),
    ];
  }

  isStale(cell: vscode.NotebookCell): boolean {
    return this.stale.get(cell.notebook.uri.toString())?.has(cellKey(cell)) ?? false;
  }

  /** Ids of stale cells in a notebook (claim cards use them). */
  staleIds(notebook: vscode.NotebookDocument): string[] {
    const keys = this.stale.get(notebook.uri.toString());
    if (!keys?.size) return [];
    return notebook.getCells().filter((c) => keys.has(cellKey(c)) && cellMeta(c).id).map((c) => cellMeta(c).id!);
  }

  schedule(notebook: vscode.NotebookDocument): void {
    const key = notebook.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => void this.refresh(notebook), DEBOUNCE_MS));
  }

  async refresh(notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    if (notebook.isClosed) return;
    // Stored records made from other queries are stale even before anything runs (a file from git).
    const fromRecords = staleRecordKeys(frontMatterText(notebook), notebook.getCells().filter(isRunnable).map(toSessionCell));
    const fromRuns = this.runner.hasWorker(key) ? (await this.runner.request(key, snapshotOf(notebook), { type: 'stale' })).keys : [];
    const next = new Set([...fromRuns, ...fromRecords]);
    const before = this.stale.get(key) ?? new Set<string>();
    if (next.size === before.size && [...next].every((k) => before.has(k))) return;
    this.stale.set(key, next);
    this.emitter.fire(notebook);
  }

  private announceOnSave(notebook: vscode.NotebookDocument): void {
    if (notebook.notebookType !== NOTEBOOK_TYPE) return;
    const claims = notebook.getCells().filter((c) => c.document.languageId === 'casebook-claim' && this.isStale(c) && cellMeta(c).records?.length);
    if (!claims.length) return;
    const names = claims.map((c) => `#${cellMeta(c).id ?? c.index + 1}`).join(', ');
    void vscode.window.showWarningMessage(
      `Saved with ${claims.length} stale verdict${claims.length === 1 ? '' : 's'} (${names}): cells they depend on changed since they ran, so the file keeps their last consistent records. Run them to update.`,
    );
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.disposables.forEach((d) => d.dispose());
  }
}
