/** Runs a parsed query: statements, sources and the operator pipeline, over columnar tables. */
import type * as A from './ast';
import { DEFAULT_SET_LIMIT } from './aggregates';
import { buildColumn } from './columns';
import { argumentOfType, compileExpr } from './compile';
import { countFunctionCall, type Compiled, type ExprContext, type RunSettings } from './compiled';
import { fromOtherRun, isStringTooLong, QueryRuntimeError, STRING_TOO_LONG, throwIfAborted } from './errors';
import { inferName, uniqueName } from './naming';
import { extend, count, getSchema, project, projectNames, projectRename, take, where } from './operators/columns-ops';
import type { OperatorContext } from './operators/context';
import { mvExpand, parse } from './operators/expand-parse';
import { join } from './operators/join';
import { splitJoinFilters } from './joinFilters';
import { sort, top } from './operators/sort';
import { distinct, summarize } from './operators/summarize';
import { union, type UnionInput } from './operators/union';
import { finalSummarize, splitAggregation, type PartialAggregation } from './partialAggregation';
import { parseQuery } from './parser';
import { planSourceUse } from './pushdown';
import type { SourceRequest } from './sourceRequest';
import { Scope, scalarDefinition, tabularDefinition, type Definition } from './scope';
import { closest } from './suggest';
import { Table, type ColumnSchema } from './table';
import { DateTime, Timespan, type ScalarType, type Value } from './values';
import { childExprs, operatorExprs } from './walk';
import { arith } from './arith';
import { compareValues } from './compare';
import { toDynamicValue } from './dynamic';

export interface QueryEnvironment {
  /**
   * Tables by name (sources, earlier notebook cells by id). Called lazily, only for names the query
   * uses. `request` says what the query needs from the table (see `SourceRequest`); a host may
   * return just that, or the whole table. `warn` receives warnings about the read (skipped lines,
   * assumed years): they belong to the query being run, which may be a later cell evaluating an
   * earlier cell's `let`, so a host should report them there rather than where the name is defined.
   */
  resolveTable(name: string, signal: AbortSignal, request?: SourceRequest, warn?: (message: string) => void): Promise<Table | undefined>;
  /** Every table name that `resolveTable` knows, for error messages and `union T*` wildcards. */
  tableNames?(): string[];
  /** Names visible from earlier cells / front-matter parameters. */
  scope: Scope;
  /** Fixed per run so results are reproducible within a run. */
  now: DateTime;
  limits?: { maxRows?: number; makeListMax?: number };
  /**
   * Every column a full read of a source would give (from a sample), or undefined when the host
   * cannot tell. Sources are read only for the fields a query names, so when a name is missing the
   * columns of what was read say little: this lets the error list the source's own.
   */
  sourceColumns?(name: string, signal: AbortSignal): Promise<readonly string[] | undefined>;
  /**
   * Optional: runs the partial step of a source's leading aggregation where the source is read (see
   * `PartialAggregation`), returning the pieces' rows in source order, or the source's table when
   * the host read it but could not split (undefined: the host declines before reading).
   */
  aggregateTable?(name: string, plan: PartialAggregation, signal: AbortSignal, request: SourceRequest): Promise<AggregatedTable | undefined>;
}

/** What `aggregateTable` gives: the partial step's rows, or the table itself. */
export type AggregatedTable = { readonly kind: 'partials'; readonly table: Table } | { readonly kind: 'table'; readonly table: Table };

export interface RenderRequest {
  kind: string;
  properties: Record<string, Value>;
}

export interface QueryResult {
  /** undefined when the query only has `let` statements. */
  table: Table | undefined;
  render?: RenderRequest;
  /** The scope after this query's lets (to pass to later cells). */
  definitions: Scope;
  warnings: string[];
  /** Names resolved through `resolveTable`, in first-use order. */
  tablesUsed: string[];
  /** Rows the query produced before `limits.maxRows` truncation (equals table.rowCount when not truncated). */
  totalRows?: number;
}

/** Largest `range` the engine generates. */
const MAX_RANGE_ROWS = 10_000_000;

