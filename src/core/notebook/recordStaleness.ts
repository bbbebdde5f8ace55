/**
 * Verdict records that were made from other queries than the notebook now holds: the claim cell's
 * text, or that of a cell it reads, changed since the record was written (`queries-sha256`). Pure,
 * so the editor can say so as soon as a notebook opens, before anything has run.
 */
import { cellVerdict } from '../claims/record';
import { fixedNowMicros, parseFrontMatter, queryParams } from './frontMatter';
import { buildGraph } from './graph';
import { queriesSha256Of, type SessionCell } from './session';

export function staleRecordKeys(frontMatterText: string | undefined, cells: readonly SessionCell[]): string[] {
  const fm = parseFrontMatter(frontMatterText);
  if (!fm.ok) return [];
  const nowUs = fixedNowMicros(fm.value);
  if (nowUs === null) return []; // such a notebook does not run at all
  const graph = buildGraph(cells, { sources: Object.keys(fm.value.sources), params: Object.keys(fm.value.params) });
  const stale: string[] = [];
  for (const cell of cells) {
    if (cell.kind !== 'claim') continue;
    const recorded = cellVerdict(cell.records)?.queriesSha256;
    if (recorded !== undefined && recorded !== queriesSha256Of(graph, cells, cell.key, queryParams(fm.value), nowUs)) stale.push(cell.key);
  }
  return stale;
}
