/** Turns a cell's result into bounded, mime-typed payloads for the notebook (via the worker). */
import type { CellOutput, CellRunResult } from '../notebook/session';
import type { CellRecord } from '../format';
import { tableToMarkdown } from './markdown';
import { CHART_MIME, CLAIM_MIME, TABLE_MIME, tableToWire } from './wire';
import { isStringTooLong, STRING_TOO_LONG } from '../query/errors';

export interface WireOutputItem {
  readonly mime: string;
  /** JSON-serialisable data for JSON mimes, text otherwise. */
  readonly data: unknown;
}

/** One notebook output: the same content in several mimes, richest first. */
export interface WireOutput {
  readonly items: readonly WireOutputItem[];
}

export interface WireCellResult {
  readonly ok: boolean;
  readonly cancelled?: boolean;
  readonly outputs: readonly WireOutput[];
  readonly error?: { readonly message: string; readonly detail?: string };
  readonly records?: readonly CellRecord[];
  readonly summary: string;
  readonly warnings: readonly string[];
}

/** Rows in the plain Markdown fallback: enough to read, small enough for any viewer. */
const MARKDOWN_FALLBACK_ROWS = 50;

export function toWireOutput(output: CellOutput, maxRendererRows: number): WireOutput {
  switch (output.type) {
    case 'table':
      return {
        items: [
          { mime: TABLE_MIME, data: tableToWire(output.table, maxRendererRows, output.title ? { title: output.title } : {}) },
          { mime: 'text/markdown', data: tableToMarkdown(output.table, MARKDOWN_FALLBACK_ROWS) },
        ],
      };
    case 'markdown':
      return { items: [{ mime: 'text/markdown', data: output.text }] };
    case 'chart':
      return { items: [{ mime: CHART_MIME, data: { spec: output.spec, title: output.title, note: output.note } }] };
    case 'claim':
      return { items: [{ mime: CLAIM_MIME, data: output.card }] };
  }
}

export function toWireResult(result: CellRunResult, maxRendererRows: number): WireCellResult {
  let outputs: WireOutput[];
  try {
    outputs = result.outputs.map((o) => toWireOutput(o, maxRendererRows));
  } catch (e) {
    // A value too large to be text (data can make one): the cell fails, saying why.
    if (!isStringTooLong(e)) throw e;
    return { ok: false, outputs: [], error: { message: `${STRING_TOO_LONG}: the result cannot be shown` }, summary: 'error', warnings: result.warnings };
  }
  return {
    ok: result.ok,
    outputs,
    ...(result.error ? { error: result.error } : {}),
    ...(result.records ? { records: result.records } : {}),
    summary: result.summary,
    warnings: result.warnings,
  };
}