interface RunState {
  readonly env: QueryEnvironment;
  readonly signal: AbortSignal;
  readonly run: RunSettings;
  readonly tablesUsed: string[];
  /** Tables resolved so far, with the warnings their reads gave (repeated to every run that uses them). */
  readonly loaded: Map<string, Promise<{ readonly table: Table | undefined; readonly warnings: readonly string[] }>>;
  /** What the query that defined the pipeline being evaluated needs from each table. */
  readonly requests: ReadonlyMap<string, SourceRequest>;
  /** In how many places that query reads each table. */
  readonly references: ReadonlyMap<string, number>;
  render?: RenderRequest;
}

/** Evaluates a definition; see `fromOtherRun` for where its errors are reported. */
async function fromDefinition<T>(name: string, origin: object | undefined, run: RunSettings, at: A.Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw fromOtherRun(e, name, origin, run.origin, at);
  }
}

function fail(message: string, at: A.Span, hint?: string): QueryRuntimeError {
  return new QueryRuntimeError(message, at.start, at.end - at.start, hint);
}

export async function runQuery(query: string | A.QueryAst, env: QueryEnvironment, signal: AbortSignal): Promise<QueryResult> {
  const ast = typeof query === 'string' ? parseQuery(query) : query;
  const { requests, references } = planSourceUse(ast, { scope: env.scope, tableNames: env.tableNames?.() });
  try {
    return await runParsed(ast, env, signal, requests, references);
  } catch (e) {
    if (isStringTooLong(e)) throw new QueryRuntimeError(STRING_TOO_LONG, undefined, undefined, 'a value built from the data (make_list, strcat, tostring of a large value) is too large; filter or limit it first');
    if (!(e instanceof QueryRuntimeError)) throw e;
    const hinted = await withSourceColumns(e, requests, env, signal);
    // Errors carry offsets into the query text; they travel with it so they can be shown in place.
    if (hinted.sourceText === undefined) hinted.sourceText = ast.text;
    throw hinted;
  }
}

/**
 * An unknown name that the query asked a source for, and that the source does not have: the hint
 * lists the source's columns (the columns read were only those the query names).
 */
async function withSourceColumns(e: QueryRuntimeError, requests: ReadonlyMap<string, SourceRequest>, env: QueryEnvironment, signal: AbortSignal): Promise<QueryRuntimeError> {
  const missing = e.missingName;
  if (missing === undefined || !env.sourceColumns) return e;
  for (const [table, request] of requests) {
    if (!request.fields?.includes(missing)) continue;
    const columns = await env.sourceColumns(table, signal).catch(() => undefined);
    if (!columns || columns.includes(missing)) continue;
    const near = closest(missing, columns);
    const listing = `${columns.slice(0, 40).join(', ')}${columns.length > 40 ? ', ...' : ''}`;
    const better = new QueryRuntimeError(e.message, e.offset, e.length, `${near ? `did you mean \`${near}\`? ` : ''}\`${table}\` has no field \`${missing}\` in the rows read (its columns: ${listing})`);
    better.missingName = missing;
    return better;
  }
  return e;
}

async function runParsed(ast: A.QueryAst, env: QueryEnvironment, signal: AbortSignal, requests: ReadonlyMap<string, SourceRequest>, references: ReadonlyMap<string, number> = new Map()): Promise<QueryResult> {
  throwIfAborted(signal);
  const state: RunState = {
    env,
    signal,
    run: { origin: {}, now: env.now, warnings: [], makeListMax: env.limits?.makeListMax ?? DEFAULT_SET_LIMIT, functionCalls: { count: 0 } },
    tablesUsed: [],
    loaded: new Map(),
    requests,
    references,
  };
  let scope = env.scope;
  try {
    for (const s of ast.statements) scope = scope.extend([[s.name, await define(s, scope, state)]]);
    let table: Table | undefined;
    let totalRows: number | undefined;
    if (ast.query) {
      table = await evaluate(ast.query, scope, state);
      totalRows = table.rowCount;
      const max = env.limits?.maxRows;
      if (max !== undefined && table.rowCount > max) {
        state.run.warnings.push(`the result has ${table.rowCount.toLocaleString('en-US')} rows; only the first ${max.toLocaleString('en-US')} are kept (row limit)`);
        table = table.slice(0, max);
      }
    }
    return { table, render: state.render, definitions: scope, warnings: state.run.warnings, tablesUsed: state.tablesUsed, totalRows };
  } finally {
    // Tabular lets are evaluated when first used, perhaps by a later cell's query, with the count
    // of the run that defined them: that query starts it from zero, not from this run's calls.
    state.run.functionCalls.count = 0;
  }
}

