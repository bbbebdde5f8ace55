/**
 * Assigns dense group ids to rows from one or more key expressions, without allocating per row:
 * string columns group by dictionary code, other keys by a primitive hash key, and several keys
 * fold pairwise into one id.
 */
import { hashKey } from './compare';
import type { Compiled } from './compiled';
import { binShift } from './datetime-functions';
import { ABORT_CHECK_MASK, throwIfAborted } from './errors';
import { isStringColumn } from './table';
import { isDynamicColumn } from './structColumn';

export interface Grouping {
  /** Group id of each row (read-only: it may be the key column's own codes; see `order`). */
  readonly groupOf: Int32Array;
  /** Ids are below this. */
  readonly groupCount: number;
  /** The first row of each group (the row whose key values represent it); -1 for an id no row has. */
  readonly firstRow: Int32Array;
  /**
   * Set when the ids are not dense in first-seen order: the ids that rows have, in first-seen
   * order (the groups as a result lists them). This is the case when rows group by one key whose
   * dictionary codes serve as ids (`groupOf` is then the column's codes): writing an id per row
   * costs fresh memory, about as much as the rest of grouping a million rows.
   */
  readonly order?: Int32Array;
  /**
   * Rows per id, when the grouping counted them on its way (one key of dictionary codes): the
   * accumulators that need only these counts then skip a pass over every row's id.
   */
  readonly sizes?: Int32Array;
}

/**
 * Id arrays of finished groupings (`releaseGrouping`), for the next to write over: memory is paid
 * for page by page when first written, which for a reading thread's ranges of a few hundred
 * thousand rows cost more than the grouping itself. Two are kept (a grouping of several keys
 * writes two at a time), of up to 4 MiB each.
 */
const spareIds: Int32Array[] = [];
const MAX_SPARE_IDS = 2;
const MAX_SPARE_ID_ROWS = 1 << 20;

/** An array of `rows` ids to write every one of: a spare one when there is one large enough. */
function idArray(rows: number): Int32Array {
  for (let i = 0; i < spareIds.length; i++) {
    if (spareIds[i].length < rows) continue;
    const [spare] = spareIds.splice(i, 1);
    return spare.subarray(0, rows);
  }
  return new Int32Array(rows);
}

/** Keeps `ids`' array for a later grouping, in place of a smaller one if two are kept already. */
function giveBack(ids: Int32Array): void {
  const whole = new Int32Array(ids.buffer);
  if (whole.length > MAX_SPARE_ID_ROWS || spareIds.some((s) => s.buffer === whole.buffer)) return;
  if (spareIds.length < MAX_SPARE_IDS) spareIds.push(whole);
  else {
    const smallest = spareIds.reduce((a, s, i) => (s.length < spareIds[a].length ? i : a), 0);
    if (spareIds[smallest].length < whole.length) spareIds[smallest] = whole;
  }
}

/**
 * Dense ids (in first-seen order) for the values of one key. Each kind of key has a function of its
 * own: a reading thread groups range after range, and one function serving every kind was
 * optimized for one, then thrown back to the interpreter by the next (about 3x slower on 1M lines).
 */
function keyIds(key: Compiled, rowCount: number, signal: AbortSignal): { ids: Int32Array; count: number } {
  // Dynamic strings group by code too, with null (absent) as one more code.
  const coded = codesOf(key);
  if (coded) return codeIds(coded.codes, coded.nulls, coded.codeCount, rowCount, signal);
  const array = key.rawArray;
  if (array) return array.bin ? binnedIds(array.values, array.nulls ?? null, array.bin.size, array.bin.fromYearOne, rowCount, signal) : arrayNumberIds(array.values, array.nulls ?? null, rowCount, signal);
  if (key.evalRaw) return numberIds(key.evalRaw, rowCount, signal);
  return valueIds(key, rowCount, signal);
}

/**
 * Rows a loop takes between cancellation checks. The loops that group a reading thread's ranges
 * (codes, a column's numbers, their bins, dense combinations) check between chunks and leave each
 * chunk to a function that does nothing but the loop: V8 compiles a long loop
 * while it runs, before the code after it has run, and a check or a return it had not seen run
 * threw the compiled code away at the next chunk or at the end of every call (a reading thread
 * groups range after range), sending each call back to the interpreter.
 */
const CHUNK_ROWS = ABORT_CHECK_MASK + 1;

