/**
 * Source pushdown: from a query's syntax tree, what each source table must provide (see
 * `SourceRequest`). Everything here errs on the side of asking for more: whenever a construct
 * could observe a column the analysis does not track (a function defined elsewhere, `*`,
 * `getschema`, joins and unions of a pipeline that still has the source's columns, a result that
 * keeps them), the table is requested whole; when the query calls a user function defined outside
 * it, nothing is pushed down at all.
 *
 * Literals (`mustContain`) come only from `where` clauses at the start of a pipeline, and only
 * from comparisons whose truth implies that the raw JSON line contains the literal verbatim, for
 * lines without escapes (the loader reads every line with a backslash):
 * - `col == "lit"` (also `col.a.b == "lit"`, `col in ("lit")`): a string equal to the literal is
 *   written as the literal. Numbers, bools, datetimes and bags never equal a string that is not
 *   numeric text, so numeric-looking literals are left out.
 * - case-sensitive `has_cs`, `contains_cs`, `startswith_cs`, `endswith_cs`, `hasprefix_cs`,
 *   `hassuffix_cs`: the literal is a substring of the value's text. For a non-string value that
 *   text is a rendering (of a number, datetime, timespan, bool or JSON bag) that may differ from
 *   the raw bytes, so the literal must have a character such renderings never produce and none of
 *   the JSON punctuation `{}[]",:`.
 * - the case-insensitive forms and `=~` only for literals without letters (ASCII punctuation and
 *   digits under the same rule), where case cannot matter.
 * `and` unites the literals of both sides, `or` keeps those common to both, anything else gives none.
 */
import type * as A from './ast';
import { AGGREGATE_NAMES } from './aggregate-names';
import { toDateTimeValue, toRealValue } from './convert';
import { builtinFunction } from './functions';
import { inferName } from './naming';
import type { Scope } from './scope';
import type { SourceRequest } from './sourceRequest';
import { childExprs } from './walk';

/** Aggregates whose `*` argument reads every column. */
const STAR_AGGREGATES = new Set(['arg_max', 'arg_min', 'take_any', 'any']);
const CASE_SENSITIVE_CONTAINMENT = new Set<A.StringOp>(['has_cs', 'contains_cs', 'startswith_cs', 'endswith_cs', 'hasprefix_cs', 'hassuffix_cs']);
const CASE_INSENSITIVE_CONTAINMENT = new Set<A.StringOp>(['has', 'contains', 'startswith', 'endswith', 'hasprefix', 'hassuffix']);
/** Operators after which a later `where` still sees the source's rows one for one. */
const ROW_PRESERVING = new Set<A.OperatorKind>(['where', 'extend', 'sort', 'serialize', 'render', 'project-away', 'project-reorder']);

/** Characters that renderings of non-string values (numbers, datetimes, timespans, bools, null) can contain. */
const RENDERED = new Set('0123456789.+-: TZeEINaNfinityrueals'.split(''));
const JSON_PUNCTUATION = new Set('{}[]",:'.split(''));