// ---------- statements ----------

async function define(s: A.LetStatement, scope: Scope, state: RunState): Promise<Definition> {
  const v = s.value;
  if (v.kind === 'Function') return { kind: 'function', def: v, scope, origin: state.run.origin };
  if (v.kind === 'Pipeline') {
    // Evaluated lazily, perhaps by a later cell: it records its own provenance for whoever uses it.
    const provenance = { tablesUsed: [] as string[], warnings: [] as string[] };
    const own: RunState = { ...state, run: { ...state.run, warnings: provenance.warnings }, tablesUsed: provenance.tablesUsed };
    return tabularDefinition(() => evaluate(v, scope, own), provenance, state.run.origin);
  }
  if (v.kind === 'Name') {
    const existing = scope.get(v.name);
    if (existing) return existing;
    return tabularDefinition(() => resolveNamed(v.name, v, scope, state), undefined, state.run.origin);
  }
  if (v.kind === 'Call') {
    const fn = scope.get(v.name);
    const tabularCall = (fn?.kind === 'function' && fn.def.body.result.kind === 'Pipeline') || (!fn && v.name === 'materialize');
    if (tabularCall) {
      return tabularDefinition(() => evaluateSource({ kind: 'TableRef', name: v.name, args: v.args, start: v.start, end: v.end }, scope, state), undefined, state.run.origin);
    }
  }
  const c = await compileConstant(v, scope, state);
  return scalarDefinition(c.eval(0), c.type);
}

/** A table with one row and no columns, to evaluate row-independent expressions. */
const ONE_ROW = new Table([], [], 1);

async function compileConstant(e: A.Expr, scope: Scope, state: RunState): Promise<Compiled> {
  const subqueries = await prepareSubqueries([e], ONE_ROW, scope, state);
  return compileExpr(e, exprContext(ONE_ROW, scope, state, subqueries));
}

function exprContext(table: Table, scope: Scope, state: RunState, subqueries: ReadonlyMap<A.Expr, Table>): ExprContext {
  return { table, scope, locals: new Map(), subqueries, run: state.run };
}

/**
 * Evaluates the tabular subqueries inside expressions before they are compiled: `toscalar(...)`,
 * `in (T | ...)`, and list items naming a tabular let or table (`in (Admins)`).
 */
async function prepareSubqueries(exprs: readonly A.Expr[], table: Table, scope: Scope, state: RunState): Promise<Map<A.Expr, Table>> {
  const out = new Map<A.Expr, Table>();
  const visit = async (e: A.Expr): Promise<void> => {
    if (e.kind === 'ToScalar') out.set(e, await evaluate(e.query, scope, state));
    if (e.kind === 'List') {
      if (e.subquery) out.set(e, await evaluate(e.subquery, scope, state));
      for (const item of e.items) {
        if (item.kind === 'Name' && !table.column(item.name)) {
          const def = scope.get(item.name);
          if (def?.kind === 'tabular' || (!def && (await tryResolve(item.name, state)))) out.set(item, await resolveNamed(item.name, item, scope, state));
        }
      }
    }
    for (const c of childExprs(e)) await visit(c);
  };
  for (const e of exprs) await visit(e);
  return out;
}

// ---------- tabular expressions ----------

async function evaluate(q: A.TabularExpr, scope: Scope, state: RunState): Promise<Table> {
  const aggregated = await aggregateAtSource(q, scope, state);
  let table = aggregated?.table ?? (await evaluateSource(q.source, scope, state));
  let current = scope;
  const operators = aggregated?.operators ?? q.operators;
  for (let i = 0; i < operators.length; i++) {
    const op = operators[i];
    throwIfAborted(state.signal);
    if (op.kind === 'as') {
      current = current.extend([[op.name, tabularDefinition(table)]]);
      continue;
    }
    // Conditions on the left side of an innerunique join run before it (see joinFilters.ts).
    const filters = op.kind === 'join' ? splitJoinFilters(operators, i, new Set(table.schema.map((c) => c.name)), current) : undefined;
    for (const w of filters?.left ?? []) table = await applyOperator(table, w, current, state, q);
    table = await applyOperator(table, op, current, state, q);
    for (const w of filters?.after ?? []) table = await applyOperator(table, w, current, state, q);
    i += filters?.consumed ?? 0;
  }
  return table;
}

