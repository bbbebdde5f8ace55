/**
 * Splitting a source's leading `summarize` into a partial step, run where the rows are read (one
 * piece of the source at a time, such as a byte range read by a reader thread), and a final step
 * that combines the pieces' results: `T | where p | summarize n = count() by k` becomes
 * `piece | where p | summarize partial = count() by k` per piece, then, over the pieces' rows in
 * source order, `summarize n = sum(partial) by k`. A host that reads a source in pieces then never
 * builds the whole table, and grouping runs on every reader at once.
 *
 * The split is exact, not approximate. It is offered only for aggregates whose combination gives
 * the very value (and type) one pass over all rows gives:
 * - `count`, `countif`: counts add up;
 * - `sum`, `sumif` over longs: 64-bit wrapping addition is associative (a real sum is not: its
 *   rounding depends on the grouping, so a real-typed partial sum refuses the split);
 * - `min`, `max`, `minif`, `maxif` over values with a total order (not real, where NaN breaks it,
 *   and not dynamic).
 * Groups come out in the order of their first row: pieces are combined in source order, and within
 * a piece groups are numbered by first row. Keys are regrouped by the same equality, so null and
 * NaN keys group as they would in one pass.
 *
 * Expressions in the partial step must depend on the row alone: names that are not columns (lets,
 * parameters, functions), subqueries and dynamic literals keep the query on the ordinary path.
 * Types are checked where the partial step runs (`partialSchemaProblem`), because they follow from
 * the source's columns.
 */
import type * as A from './ast';
import { aggregateArgName, countName } from './aggregates';
import type { ColumnSchema } from './table';
import type { Scope } from './scope';
import type { DateTime } from './values';
import { childExprs } from './walk';

type Combine = 'count' | 'sum' | 'extreme';

/** How a query's aggregation splits; plain data, so it can be sent to a reader thread. */
export interface PartialAggregation {
  /** Run over each piece: the query's leading `where`/`extend` operators, then the partial `summarize`. */
  readonly operators: readonly A.Operator[];
  /** Key columns lead the partial result, then one column per aggregate. */
  readonly keyCount: number;
  /** The query's `now()`, in microseconds. */
  readonly now: number;
  readonly aggregates: readonly {
    readonly combine: Combine;
    /** The aggregate that combines the partial column (`sum`, `min` or `max`). */
    readonly final: 'sum' | 'min' | 'max';
    /** The output column name the query's aggregate gets (before de-duplication). */
    readonly name: string;
  }[];
}

export interface SplitPipeline {
  readonly plan: PartialAggregation;
  /** The query's summarize (for positions of the final step). */
  readonly summarize: A.SummarizeOp;
  /** Operators after the summarize, run on the combined result. */
  readonly rest: readonly A.Operator[];
}

const COMBINES: Readonly<Record<string, { readonly combine: Combine; readonly final: 'sum' | 'min' | 'max'; readonly args: number }>> = {
  count: { combine: 'count', final: 'sum', args: 0 },
  countif: { combine: 'count', final: 'sum', args: 1 },
  sum: { combine: 'sum', final: 'sum', args: 1 },
  sumif: { combine: 'sum', final: 'sum', args: 2 },
  min: { combine: 'extreme', final: 'min', args: 1 },
  max: { combine: 'extreme', final: 'max', args: 1 },
  minif: { combine: 'extreme', final: 'min', args: 2 },
  maxif: { combine: 'extreme', final: 'max', args: 2 },
};

/** Column names of the partial aggregates (keys keep the query's names). */
const PARTIAL_PREFIX = '\u0000partial';

/**
 * The split of `operators` (a pipeline over a source table), or null when its leading part is not
 * `where`/`extend` operators then a `summarize` (or `count`, or `distinct` of columns) that splits
 * exactly. `scope` holds the names the
 * query can see besides columns; `now` is the query's `now()`.
 */