/** Ids for each row's dictionary code (below `codeCount`); a row `nulls` marks is one more value after them. */
function codeIds(codes: Uint32Array, nulls: Uint8Array | null, codeCount: number, rowCount: number, signal: AbortSignal): { ids: Int32Array; count: number } {
  const ids = idArray(rowCount);
  const byCode = new Int32Array(codeCount + 1).fill(-1);
  let count = 0;
  for (let from = 0; from < rowCount; from += CHUNK_ROWS) {
    throwIfAborted(signal);
    count = codeIdsIn(codes, nulls, codeCount, byCode, ids, count, from, Math.min(rowCount, from + CHUNK_ROWS));
  }
  return { ids, count };
}

/** codeIds over rows [from, to); returns the count of ids so far. */
function codeIdsIn(codes: Uint32Array, nulls: Uint8Array | null, codeCount: number, byCode: Int32Array, ids: Int32Array, count: number, from: number, to: number): number {
  for (let r = from; r < to; r++) {
    const code = nulls !== null && nulls[r] === 1 ? codeCount : codes[r];
    let id = byCode[code];
    if (id < 0) byCode[code] = id = count++;
    ids[r] = id;
  }
  return count;
}

/**
 * Dense ids for numbers (and null) in first-seen order. A run of one value (time bins over rows in
 * time order) skips the table; 0 and -0 are one key, as in the table.
 */
class NumberKeyIds {
  count = 0;
  private nullId = -1;
  private lastValue = NaN;
  private lastId = -1;
  private readonly table = new NumberIds();

  ofNull(): number {
    if (this.nullId < 0) this.nullId = this.count++;
    return this.nullId;
  }

  of(v: number): number {
    if (v === this.lastValue) return this.lastId;
    let id = this.table.get(v);
    if (id < 0) this.table.set(v, (id = this.count++));
    this.lastValue = v;
    this.lastId = id;
    return id;
  }
}

/** Ids for a column's numbers (and null). */
function arrayNumberIds(values: Float64Array, nulls: Uint8Array | null, rowCount: number, signal: AbortSignal): { ids: Int32Array; count: number } {
  const ids = idArray(rowCount);
  const keys = new NumberKeyIds();
  for (let from = 0; from < rowCount; from += CHUNK_ROWS) {
    throwIfAborted(signal);
    arrayNumberIdsIn(values, nulls, keys, ids, from, Math.min(rowCount, from + CHUNK_ROWS));
  }
  return { ids, count: keys.count };
}

function arrayNumberIdsIn(values: Float64Array, nulls: Uint8Array | null, keys: NumberKeyIds, ids: Int32Array, from: number, to: number): void {
  for (let r = from; r < to; r++) ids[r] = nulls !== null && nulls[r] === 1 ? keys.ofNull() : keys.of(values[r]);
}

/** Ids for `bin()` of a column's numbers by `size`: the bins of `binMicros`, computed here so that no call is made per row. */
function binnedIds(values: Float64Array, nulls: Uint8Array | null, size: number, fromYearOne: boolean, rowCount: number, signal: AbortSignal): { ids: Int32Array; count: number } {
  const ids = idArray(rowCount);
  const keys = new NumberKeyIds();
  // The same arithmetic as binMicros: floor((v + shift) / size) * size - shift.
  const shift = binShift(size, fromYearOne);
  for (let from = 0; from < rowCount; from += CHUNK_ROWS) {
    throwIfAborted(signal);
    binnedIdsIn(values, nulls, size, shift, keys, ids, from, Math.min(rowCount, from + CHUNK_ROWS));
  }
  return { ids, count: keys.count };
}

function binnedIdsIn(values: Float64Array, nulls: Uint8Array | null, size: number, shift: number, keys: NumberKeyIds, ids: Int32Array, from: number, to: number): void {
  for (let r = from; r < to; r++) ids[r] = nulls !== null && nulls[r] === 1 ? keys.ofNull() : keys.of(Math.floor((values[r] + shift) / size) * size - shift);
}

/** Ids for numbers computed per row (and null). */
function numberIds(raw: (row: number) => number | null, rowCount: number, signal: AbortSignal): { ids: Int32Array; count: number } {
  const ids = idArray(rowCount);
  const keys = new NumberKeyIds();
  for (let r = 0; r < rowCount; r++) {
    if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
    const v = raw(r);
    ids[r] = v === null ? keys.ofNull() : keys.of(v);
  }
  return { ids, count: keys.count };
}