async function applyOperator(table: Table, op: A.Operator, scope: Scope, state: RunState, pipeline: A.TabularExpr): Promise<Table> {
  const subqueries = await prepareSubqueries(operatorExprs(op), table, scope, state);
  const ctx: OperatorContext = {
    signal: state.signal,
    run: state.run,
    scope,
    compile: (e, t) => compileExpr(e, exprContext(t, scope, state, subqueries)),
    evaluate: (q) => evaluate(q, scope, state),
  };
  switch (op.kind) {
    case 'where':
      return where(table, op, ctx);
    case 'project':
      return project(table, op, ctx);
    case 'extend':
      return extend(table, op, ctx);
    case 'project-away':
    case 'project-keep':
    case 'project-reorder':
      return projectNames(table, op);
    case 'project-rename':
      return projectRename(table, op);
    case 'summarize':
      return summarize(table, op, ctx);
    case 'count':
      return count(table);
    case 'distinct':
      return distinct(table, op, ctx);
    case 'sort':
      return sort(table, op, ctx);
    case 'top':
      return top(table, op, ctx);
    case 'take':
      return take(table, op, ctx);
    case 'join':
    case 'lookup':
      return join(table, await evaluate(op.right, scope, state), op, state.signal);
    case 'union': {
      const first: UnionInput = { name: pipeline.source.kind === 'TableRef' ? pipeline.source.name : 'union_arg0', table };
      return unionOf([first], op, scope, state);
    }
    case 'mv-expand':
      return mvExpand(table, op, ctx);
    case 'parse':
      return parse(table, op, ctx);
    case 'render':
      state.render = renderRequest(op, ctx);
      return table;
    case 'getschema':
      return getSchema(table);
    case 'serialize':
    case 'as':
      return table;
    case 'invoke':
      return invoke(table, op, scope, state);
  }
}

function renderRequest(op: A.RenderOp, ctx: OperatorContext): RenderRequest {
  const properties: Record<string, Value> = Object.create(null);
  for (const p of op.properties) {
    if (Array.isArray(p.value)) {
      const names = p.value as readonly string[];
      properties[p.name] = ['ycolumns', 'series', 'anomalycolumns'].includes(p.name) ? [...names] : names[0];
    } else {
      const c = ctx.compile(p.value as A.Expr, ONE_ROW);
      properties[p.name] = c.eval(0);
    }
  }
  return { kind: op.visualization, properties };
}

async function unionOf(initial: UnionInput[], op: A.UnionOp, scope: Scope, state: RunState): Promise<Table> {
  const inputs = [...initial];
  for (const t of op.tables) {
    const src = t.source;
    if (t.operators.length === 0 && src.kind === 'TableRef' && !src.args && src.name.includes('*')) {
      const re = new RegExp('^' + src.name.split('*').map(escapeLiteral).join('.*') + '$');
      const names = [...new Set([...(state.env.tableNames?.() ?? []), ...scope.names().filter((n) => scope.get(n)?.kind === 'tabular')])].filter((n) => re.test(n)).sort();
      for (const n of names) inputs.push({ name: n, table: await resolveNamed(n, src, scope, state) });
      continue;
    }
    if (op.fuzzy && src.kind === 'TableRef' && !src.args && !scope.get(src.name) && !(await tryResolve(src.name, state))) {
      state.run.warnings.push(`union isfuzzy=true left out \`${src.name}\`: no such table`);
      continue;
    }
    const name = t.operators.length === 0 && src.kind === 'TableRef' ? src.name : `union_arg${inputs.length}`;
    inputs.push({ name, table: await evaluate(t, scope, state) });
  }
  if (inputs.length === 0 && op.fuzzy) throw fail('union isfuzzy=true found none of its tables', op);
  return union(inputs, op.unionKind, op.withSource);
}

