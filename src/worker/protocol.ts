/**
 * Messages between the extension host and the worker thread that runs a notebook's cells.
 * Everything crossing is structured-clone safe and bounded (tables are cut to the rows the
 * renderer may show). Every request carries the notebook as it is now, so the worker's graph and
 * session always match the editor.
 */
import type { SourceDefaults } from '../core/notebook/runner';
import type { SessionCell } from '../core/notebook/session';
import type { WireCellResult } from '../core/output/cellResult';

export interface NotebookSnapshot {
  readonly dir: string;
  readonly frontMatter: string | undefined;
  /** Every code cell Casebook runs, in notebook order. */
  readonly cells: readonly SessionCell[];
  /** From the `casebook.*` settings. */
  readonly settings: {
    readonly sourceDefaults: SourceDefaults;
    readonly maxResultRows: number;
  };
}

export type WorkerRequest =
  | { readonly type: 'run'; readonly key: string; readonly maxRendererRows: number }
  /** Which cells to run, in order, to bring `targets` up to date. */
  | { readonly type: 'plan'; readonly targets: readonly string[]; readonly dependents: boolean }
  /** Which cells hold results that are out of date. */
  | { readonly type: 'stale' };

export type WorkerResponse =
  | { readonly type: 'run'; readonly result: WireCellResult }
  | { readonly type: 'plan'; readonly order: readonly string[]; readonly problem?: string }
  | { readonly type: 'stale'; readonly keys: readonly string[] };

export type ToWorker =
  | { readonly type: 'request'; readonly requestId: number; readonly notebook: NotebookSnapshot; readonly request: WorkerRequest }
  | { readonly type: 'cancel'; readonly requestId: number };

export type FromWorker =
  | { readonly type: 'progress'; readonly requestId: number; readonly message: string }
  | { readonly type: 'response'; readonly requestId: number; readonly response: WorkerResponse };