/** Ids for any values, by their hash keys. */
function valueIds(key: Compiled, rowCount: number, signal: AbortSignal): { ids: Int32Array; count: number } {
  const ids = idArray(rowCount);
  let count = 0;
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

/**
 * Group ids for the rows by the keys. The caller hands the grouping back (`releaseGrouping`) once
 * it no longer reads `groupOf`.
 */
export function groupRows(keys: readonly Compiled[], rowCount: number, signal: AbortSignal): Grouping {
  if (keys.length === 0) {
    return { groupOf: new Int32Array(rowCount), groupCount: 1, firstRow: Int32Array.of(rowCount > 0 ? 0 : -1) };
  }
  const byCode = keys.length === 1 ? codeGrouping(keys[0], rowCount, signal) : null;
  if (byCode) return byCode;
  const first = keyIds(keys[0], rowCount, signal);
  const groupOf = first.ids;
  let groupCount = first.count;
  for (let k = 1; k < keys.length; k++) {
    const coded = codesOf(keys[k]);
    if (coded && groupCount * (coded.codeCount + 1) <= Math.max(1 << 16, rowCount)) {
      groupCount = combineCodes(groupOf, groupCount, coded, rowCount, signal);
      continue;
    }
    const next = keyIds(keys[k], rowCount, signal);
    // Combined ids replace the previous ones in place: a fresh array of rowCount ids costs more to
    // write the first time than the combining itself. Ids stay below rowCount, so
    // prev * width + id stays far below 2^53.
    groupCount = groupCount * next.count <= Math.max(1 << 16, rowCount) ? combineDense(groupOf, groupCount, next, rowCount, signal) : combineHashed(groupOf, next, rowCount, signal);
    giveBack(next.ids);
  }
  return { groupOf, groupCount, firstRow: firstRows(groupOf, groupCount, rowCount) };
}

/**
 * One key of dictionary codes with no null rows, a dictionary no larger than the rows: the codes
 * are the ids (see `Grouping.order`). Accumulators then keep a slot per dictionary entry (and
 * finish each), which the bound on its size keeps within the rows' own cost; a dictionary mostly
 * unused (a filtered table keeps its column's whole dictionary) gets dense ids instead.
 */
function codeGrouping(key: Compiled, rowCount: number, signal: AbortSignal): Grouping | null {
  const coded = codesOf(key);
  if (!coded || coded.nulls !== null || coded.codeCount > rowCount || coded.codes.length < rowCount) return null;
  const codeCount = coded.codeCount;
  const firstRow = new Int32Array(codeCount).fill(-1);
  const order = new Int32Array(codeCount);
  const sizes = new Int32Array(codeCount);
  let count = 0;
  for (let from = 0; from < rowCount; from += CHUNK_ROWS) {
    throwIfAborted(signal);
    count = firstRowsOfCodes(coded.codes, firstRow, order, sizes, count, from, Math.min(rowCount, from + CHUNK_ROWS));
  }
  if (count * 4 < codeCount) return null;
  const codes = coded.codes;
  return { groupOf: new Int32Array(codes.buffer, codes.byteOffset, rowCount), groupCount: codeCount, firstRow, order: order.subarray(0, count), sizes };
}

/**
 * codeGrouping over rows [from, to): notes each code's first row and counts its rows, and lists
 * the codes in first-seen order; returns how many so far.
 */
function firstRowsOfCodes(codes: Uint32Array, firstRow: Int32Array, order: Int32Array, sizes: Int32Array, count: number, from: number, to: number): number {
  for (let r = from; r < to; r++) {
    const code = codes[r];
    if (sizes[code]++ === 0) {
      firstRow[code] = r;
      order[count++] = code;
    }
  }
  return count;
}

/** The first row of each group. (Loops live in functions of their own; see `keyIds`.) */
function firstRows(groupOf: Int32Array, groupCount: number, rowCount: number): Int32Array {
  const firstRow = new Int32Array(groupCount).fill(-1);
  for (let r = 0; r < rowCount; r++) if (firstRow[groupOf[r]] < 0) firstRow[groupOf[r]] = r;
  return firstRow;
}

/** A key of dictionary codes (a string column, or a dynamic column of strings with nulls), or null. */
function codesOf(key: Compiled): { codes: Uint32Array; nulls: Uint8Array | null; codeCount: number } | null {
  const col = key.column;
  if (col && isStringColumn(col)) return { codes: col.codes, nulls: null, codeCount: col.dictionarySize };
  if (isDynamicColumn(col) && col.storage.kind === 'string') return { codes: col.storage.codes, nulls: col.storage.nulls, codeCount: col.storage.dict.size };
  return null;
}

/**
 * Combines the ids so far with a key of codes read as they are (null one more code): no ids of
 * its own written first (`summarize ... by bin(ts, 1h), event`, the commonest shape of all, then
 * passes over its rows once less). Returns the number of combined ids.
 */
function combineCodes(groupOf: Int32Array, groupCount: number, coded: { codes: Uint32Array; nulls: Uint8Array | null; codeCount: number }, rowCount: number, signal: AbortSignal): number {
  const width = coded.codeCount + 1;
  const dense = new Int32Array(groupCount * width).fill(-1);
  let count = 0;
  for (let from = 0; from < rowCount; from += CHUNK_ROWS) {
    throwIfAborted(signal);
    count = combineCodesIn(groupOf, coded.codes, coded.nulls, coded.codeCount, dense, count, from, Math.min(rowCount, from + CHUNK_ROWS));
  }
  return count;
}

function combineCodesIn(groupOf: Int32Array, codes: Uint32Array, nulls: Uint8Array | null, codeCount: number, dense: Int32Array, count: number, from: number, to: number): number {
  const width = codeCount + 1;
  for (let r = from; r < to; r++) {
    const composite = groupOf[r] * width + (nulls !== null && nulls[r] === 1 ? codeCount : codes[r]);
    let id = dense[composite];
    if (id < 0) dense[composite] = id = count++;
    groupOf[r] = id;
  }
  return count;
}

/** Few combinations: a dense lookup array, no hashing. Returns the number of combined ids. */
function combineDense(groupOf: Int32Array, groupCount: number, next: { ids: Int32Array; count: number }, rowCount: number, signal: AbortSignal): number {
  const dense = new Int32Array(groupCount * next.count).fill(-1);
  let count = 0;
  for (let from = 0; from < rowCount; from += CHUNK_ROWS) {
    throwIfAborted(signal);
    count = combineDenseIn(groupOf, next.ids, next.count, dense, count, from, Math.min(rowCount, from + CHUNK_ROWS));
  }
  return count;
}

function combineDenseIn(groupOf: Int32Array, nextIds: Int32Array, width: number, dense: Int32Array, count: number, from: number, to: number): number {
  for (let r = from; r < to; r++) {
    const composite = groupOf[r] * width + nextIds[r];
    let id = dense[composite];
    if (id < 0) dense[composite] = id = count++;
    groupOf[r] = id;
  }
  return count;
}

function combineHashed(groupOf: Int32Array, next: { ids: Int32Array; count: number }, rowCount: number, signal: AbortSignal): number {
  const width = next.count, nextIds = next.ids;
  const table = new NumberIds();
  let count = 0;
  for (let r = 0; r < rowCount; r++) {
    if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
    const composite = groupOf[r] * width + nextIds[r];
    let id = table.get(composite);
    if (id < 0) table.set(composite, (id = count++));
    groupOf[r] = id;
  }
  return count;
}

/** Lets a later grouping write over this one's row ids: `grouping.groupOf` must not be read again. */
export function releaseGrouping(grouping: Grouping): void {
  if (!grouping.order) giveBack(grouping.groupOf); // otherwise they are the key column's codes
}

const bits = new Float64Array(1);
const halves = new Int32Array(bits.buffer);

/**
 * Ids by number (open addressing over the bits of the double), for grouping numeric keys without
 * a Map. -0 and 0 are one key, as are all NaNs, matching Map's SameValueZero.
 */
class NumberIds {
  private keys = new Float64Array(1024);
  private ids = new Int32Array(1024).fill(-1);
  private mask = 1023;
  private size = 0;

  private slot(v: number): number {
    bits[0] = v === 0 ? 0 : v; // -0 hashes as 0
    let h = Math.imul(halves[0] ^ Math.imul(halves[1], 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 15;
    const mask = this.mask;
    const keys = this.keys, ids = this.ids, nan = v !== v;
    // Every lookup runs every step of the probe, the first included: the step to the slot, the
    // key read and compared (an empty slot's 0 too: an empty slot stops the probe either way).
    // Rows in time order look up only bins not seen before, which land on empty slots at once, so
    // a grouping loop V8 compiled over a reader's first range had never compared a key nor moved
    // past a slot, and the first bin seen again or the first collision (in a later range) threw
    // the compiled loop away: 10-20 ms back in the interpreter, at 1M lines.
    let p = (h & mask) - 1;
    for (;;) {
      p = (p + 1) & mask;
      const key = keys[p];
      const keyNaN = key !== key;
      if (key === v || ids[p] < 0 || (keyNaN && nan)) return p;
    }
  }

  get(v: number): number {
    return this.ids[this.slot(v)];
  }

  set(v: number, id: number): void {
    const p = this.slot(v);
    this.keys[p] = v;
    this.ids[p] = id;
    if (++this.size * 2 > this.ids.length) this.grow();
  }

  private grow(): void {
    const keys = this.keys, ids = this.ids;
    this.keys = new Float64Array(keys.length * 2);
    this.ids = new Int32Array(ids.length * 2).fill(-1);
    this.mask = this.ids.length - 1;
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] < 0) continue;
      const p = this.slot(keys[i]);
      this.keys[p] = keys[i];
      this.ids[p] = ids[i];
    }
  }
}