/** Escapes a table-name fragment for the wildcard matcher (our own fixed pattern over names, not user regex). */
function escapeLiteral(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function invoke(table: Table, op: A.InvokeOp, scope: Scope, state: RunState): Promise<Table> {
  const def = scope.get(op.name);
  if (def?.kind !== 'function') throw fail(`\`${op.name}\` is not a function`, op);
  const first = def.def.params[0];
  if (!first || first.type !== 'tabular') throw fail(`\`${op.name}\` must take a table as its first parameter to be used with invoke`, op);
  return callFunction(op.name, def, op.args, scope, state, op, table);
}

// ---------- sources ----------

/**
 * A source's leading aggregation run by the host where it reads the source (see
 * `splitAggregation`): the partial rows and the operators that finish the query over them, or the
 * source's table when the host read it whole after all. Null: the ordinary path.
 */
async function aggregateAtSource(q: A.TabularExpr, scope: Scope, state: RunState): Promise<{ table: Table; operators: readonly A.Operator[] } | null> {
  const s = q.source;
  if (!state.env.aggregateTable || s.kind !== 'TableRef' || s.args || s.name.includes('*') || scope.has(s.name) || state.loaded.has(s.name)) return null;
  const request = state.requests.get(s.name);
  // Only a projected read (the query names its fields) without a prefilter: a prefiltered read is
  // cheaper whole. Only a source the query reads once: a split read leaves no table for the others.
  if (!request?.fields || request.mustContain?.length || state.references.get(s.name) !== 1) return null;
  const split = splitAggregation(q.operators, scope, state.run.now);
  if (!split) return null;
  const name = s.name;
  const result = await state.env.aggregateTable(name, split.plan, state.signal, request);
  if (!result) return null;
  if (!state.tablesUsed.includes(name)) state.tablesUsed.push(name);
  if (result.kind === 'table') {
    state.loaded.set(name, Promise.resolve({ table: result.table, warnings: [] }));
    return { table: result.table, operators: q.operators };
  }
  return { table: result.table, operators: [finalSummarize(split, result.table.schema), ...split.rest] };
}

/**
 * Runs operators over a table that stands for a piece of a source (the partial step of a split
 * aggregation, where the piece is read). The operators may only read the table's columns.
 */
export async function runOperatorsOn(table: Table, operators: readonly A.Operator[], now: DateTime, signal: AbortSignal): Promise<{ table: Table; warnings: string[] }> {
  const name = '\u0000piece';
  const env: QueryEnvironment = { resolveTable: async (n) => (n === name ? table : undefined), scope: Scope.empty, now };
  const ast: A.QueryAst = { kind: 'Query', statements: [], query: { kind: 'Pipeline', source: { kind: 'TableRef', name, start: 0, end: 0 }, operators, start: 0, end: 0 }, start: 0, end: 0 };
  const result = await runParsed(ast, env, signal, new Map());
  return { table: result.table!, warnings: result.warnings };
}

async function tryResolve(name: string, state: RunState): Promise<Table | undefined> {
  let p = state.loaded.get(name);
  if (!p) {
    const request = state.requests.get(name);
    const warnings: string[] = [];
    p = state.env.resolveTable(name, state.signal, request, (w) => warnings.includes(w) || warnings.push(w)).then((table) => ({ table, warnings }));
    state.loaded.set(name, p);
  }
  const { table: t, warnings } = await p;
  for (const w of warnings) if (!state.run.warnings.includes(w)) state.run.warnings.push(w);
  if (t && !state.tablesUsed.includes(name)) state.tablesUsed.push(name);
  return t;
}

async function resolveNamed(name: string, at: A.Span, scope: Scope, state: RunState): Promise<Table> {
  const def = scope.get(name);
  if (def?.kind === 'tabular') {
    const table = await fromDefinition(name, def.origin, state.run, at, () => def.table(state.signal));
    for (const t of def.tablesUsed ?? []) if (!state.tablesUsed.includes(t)) state.tablesUsed.push(t);
    for (const w of def.warnings ?? []) if (!state.run.warnings.includes(w)) state.run.warnings.push(w);
    return table;
  }
  if (def?.kind === 'function') return callFunction(name, def, [], scope, state, at);
  if (def?.kind === 'scalar') throw fail(`\`${name}\` is a value, not a table`, at, `use it inside an expression, e.g. print ${name}`);
  const t = await tryResolve(name, state);
  if (t) return t;
  const known = [...new Set([...(state.env.tableNames?.() ?? []), ...scope.names().filter((n) => scope.get(n)?.kind !== 'scalar')])];
  const near = closest(name, known);
  const listing = known.length ? `known tables: ${known.slice(0, 30).join(', ')}` : 'no tables are defined; declare sources in the notebook front matter';
  throw fail(`unknown table \`${name}\``, at, near ? `did you mean \`${near}\`? (${listing})` : listing);
}

async function evaluateSource(s: A.Source, scope: Scope, state: RunState): Promise<Table> {
  switch (s.kind) {
    case 'TableRef': {
      if (!s.args) return resolveNamed(s.name, s, scope, state);
      const def = scope.get(s.name);
      // materialize(T) only caches in Kusto; here every tabular value is already in memory.
      if (s.name === 'materialize' && !def && s.args.length === 1) return evaluateArgumentTable(s.args[0], scope, state);
      if (def?.kind !== 'function') {
        const near = closest(s.name, scope.names().filter((n) => scope.get(n)?.kind === 'function'));
        throw fail(`unknown function \`${s.name}\``, s, near ? `did you mean \`${near}\`?` : 'define it first: let f = (x:string) { ... };');
      }
      return callFunction(s.name, def, s.args, scope, state, s);
    }
    case 'Datatable':
      return datatable(s, scope, state);
    case 'Print':
      return print(s, scope, state);
    case 'Range':
      return range(s, scope, state);
    case 'UnionSource':
      return unionOf([], s.union, scope, state);
    case 'Paren':
      return evaluate(s.query, scope, state);
  }
}

async function evaluateArgumentTable(arg: A.Expr, scope: Scope, state: RunState): Promise<Table> {
  if (arg.kind === 'ToScalar' && !arg.explicit) return evaluate(arg.query, scope, state);
  if (arg.kind === 'Name') return resolveNamed(arg.name, arg, scope, state);
  throw fail('expected a table', arg);
}

async function callFunction(
  name: string,
  def: Extract<Definition, { kind: 'function' }>,
  args: readonly A.Expr[],
  callerScope: Scope,
  state: RunState,
  at: A.Span,
  piped?: Table,
): Promise<Table> {
  countFunctionCall(state.run, name, at);
  const { params, body } = def.def;
  const given = piped ? [undefined, ...args] : args;
  if (given.length > params.length) throw fail(`\`${name}\` takes ${params.length} argument${params.length === 1 ? '' : 's'}, not ${given.length}`, at);
  const bound: [string, Definition][] = [];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (i === 0 && piped) {
      bound.push([p.name, tabularDefinition(piped)]);
      continue;
    }
    const arg = given[i] ?? p.defaultValue;
    if (!arg) throw fail(`missing argument \`${p.name}\` for \`${name}\``, at);
    if (p.type === 'tabular') {
      if ((arg.kind === 'ToScalar' && !arg.explicit) || arg.kind === 'Name') bound.push([p.name, tabularDefinition(await evaluateArgumentTable(arg, callerScope, state))]);
      else throw fail(`argument \`${p.name}\` of \`${name}\` must be a table`, arg);
      continue;
    }
    const c = argumentOfType(await compileConstant(arg, callerScope, state), p, name, arg);
    bound.push([p.name, scalarDefinition(c.eval(0), p.type)]);
  }
  const result = body.result;
  if (result.kind !== 'Pipeline' && result.kind !== 'Name' && !(result.kind === 'ToScalar' && !result.explicit)) {
    throw fail(`\`${name}\` returns a value, not a table`, at, `use it in an expression: print ${name}(...)`);
  }
  return fromDefinition(name, def.origin, state.run, at, async () => {
    let scope = def.scope.extend(bound);
    for (const s of body.statements) scope = scope.extend([[s.name, await define(s, scope, state)]]);
    if (result.kind === 'Pipeline') return evaluate(result, scope, state);
    if (result.kind === 'Name') return resolveNamed(result.name, result, scope, state);
    return evaluate(result.query, scope, state);
  });
}

