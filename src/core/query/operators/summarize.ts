/** summarize and distinct: hash grouping, then one accumulator pass per aggregate. */
import type * as A from '../ast';
import { AGGREGATE_NAMES } from '../aggregate-names';
import { createAccumulator, type Accumulator } from '../aggregates';
import type { Compiled } from '../compiled';
import { ABORT_CHECK_MASK, QueryRuntimeError, throwIfAborted } from '../errors';
import { groupRows } from '../grouping';
import { inferName, nextColumnName, uniqueName } from '../naming';
import { closest } from '../suggest';
import { Table, type Column, type ColumnSchema } from '../table';
import { buildColumn } from '../columns';
import type { OperatorContext } from './context';

function keyColumn(key: Compiled, firstRow: Int32Array): Column {
  if (key.column) return key.column.gather(firstRow);
  return buildColumn(key.type, firstRow.length, (g) => key.eval(firstRow[g]));
}

export function summarize(table: Table, op: A.SummarizeOp, ctx: OperatorContext): Table {
  const taken = new Set<string>();
  const keys = op.by.map((a) => ({ name: a.name ?? inferName(a.expr), compiled: ctx.compile(a.expr, table), node: a }));
  const keyNames: string[] = keys.map((k) => uniqueName(k.name ?? nextColumnName(taken), taken));
  const grouping = groupRows(
    keys.map((k) => k.compiled),
    table.rowCount,
    ctx.signal,
  );
  // Kusto: summarize with keys over no rows gives no rows; without keys it gives one row.
  const groupCount = keys.length > 0 && table.rowCount === 0 ? 0 : grouping.groupCount;
  const accumulators: Accumulator[] = op.aggregates.map((a) => {
    const call = a.expr;
    if (call.kind !== 'Call' || !AGGREGATE_NAMES.has(call.name)) {
      const name = call.kind === 'Call' ? call.name : undefined;
      const near = name ? closest(name, [...AGGREGATE_NAMES]) : undefined;
      throw new QueryRuntimeError(
        name ? `\`${name}\` is not an aggregate function` : 'summarize expects aggregate functions such as count() or sum(x)',
        a.expr.start,
        a.expr.end - a.expr.start,
        near ? `did you mean \`${near}\`?` : 'wrap the expression in an aggregate, or compute it with extend after summarize',
      );
    }
    return createAccumulator(call, a.name, {
      table,
      compile: (e) => ctx.compile(e, table),
      run: ctx.run,
      keyNames: new Set(keyNames),
      groupCount,
    });
  });
  if (groupCount > 0) {
    const { groupOf } = grouping;
    for (const acc of accumulators) {
      for (let r = 0; r < table.rowCount; r++) {
        if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(ctx.signal);
        acc.add(groupOf[r], r);
      }
    }
  }
  const firstRow = grouping.firstRow.subarray(0, groupCount);
  const schema: ColumnSchema[] = keys.map((k, i) => ({ name: keyNames[i], type: k.compiled.type }));
  const columns: Column[] = keys.map((k) => keyColumn(k.compiled, firstRow));
  for (const acc of accumulators) {
    const produced = acc.finish();
    acc.outputs.forEach((o, i) => {
      schema.push({ name: uniqueName(o.name, taken), type: o.type });
      columns.push(produced[i]);
    });
  }
  return new Table(schema, columns, groupCount);
}

export function distinct(table: Table, op: A.DistinctOp, ctx: OperatorContext): Table {
  const by: A.ColumnAssignment[] =
    op.columns.length > 0 ? [...op.columns] : table.schema.map((c) => ({ expr: { kind: 'Name', name: c.name, start: op.start, end: op.end }, start: op.start, end: op.end }));
  return summarize(table, { kind: 'summarize', aggregates: [], by, start: op.start, end: op.end }, ctx);
}
