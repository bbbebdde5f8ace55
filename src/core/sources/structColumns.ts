/**
 * Columns of JSON objects of which a query reads only some member paths (`LoadOptions.fieldPaths`):
 * each path becomes a column of its own, typed like any column, and the rest of each object is
 * never materialised. Rows whose value is not an object are kept whole, so a column that never
 * holds an object comes out exactly as a plain column would.
 */
import type { Column } from '../query/table';
import { DynamicColumn, StructColumn, type DynamicStorage } from '../query/structColumn';
import { isDynamicObject } from '../query/dynamic';
import type { Value } from '../query/values';
import { InferredColumn, KIND_BITS, mergedType, type ColumnPart, type FinishedColumn } from './columns';
import { partLength, RawString, StringStore, withRoom, type StorePart } from './columnStores';
import { dynamicValue } from './mergeParts';

/**
 * The values at a struct field's paths in one row, as the scanner read them from an object
 * (`undefined`: the path is absent). One instance per field is reused row after row.
 */
export class StructLeaves {
  constructor(readonly values: (Value | RawString | undefined)[]) {}
}

/** A struct column's storage in transferable form. */
export interface StructPart {
  readonly kind: 'struct';
  readonly paths: readonly (readonly string[])[];
  readonly sawObject: boolean;
  readonly objects: Uint8Array;
  /** The non-object values (null on object rows). */
  readonly plain: ColumnPart;
  readonly leaves: readonly ColumnPart[];
}

export class StructAccumulator {
  private readonly plain = new InferredColumn();
  private readonly leaves: InferredColumn[];
  private objects = new Uint8Array(1024);
  private sawObject = false;

  constructor(readonly paths: readonly (readonly string[])[]) {
    this.leaves = paths.map(() => new InferredColumn());
  }

  get length(): number {
    return this.plain.length;
  }

  reserve(rows: number): void {
    this.plain.reserve(rows);
    for (const leaf of this.leaves) leaf.reserve(rows);
    this.objects = withRoom(this.objects, this.objects.length, rows);
  }

  set(row: number, v: Value | StructLeaves): void {
    if (v instanceof StructLeaves) {
      this.markObject(row);
      for (let i = 0; i < this.leaves.length; i++) {
        const x = v.values[i];
        if (x instanceof RawString) this.leaves[i].setRaw(row, x);
        else if (x !== undefined) this.leaves[i].set(row, x);
      }
      this.plain.set(row, null);
      return;
    }
    if (isDynamicObject(v)) {
      // An object parsed whole (a line the scanner left to JSON.parse): walk the paths.
      this.markObject(row);
      this.paths.forEach((path, i) => {
        let x: Value | undefined = v;
        for (const key of path) x = isDynamicObject(x) && Object.hasOwn(x, key) ? (x as Record<string, Value>)[key] : undefined;
        if (x !== undefined) this.leaves[i].set(row, x);
      });
      this.plain.set(row, null);
      return;
    }
    this.plain.set(row, v);
  }

  /** The column of path i's values, when it takes its next string as pushBytesAt gives it (see InferredColumn.takesBytes). */
  leafTakingBytes(i: number): InferredColumn | null {
    const leaf = this.leaves[i];
    return leaf !== undefined && leaf.takesBytes() ? leaf : null;
  }

  /** set(row, leaves) of rows [from, to) but for the leaves (their columns are written by the caller: see templateRuns.ts). */
  setObjects(from: number, to: number): void {
    this.sawObject = true;
    this.objects = withRoom(this.objects, this.objects.length, to);
    this.objects.fill(1, from, to);
    for (let row = from; row < to; row++) this.plain.set(row, null);
  }

  private markObject(row: number): void {
    this.sawObject = true;
    this.objects = withRoom(this.objects, this.objects.length, row + 1);
    this.objects[row] = 1;
  }

  finish(rowCount: number): FinishedColumn {
    if (!this.sawObject) return this.plain.finish(rowCount);
    const objects = new Uint8Array(rowCount);
    objects.set(this.objects.subarray(0, Math.min(rowCount, this.objects.length)));
    const leaves = this.leaves.map((l) => dynamicColumnOf([l.exportPart('', rowCount)], [rowCount]));
    return { type: 'dynamic', column: new StructColumn(this.paths, leaves, objects, othersColumn([this.plain.exportPart('', rowCount)], [rowCount])) };
  }

  exportPart(name: string, rowCount: number): ColumnPart {
    const plain = this.plain.exportPart(name, rowCount);
    // A view (rows beyond are never marked), grown to the rows first if need be: a reader exports
    // after each range, and copying each time would cost the rows so far at every range.
    this.objects = withRoom(this.objects, this.objects.length, rowCount);
    const objects = this.objects.subarray(0, rowCount);
    const store: StructPart = { kind: 'struct', paths: this.paths, sawObject: this.sawObject, objects, plain, leaves: this.leaves.map((l) => l.exportPart('', rowCount)) };
    return { name, kinds: plain.kinds | (this.sawObject ? KIND_BITS.dynamic! : 0), unsafeLong: plain.unsafeLong, store };
  }
}

