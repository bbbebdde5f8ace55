/**
 * Merging the partial tables of ranges read in parallel into the table a sequential read would
 * give: columns in first-seen order across ranges, each typed from the union of the kinds of
 * value its parts saw (see `mergedType`), string dictionaries remapped, values converted.
 */
import { entryAt } from '../query/dictionary';
import { boolColumnFromArray, longColumnFromArray, numberColumnFromArray, stringColumnFromCodes, Table, type Column, type ColumnSchema } from '../query/table';
import type { ScalarType, Value } from '../query/values';
import { BoolStore, LongStore, NumberStore, partLength, StringStore, ValueStore, type StorePart, type StringPart } from './columnStores';
import { jsonTextColumn, jsonTextValue } from './jsonTextStore';
import { addTimeReport, emptyTimeReport, mergedType, type ColumnPart, type TimeReadReport } from './columns';
import { mergeStructParts } from './structColumns';

export interface PartialTable {
  readonly parts: readonly ColumnPart[];
  readonly rowCount: number;
}

export interface MergedTable {
  readonly table: Table;
  readonly time: TimeReadReport | null;
  readonly timeFieldName: string | null;
}

export function mergePartialTables(partials: readonly PartialTable[], keep?: ReadonlySet<string>): MergedTable {
  const order: string[] = [];
  const byName = new Map<string, (ColumnPart | undefined)[]>();
  partials.forEach((partial, i) => {
    for (const part of partial.parts) {
      let slots = byName.get(part.name);
      if (!slots) {
        slots = new Array<ColumnPart | undefined>(partials.length).fill(undefined);
        byName.set(part.name, slots);
        order.push(part.name);
      }
      slots[i] = part;
    }
  });
  const rowCounts = partials.map((p) => p.rowCount);
  const rowCount = rowCounts.reduce((a, b) => a + b, 0);
  const schema: ColumnSchema[] = [];
  const columns: Column[] = [];
  let time: MergedTable['time'] = null;
  let timeFieldName: string | null = null;
  for (const name of order) {
    const slots = byName.get(name)!;
    const present = slots.filter((p): p is ColumnPart => p !== undefined);
    if (present.some((p) => p.time)) {
      timeFieldName = name;
      time = emptyTimeReport();
      for (const p of present) addTimeReport(time, p.time);
    }
    if (keep && !keep.has(name)) continue;
    if (present.some((p) => p.store.kind === 'struct')) {
      const merged = mergeStructParts(slots, rowCounts, (plain) => {
        const kept = plain.filter((p): p is ColumnPart => p !== undefined);
        return mergeColumn(mergedType(kept.reduce((k, p) => k | p.kinds, 0), kept.some((p) => p.unsafeLong)), plain, rowCounts);
      });
      const plainParts = present.map((p) => (p.store.kind === 'struct' ? p.store.plain : p));
      schema.push({ name, type: merged.type ?? mergedType(plainParts.reduce((k, p) => k | p.kinds, 0), plainParts.some((p) => p.unsafeLong)) });
      columns.push(merged.column);
      continue;
    }
    const type = mergedColumnType(present);
    schema.push({ name, type });
    columns.push(mergeColumn(type, slots, rowCounts));
  }
  return { table: new Table(schema, columns, rowCount), time, timeFieldName };
}

/** The type of a merged column (not a struct) from what its parts saw. */
export function mergedColumnType(parts: readonly Pick<ColumnPart, 'kinds' | 'unsafeLong' | 'time'>[]): ScalarType {
  if (parts.some((p) => p.time)) return 'datetime';
  return mergedType(
    parts.reduce((k, p) => k | p.kinds, 0),
    parts.some((p) => p.unsafeLong),
  );
}

/**
 * One part (or no part: all null) as a column of the merged type: its typed arrays as they are
 * when the part already has that type, else converted as a merge converts it.
 */
export function columnFromPart(type: ScalarType, part: ColumnPart | undefined, rowCount: number): Column {
  const s = part?.store;
  if (s?.kind === type) {
    switch (s.kind) {
      case 'string':
        return stringColumnFromCodes(s.dict, s.codes);
      case 'long':
        return longColumnFromArray(s.values, s.nulls ?? undefined);
      case 'real':
      case 'datetime':
        return numberColumnFromArray(s.kind, s.values, s.nulls ?? undefined);
      case 'bool':
        return boolColumnFromArray(s.values);
    }
  }
  return mergeColumn(type, [part], [rowCount]);
}

