/**
 * A query's partial aggregation (see `PartialAggregation`) run by a reader thread over the rows it
 * read, one task (byte range) at a time. The main thread first learns every thread's columns and
 * settles the merged table's schema, so each task's rows are typed exactly as in the merged table;
 * the partial results, small, go back in plain form and are combined in task order.
 */
import { runOperatorsOn } from '../query/engine';
import { partialSchemaProblem, type PartialAggregation } from '../query/partialAggregation';
import { buildColumn } from '../query/columns';
import { Table, type ColumnSchema } from '../query/table';
import { DateTime, Timespan, type Value } from '../query/values';
import { emptyTimeReport, type ColumnPart } from './columns';
import { columnFromPart, mergedColumnType } from './mergeParts';
import { mergeStructParts } from './structColumns';
import { sliceStore } from './taskSegments';

/**
 * What a reader thread tells of one column of its running table: the kinds of value it saw (of a
 * struct field: outside objects) and, for a struct field, whether it saw an object and its paths.
 */
export interface ColumnMeta {
  readonly name: string;
  readonly kinds: number;
  readonly unsafeLong: boolean;
  readonly time?: true;
  readonly struct?: { readonly sawObject: boolean; readonly paths: readonly (readonly string[])[] };
}

export function columnMetas(parts: readonly ColumnPart[]): ColumnMeta[] {
  return parts.map((p) => {
    const s = p.store;
    if (s.kind === 'struct') return { name: p.name, kinds: s.plain.kinds, unsafeLong: s.plain.unsafeLong, struct: { sawObject: s.sawObject, paths: s.paths } };
    return { name: p.name, kinds: p.kinds, unsafeLong: p.unsafeLong, ...(p.time ? { time: true as const } : {}) };
  });
}

/** The merged table's columns, and among them the struct fields (member paths kept apart) with their paths. */
export interface MergedSchema {
  readonly schema: readonly ColumnSchema[];
  readonly structs: Readonly<Record<string, readonly (readonly string[])[]>>;
}

/**
 * The merged table's schema: the columns in `order` (first seen in a sequential read) that `keep`
 * allows, typed from every thread's parts as the merge types them (a struct field stays one when
 * any thread saw an object in it; see `mergeStructParts`).
 */
export function mergedSchema(order: readonly string[], threads: readonly (readonly ColumnMeta[])[], keep?: ReadonlySet<string>): MergedSchema {
  const schema: ColumnSchema[] = [];
  const structs: Record<string, readonly (readonly string[])[]> = Object.create(null);
  for (const name of order) {
    if (keep && !keep.has(name)) continue;
    const parts = threads.flatMap((metas) => metas.filter((m) => m.name === name));
    const struct = parts.find((p) => p.struct?.sawObject)?.struct;
    if (struct) structs[name] = struct.paths;
    schema.push({ name, type: struct ? 'dynamic' : mergedColumnType(parts.map((p) => ({ kinds: p.kinds, unsafeLong: p.unsafeLong, ...(p.time ? { time: emptyTimeReport() } : {}) }))) });
  }
  return { schema, structs };
}

/** A thread's task: rows [firstRow, firstRow + rowCount) of its running table. */
export interface TaskSpan {
  readonly id: number;
  readonly firstRow: number;
  readonly rowCount: number;
}

/** A small table in plain form (datetimes and timespans as microseconds), to cross threads. */
export interface PlainTable {
  readonly schema: readonly ColumnSchema[];
  readonly rowCount: number;
  readonly columns: readonly (readonly Value[])[];
}

export type TaskAggregation = { readonly ok: true; readonly tasks: readonly { readonly id: number; readonly table: PlainTable }[] } | { readonly ok: false; readonly reason: string };

/**
 * Groups a range may have for the split to pay off: partial rows cross threads as plain values and
 * are grouped again, which for many groups (ids, addresses) costs more than merging the range's
 * columns, whose strings cross as dictionaries. Beyond this the thread declines at once.
 */
