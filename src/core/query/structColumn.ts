/**
 * Columns for `dynamic` values read only through fixed member paths (see source pushdown):
 *
 * - `DynamicColumn`: dynamic values of one JSON kind stored typed (strings as dictionary codes,
 *   numbers in typed arrays) with a null mask, so `tostring(x)` and grouping can use the storage.
 * - `StructColumn`: a column of JSON objects of which only some paths were kept, each path a
 *   `DynamicColumn`. `get` returns an object with just those paths; the compiler reads paths from
 *   the path columns directly. Rows whose value is not an object keep that value as it is.
 */
import { getProperty, isDynamicObject } from './dynamic';
import { addAsciiBytes, copyDictionary, entryAt, indexOfEmpty, type Dictionary } from './dictionary';
import { stringColumnFromCodes, type Column } from './table';
import type { DynamicValue, ScalarType, Value } from './values';

const NO_BYTES = new Uint8Array(0);

export type DynamicStorage =
  | { readonly kind: 'string'; readonly dict: Dictionary; readonly codes: Uint32Array; readonly nulls: Uint8Array | null }
  | { readonly kind: 'long'; readonly values: BigInt64Array; readonly nulls: Uint8Array | null }
  /** Reals as JSON numbers: an integral one reads as a long, as the JSON number rule gives. */
  | { readonly kind: 'real'; readonly values: Float64Array; readonly nulls: Uint8Array | null }
  | { readonly kind: 'bool'; readonly values: Uint8Array }
  | { readonly kind: 'values'; readonly values: readonly Value[] }
  /**
   * Objects and arrays kept as their JSON text (dictionary-coded), read into values by `parse`
   * when a row is asked for: a log's nested objects cost a string per distinct text instead of a
   * tree of objects per row, which the read built, sent between threads and kept alive.
   */
  | { readonly kind: 'json'; readonly dict: Dictionary; readonly codes: Uint32Array; readonly nulls: Uint8Array | null; readonly parse: (text: string) => Value; readonly parsed: JsonValueCache }
  | { readonly kind: 'null'; readonly length: number };

/**
 * Values of a `json` storage of few distinct texts (a room, a client), parsed once and shared by
 * the rows (and the gathered columns) that hold them: member access parsed each row's text again
 * at every access. Values are never changed in place, so rows can share one. A column of more
 * distinct texts (objects of ids, addresses, whole events) is parsed at each access: its parsed
 * objects, kept, took about three times what the source cache counts for the column.
 */
export type JsonValueCache = (Value | undefined)[];
const JSON_CACHE_MAX_DISTINCT = 4096;

function jsonValueAt(s: Extract<DynamicStorage, { kind: 'json' }>, row: number): Value {
  if (s.nulls !== null && s.nulls[row] === 1) return null;
  const code = s.codes[row];
  if (s.dict.size > JSON_CACHE_MAX_DISTINCT) return s.parse(entryAt(s.dict, code));
  const cached = s.parsed[code];
  return cached !== undefined ? cached : (s.parsed[code] = s.parse(entryAt(s.dict, code)));
}

function storageLength(s: DynamicStorage): number {
  switch (s.kind) {
    case 'string':
    case 'json':
      return s.codes.length;
    case 'null':
      return s.length;
    default:
      return s.values.length;
  }
}

function gatherMask(mask: Uint8Array | null, rows: ArrayLike<number>): Uint8Array | null {
  if (!mask) return null;
  const out = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = mask[rows[i]];
  return out;
}

/** Dynamic values (type `dynamic`) kept in typed storage. */
export class DynamicColumn implements Column {
  readonly type: ScalarType = 'dynamic';
  private stringView: Column | undefined;
  constructor(readonly storage: DynamicStorage) {}

  get length(): number {
    return storageLength(this.storage);
  }

  get(row: number): Value {
    const s = this.storage;
    switch (s.kind) {
      case 'string':
        return s.nulls !== null && s.nulls[row] === 1 ? null : entryAt(s.dict, s.codes[row]);
      case 'long':
        return s.nulls !== null && s.nulls[row] === 1 ? null : s.values[row];
      case 'real': {
        if (s.nulls !== null && s.nulls[row] === 1) return null;
        const n = s.values[row];
        return Number.isSafeInteger(n) ? BigInt(n) : n;
      }
      case 'bool':
        return s.values[row] === 2 ? null : s.values[row] === 1;
      case 'values':
        return s.values[row] ?? null;
      case 'json':
        return jsonValueAt(s, row);
      case 'null':
        return null;
    }
  }

