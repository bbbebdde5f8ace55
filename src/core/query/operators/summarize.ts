/** summarize and distinct: hash grouping, then one accumulator pass per aggregate. */
import type * as A from '../ast';
import { AGGREGATE_NAMES } from '../aggregate-names';
import { createAccumulator, type Accumulator } from '../aggregates';
import type { Compiled } from '../compiled';
import { ABORT_CHECK_MASK, QueryRuntimeError, throwIfAborted } from '../errors';
import { groupRows, releaseGrouping } from '../grouping';
import { inferName, nextColumnName, uniqueName } from '../naming';
import { closest } from '../suggest';
import { Table, type Column, type ColumnSchema } from '../table';
import { buildColumn } from '../columns';
import { childExprs } from '../walk';
import { materialize } from './columns-ops';
import type { OperatorContext } from './context';

function keyColumn(key: Compiled, firstRow: Int32Array): Column {
  if (key.column) return key.column.gather(firstRow);
  return buildColumn(key.type, firstRow.length, (g) => key.eval(firstRow[g]));
}

export function summarize(table: Table, op: A.SummarizeOp, ctx: OperatorContext): Table {
  const taken = new Set<string>();
  const keys = op.by.map((a) => ({ name: a.name ?? inferName(a.expr, (n) => table.column(n) !== undefined), compiled: ctx.compile(a.expr, table), node: a }));
  const keyNames: string[] = keys.map((k) => uniqueName(k.name ?? nextColumnName(taken), taken));
  const grouping = groupRows(
    keys.map((k) => k.compiled),
    table.rowCount,
    ctx.signal,
  );
  // Kusto: summarize with keys over no rows gives no rows; without keys it gives one row.
  const groupCount = keys.length > 0 && table.rowCount === 0 ? 0 : grouping.groupCount;
  // The groups in the order the result lists them (first seen), when ids are not that order.
  const order = groupCount > 0 ? grouping.order : undefined;
  // Expressions over aggregates (`round(avg(x), 2)`) aggregate into hidden columns, then compute on the groups.
  const plan = planAggregates(op.aggregates);
  const accumulators: Accumulator[] = plan.aggregates.map((a) => {
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
    const { groupOf, sizes } = grouping;
    for (const acc of accumulators) {
      if (acc.addAll) {
        acc.addAll(groupOf, table.rowCount, ctx.signal, sizes);
        continue;
      }
      for (let r = 0; r < table.rowCount; r++) {
        if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(ctx.signal);
        acc.add(groupOf[r], r);
      }
    }
  }
  // Row ids are read by the passes above only (an accumulator keeps rows, never ids).
  releaseGrouping(grouping);
  const firstRow = order ? order.map((g) => grouping.firstRow[g]) : grouping.firstRow.subarray(0, groupCount);
  const schema: ColumnSchema[] = keys.map((k, i) => ({ name: keyNames[i], type: k.compiled.type }));
  const columns: Column[] = keys.map((k) => keyColumn(k.compiled, firstRow));
  for (const acc of accumulators) {
    const produced = acc.finish();
    acc.outputs.forEach((o, i) => {
      schema.push({ name: uniqueName(o.name, taken), type: o.type });
      columns.push(order ? produced[i].gather(order) : produced[i]);
    });
  }
  const grouped = new Table(schema, columns, firstRow.length);
  if (plan.wrappers.length === 0) return grouped;
  return applyWrappers(grouped, plan, ctx, taken, table);
}

interface AggregatePlan {
  /** Plain aggregate calls, some under hidden names. */
  readonly aggregates: A.ColumnAssignment[];
  /** Output position, name and the expression over hidden aggregate columns. */
  readonly wrappers: { readonly index: number; readonly name: string | undefined; readonly expr: A.Expr }[];
  readonly hidden: Set<string>;
}

const HIDDEN_PREFIX = '\u0000agg';

function isAggregateCall(e: A.Expr): boolean {
  return e.kind === 'Call' && AGGREGATE_NAMES.has(e.name);
}

function planAggregates(assignments: readonly A.ColumnAssignment[]): AggregatePlan {
  const aggregates: A.ColumnAssignment[] = [];
  const wrappers: AggregatePlan['wrappers'][number][] = [];
  const hidden = new Set<string>();
  assignments.forEach((a, index) => {
    if (isAggregateCall(a.expr) || !containsAggregate(a.expr)) {
      aggregates.push(a);
      return;
    }
    const expr = replaceAggregates(a.expr, (call) => {
      const name = `${HIDDEN_PREFIX}${hidden.size}`;
      hidden.add(name);
      aggregates.push({ name, expr: call, start: call.start, end: call.end });
      return { kind: 'Name' as const, name, start: call.start, end: call.end };
    });
    wrappers.push({ index, name: a.name, expr });
  });
  return { aggregates, wrappers, hidden };
}

function containsAggregate(e: A.Expr): boolean {
  return isAggregateCall(e) || childExprs(e).some(containsAggregate);
}

/** A copy of the expression with each aggregate call replaced. */
function replaceAggregates(e: A.Expr, replace: (call: A.CallExpr) => A.Expr): A.Expr {
  if (isAggregateCall(e)) return replace(e as A.CallExpr);
  const r = (x: A.Expr) => replaceAggregates(x, replace);
  switch (e.kind) {
    case 'Binary':
      return { ...e, left: r(e.left), right: r(e.right) };
    case 'StringOp':
      return { ...e, left: r(e.left), right: r(e.right) };
    case 'List':
      return { ...e, left: r(e.left), items: e.items.map(r) };
    case 'Between':
      return { ...e, left: r(e.left), low: r(e.low), high: r(e.high) };
    case 'Unary':
      return { ...e, operand: r(e.operand) };
    case 'Call':
      return { ...e, args: e.args.map(r) };
    case 'Member':
      return { ...e, target: r(e.target) };
    case 'Index':
      return { ...e, target: r(e.target), index: r(e.index) };
    default:
      return e;
  }
}

/** Computes wrapper expressions over the grouped table and puts them where the user wrote them. */
function applyWrappers(grouped: Table, plan: AggregatePlan, ctx: OperatorContext, taken: Set<string>, input: Table): Table {
  const visible = grouped.schema.map((c, i) => ({ c, col: grouped.columns[i] })).filter(({ c }) => !plan.hidden.has(c.name));
  const computed = plan.wrappers.map((w) => {
    let column: Column;
    try {
      column = materialize(w.expr, grouped, ctx);
    } catch (e) {
      throw e instanceof QueryRuntimeError && e.missingName !== undefined ? outsideAggregate(e, e.missingName, input, visible.map(({ c }) => c.name)) : e;
    }
    return { name: uniqueName(w.name ?? nextColumnName(taken), taken), column };
  });
  // Aggregates appear after the keys in the order written; wrappers are spliced back into that order.
  const keyColumns = grouped.schema.length - plan.aggregates.length;
  const keys = visible.slice(0, keyColumns);
  const rest = visible.slice(keyColumns);
  const ordered: { c: ColumnSchema; col: Column }[] = [...rest];
  plan.wrappers.forEach((w, i) => ordered.splice(Math.min(w.index, ordered.length), 0, { c: { name: computed[i].name, type: computed[i].column.type }, col: computed[i].column }));
  const all = [...keys, ...ordered];
  return new Table(all.map((x) => x.c), all.map((x) => x.col), grouped.rowCount);
}

/**
 * A name in `count() + v` that is neither an aggregate nor a key: said in the user's terms (the
 * grouped table's hidden aggregate columns are no names of theirs).
 */
function outsideAggregate(e: QueryRuntimeError, name: string, input: Table, keys: readonly string[]): QueryRuntimeError {
  if (input.columnIndex(name) >= 0) {
    return new QueryRuntimeError(`\`${name}\` is neither an aggregate nor a \`by\` key here`, e.offset, e.length, `next to an aggregate, summarize reads only aggregates and its by keys: take_any(${name}), or add ${name} to by`);
  }
  const columns = input.schema.map((c) => c.name);
  const near = closest(name, [...keys, ...columns]);
  const listing = `columns of the input: ${columns.slice(0, 40).join(', ')}${columns.length > 40 ? ', ...' : ''}`;
  const unknown = new QueryRuntimeError(`unknown column or name \`${name}\``, e.offset, e.length, near ? `did you mean \`${near}\`? (${listing})` : listing);
  unknown.missingName = name;
  return unknown;
}

export function distinct(table: Table, op: A.DistinctOp, ctx: OperatorContext): Table {
  const by: A.ColumnAssignment[] =
    op.columns.length > 0 ? [...op.columns] : table.schema.map((c) => ({ expr: { kind: 'Name', name: c.name, start: op.start, end: op.end }, start: op.start, end: op.end }));
  return summarize(table, { kind: 'summarize', aggregates: [], by, start: op.start, end: op.end }, ctx);
}