export function splitAggregation(operators: readonly A.Operator[], scope: Scope, now: DateTime): SplitPipeline | null {
  const at = operators.findIndex((op) => op.kind !== 'where' && op.kind !== 'extend');
  const op = at < 0 ? undefined : asSummarize(operators[at]);
  if (!op) return null;
  const rowLocal = (e: A.Expr): boolean => rowLocalExpr(e, scope);
  for (const prior of operators.slice(0, at)) {
    if (prior.kind === 'where' && !rowLocal(prior.predicate)) return null;
    if (prior.kind === 'extend' && !prior.columns.every((c) => rowLocal(c.expr))) return null;
  }
  if (!op.by.every((k) => rowLocal(k.expr))) return null;
  const aggregates: PartialAggregation['aggregates'][number][] = [];
  const partial: A.ColumnAssignment[] = [];
  for (const a of op.aggregates) {
    const call = a.expr;
    if (call.kind !== 'Call') return null;
    const how = Object.hasOwn(COMBINES, call.name) ? COMBINES[call.name] : undefined;
    if (!how) return null;
    // count() also takes one argument (`count(*)`, or a value: every row still counts, as in Kusto).
    if (call.args.length !== how.args && !(call.name === 'count' && call.args.length === 1)) return null;
    if (!call.args.every(rowLocal)) return null;
    const name = a.name ?? (call.name === 'count' ? countName(call) : how.combine === 'count' ? `${call.name}_` : `${call.name}_${aggregateArgName(call.args[0])}`);
    aggregates.push({ combine: how.combine, final: how.final, name });
    partial.push({ ...a, name: `${PARTIAL_PREFIX}${partial.length}` });
  }
  const partialSummarize: A.SummarizeOp = { ...op, aggregates: partial };
  return { plan: { operators: [...operators.slice(0, at), partialSummarize], keyCount: op.by.length, now: now.us, aggregates }, summarize: op, rest: operators.slice(at + 1) };
}

/** `summarize`, and the operators that are one: `count` (`summarize Count = count()`) and `distinct` of columns (`summarize by`). */
function asSummarize(op: A.Operator): A.SummarizeOp | undefined {
  if (op.kind === 'summarize') return op;
  const span = { start: op.start, end: op.end };
  if (op.kind === 'count') return { kind: 'summarize', by: [], aggregates: [{ name: 'Count', expr: { kind: 'Call', name: 'count', nameStart: op.start, args: [], ...span }, ...span }], ...span };
  if (op.kind === 'distinct' && op.columns.length > 0) return { kind: 'summarize', by: op.columns, aggregates: [], ...span };
  return undefined;
}

/** Why the partial result's columns (as the partial step typed them) cannot be combined exactly, or null. */
export function partialSchemaProblem(plan: PartialAggregation, schema: readonly ColumnSchema[]): string | null {
  if (schema.length !== plan.keyCount + plan.aggregates.length) return 'the partial result has unexpected columns';
  const key = schema.slice(0, plan.keyCount).find((c) => c.type === 'dynamic');
  if (key) return `key \`${key.name}\` is dynamic`;
  for (let i = 0; i < plan.aggregates.length; i++) {
    const { combine } = plan.aggregates[i];
    const type = schema[plan.keyCount + i].type;
    if (combine === 'sum' && type !== 'long') return `a ${type} sum depends on the order of addition`;
    if (combine === 'extreme' && (type === 'real' || type === 'dynamic')) return `${type} values have no total order`;
  }
  return null;
}

/** The final step: the query's summarize, over the partial rows (`partialSchema`, as the pieces returned them). */
export function finalSummarize(split: SplitPipeline, partialSchema: readonly ColumnSchema[]): A.SummarizeOp {
  const { summarize: op, plan } = split;
  const name = (n: string): A.Expr => ({ kind: 'Name', name: n, start: op.start, end: op.end });
  return {
    ...op,
    by: partialSchema.slice(0, plan.keyCount).map((c, i) => ({ expr: name(c.name), start: op.by[i].start, end: op.by[i].end })),
    aggregates: plan.aggregates.map((a, i) => {
      const at = op.aggregates[i];
      const call: A.CallExpr = { kind: 'Call', name: a.final, nameStart: at.start, args: [name(partialSchema[plan.keyCount + i].name)], start: at.start, end: at.end };
      return { name: a.name, expr: call, start: at.start, end: at.end };
    }),
  };
}

/**
 * Whether an expression reads nothing but the current row's columns (and literals), by name. A
 * reader's partial result is kept when its columns' types match the merged table's whatever their
 * order (`partialsAsRead`), so an expression that sees the columns' order (`pack_all()`, `*`) must
 * not count as row-local.
 */
function rowLocalExpr(e: A.Expr, scope: Scope): boolean {
  switch (e.kind) {
    case 'Name':
      return !scope.has(e.name);
    case 'Call':
      if (scope.has(e.name)) return false; // a user function: its body is out of sight here
      break;
    case 'List':
      if (e.subquery || e.items.some((i) => i.kind === 'Name')) return false; // `in (T)` may name a table
      break;
    case 'ToScalar':
    case 'DynamicLiteral':
    case 'JoinSide':
      return false;
  }
  return childExprs(e).every((c) => rowLocalExpr(c, scope));
}
