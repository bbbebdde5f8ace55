/** sort/order by and top: a stable index sort with per-key comparators on raw values. */
import type * as A from '../ast';
import { sortCompare } from '../compare';
import { toJson } from '../dynamic';
import type { Compiled } from '../compiled';
import { ABORT_CHECK_MASK, throwIfAborted } from '../errors';
import { exactDoubles } from '../longWords';
import { isLongColumn, isNumericColumn, isStringColumn, type Table } from '../table';
import type { Value } from '../values';
import { constantCount } from './columns-ops';
import type { OperatorContext } from './context';

type RowCompare = (a: number, b: number) => number;

/** Ranks of a string column's dictionary entries in ordinal order, so rows compare as integers. */
function dictionaryRanks(dictionary: readonly string[]): Int32Array {
  const order = dictionary.map((_, i) => i).sort((a, b) => (dictionary[a] < dictionary[b] ? -1 : dictionary[a] > dictionary[b] ? 1 : 0));
  const ranks = new Int32Array(dictionary.length);
  order.forEach((code, rank) => (ranks[code] = rank));
  return ranks;
}

/**
 * A key's comparator and, when asked for (top) and the key is numbers, each row's place in the
 * requested order as one double (direction, nulls and NaN applied): a row whose place is greater
 * compares after, so a bounded heap can pass over most rows without calling the comparator.
 */
interface KeyOrder {
  readonly compare: RowCompare;
  readonly places?: Float64Array;
}

/**
 * A key's number per row, with its null rows marked (the values of null rows are not read), or
 * undefined when the key is not numbers: reals, datetimes and timespans as stored, and longs when
 * every one is exact as a double (counts, sizes), read without a BigInt per row.
 */
function numbersOf(key: Compiled, rowCount: number): { values: Float64Array; isNull: Uint8Array } | undefined {
  const col = key.column;
  if (col && isLongColumn(col)) {
    const values = exactDoubles(col.values.subarray(0, rowCount));
    if (values) return { values, isNull: col.nulls?.subarray(0, rowCount) ?? new Uint8Array(rowCount) };
  }
  const raw = col && isNumericColumn(col) ? (r: number) => col.raw(r) : key.evalRaw;
  if (!raw) return undefined;
  const values = new Float64Array(rowCount);
  const isNull = new Uint8Array(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const v = raw(r);
    if (v === null) isNull[r] = 1;
    else values[r] = v;
  }
  return { values, isNull };
}

function keyOrder(key: Compiled, rowCount: number, order: 'asc' | 'desc', nulls: 'first' | 'last', fewComparisons = false, withPlaces = false): KeyOrder {
  const dir = order === 'asc' ? 1 : -1;
  const nullSide = nulls === 'first' ? -1 : 1;
  const col = key.column;
  if (col && isStringColumn(col) && fewComparisons) {
    // Ranking a large dictionary costs a sort of it; a bounded heap compares only a few rows.
    // Entries are read one by one: a dictionary read from bytes then makes only the strings compared.
    return {
      compare: (a, b) => {
        const x = col.entry(col.code(a));
        const y = col.entry(col.code(b));
        return (x < y ? -1 : x > y ? 1 : 0) * dir;
      },
    };
  }
  if (col && isStringColumn(col)) {
    const ranks = dictionaryRanks(col.dictionary);
    return { compare: (a, b) => (ranks[col.code(a)] - ranks[col.code(b)]) * dir };
  }
  const numbers = numbersOf(key, rowCount);
  if (numbers) {
    const { values, isNull } = numbers;
    // As in Kusto, NaN goes with the nulls (whichever end they take), between them and the numbers.
    const compare: RowCompare = (a, b) => {
      const x = values[a];
      const y = values[b];
      const outA = isNull[a] ? 2 : x !== x ? 1 : 0;
      const outB = isNull[b] ? 2 : y !== y ? 1 : 0;
      if (outA !== outB) return (outA - outB) * nullSide;
      if (outA !== 0) return 0;
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    };
    if (!withPlaces) return { compare };
    // Nulls and NaN share the place at their end: a tie, which the comparator settles.
    const places = new Float64Array(rowCount);
    for (let r = 0; r < rowCount; r++) places[r] = isNull[r] || values[r] !== values[r] ? nullSide * Infinity : dir * values[r];
    return { compare, places };
  }
  const values: Value[] = new Array(rowCount);
  for (let r = 0; r < rowCount; r++) values[r] = key.eval(r);
  // Arrays and bags compare by their JSON text: made once per value for this sort, not per comparison.
  const texts = new Map<Value, string>();
  const json = (v: Value): string => {
    let text = texts.get(v);
    if (text === undefined) texts.set(v, (text = toJson(v)));
    return text;
  };
  return {
    compare: (a, b) => {
      const x = values[a];
      const y = values[b];
      if (x === null || y === null) return x === y ? 0 : x === null ? nullSide : -nullSide;
      return sortCompare(x, y, json, dir);
    },
  };
}