function tooManyGroups(groups: number, rows: number, limit: GroupLimit): boolean {
  return groups > Math.max(4096, rows / (limit === 'usual' ? 16 : 2));
}

/**
 * `usual`: the limit above. `lenient`: once rows were dropped, declining costs a second read of
 * the file (the merge then needs them), so only ranges of nearly one group per row decline.
 */
export type GroupLimit = 'usual' | 'lenient';

/**
 * Runs the partial step over each task's rows, typed by the merged schema. Any failure declines
 * (the ordinary path then reports errors with the whole table's context), as do too many groups
 * (see `GroupLimit`); only a cancellation is thrown.
 */
export async function aggregateTasks(parts: readonly ColumnPart[], tasks: readonly TaskSpan[], merged: MergedSchema, plan: PartialAggregation, signal: AbortSignal, groupLimit: GroupLimit = 'usual'): Promise<TaskAggregation> {
  const out: { id: number; table: PlainTable }[] = [];
  const byName = new Map(parts.map((p) => [p.name, p]));
  try {
    for (const task of tasks) {
      const result = await runOperatorsOn(taskTable(byName, task, merged), plan.operators, new DateTime(plan.now), signal);
      if (result.warnings.length > 0) return { ok: false, reason: 'the partial step warned' };
      const problem = partialSchemaProblem(plan, result.table.schema);
      if (problem) return { ok: false, reason: problem };
      if (tooManyGroups(result.table.rowCount, task.rowCount, groupLimit)) return { ok: false, reason: `${result.table.rowCount} groups in ${task.rowCount} rows` };
      out.push({ id: task.id, table: toPlain(result.table) });
    }
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    return { ok: false, reason: (e as Error)?.message ?? String(e) };
  }
  return { ok: true, tasks: out };
}

/** A task's rows of the thread's table, with the merged table's columns and types. */
function taskTable(byName: ReadonlyMap<string, ColumnPart>, task: TaskSpan, merged: MergedSchema): Table {
  const to = task.firstRow + task.rowCount;
  const columns = merged.schema.map((c) => {
    const whole = byName.get(c.name);
    const part = whole && { ...whole, store: sliceStore(whole.store, task.firstRow, to) };
    const paths = Object.hasOwn(merged.structs, c.name) ? merged.structs[c.name] : undefined;
    if (paths) return mergeStructParts([part], [task.rowCount], () => columnFromPart(c.type, undefined, task.rowCount), paths).column;
    // A struct field that holds no object anywhere is its plain values.
    const plain = part?.store.kind === 'struct' ? part.store.plain : part;
    return columnFromPart(c.type, plain, task.rowCount);
  });
  return new Table([...merged.schema], columns, task.rowCount);
}

function toPlain(t: Table): PlainTable {
  const columns = t.columns.map((c) => {
    const values: Value[] = new Array(t.rowCount);
    for (let r = 0; r < t.rowCount; r++) {
      const v = c.get(r);
      values[r] = v instanceof DateTime || v instanceof Timespan ? v.us : v;
    }
    return values;
  });
  return { schema: t.schema, rowCount: t.rowCount, columns };
}

/** The tasks' partial tables as one table, in the order given (all have the schema of the first). */
export function concatPlain(tables: readonly PlainTable[]): Table {
  const schema = tables[0].schema;
  const rowCount = tables.reduce((a, t) => a + t.rowCount, 0);
  const columns = schema.map((c, j) => {
    const values: Value[] = [];
    for (const t of tables) for (const v of t.columns[j]) values.push(v);
    const wrap = c.type === 'datetime' ? (v: Value) => (v === null ? null : new DateTime(v as number)) : c.type === 'timespan' ? (v: Value) => (v === null ? null : new Timespan(v as number)) : (v: Value) => v;
    return buildColumn(c.type, rowCount, (r) => wrap(values[r]));
  });
  return new Table([...schema], columns, rowCount);
}