/** Parts of one column (undefined: the range had no such field) as dynamic values with typed storage. */
export function dynamicColumnOf(parts: readonly (ColumnPart | undefined)[], rowCounts: readonly number[]): DynamicColumn {
  const present = parts.filter((p): p is ColumnPart => p !== undefined);
  const type = mergedType(present.reduce((k, p) => k | p.kinds, 0), present.some((p) => p.unsafeLong));
  const total = rowCounts.reduce((a, b) => a + b, 0);
  const stores = parts.map((p) => p?.store as StorePart | undefined);
  if (present.every((p) => p.kinds === 0)) return new DynamicColumn({ kind: 'null', length: total });
  switch (type) {
    case 'string': {
      const strings = new StringStore();
      strings.reserve(total);
      stores.forEach((s, i) => (s?.kind === 'string' ? strings.appendPart(s.dict, s.codes, s.nulls, s.bytes) : strings.appendNulls(rowCounts[i])));
      const { dict, codes, nulls } = strings.export() as Extract<StorePart, { kind: 'string' }>;
      return new DynamicColumn({ kind: 'string', dict, codes, nulls });
    }
    case 'long': {
      const values = new BigInt64Array(total);
      const nulls = new Uint8Array(total);
      let at = 0;
      stores.forEach((s, i) => {
        if (s?.kind === 'long') {
          values.set(s.values, at);
          if (s.nulls) nulls.set(s.nulls, at);
        } else nulls.fill(1, at, at + rowCounts[i]);
        at += rowCounts[i];
      });
      return new DynamicColumn({ kind: 'long', values, nulls });
    }
    case 'real': {
      const values = new Float64Array(total);
      const nulls = new Uint8Array(total);
      let at = 0;
      stores.forEach((s, i) => {
        if (s?.kind === 'real') {
          values.set(s.values, at);
          if (s.nulls) nulls.set(s.nulls, at);
        } else if (s?.kind === 'long') {
          for (let r = 0; r < s.values.length; r++) {
            if (s.nulls?.[r] === 1) nulls[at + r] = 1;
            else values[at + r] = Number(s.values[r]);
          }
        } else nulls.fill(1, at, at + rowCounts[i]);
        at += rowCounts[i];
      });
      return new DynamicColumn({ kind: 'real', values, nulls });
    }
    case 'bool': {
      const values = new Uint8Array(total).fill(2);
      let at = 0;
      stores.forEach((s, i) => {
        if (s?.kind === 'bool') values.set(s.values, at);
        at += rowCounts[i];
      });
      return new DynamicColumn({ kind: 'bool', values });
    }
    default: {
      const values = new Array<Value>(total).fill(null);
      let at = 0;
      stores.forEach((s, i) => {
        if (s) for (let r = 0, n = partLength(s); r < n; r++) values[at + r] = dynamicValue(s, r);
        at += rowCounts[i];
      });
      return new DynamicColumn({ kind: 'values', values } satisfies DynamicStorage);
    }
  }
}

/** The non-object values of a struct column (only read where a row is not an object). */
function othersColumn(parts: readonly (ColumnPart | undefined)[], rowCounts: readonly number[]): Column {
  return dynamicColumnOf(parts, rowCounts);
}

/**
 * Merges the parts of a struct field read in ranges (undefined: a range without the field). It
 * stays a struct when some part saw an object, or when `structPaths` says the whole source's
 * field is one (these parts are some of its ranges).
 */
export function mergeStructParts(
  parts: readonly (ColumnPart | undefined)[],
  rowCounts: readonly number[],
  mergePlain: (plain: readonly (ColumnPart | undefined)[]) => Column,
  structPaths?: readonly (readonly string[])[],
): { type: 'dynamic' | undefined; column: Column } {
  const structs = parts.map((p) => (p?.store as StructPart | StorePart | undefined)?.kind === 'struct' ? (p!.store as unknown as StructPart) : undefined);
  const plains = parts.map((p, i) => (structs[i] ? structs[i]!.plain : p));
  if (!structPaths && !structs.some((s) => s?.sawObject)) return { type: undefined, column: mergePlain(plains) };
  const paths = structPaths ?? structs.find((s) => s)!.paths;
  const total = rowCounts.reduce((a, b) => a + b, 0);
  const objects = new Uint8Array(total);
  let at = 0;
  structs.forEach((s, i) => {
    if (s) objects.set(s.objects, at);
    at += rowCounts[i];
  });
  const leaves = paths.map((_, k) => dynamicColumnOf(structs.map((s) => s?.leaves[k]), rowCounts));
  return { type: 'dynamic', column: new StructColumn(paths, leaves, objects, othersColumn(plains, rowCounts)) };
}