function mergeColumn(type: string, slots: readonly (ColumnPart | undefined)[], rowCounts: readonly number[]): Column {
  // Stores sized to the total up front: one allocation each, and finishing copies nothing.
  const total = rowCounts.reduce((a, b) => a + b, 0);
  switch (type) {
    case 'string': {
      const store = new StringStore();
      store.reserve(total);
      slots.forEach((part, i) => {
        const s = part?.store;
        if (s?.kind === 'string') store.appendPart(s.dict, s.codes, s.nulls, s.bytes);
        else store.appendNulls(rowCounts[i]);
      });
      return store.finish();
    }
    case 'long': {
      const store = new LongStore();
      store.reserve(total);
      slots.forEach((part, i) => {
        const s = part?.store;
        if (s?.kind === 'long') store.appendPart(s.values, s.nulls);
        else for (let r = 0; r < rowCounts[i]; r++) store.pushNull();
      });
      return store.finish();
    }
    case 'real':
    case 'datetime': {
      const store = new NumberStore(type);
      store.reserve(total);
      slots.forEach((part, i) => {
        const s = part?.store;
        if (s?.kind === type) store.appendPart(s.values, s.nulls);
        else if (s?.kind === 'long') for (let r = 0; r < s.values.length; r++) s.nulls?.[r] === 1 ? store.pushNull() : store.push(Number(s.values[r]));
        else for (let r = 0; r < rowCounts[i]; r++) store.pushNull();
      });
      return store.finish();
    }
    case 'bool': {
      const store = new BoolStore();
      store.reserve(total);
      slots.forEach((part, i) => {
        const s = part?.store;
        if (s?.kind === 'bool') store.appendPart(s.values);
        else for (let r = 0; r < rowCounts[i]; r++) store.pushNull();
      });
      return store.finish();
    }
    default: {
      // Parts that all kept their objects and arrays as text merge as strings do.
      if (slots.some((p) => p?.store.kind === 'json') && slots.every((p) => p === undefined || p.store.kind === 'json' || p.store.kind === 'null')) {
        const texts = new StringStore();
        texts.reserve(total);
        slots.forEach((part, i) => {
          const s = part?.store;
          if (s?.kind === 'json') texts.appendPart(s.texts.dict, s.texts.codes, s.texts.nulls, s.texts.bytes);
          else texts.appendNulls(rowCounts[i]);
        });
        return jsonTextColumn(texts.export() as StringPart);
      }
      const store = new ValueStore();
      slots.forEach((part, i) => {
        const s = part?.store;
        if (!s || s.kind === 'struct') for (let r = 0; r < rowCounts[i]; r++) store.pushNull(); // struct parts merge elsewhere
        else for (let r = 0, n = partLength(s); r < n; r++) store.push(dynamicValue(s, r));
      });
      return store.finish();
    }
  }
}

/** Row r of a part as a dynamic value, as a sequential read would have stored it. */
export function dynamicValue(s: StorePart, r: number): Value {
  switch (s.kind) {
    case 'string':
      return s.nulls?.[r] === 1 ? null : entryAt(s.dict, s.codes[r]);
    case 'long':
      return s.nulls?.[r] === 1 ? null : s.values[r];
    case 'real': {
      if (s.nulls?.[r] === 1) return null;
      const n = s.values[r];
      return Number.isSafeInteger(n) ? BigInt(n) : n; // integral reals were longs (see InferredColumn)
    }
    case 'bool':
      return s.values[r] === 2 ? null : s.values[r] === 1;
    case 'dynamic':
      return withNullPrototypes(s.values[r]);
    case 'json':
      return s.texts.nulls?.[r] === 1 ? null : jsonTextValue(entryAt(s.texts.dict, s.texts.codes[r]));
    default:
      return null;
  }
}

/**
 * Values that crossed a worker boundary come back with Object.prototype; restore the null
 * prototypes (own `__proto__` keys survive structured cloning as plain data).
 */
export function withNullPrototypes(v: Value): Value {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (const item of v) withNullPrototypes(item);
    return v;
  }
  if (Object.getPrototypeOf(v) !== null) Object.setPrototypeOf(v, null);
  for (const key of Object.keys(v)) withNullPrototypes((v as Record<string, Value>)[key]);
  return v;
}
