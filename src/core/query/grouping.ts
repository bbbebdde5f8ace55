/**
 * Assigns dense group ids to rows from one or more key expressions, without allocating per row:
 * string columns group by dictionary code, other keys by a primitive hash key, and several keys
 * fold pairwise into one id.
 */
import { hashKey } from './compare';
import type { Compiled } from './compiled';
import { ABORT_CHECK_MASK, throwIfAborted } from './errors';
import { isNumericColumn, isStringColumn } from './table';
import { isDynamicColumn } from './structColumn';

export interface Grouping {
  /** Group id of each row. */
  readonly groupOf: Int32Array;
  readonly groupCount: number;
  /** The first row of each group (the row whose key values represent it). */
  readonly firstRow: Int32Array;
}

/** Dense ids (in first-seen order) for the values of one key. */
function keyIds(key: Compiled, rowCount: number, signal: AbortSignal): { ids: Int32Array; count: number } {
  const ids = new Int32Array(rowCount);
  let count = 0;
  const col = key.column;
  if (col && isStringColumn(col)) {
    const byCode = new Int32Array(col.dictionary.length).fill(-1);
    for (let r = 0; r < rowCount; r++) {
      if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
      const code = col.code(r);
      let id = byCode[code];
      if (id < 0) byCode[code] = id = count++;
      ids[r] = id;
    }
    return { ids, count };
  }
  if (isDynamicColumn(col) && col.storage.kind === 'string') {
    // Dynamic strings: group by code, with null (absent) as one more code.
    const { codes, nulls, dict } = col.storage;
    const byCode = new Int32Array(dict.length + 1).fill(-1);
    for (let r = 0; r < rowCount; r++) {
      if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
      const code = nulls !== null && nulls[r] === 1 ? dict.length : codes[r];
      let id = byCode[code];
      if (id < 0) byCode[code] = id = count++;
      ids[r] = id;
    }
    return { ids, count };
  }
  const raw = col && isNumericColumn(col) ? (r: number) => col.raw(r) : key.evalRaw;
  if (raw) {
    const map = new Map<number, number>();
    let nullId = -1;
    for (let r = 0; r < rowCount; r++) {
      if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
      const v = raw(r);
      let id: number | undefined;
      if (v === null) {
        if (nullId < 0) nullId = count++;
        id = nullId;
      } else {
        id = map.get(v);
        if (id === undefined) map.set(v, (id = count++));
      }
      ids[r] = id;
    }
    return { ids, count };
  }
  const map = new Map<unknown, number>();
  for (let r = 0; r < rowCount; r++) {
    if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
    const k = hashKey(key.eval(r));
    let id = map.get(k);
    if (id === undefined) map.set(k, (id = count++));
    ids[r] = id;
  }
  return { ids, count };
}

export function groupRows(keys: readonly Compiled[], rowCount: number, signal: AbortSignal): Grouping {
  if (keys.length === 0) {
    return { groupOf: new Int32Array(rowCount), groupCount: 1, firstRow: Int32Array.of(rowCount > 0 ? 0 : -1) };
  }
  let { ids: groupOf, count: groupCount } = keyIds(keys[0], rowCount, signal);
  for (let k = 1; k < keys.length; k++) {
    const next = keyIds(keys[k], rowCount, signal);
    // Ids stay below rowCount, so prev * count + id stays far below 2^53.
    const width = next.count;
    const map = new Map<number, number>();
    let count = 0;
    const combined = new Int32Array(rowCount);
    for (let r = 0; r < rowCount; r++) {
      if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
      const composite = groupOf[r] * width + next.ids[r];
      let id = map.get(composite);
      if (id === undefined) map.set(composite, (id = count++));
      combined[r] = id;
    }
    groupOf = combined;
    groupCount = count;
  }
  const firstRow = new Int32Array(groupCount).fill(-1);
  for (let r = 0; r < rowCount; r++) if (firstRow[groupOf[r]] < 0) firstRow[groupOf[r]] = r;
  return { groupOf, groupCount, firstRow };
}
