/**
 * Writes fresh verdict records into a notebook model — the same model the editor saves, so
 * `casebook run --write` and saving from VS Code produce the same bytes.
 */
import type { Cell, NotebookFile } from '../format';
import type { NotebookRun } from './runner';

/** The notebook with each successfully run claim's records replaced; cells whose run failed keep theirs. */
export function withFreshRecords(file: NotebookFile, run: NotebookRun): NotebookFile {
  const byIndex = new Map(run.cells.map((r) => [r.index, r]));
  const cells = file.cells.map((cell, index): Cell => {
    const records = byIndex.get(index)?.result.records;
    if (cell.type !== 'code' || !records) return cell;
    return { ...cell, records };
  });
  return { ...file, cells };
}