async function datatable(s: A.DatatableSource, scope: Scope, state: RunState): Promise<Table> {
  const width = s.columns.length;
  const rows = s.values.length / width;
  const values: Value[] = [];
  for (const e of s.values) {
    const c = await compileConstant(e, scope, state);
    if (!c.constant) throw fail('datatable values must be constants', e);
    values.push(c.constant.value);
  }
  s.columns.forEach((col, j) => {
    for (let r = 0; r < rows; r++) {
      const v = values[r * width + j];
      if (v !== null && !fitsType(col.type, v)) throw fail(`value for column \`${col.name}\` is not a ${col.type}`, s.values[r * width + j]);
    }
  });
  const schema: ColumnSchema[] = s.columns.map((c) => ({ name: c.name, type: c.type }));
  return new Table(schema, s.columns.map((c, j) => buildColumn(c.type, rows, (r) => (c.type === 'dynamic' ? toDynamicValue(values[r * width + j]) : values[r * width + j]))), rows);
}

function fitsType(type: ScalarType, v: Value): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'long':
      return typeof v === 'bigint';
    case 'real':
      return typeof v === 'number' || typeof v === 'bigint';
    case 'bool':
      return typeof v === 'boolean';
    case 'datetime':
      return v instanceof DateTime;
    case 'timespan':
      return v instanceof Timespan;
    case 'dynamic':
      return true;
  }
}

