/**
 * Writes fresh verdict records into a notebook model — the same model the editor saves, so
 * `casebook run --write` and saving from VS Code produce the same bytes.
 */
import type { Cell, CellRecord, NotebookFile } from '../format';
import type { NotebookRun } from './runner';

/** The notebook with each successfully run claim's records replaced; cells whose run failed keep theirs. */
export function withFreshRecords(file: NotebookFile, run: NotebookRun): NotebookFile {
  const byIndex = new Map(run.cells.map((r) => [r.index, r]));
  const cells = file.cells.map((cell, index): Cell => {
    const records = byIndex.get(index)?.result.records;
    if (cell.type !== 'code' || !records) return cell;
    return { ...cell, records: mergeRecords(cell.records, records) };
  });
  return { ...file, cells };
}

/**
 * A cell's records after a run made `fresh` ones: each kind of record the run made (a verdict)
 * replaces the records of its kind, where the first of them was; records of other kinds (a
 * reviewer's, another tool's) are kept as they are, in their places. The same array when nothing
 * changes, so an unchanged run leaves the file as it was.
 */
export function mergeRecords(current: readonly CellRecord[], fresh: readonly CellRecord[]): readonly CellRecord[] {
  const made = new Set(fresh.map((r) => r.tag));
  const merged: CellRecord[] = [];
  let placed = false;
  for (const r of current) {
    if (!made.has(r.tag)) merged.push(r);
    else if (!placed) {
      merged.push(...fresh);
      placed = true;
    }
  }
  if (!placed) merged.unshift(...fresh);
  const same = merged.length === current.length && merged.every((r, i) => r.tag === current[i].tag && r.text === current[i].text);
  return same ? current : merged;
}