/** No lone surrogates (they have no UTF-8 form) and no U+FFFD (what invalid UTF-8 decodes to). */
function plainText(lit: string): boolean {
  if (lit.length === 0 || lit.includes('\uFFFD')) return false;
  for (let i = 0; i < lit.length; i++) {
    const c = lit.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = lit.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/**
 * `value == lit` can only hold for a string value equal to `lit`. Text that reads as a number or
 * a datetime is left out: a number or a time written differently could compare equal to it.
 */
export function equalityLiteralSafe(lit: string): boolean {
  return plainText(lit) && toRealValue(lit) === null && toDateTimeValue(lit) === null;
}

/** `value contains lit` (any type) implies the raw JSON text of the value contains `lit`. */
export function containmentLiteralSafe(lit: string): boolean {
  if (!plainText(lit)) return false;
  let distinctive = false;
  for (const ch of lit) {
    if (JSON_PUNCTUATION.has(ch)) return false;
    if (!RENDERED.has(ch)) distinctive = true;
  }
  return distinctive;
}

/** Case cannot matter: printable ASCII without letters. */
function caseless(lit: string): boolean {
  for (let i = 0; i < lit.length; i++) {
    const c = lit.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) return false;
  }
  return true;
}

type FieldNeed = 'full' | Set<string>; // paths as JSON arrays of keys

interface TableRef {
  all: boolean;
  readonly fields: Map<string, FieldNeed>;
  readonly required: Set<string>;
  literals: Set<string>;
}

export interface PushdownOptions {
  /** Names visible from outside the query (earlier cells, parameters). */
  readonly scope: Scope;
  /** Table names the host knows (to recognise `x in (TableName)`). */
  readonly tableNames?: readonly string[];
}

/** Per table name, what the query needs from it. Names not in the map must be loaded whole. */
export function planSourceRequests(ast: A.QueryAst, options: PushdownOptions): Map<string, SourceRequest> {
  return planSourceUse(ast, options).requests;
}

/** The requests, and in how many places the query reads each table (a table read in one of them only is read again for the others). */
export function planSourceUse(ast: A.QueryAst, options: PushdownOptions): { requests: Map<string, SourceRequest>; references: Map<string, number> } {
  const analysis = new Analysis(options);
  analysis.query(ast);
  return { requests: analysis.requests(), references: analysis.references() };
}

interface Names {
  /** Function parameters and function-body lets (they shadow columns). */
  readonly bound: ReadonlySet<string>;
}

class Analysis {
  private disabled = false;
  private readonly refs = new Map<string, TableRef[]>();
  /** Names the query's own lets define so far. */
  private readonly local = new Set<string>();
  private readonly localFunctions = new Set<string>();
  private readonly tableNames: ReadonlySet<string>;

  constructor(private readonly options: PushdownOptions) {
    this.tableNames = new Set(options.tableNames ?? []);
  }

  query(ast: A.QueryAst): void {
    const none: Names = { bound: new Set() };
    for (const s of ast.statements) {
      this.letValue(s.value, none);
      this.local.add(s.name);
      if (s.value.kind === 'Function') this.localFunctions.add(s.name);
    }
    if (ast.query) this.pipeline(ast.query, none);
  }

  references(): Map<string, number> {
    return new Map([...this.refs].map(([name, refs]) => [name, refs.length]));
  }

  requests(): Map<string, SourceRequest> {
    const out = new Map<string, SourceRequest>();
    if (this.disabled) return out;
    for (const [name, refs] of this.refs) out.set(name, merge(refs));
    return out;
  }

  private letValue(v: A.LetStatement['value'], names: Names): void {
    if (v.kind === 'Pipeline') this.pipeline(v, names);
    else if (v.kind === 'Function') {
      const bound = new Set([...names.bound, ...v.params.map((p) => p.name)]);
      for (const s of v.body.statements) {
        this.letValue(s.value, { bound });
        bound.add(s.name);
      }
      const r = v.body.result;
      if (r.kind === 'Pipeline') this.pipeline(r, { bound });
      else if (r.kind === 'Name') this.wholeTable(r.name, { bound });
      else this.expr(r, null, { bound }, new Set());
    } else if (v.kind === 'Name') this.wholeTable(v.name, names);
    else this.expr(v, null, names, new Set());
  }

  /** What kind of name a table reference is: a source candidate, something local, or unknown code. */
  private classify(name: string, names: Names): 'source' | 'local' | 'outside-function' {
    if (names.bound.has(name) || this.local.has(name)) return 'local';
    const def = this.options.scope.get(name);
    if (def?.kind === 'function') return 'outside-function';
    if (def) return 'local';
    return 'source';
  }

  private newRef(name: string): TableRef {
    const ref: TableRef = { all: false, fields: new Map(), required: new Set(), literals: new Set() };
    let list = this.refs.get(name);
    if (!list) this.refs.set(name, (list = []));
    list.push(ref);
    return ref;
  }

  private wholeTable(name: string, names: Names): void {
    if (name.includes('*')) {
      this.disabled = true; // union wildcards: which tables they match is known only at run time
      return;
    }
    const kind = this.classify(name, names);
    if (kind === 'outside-function') this.disabled = true;
    else if (kind === 'source') this.newRef(name).all = true;
  }

  private pipeline(q: A.TabularExpr, names: Names): void {
    // `(T | a) | b` is `T | a | b`.
    let source = q.source;
    let operators = q.operators;
    while (source.kind === 'Paren') {
      operators = [...source.query.operators, ...operators];
      source = source.query.source;
    }
    let ref: TableRef | null = null;
    switch (source.kind) {
      case 'TableRef':
        if (source.name.includes('*')) this.disabled = true;
        else if (!source.args) {
          const kind = this.classify(source.name, names);
          if (kind === 'outside-function') this.disabled = true;
          else if (kind === 'source') ref = this.newRef(source.name);
        } else {
          const kind = this.classify(source.name, names);
          if (kind === 'outside-function') this.disabled = true;
          for (const a of source.args) {
            if (a.kind === 'Name') this.wholeTable(a.name, names);
            else if (a.kind === 'ToScalar') this.pipeline(a.query, names);
            else this.expr(a, null, names, new Set());
          }
        }
        break;
      case 'UnionSource':
        for (const t of source.union.tables) this.wholePipeline(t, names);
        break;
      case 'Datatable':
        for (const e of source.values) this.expr(e, null, names, new Set());
        break;
      case 'Print':
        for (const c of source.columns) this.expr(c.expr, null, names, new Set());
        break;
      case 'Range':
        for (const e of [source.from, source.to, source.step]) this.expr(e, null, names, new Set());
        break;
    }
    this.operators(operators, ref, names);
  }

  /** A pipeline whose every column is used (union inputs, join right sides). */
  private wholePipeline(q: A.TabularExpr, names: Names): void {
    this.pipeline(q, names);
  }

  private operators(operators: readonly A.Operator[], start: TableRef | null, names: Names): void {
    let ref = start;
    let prefix = true;
    const defined = new Set<string>();
    const all = () => {
      if (ref) ref.all = true;
    };
    const exprs = (list: readonly A.Expr[]) => {
      for (const e of list) this.expr(e, ref, names, defined);
    };
    const full = (name: string, hard: boolean) => ref && need(ref, name, 'full', hard);
    for (const op of operators) {
      switch (op.kind) {
        case 'where':
          exprs([op.predicate]);
          if (prefix && ref) for (const lit of this.literals(op.predicate, names, defined) ?? []) ref.literals.add(lit);
          break;
        case 'extend':
          for (const c of op.columns) {
            this.expr(c.expr, ref, names, defined);
            const n = c.name ?? inferName(c.expr);
            if (n !== undefined) defined.add(n);
          }
          break;
        case 'project':
          exprs(op.columns.map((c) => c.expr));
          ref = null;
          break;
        case 'project-away':
        case 'project-reorder':
          for (const p of op.patterns) if (!p.includes('*')) full(p, !defined.has(p));
          break;
        case 'project-keep':
          if (op.patterns.some((p) => p.includes('*'))) all();
          else for (const p of op.patterns) full(p, !defined.has(p));
          ref = null;
          break;
        case 'project-rename':
          for (const r of op.renames) {
            full(r.from, !defined.has(r.from));
            defined.add(r.to);
          }
          break;
        case 'summarize':
          for (const a of op.aggregates) if (usesStar(a.expr)) all();
          exprs([...op.aggregates, ...op.by].map((c) => c.expr));
          ref = null;
          break;
        case 'count':
          ref = null;
          break;
        case 'distinct':
          if (op.columns.length === 0) all();
          exprs(op.columns.map((c) => c.expr));
          ref = null;
          break;
        case 'sort':
          exprs(op.keys.map((k) => k.expr));
          break;
        case 'top':
          exprs([op.count, ...op.keys.map((k) => k.expr)]);
          break;
        case 'take':
          exprs([op.count]);
          break;
        case 'mv-expand':
          exprs([...op.items.map((i) => i.expr), ...(op.limit ? [op.limit] : [])]);
          for (const i of op.items) {
            const n = i.name ?? inferName(i.expr);
            if (n !== undefined) defined.add(n);
          }
          if (op.itemIndex) defined.add(op.itemIndex);
          break;
        case 'parse':
          exprs([op.source]);
          for (const p of op.pattern) if (p.kind === 'column') defined.add(p.name);
          break;
        case 'render':
          exprs(op.properties.flatMap((p) => (Array.isArray(p.value) ? [] : [p.value as A.Expr])));
          break;
        case 'getschema':
          all();
          ref = null;
          break;
        case 'serialize':
          break;
        case 'as':
          all();
          break;
        case 'join':
        case 'lookup':
          all();
          this.wholePipeline(op.right, names);
          break;
        case 'union':
          all();
          for (const t of op.tables) this.wholePipeline(t, names);
          break;
        case 'invoke':
          all();
          if (this.classify(op.name, names) === 'outside-function') this.disabled = true;
          exprs(op.args);
          break;
      }
      if (!ROW_PRESERVING.has(op.kind)) prefix = false;
    }
    // The result still holds the source's columns: whoever receives it may read any of them.
    all();
  }

  /** Records the columns an expression reads from `ref` (null: a table the analysis does not track). */
  private expr(e: A.Expr, ref: TableRef | null, names: Names, defined: ReadonlySet<string>): void {
    const hard = (n: string) => !defined.has(n) && !this.local.has(n) && !this.options.scope.has(n);
    switch (e.kind) {
      case 'Name':
        if (ref && !names.bound.has(e.name)) need(ref, e.name, 'full', hard(e.name));
        return;
      case 'Member':
      case 'Index': {
        const chain = memberChain(e);
        if (chain && !names.bound.has(chain.root)) {
          if (ref) need(ref, chain.root, chain.keys, hard(chain.root));
          for (const rest of chain.rest) this.expr(rest, ref, names, defined);
          return;
        }
        break;
      }
      case 'Call': {
        const userFunction = names.bound.has(e.name) || this.localFunctions.has(e.name) || this.options.scope.get(e.name)?.kind === 'function';
        if (userFunction) {
          // Its body reads columns of this table by name, out of sight here.
          if (ref) ref.all = true;
          if (this.classify(e.name, names) === 'outside-function') this.disabled = true;
        } else if (e.name === 'column_ifexists') {
          const [first, fallback] = e.args;
          if (first?.kind === 'Literal' && first.type === 'string' && ref) need(ref, first.value, 'full', false);
          if (fallback) this.expr(fallback, ref, names, defined);
          return;
        } else if (!builtinFunction(e.name) && !AGGREGATE_NAMES.has(e.name)) {
          if (ref) ref.all = true; // unknown: it fails at run time anyway
        }
        break;
      }
      case 'ToScalar':
        this.pipeline(e.query, names);
        return;
      case 'List':
        if (e.subquery) this.pipeline(e.subquery, names);
        for (const item of e.items) if (item.kind === 'Name' && (this.tableNames.has(item.name) || this.local.has(item.name))) this.wholeTable(item.name, names);
        break;
    }
    for (const c of childExprs(e)) this.expr(c, ref, names, defined);
  }

  /** Literals every row satisfying `e` contains in its raw line (null: none known). */
  private literals(e: A.Expr, names: Names, defined: ReadonlySet<string>): Set<string> | null {
    const column = (x: A.Expr): boolean => {
      const root = x.kind === 'Name' ? x.name : (x.kind === 'Member' || x.kind === 'Index') ? memberChain(x)?.root : undefined;
      if (root === undefined) return false;
      if (x.kind !== 'Name' && memberChain(x)!.rest.length > 0) return false;
      return !names.bound.has(root) && !defined.has(root) && !this.local.has(root) && !this.options.scope.has(root);
    };
    const text = (x: A.Expr): string | undefined => (x.kind === 'Literal' && x.type === 'string' ? x.value : undefined);
    const pair = (l: A.Expr, r: A.Expr): string | undefined => (column(l) ? text(r) : column(r) ? text(l) : undefined);
    switch (e.kind) {
      case 'Binary': {
        if (e.op === 'and') {
          const a = this.literals(e.left, names, defined);
          const b = this.literals(e.right, names, defined);
          return a || b ? new Set([...(a ?? []), ...(b ?? [])]) : null;
        }
        if (e.op === 'or') {
          const a = this.literals(e.left, names, defined);
          const b = this.literals(e.right, names, defined);
          if (!a || !b) return null;
          // A literal one side needs is implied by the other side when one of its literals contains it.
          const both = new Set([...[...a].filter((x) => [...b].some((y) => y.includes(x))), ...[...b].filter((y) => [...a].some((x) => x.includes(y)))]);
          return both.size ? both : null;
        }
        const lit = pair(e.left, e.right);
        if (lit === undefined) return null;
        if (e.op === '==' && equalityLiteralSafe(lit)) return new Set([lit]);
        if (e.op === '=~' && caseless(lit) && containmentLiteralSafe(lit)) return new Set([lit]);
        return null;
      }
      case 'StringOp': {
        const lit = column(e.left) ? text(e.right) : undefined;
        if (lit === undefined) return null;
        if (CASE_SENSITIVE_CONTAINMENT.has(e.op) && containmentLiteralSafe(lit)) return new Set([lit]);
        if (CASE_INSENSITIVE_CONTAINMENT.has(e.op) && caseless(lit) && containmentLiteralSafe(lit)) return new Set([lit]);
        return null;
      }
      case 'List': {
        if (e.subquery || e.items.length !== 1 || !column(e.left)) return null;
        const lit = text(e.items[0]);
        if (lit === undefined) return null;
        if (e.op === 'in' && equalityLiteralSafe(lit)) return new Set([lit]);
        if (e.op === 'in~' && caseless(lit) && containmentLiteralSafe(lit)) return new Set([lit]);
        return null;
      }
      default:
        return null;
    }
  }
}

function usesStar(e: A.Expr): boolean {
  if (e.kind === 'Call' && STAR_AGGREGATES.has(e.name) && e.args.some((a) => a.kind === 'Star')) return true;
  return childExprs(e).some(usesStar);
}

/** `root.a["b"].c` with constant string keys: the root name, the keys, and index expressions after the constant part. */
function memberChain(e: A.Expr): { root: string; keys: string[]; rest: A.Expr[] } | undefined {
  const keys: string[] = [];
  const rest: A.Expr[] = [];
  let x = e;
  for (;;) {
    if (x.kind === 'Member') {
      keys.unshift(x.name);
      x = x.target;
    } else if (x.kind === 'Index') {
      if (x.index.kind === 'Literal' && x.index.type === 'string') keys.unshift(x.index.value);
      else {
        // An index that is not a constant key: everything at the path so far is needed.
        keys.length = 0;
        rest.push(x.index);
      }
      x = x.target;
    } else break;
  }
  if (x.kind !== 'Name') return undefined;
  return { root: x.name, keys, rest };
}

function need(ref: TableRef, field: string, what: 'full' | readonly string[], hard: boolean): void {
  if (hard) ref.required.add(field);
  const current = ref.fields.get(field);
  if (what === 'full' || what.length === 0) {
    ref.fields.set(field, 'full');
    return;
  }
  if (current === 'full') return;
  const paths = current ?? new Set<string>();
  paths.add(JSON.stringify(what));
  ref.fields.set(field, paths);
}

function merge(refs: readonly TableRef[]): SourceRequest {
  const all = refs.some((r) => r.all);
  let literals = new Set(refs[0].literals);
  for (const r of refs.slice(1)) literals = new Set([...literals].filter((l) => r.literals.has(l)));
  const mustContain = [...literals].sort();
  // A table whose every column is used is not prefiltered: which columns a full load has, and
  // their types, depend on lines a prefilter would skip.
  if (all) return {};
  const required = new Set(refs.flatMap((r) => [...r.required]));
  const base = { ...(mustContain.length ? { mustContain } : {}), ...(required.size ? { required: [...required].sort() } : {}) };
  const fields = new Map<string, FieldNeed>();
  for (const r of refs) {
    for (const [f, needed] of r.fields) {
      const cur = fields.get(f);
      if (needed === 'full' || cur === 'full') fields.set(f, 'full');
      else fields.set(f, new Set([...(cur ?? []), ...needed]));
    }
  }
  const paths: Record<string, string[][]> = Object.create(null);
  for (const [f, needed] of fields) {
    if (needed === 'full') continue;
    const list = [...needed].map((p) => JSON.parse(p) as string[]).sort((a, b) => a.length - b.length);
    // A path already covered by a shorter one (its prefix) adds nothing.
    const kept: string[][] = [];
    for (const p of list) if (!kept.some((k) => k.every((key, i) => p[i] === key))) kept.push(p);
    paths[f] = kept.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return { ...base, fields: [...fields.keys()].sort(), ...(Object.keys(paths).length ? { paths } : {}) };
}