async function print(s: A.PrintSource, scope: Scope, state: RunState): Promise<Table> {
  const schema: ColumnSchema[] = [];
  const columns = [];
  const taken = new Set<string>();
  for (let i = 0; i < s.columns.length; i++) {
    const a = s.columns[i];
    const c = await compileConstant(a.expr, scope, state);
    schema.push({ name: uniqueName(a.name ?? inferName(a.expr) ?? `print_${i}`, taken), type: c.type });
    columns.push(buildColumn(c.type, 1, () => c.eval(0)));
  }
  return new Table(schema, columns, 1);
}

async function range(s: A.RangeSource, scope: Scope, state: RunState): Promise<Table> {
  const from = await compileConstant(s.from, scope, state);
  const to = await compileConstant(s.to, scope, state);
  const step = await compileConstant(s.step, scope, state);
  const a = from.eval(0);
  const b = to.eval(0);
  const st = step.eval(0);
  if (a === null || b === null || st === null) throw fail('range needs non-null from, to and step', s);
  const kindOf = (t: ScalarType) => (t === 'long' || t === 'real' ? 'number' : t);
  const kind = kindOf(from.type);
  if ((kind !== 'number' && kind !== 'datetime' && kind !== 'timespan') || kindOf(to.type) !== kind) {
    throw fail(`range goes from a number, datetime or timespan to another of the same kind, not from ${from.type} to ${to.type}`, s);
  }
  const stepKind = kind === 'number' ? 'number' : 'timespan';
  if (kindOf(step.type) !== stepKind) throw fail(`a range of ${kind === 'number' ? 'numbers' : `${kind}s`} steps by a ${stepKind}, not a ${step.type}`, s.step);
  const first = compareValues(arith('+', a, st), a) ?? 0;
  if (first === 0) throw fail(Number(st instanceof Timespan ? st.us : st) === 0 ? 'range step must not be zero' : `range step is too small to move past ${String(a)}`, s.step);
  const direction = first > 0 ? 1 : -1;
  const values: Value[] = [];
  for (let v: Value = a; (compareValues(v, b) ?? 0) * direction <= 0; ) {
    if (values.length >= MAX_RANGE_ROWS) throw fail(`range produces more than ${MAX_RANGE_ROWS.toLocaleString('en-US')} rows`, s);
    values.push(v);
    const next = arith('+', v, st);
    const moved = next === null ? -1 : (compareValues(next, v) ?? -1) * direction;
    // A step past the largest long wraps to the other end, and past the last datetime gives null: the range ends.
    if (moved < 0) break;
    // A real too large for the step to change it.
    if (moved === 0) throw fail(`range step is too small to move past ${String(v)}`, s.step);
    v = next!;
  }
  const type = from.type === 'long' && step.type === 'real' ? 'real' : from.type;
  return new Table([{ name: s.column, type }], [buildColumn(type, values.length, (i) => values[i])], values.length);
}

