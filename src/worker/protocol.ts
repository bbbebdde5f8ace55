/**
 * Messages between the extension host and the worker thread that runs cells. Everything crossing
 * is structured-clone safe and bounded (tables are cut to the rows the renderer may show).
 */
import type { WireCellResult } from '../core/output/cellResult';
import type { SessionCell } from '../core/notebook/session';

export interface RunRequest {
  readonly type: 'run';
  readonly requestId: number;
  readonly notebookDir: string;
  readonly frontMatter: string | undefined;
  readonly cell: SessionCell;
  /** Code cells above this one, in order: their definitions and ids are visible to it. */
  readonly preceding: readonly SessionCell[];
  readonly maxRendererRows: number;
}

export type ToWorker = RunRequest | { readonly type: 'cancel'; readonly requestId: number } | { readonly type: 'reset' };

export type FromWorker =
  | { readonly type: 'progress'; readonly requestId: number; readonly message: string }
  | { readonly type: 'result'; readonly requestId: number; readonly result: WireCellResult };
