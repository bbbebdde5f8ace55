/** Building result columns from computed values, with types enforced. */
import { conform } from './convert';
import { createColumnBuilder, type Column } from './table';
import type { ScalarType, Value } from './values';

/** A column of `count` values; values of the wrong kind are converted (or null) so builders never throw. */
export function buildColumn(type: ScalarType, count: number, valueAt: (i: number) => Value): Column {
  const b = createColumnBuilder(type, Math.max(16, count));
  for (let i = 0; i < count; i++) b.push(conform(type, valueAt(i)));
  return b.finish();
}

/** Gathers rows where -1 stands for "no row" (null), as outer joins need. */
export function gatherNullable(column: Column, rows: Int32Array): Column {
  let hasMissing = false;
  for (let i = 0; i < rows.length; i++) {
    if (rows[i] < 0) {
      hasMissing = true;
      break;
    }
  }
  if (!hasMissing) return column.gather(rows);
  return buildColumn(column.type, rows.length, (i) => (rows[i] < 0 ? null : column.get(rows[i])));
}
