/**
 * Kusto moves a filter that follows an `innerunique` join (the default kind) to the join's left
 * side when it reads only left columns (here: each `and`-ed condition of the `where` operators
 * right after the join that does), so the left side is filtered before its rows are
 * deduplicated by key: `t1 | join t2 on key | where value == "val1.2"` keeps the left row with that
 * value whichever row of its key comes first (Kusto documents this in its innerunique examples).
 * Joining first would drop that row whenever another row of its key comes before it.
 */
import type * as A from './ast';
import { balancedChain } from './parser';
import type { Scope } from './scope';
import { childExprs } from './walk';

/** The filters after a join, split into those that run on its left input and those that stay. */
export interface JoinFilters {
  /** Conditions that read only left columns: they run on the left input, before the join. */
  readonly left: readonly A.WhereOp[];
  /** The rest of the `where` operators read, to run after the join as before. */
  readonly after: readonly A.WhereOp[];
  /** How many operators after the join the two lists replace. */
  readonly consumed: number;
}

/**
 * For an innerunique join at `operators[at]`: the `and`-ed conditions of the `where` operators
 * right after it that read only columns of its left input (`leftColumns`). Row filters commute,
 * so moving some conditions before the join and keeping the others after it changes nothing else.
 */
export function splitJoinFilters(operators: readonly A.Operator[], at: number, leftColumns: ReadonlySet<string>, scope: Scope): JoinFilters {
  const none = { left: [], after: [], consumed: 0 };
  const join = operators[at];
  if (join.kind !== 'join' || join.joinKind !== 'innerunique') return none;
  const left: A.WhereOp[] = [];
  const after: A.WhereOp[] = [];
  let consumed = 0;
  for (let i = at + 1; i < operators.length; i++) {
    const op = operators[i];
    if (op.kind !== 'where') break;
    consumed++;
    const rest: A.Expr[] = [];
    for (const c of conjuncts(op.predicate)) {
      if (readsOnly(c, leftColumns, scope)) left.push({ kind: 'where', predicate: c, start: c.start, end: c.end });
      else rest.push(c);
    }
    if (rest.length > 0) after.push({ ...op, predicate: balancedChain('and', rest) });
  }
  return left.length > 0 ? { left, after, consumed } : none;
}

/** `a and b and c` as [a, b, c]. */
function conjuncts(e: A.Expr): A.Expr[] {
  return e.kind === 'Binary' && e.op === 'and' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/**
 * Whether the expression reads nothing but the named columns, row by row: every name is one of
 * them (after a join a left column keeps its name; the right side's same names get a suffix), and
 * there is no subquery, no user function, no `$left`/`$right` and no `*`.
 */
function readsOnly(e: A.Expr, columns: ReadonlySet<string>, scope: Scope): boolean {
  switch (e.kind) {
    case 'Name':
      return columns.has(e.name);
    case 'Call':
      if (scope.has(e.name)) return false; // a user function: its body is out of sight here
      // A column named by a string: on the left side only when the left input has it.
      if (e.name === 'column_ifexists') {
        const named = e.args[0];
        if (named?.kind !== 'Literal' || typeof named.value !== 'string' || !columns.has(named.value)) return false;
      }
      break;
    case 'List':
      if (e.subquery) return false;
      break;
    case 'ToScalar':
    case 'JoinSide':
    case 'Star':
      return false;
  }
  return childExprs(e).every((c) => readsOnly(c, columns, scope));
}