/** Rows compared key by key; the first key's order (see `KeyOrder.places`) comes along. */
function rowComparator(table: Table, keys: readonly A.SortKey[], ctx: OperatorContext, fewComparisons = false): { compare: RowCompare; firstPlaces?: Float64Array } {
  const orders = keys.map((k, i) => keyOrder(ctx.compile(k.expr, table), table.rowCount, k.order, k.nulls, fewComparisons, fewComparisons && i === 0));
  const comparators = orders.map((o) => o.compare);
  const compare: RowCompare = (a, b) => {
    for (const c of comparators) {
      const d = c(a, b);
      if (d !== 0) return d;
    }
    return a - b; // stable: equal keys keep input order
  };
  return { compare, firstPlaces: orders[0]?.places };
}

/** Rows per pack slot: rank * PACK + row stays an exact double for up to 2^26 rows and ranks. */
const PACK = 2 ** 26;

/**
 * Single-key sorts without a comparator: each row gets the rank of its key, `rank * PACK + row`
 * is sorted natively as doubles (stable, since the row breaks ties), and the row is read back.
 */
function rankedOrder(ranks: Float64Array): Uint32Array {
  const n = ranks.length;
  const packed = new Float64Array(n);
  for (let r = 0; r < n; r++) packed[r] = ranks[r] * PACK + r;
  packed.sort();
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = packed[i] % PACK;
  return out;
}

/** Ranks of one key's values (0 = first in the requested order), or undefined when this path does not apply. */
function singleKeyRanks(table: Table, key: A.SortKey, ctx: OperatorContext): Float64Array | undefined {
  const n = table.rowCount;
  if (n >= PACK) return undefined;
  const c = ctx.compile(key.expr, table);
  const desc = key.order === 'desc';
  const ranks = new Float64Array(n);
  if (c.column && isStringColumn(c.column)) {
    const col = c.column;
    const dictRanks = dictionaryRanks(col.dictionary);
    const top = col.dictionary.length - 1;
    for (let r = 0; r < n; r++) ranks[r] = desc ? top - dictRanks[col.code(r)] : dictRanks[col.code(r)];
    return ranks;
  }
  const numbers = numbersOf(c, n);
  if (!numbers) return undefined;
  const { values, isNull } = numbers;
  let nulls = 0;
  for (let r = 0; r < n; r++) {
    if (isNull[r]) nulls++;
    else if (values[r] !== values[r]) return undefined; // NaN: the comparator places it
  }
  const sorted = values.filter((_, r) => !isNull[r]).sort();
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i];
  const nullRank = key.nulls === 'first' ? 0 : distinct;
  const shift = key.nulls === 'first' && nulls > 0 ? 1 : 0;
  for (let r = 0; r < n; r++) {
    if (isNull[r]) {
      ranks[r] = nullRank;
      continue;
    }
    let lo = 0;
    let hi = distinct - 1;
    const v = values[r];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    ranks[r] = (desc ? distinct - 1 - lo : lo) + shift;
  }
  return ranks;
}

export function sortedRows(table: Table, keys: readonly A.SortKey[], ctx: OperatorContext): Uint32Array {
  const n = table.rowCount;
  const ranks = keys.length === 1 ? singleKeyRanks(table, keys[0], ctx) : undefined;
  if (ranks) {
    throwIfAborted(ctx.signal);
    return rankedOrder(ranks);
  }
  const { compare } = rowComparator(table, keys, ctx);
  throwIfAborted(ctx.signal);
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort(compare);
  throwIfAborted(ctx.signal);
  return Uint32Array.from(idx);
}

export function sort(table: Table, op: A.SortOp, ctx: OperatorContext): Table {
  return table.gather(sortedRows(table, op.keys, ctx));
}

/** The first `k` rows in order, keeping a bounded max-heap instead of sorting everything. */
function topRows(table: Table, keys: readonly A.SortKey[], k: number, ctx: OperatorContext): Uint32Array {
  const { compare, firstPlaces } = rowComparator(table, keys, ctx, true);
  const heap: number[] = [];
  const siftUp = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (compare(heap[i], heap[p]) <= 0) return;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && compare(heap[l], heap[m]) > 0) m = l;
      if (r < heap.length && compare(heap[r], heap[m]) > 0) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let row = 0; row < table.rowCount; row++) {
    if ((row & ABORT_CHECK_MASK) === 0) throwIfAborted(ctx.signal);
    if (heap.length < k) {
      heap.push(row);
      siftUp(heap.length - 1);
    } else if (firstPlaces && firstPlaces[row] > firstPlaces[heap[0]]) {
      continue; // after the heap's last row on the first key already
    } else if (compare(row, heap[0]) < 0) {
      heap[0] = row;
      siftDown(0);
    }
  }
  return Uint32Array.from(heap.sort(compare));
}

export function top(table: Table, op: A.TopOp, ctx: OperatorContext): Table {
  const n = constantCount(op.count, ctx, 'top');
  if (n === 0) return table.slice(0, 0);
  if (n * 8 < table.rowCount) return table.gather(topRows(table, op.keys, n, ctx));
  const rows = sortedRows(table, op.keys, ctx);
  return table.gather(rows.subarray(0, Math.min(n, rows.length)));
}
