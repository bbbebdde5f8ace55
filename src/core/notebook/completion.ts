/**
 * What to offer while typing a query: table names (cell ids, sources, lets from the cells above)
 * where a table goes, operators after a pipe, functions elsewhere. Pure, so the editor layer only
 * maps these to completion items.
 */
import { AGGREGATE_NAMES } from '../query/aggregate-names';
import { functionNames } from '../query/functions';
import { TABULAR_OPERATORS } from '../query/parser';
import { kqlTableName } from './cellIds';

export type SuggestionKind = 'table' | 'operator' | 'function' | 'aggregate';

export interface Suggestion {
  readonly label: string;
  /** Text to insert when it differs from the label (bracketed ids). */
  readonly insert?: string;
  readonly kind: SuggestionKind;
  readonly detail: string;
}

export interface CompletionNames {
  readonly cellIds: readonly string[];
  readonly sources: readonly string[];
  readonly lets: readonly string[];
}

/** Suggestions for the text before the cursor in a query. */
export function querySuggestions(before: string, names: CompletionNames): Suggestion[] {
  const line = before.slice(before.lastIndexOf('\n') + 1);
  if (/\|\s*[\w-]*$/.test(line)) return TABULAR_OPERATORS.map((op) => ({ label: op, kind: 'operator' as const, detail: 'operator' }));
  const atTablePosition = /^\s*[\w'[\]-]*$/.test(line) || /(\bjoin\b[^(]*\(|\bunion\b[^|]*|\blookup\b[^(]*\(|\(\s*)[\w'[\]-]*$/.test(before);
  const tables: Suggestion[] = [
    ...names.cellIds.map((id) => ({ label: id, ...(kqlTableName(id) !== id ? { insert: kqlTableName(id) } : {}), kind: 'table' as const, detail: 'cell result' })),
    ...names.sources.map((s) => ({ label: s, kind: 'table' as const, detail: 'source' })),
    ...names.lets.map((l) => ({ label: l, kind: 'table' as const, detail: 'let from a cell above' })),
  ];
  if (atTablePosition) return tables;
  return [
    ...functionNames().map((f) => ({ label: f, kind: 'function' as const, detail: 'function' })),
    ...[...AGGREGATE_NAMES].map((a) => ({ label: a, kind: 'aggregate' as const, detail: 'aggregate (summarize)' })),
    ...names.lets.map((l) => ({ label: l, kind: 'table' as const, detail: 'let from a cell above' })),
  ];
}