  /**
   * `tostring()` of every row as a string column, when the values are strings: the same
   * dictionary, with null rows pointing at "" (added to the dictionary when missing).
   */
  asStrings(): Column | undefined {
    const s = this.storage;
    if (s.kind !== 'string') return undefined;
    if (this.stringView) return this.stringView;
    if (!s.nulls) return (this.stringView = stringColumnFromCodes(s.dict, s.codes));
    let dict = s.dict, empty = indexOfEmpty(dict);
    if (empty < 0) {
      dict = copyDictionary(s.dict);
      empty = addAsciiBytes(dict, NO_BYTES, 0, 0); // "" (a lazy copy stays lazy)
    }
    const codes = new Uint32Array(s.codes.length);
    for (let i = 0; i < codes.length; i++) codes[i] = s.nulls[i] === 1 ? empty : s.codes[i];
    return (this.stringView = stringColumnFromCodes(dict, codes));
  }

  gather(rows: ArrayLike<number>): Column {
    const s = this.storage;
    switch (s.kind) {
      case 'string':
      case 'json': {
        const codes = new Uint32Array(rows.length);
        for (let i = 0; i < rows.length; i++) codes[i] = s.codes[rows[i]];
        return new DynamicColumn({ ...s, codes, nulls: gatherMask(s.nulls, rows) });
      }
      case 'long': {
        const values = new BigInt64Array(rows.length);
        for (let i = 0; i < rows.length; i++) values[i] = s.values[rows[i]];
        return new DynamicColumn({ kind: 'long', values, nulls: gatherMask(s.nulls, rows) });
      }
      case 'real': {
        const values = new Float64Array(rows.length);
        for (let i = 0; i < rows.length; i++) values[i] = s.values[rows[i]];
        return new DynamicColumn({ kind: 'real', values, nulls: gatherMask(s.nulls, rows) });
      }
      case 'bool': {
        const values = new Uint8Array(rows.length);
        for (let i = 0; i < rows.length; i++) values[i] = s.values[rows[i]];
        return new DynamicColumn({ kind: 'bool', values });
      }
      case 'values': {
        const values = new Array<Value>(rows.length);
        for (let i = 0; i < rows.length; i++) values[i] = s.values[rows[i]];
        return new DynamicColumn({ kind: 'values', values });
      }
      case 'null':
        return new DynamicColumn({ kind: 'null', length: rows.length });
    }
  }
}

export function isDynamicColumn(c: Column | undefined): c is DynamicColumn {
  return c instanceof DynamicColumn;
}

/** Objects of which only some paths were kept (see the module comment). */
export class StructColumn implements Column {
  readonly type: ScalarType = 'dynamic';
  constructor(
    /** The kept paths, each a list of keys; none is a prefix of another. */
    readonly paths: readonly (readonly string[])[],
    /** The value at each path, per row (null where absent or where the row is not an object). */
    readonly leaves: readonly Column[],
    /** 1 where the row's value is an object. */
    readonly objects: Uint8Array,
    /** The row's value where it is not an object (null elsewhere). */
    readonly others: Column,
  ) {}

  get length(): number {
    return this.objects.length;
  }

  /** The row's object with only the kept paths, or its value when it is not an object. */
  get(row: number): Value {
    if (this.objects[row] !== 1) return this.others.get(row);
    const out: Record<string, DynamicValue> = Object.create(null);
    this.paths.forEach((path, i) => {
      const v = this.leaves[i].get(row);
      if (v === null) return;
      let at = out;
      for (let k = 0; k < path.length - 1; k++) {
        const next = Object.hasOwn(at, path[k]) ? at[path[k]] : undefined;
        at = (isDynamicObject(next as Value) ? next : (at[path[k]] = Object.create(null))) as Record<string, DynamicValue>;
      }
      at[path[path.length - 1]] = v as DynamicValue;
    });
    return out as Value;
  }

  /**
   * The column of values at `path` (a member chain on this column): a kept path, or a kept prefix
   * of it followed by the remaining keys. Undefined when the path was not kept.
   */
  at(path: readonly string[]): { column: Column; rest: readonly string[] } | undefined {
    for (let i = 0; i < this.paths.length; i++) {
      const p = this.paths[i];
      if (p.length <= path.length && p.every((k, j) => path[j] === k)) return { column: this.leaves[i], rest: path.slice(p.length) };
    }
    return undefined;
  }

  gather(rows: ArrayLike<number>): Column {
    const objects = new Uint8Array(rows.length);
    for (let i = 0; i < rows.length; i++) objects[i] = this.objects[rows[i]];
    return new StructColumn(this.paths, this.leaves.map((l) => l.gather(rows)), objects, this.others.gather(rows));
  }
}

export function isStructColumn(c: Column | undefined): c is StructColumn {
  return c instanceof StructColumn;
}

/** Follows the remaining keys of a path on a value, as member access does. */
export function followPath(v: Value, rest: readonly string[]): Value {
  for (const key of rest) {
    if (v === null) return null;
    v = getProperty(v, key);
  }
  return v;
}
