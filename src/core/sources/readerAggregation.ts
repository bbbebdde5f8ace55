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
import type { ColumnPart } from './columns';
import { columnFromPart, mergedColumnType } from './mergeParts';
import { sliceStore } from './taskSegments';

/** What a reader thread tells of one column of its running table. */
export interface ColumnMeta {
  readonly name: string;
  readonly kinds: number;
  readonly unsafeLong: boolean;
  readonly time?: unknown;
  readonly struct: boolean;
}

export function columnMetas(parts: readonly ColumnPart[]): ColumnMeta[] {
  return parts.map((p) => ({ name: p.name, kinds: p.kinds, unsafeLong: p.unsafeLong, ...(p.time ? { time: true } : {}), struct: p.store.kind === 'struct' }));
}

/**
 * The merged table's schema: the columns in `order` (first seen in a sequential read) that `keep`
 * allows, typed from every thread's parts as the merge types them. Null when a kept column holds
 * member paths (a struct, merged by its own rules): such reads are not split.
 */
export function mergedSchema(order: readonly string[], threads: readonly (readonly ColumnMeta[])[], keep?: ReadonlySet<string>): ColumnSchema[] | null {
  const schema: ColumnSchema[] = [];
  for (const name of order) {
    if (keep && !keep.has(name)) continue;
    const parts = threads.flatMap((metas) => metas.filter((m) => m.name === name));
    if (parts.some((p) => p.struct)) return null;
    schema.push({ name, type: mergedColumnType(parts.map((p) => ({ kinds: p.kinds, unsafeLong: p.unsafeLong, ...(p.time ? { time: { failures: 0, firstFailure: null } } : {}) }))) });
  }
  return schema;
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

/** Runs the partial step over each task's rows, typed by the merged `schema`. */
export async function aggregateTasks(parts: readonly ColumnPart[], tasks: readonly TaskSpan[], schema: readonly ColumnSchema[], plan: PartialAggregation, signal: AbortSignal): Promise<TaskAggregation> {
  const byName = new Map(parts.map((p) => [p.name, p]));
  const out: { id: number; table: PlainTable }[] = [];
  for (const task of tasks) {
    const to = task.firstRow + task.rowCount;
    const columns = schema.map((c) => {
      const whole = byName.get(c.name);
      const part = whole && { ...whole, store: sliceStore(whole.store, task.firstRow, to) };
      return columnFromPart(c.type, part, task.rowCount);
    });
    let result: { table: Table; warnings: string[] };
    try {
      result = await runOperatorsOn(new Table([...schema], columns, task.rowCount), plan.operators, new DateTime(plan.now), signal);
    } catch (e) {
      // Errors are reported by the ordinary path, with the whole table's context.
      if ((e as Error).name === 'AbortError') throw e;
      return { ok: false, reason: (e as Error).message };
    }
    if (result.warnings.length > 0) return { ok: false, reason: 'the partial step warned' };
    const problem = partialSchemaProblem(plan, result.table.schema);
    if (problem) return { ok: false, reason: problem };
    out.push({ id: task.id, table: toPlain(result.table) });
  }
  return { ok: true, tasks: out };
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
