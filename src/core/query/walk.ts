/** Generic traversal of the syntax tree: child expressions and nested tabular expressions. */
import type * as A from './ast';

/** Direct child expressions of an expression (not descending into subqueries). */
export function childExprs(e: A.Expr): A.Expr[] {
  switch (e.kind) {
    case 'Binary':
    case 'StringOp':
      return [e.left, e.right];
    case 'List':
      return [e.left, ...e.items];
    case 'Between':
      return [e.left, e.low, e.high];
    case 'Unary':
      return [e.operand];
    case 'Call':
      return [...e.args];
    case 'Member':
      return [e.target];
    case 'Index':
      return [e.target, e.index];
    default:
      return [];
  }
}

/** Scalar expressions that an operator evaluates against its input rows. */
export function operatorExprs(op: A.Operator): A.Expr[] {
  switch (op.kind) {
    case 'where':
      return [op.predicate];
    case 'project':
    case 'extend':
      return op.columns.map((c) => c.expr);
    case 'summarize':
      return [...op.aggregates, ...op.by].map((c) => c.expr);
    case 'distinct':
      return op.columns.map((c) => c.expr);
    case 'sort':
      return op.keys.map((k) => k.expr);
    case 'top':
      return [op.count, ...op.keys.map((k) => k.expr)];
    case 'take':
      return [op.count];
    case 'mv-expand':
      return [...op.items.map((i) => i.expr), ...(op.limit ? [op.limit] : [])];
    case 'parse':
      return [op.source];
    case 'render':
      return op.properties.flatMap((p) => (Array.isArray(p.value) ? [] : [p.value as A.Expr]));
    case 'invoke':
      return [...op.args];
    default:
      return [];
  }
}

export function sourceExprs(s: A.Source): A.Expr[] {
  switch (s.kind) {
    case 'TableRef':
      return [...(s.args ?? [])];
    case 'Datatable':
      return [...s.values];
    case 'Print':
      return s.columns.map((c) => c.expr);
    case 'Range':
      return [s.from, s.to, s.step];
    default:
      return [];
  }
}
