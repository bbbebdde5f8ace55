/**
 * A worker thread that reads several tasks (line-aligned byte ranges, handed out in file order)
 * adds them all to one running table, so it builds one dictionary per column however many tasks
 * it reads. Merging needs each task's rows on their own, in file order: this module cuts the
 * workers' tables back into per-task partial tables (views, no copies of typed arrays) that
 * `mergePartialTables` unites exactly as it unites tables read one per task.
 */
import type { ColumnPart, TimeReadReport } from './columns';
import type { StorePart, StringPart } from './columnStores';
import type { PartialTable } from './mergeParts';
import type { StructPart } from './structColumns';

/** What a worker reports for one task read into its running table. */
export interface TaskRows {
  /** The worker (index into the tables) that read the task. */
  readonly worker: number;
  /** The task's rows are rows [firstRow, firstRow + rowCount) of the worker's table. */
  readonly firstRow: number;
  readonly rowCount: number;
  /** Columns the worker met first in this task, in first-seen order. */
  readonly newColumns: readonly string[];
  /** The time column's unreadable values in this task. */
  readonly timeFailures: Readonly<TimeReadReport>;
}

/**
 * Per-task partial tables, in task order. A task's table has the columns its worker had met by
 * the end of the task (tasks reach a worker in file order, so a column's first task is the first
 * in which any worker met it, and first-seen order is that of a sequential read).
 */
export function taskPartials(tasks: readonly TaskRows[], tables: readonly (readonly ColumnPart[])[]): PartialTable[] {
  const byName = tables.map((parts) => new Map(parts.map((p) => [p.name, p])));
  const known = tables.map(() => [] as string[]);
  return tasks.map((task) => {
    const names = known[task.worker];
    names.push(...task.newColumns);
    const from = task.firstRow, to = task.firstRow + task.rowCount;
    const parts = names.map((name) => {
      const whole = byName[task.worker].get(name);
      if (!whole) throw new Error(`a reader thread reported column "${name}" but did not send it`);
      const part: ColumnPart = { name, kinds: whole.kinds, unsafeLong: whole.unsafeLong, store: sliceStore(whole.store, from, to) };
      return whole.time ? { ...part, time: task.timeFailures } : part;
    });
    return { parts, rowCount: task.rowCount };
  });
}

/** Rows [from, to) of a part's storage (typed arrays as views). */
export function sliceStore(store: StorePart | StructPart, from: number, to: number): StorePart | StructPart {
  switch (store.kind) {
    case 'string':
      return { kind: 'string', dict: store.dict, codes: store.codes.subarray(from, to), nulls: store.nulls?.subarray(from, to) ?? null, bytes: store.bytes ?? null };
    case 'long':
      return { kind: 'long', values: store.values.subarray(from, to), nulls: store.nulls?.subarray(from, to) ?? null };
    case 'real':
    case 'datetime':
      return { kind: store.kind, values: store.values.subarray(from, to), nulls: store.nulls?.subarray(from, to) ?? null };
    case 'bool':
      return { kind: 'bool', values: store.values.subarray(from, to) };
    case 'dynamic':
      return { kind: 'dynamic', values: store.values.slice(from, to) };
    case 'json':
      return { kind: 'json', texts: sliceStore(store.texts, from, to) as StringPart };
    case 'null':
      return { kind: 'null', length: to - from };
    case 'struct':
      return {
        ...store,
        objects: store.objects.subarray(from, to),
        plain: { ...store.plain, store: sliceStore(store.plain.store, from, to) },
        leaves: store.leaves.map((leaf) => ({ ...leaf, store: sliceStore(leaf.store, from, to) })),
      };
  }
}
