/** What a query defines and uses, without running it (dependency graphs, editor features). */
import type * as A from './ast';
import { AGGREGATE_NAMES } from './aggregate-names';
import { builtinFunction } from './functions';
import { childExprs, operatorExprs, sourceExprs } from './walk';

/** Functions handled by the compiler itself rather than the function table. */
const LANGUAGE_FUNCTIONS = new Set(['column_ifexists', 'materialize', 'toscalar']);

export interface QueryAnalysis {
  /** Names of the query's `let` statements, in order. */
  defines: string[];
  /** Tables and user functions the query needs from outside (sources, earlier cells' lets). */
  uses: string[];
  /**
   * Bare names in expressions that the query does not define: each is either a column or a scalar
   * from an earlier cell. Intersect with the names earlier cells define to find dependencies.
   */
  references: string[];
  /**
   * Those of `references` that may also name a table: a lone name in an `in` list (`x in (b)`,
   * where `b` may be a cell's result), an argument of a user function or `materialize` (a tabular
   * parameter `T:(*)` takes a table by name), and the tables of `union isfuzzy=true`. Other bare
   * names are columns or scalars, never tables.
   */
  tableReferences: string[];
  /** Whether the query reads the clock (`now()`, `ago()`): its result changes as time passes unless "now" is fixed. */
  readsClock: boolean;
}

export function analyzeQuery(ast: A.QueryAst): QueryAnalysis {
  const defines: string[] = [];
  const uses = new Set<string>();
  const references = new Set<string>();
  const tableReferences = new Set<string>();
  const local = new Set<string>();
  let readsClock = false;

  const useName = (name: string) => {
    if (!local.has(name)) uses.add(name);
  };
  const maybeTable = (e: A.Expr, bound: ReadonlySet<string>) => {
    if (e.kind === 'Name' && !local.has(e.name) && !bound.has(e.name)) tableReferences.add(e.name);
  };
  const expr = (e: A.Expr, bound: ReadonlySet<string>) => {
    if (e.kind === 'Name' && !local.has(e.name) && !bound.has(e.name)) references.add(e.name);
    if (e.kind === 'Call' && (!builtinFunction(e.name) || e.name === 'materialize')) for (const a of e.args) maybeTable(a, bound);
    // A let named now or ago is not called in its place (only a function of that name would be): rare enough to count as the clock.
    if (e.kind === 'Call' && (e.name === 'now' || e.name === 'ago')) readsClock = true;
    if (e.kind === 'Call' && !builtinFunction(e.name) && !AGGREGATE_NAMES.has(e.name) && !LANGUAGE_FUNCTIONS.has(e.name) && !bound.has(e.name)) useName(e.name);
    // A built-in's name may be a user function of an earlier cell (`let ago = ...`), which the call
    // then runs: a reference that resolves only to such a let.
    else if (e.kind === 'Call' && !bound.has(e.name) && !local.has(e.name)) references.add(e.name);
    if (e.kind === 'ToScalar') tabular(e.query, bound);
    if (e.kind === 'List') {
      if (e.subquery) tabular(e.subquery, bound);
      for (const item of e.items) maybeTable(item, bound);
    }
    for (const c of childExprs(e)) expr(c, bound);
  };
  const tabular = (q: A.TabularExpr, bound: ReadonlySet<string>, fuzzy = false) => {
    const s = q.source;
    if (s.kind === 'TableRef') for (const a of s.args ?? []) maybeTable(a, bound);
    if (s.kind === 'TableRef' && !bound.has(s.name) && !(s.name === 'materialize' && s.args)) {
      // A table of `union isfuzzy=true` may be missing: used when it exists, not required.
      if (fuzzy && !s.args && !local.has(s.name)) (references.add(s.name), tableReferences.add(s.name));
      else useName(s.name);
    }
    if (s.kind === 'Paren') tabular(s.query, bound);
    if (s.kind === 'UnionSource') for (const t of s.union.tables) tabular(t, bound, s.union.fuzzy);
    for (const e of sourceExprs(s)) expr(e, bound);
    const inner = new Set(bound);
    for (const op of q.operators) {
      if (op.kind === 'as') inner.add(op.name);
      if (op.kind === 'join' || op.kind === 'lookup') tabular(op.right, inner);
      if (op.kind === 'union') for (const t of op.tables) tabular(t, inner, op.fuzzy);
      if (op.kind === 'invoke') (useName(op.name), op.args.forEach((a) => maybeTable(a, inner)));
      for (const e of operatorExprs(op)) expr(e, inner);
    }
  };
  const value = (v: A.LetStatement['value'], bound: ReadonlySet<string>) => {
    if (v.kind === 'Pipeline') tabular(v, bound);
    else if (v.kind === 'Function') {
      // A parameter's default is read where the function is called, in the scope around it.
      for (const p of v.params) {
        if (!p.defaultValue) continue;
        expr(p.defaultValue, bound);
        if (p.type === 'tabular') maybeTable(p.defaultValue, bound);
      }
      const inner = new Set([...bound, ...v.params.map((p) => p.name)]);
      for (const s of v.body.statements) {
        value(s.value, inner);
        inner.add(s.name);
      }
      const r = v.body.result;
      if (r.kind === 'Pipeline') tabular(r, inner);
      else if (r.kind === 'Name' && !inner.has(r.name)) useName(r.name);
      else expr(r, inner);
    } else if (v.kind === 'Name') {
      if (!bound.has(v.name)) useName(v.name);
    } else expr(v, bound);
  };
  for (const s of ast.statements) {
    value(s.value, new Set());
    defines.push(s.name);
    local.add(s.name);
  }
  if (ast.query) tabular(ast.query, new Set());
  for (const n of local) (references.delete(n), tableReferences.delete(n));
  const referenced = [...references].filter((r) => !uses.has(r));
  return { defines, uses: [...uses], references: referenced, tableReferences: referenced.filter((r) => tableReferences.has(r)), readsClock };
}
