/**
 * Writes a run of lines that one line template matched (a LineBatch's records) into the table's
 * columns, one column at a time: per value, a loop over the run's lines that hands the column the
 * string's bytes and hash, or the time, that the WebAssembly match left in the records. Row by
 * row, each line would go through the scanner's and the table's generic per-line code (the value's
 * kind, its key's column, its slot); at the start of a read that code runs in V8's interpreter
 * for thousands of lines. The result is the same table addRow builds: JsonTableBuilder's
 * templateColumns only gives columns when it is (see there), and JsonFieldScanner's runEnd only
 * runs of lines whose values are all as these loops read them.
 */
import type { InferredColumn, TimeColumn } from './columns';
import type { TemplateColumns } from './jsonTable';
import { RECORD_HEADER_WORDS, RECORD_TIME_WORD, VALUE_WORDS } from './wasmScan';
import type { LineBatch, TemplateRun } from './jsonScanner';

/** Lines [from, to) of `batch` as rows firstRow on, into `columns` (templateColumns of the run). */
export function writeTemplateRun(batch: LineBatch, run: TemplateRun, columns: TemplateColumns, from: number, to: number, firstRow: number): void {
  for (const struct of columns.structs) struct.setObjects(firstRow, firstRow + to - from);
  const values = columns.values;
  for (let v = 0; v < values.length; v++) {
    if (v === run.timeValue) writeTimes(batch, values[v] as TimeColumn, from, to, firstRow);
    else writeStrings(batch, values[v] as InferredColumn, RECORD_HEADER_WORDS + v * VALUE_WORDS, from, to, firstRow);
  }
}

/** The strings of one value (its entries at word `offset` of each record), without their quotes. */
function writeStrings(batch: LineBatch, column: InferredColumn, offset: number, from: number, to: number, firstRow: number): void {
  const { records, words, base, buf } = batch;
  for (let k = from, row = firstRow, at = from * words + offset; k < to; k++, row++, at += words) {
    column.pushBytesAt(row, buf, records[at] - base + 1, records[at + 1] - base - 1, records[at + 3]);
  }
}

/** The times the records hold (each a double at RECORD_TIME_WORD). */
function writeTimes(batch: LineBatch, column: TimeColumn, from: number, to: number, firstRow: number): void {
  const { times, words } = batch;
  for (let k = from, row = firstRow, at = (from * words + RECORD_TIME_WORD) >> 1; k < to; k++, row++, at += words >> 1) column.setRead(row, times, at);
}
