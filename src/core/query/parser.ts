/** Recursive-descent parser from query text to the `QueryAst` in `ast.ts`. */
import type * as A from './ast';
import { JOIN_KINDS, STRING_OPERATORS } from './ast';
import { syntaxError, type QuerySyntaxError } from './errors';
import { Lexer, type Token } from './lexer';
import { didYouMean } from './suggest';
import { parseDateTimeText, parseTimespanText } from './time';
import type { ScalarType } from './values';

export const TABULAR_OPERATORS = [
  'where', 'filter', 'project', 'project-away', 'project-keep', 'project-rename', 'project-reorder', 'extend',
  'summarize', 'count', 'distinct', 'sort', 'order', 'top', 'take', 'limit', 'join', 'lookup', 'union',
  'mv-expand', 'parse', 'render', 'as', 'getschema', 'serialize', 'invoke',
] as const;

const TYPE_NAMES: Readonly<Record<string, ScalarType>> = {
  string: 'string', guid: 'string', uniqueid: 'string',
  long: 'long', int: 'long', int64: 'long', int32: 'long',
  real: 'real', double: 'real', decimal: 'real', float: 'real',
  bool: 'bool', boolean: 'bool',
  datetime: 'datetime', date: 'datetime',
  timespan: 'timespan', time: 'timespan',
  dynamic: 'dynamic',
};

export function typeFromName(name: string): ScalarType | undefined {
  return Object.hasOwn(TYPE_NAMES, name) ? TYPE_NAMES[name] : undefined;
}

export function parseQuery(text: string): A.QueryAst {
  return new Parser(text).parseQuery();
}

/** Parses a single scalar expression (used by tools and tests). */
export function parseExpression(text: string): A.Expr {
  const p = new Parser(text);
  const e = p.expression();
  p.expectEnd();
  return e;
}

const RENDER_LIST_PROPERTIES = new Set(['ycolumns', 'series', 'anomalycolumns']);
/** Typed literals a dynamic literal may hold (`datetime(...)`, `long(...)`, ...). */
const TYPED_LITERALS_IN_DYNAMIC = new Set(['datetime', 'date', 'time', 'timespan', 'guid', 'uniqueid', 'long', 'int', 'real', 'double', 'decimal', 'bool', 'boolean']);

/**
 * How deep parentheses, arguments, lists, indexes, members, signs, function bodies, dynamic
 * literals and chains of arithmetic may nest. Deeper input is refused with a positioned error: the
 * parser and every pass after it walk the tree recursively, and a few thousand levels would
 * exhaust the stack.
 */
export const MAX_NESTING = 256;

/**
 * `a or b or c ...` (or `and`) over operands[from, to) as a balanced tree. Both are associative,
 * also with nulls, and the operands still run left to right; but a chain of thousands (a list of
 * indicators pasted as `x == "a" or x == "b" or ...`) is then a few dozen levels deep rather than
 * thousands, which the passes that walk the tree recursively could not take.
 */
export function balancedChain(op: 'and' | 'or', operands: readonly A.Expr[], from = 0, to = operands.length): A.Expr {
  if (to - from === 1) return operands[from];
  const middle = (from + to) >>> 1;
  const left = balancedChain(op, operands, from, middle);
  const right = balancedChain(op, operands, middle, to);
  return { kind: 'Binary', op, left, right, start: left.start, end: right.end };
}

class Parser {
  private readonly lexer: Lexer;
  private buf: Token[] = [];
  private lastEnd = 0;
  private nesting = 0;

  constructor(private readonly text: string) {
    this.lexer = new Lexer(text);
  }

  // ---------- token plumbing ----------

  private peek(k = 0): Token {
    while (this.buf.length <= k) this.buf.push(this.lexer.next());
    return this.buf[k];
  }

  private advance(): Token {
    const t = this.peek();
    this.buf.shift();
    this.lastEnd = t.end;
    return t;
  }

  private fail(message: string, at: { start: number; end: number }, hint?: string): QuerySyntaxError {
    return syntaxError(this.text, message, at.start, Math.max(1, at.end - at.start), hint);
  }

  private tooDeep(at: Token): QuerySyntaxError {
    return this.fail(`the query nests deeper than ${MAX_NESTING} levels`, at, 'levels are parentheses, arguments, lists, indexes, members, signs, function bodies, dynamic literals and each further operand of `+ - * / %`');
  }

  /** Parses one level of nesting (see MAX_NESTING). */
  private nested<T>(parse: () => T): T {
    if (this.nesting >= MAX_NESTING) throw this.tooDeep(this.peek());
    this.nesting++;
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  private describe(t: Token): string {
    if (t.kind === 'eof') return 'the end of the query';
    if (t.kind === 'string') return 'a string';
    return `\`${this.text.slice(t.start, t.end)}\``;
  }

  private isPunct(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'punct' && t.text === text;
  }

  private isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.text === word;
  }

  /** Two tokens written without space between them (`project-away`, `!has`, `in~`). */
  private adjacent(k: number): boolean {
    return this.peek(k).end === this.peek(k + 1).start;
  }

  private acceptPunct(text: string): Token | undefined {
    return this.isPunct(text) ? this.advance() : undefined;
  }

  private acceptWord(word: string): Token | undefined {
    return this.isWord(word) ? this.advance() : undefined;
  }

  private expectPunct(text: string, context?: string): Token {
    if (this.isPunct(text)) return this.advance();
    const t = this.peek();
    throw this.fail(`expected \`${text}\`${context ? ' ' + context : ''} but found ${this.describe(t)}`, t);
  }

  private expectWord(word: string, context?: string): Token {
    if (this.isWord(word)) return this.advance();
    const t = this.peek();
    throw this.fail(`expected \`${word}\`${context ? ' ' + context : ''} but found ${this.describe(t)}`, t);
  }

  /** An identifier or a bracketed name `['Column name']`. */
  private name(what = 'a name'): { name: string; start: number; end: number } {
    const t = this.peek();
    if (t.kind === 'ident' && !t.text.startsWith('$')) {
      this.advance();
      return { name: t.text, start: t.start, end: t.end };
    }
    if (this.isPunct('[') && this.peek(1).kind === 'string' && this.isPunct(']', 2)) {
      const open = this.advance();
      const s = this.advance();
      const close = this.advance();
      return { name: s.text, start: open.start, end: close.end };
    }
    throw this.fail(`expected ${what} but found ${this.describe(t)}`, t);
  }

  private isNameStart(k = 0): boolean {
    const t = this.peek(k);
    return (t.kind === 'ident' && !t.text.startsWith('$')) || (this.isPunct('[', k) && this.peek(k + 1).kind === 'string' && this.isPunct(']', k + 2));
  }

  /** Raw text between the parentheses that follow (for `datetime(...)` and friends). */
  private rawParenthesized(): { raw: string; end: number } {
    const open = this.expectPunct('(');
    this.buf = [];
    const close = this.text.indexOf(')', open.end);
    if (close < 0) throw this.fail('missing `)`', open);
    this.lexer.pos = close + 1;
    this.lastEnd = close + 1;
    return { raw: this.text.slice(open.end, close), end: close + 1 };
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'eof') throw this.fail(`unexpected ${this.describe(t)}`, t);
  }

  // ---------- statements ----------

  parseQuery(): A.QueryAst {
    const statements: A.LetStatement[] = [];
    let query: A.TabularExpr | undefined;
    while (this.peek().kind !== 'eof') {
      if (this.acceptPunct(';')) continue;
      if (query) {
        const t = this.peek();
        throw this.fail(`unexpected ${this.describe(t)} after the query`, t, this.isPunct('|') ? undefined : 'separate statements with `;`, and continue a query with `|`');
      }
      if (this.isWord('let')) {
        statements.push(this.letStatement());
        if (this.peek().kind !== 'eof') this.expectPunct(';', 'after a `let` statement');
        continue;
      }
      query = this.toTabular(this.tabularOrScalar(), 'a query must end with a tabular expression');
    }
    return { kind: 'Query', text: this.text, statements, query, start: 0, end: this.text.length };
  }

  private letStatement(): A.LetStatement {
    const letToken = this.expectWord('let');
    const n = this.name('a name after `let`');
    this.expectPunct('=', `after \`let ${n.name}\``);
    let value: A.LetStatement['value'];
    if (this.isPunct('(') && (this.isPunct(')', 1) || (this.peek(1).kind === 'ident' && this.isPunct(':', 2)))) value = this.nested(() => this.functionDef());
    else {
      const v = this.tabularOrScalar();
      // `let T = (X | where ...)` is a tabular let, not a scalar.
      value = v.kind === 'ToScalar' && !v.explicit ? v.query : v;
    }
    return { kind: 'Let', name: n.name, nameStart: n.start, value, start: letToken.start, end: this.lastEnd };
  }

  private functionDef(): A.FunctionDef {
    const open = this.expectPunct('(');
    const params: A.FunctionParam[] = [];
    while (!this.isPunct(')')) {
      const n = this.name('a parameter name');
      this.expectPunct(':', `after parameter \`${n.name}\` (parameters need a type, e.g. \`${n.name}:string\`)`);
      let type: A.FunctionParam['type'];
      if (this.isPunct('(')) {
        // Tabular parameter: `T:(*)` or `T:(a:string, ...)`; the schema is not checked.
        this.advance();
        let depth = 1;
        while (depth > 0) {
          const t = this.advance();
          if (t.kind === 'eof') throw this.fail('missing `)` in a tabular parameter type', t);
          if (t.kind === 'punct' && t.text === '(') depth++;
          if (t.kind === 'punct' && t.text === ')') depth--;
        }
        type = 'tabular';
      } else type = this.typeName();
      let defaultValue: A.Expr | undefined;
      if (this.acceptPunct('=')) defaultValue = this.expression();
      params.push({ name: n.name, type, defaultValue, start: n.start, end: this.lastEnd });
      if (!this.acceptPunct(',')) break;
    }
    this.expectPunct(')', 'to close the parameter list');
    const bodyOpen = this.expectPunct('{', 'to start the function body');
    const statements: A.LetStatement[] = [];
    let result: A.Expr | A.TabularExpr | undefined;
    while (!this.isPunct('}')) {
      if (this.acceptPunct(';')) continue;
      if (this.peek().kind === 'eof') throw this.fail('missing `}` at the end of the function body', bodyOpen);
      if (result) throw this.fail(`unexpected ${this.describe(this.peek())} in the function body`, this.peek(), 'separate statements with `;`');
      if (this.isWord('let')) {
        statements.push(this.letStatement());
        continue;
      }
      const r = this.tabularOrScalar();
      result = r.kind === 'ToScalar' && !r.explicit ? r.query : r;
    }
    const close = this.expectPunct('}');
    if (!result) throw this.fail('a function body must end with an expression', close);
    return { kind: 'Function', params, body: { statements, result, start: bodyOpen.start, end: close.end }, start: open.start, end: close.end };
  }

  private typeName(): ScalarType {
    const t = this.peek();
    if (t.kind === 'ident') {
      const type = typeFromName(t.text);
      if (type) {
        this.advance();
        return type;
      }
      throw this.fail(`unknown type \`${t.text}\``, t, didYouMean(t.text, Object.keys(TYPE_NAMES)) ?? 'types are string, long, int, real, bool, datetime, timespan, dynamic');
    }
    throw this.fail(`expected a type name but found ${this.describe(t)}`, t);
  }

  // ---------- tabular expressions ----------

  /** A tabular expression or a scalar one; only a pipe or a tabular keyword makes it tabular. */
  private tabularOrScalar(): A.Expr | A.TabularExpr {
    return this.nested(() => this.tabularOrScalarAt());
  }

  private tabularOrScalarAt(): A.Expr | A.TabularExpr {
    const start = this.peek().start;
    let source: A.Source | undefined = this.tabularSource();
    if (!source) {
      const e = this.expression();
      if (!this.isPunct('|')) return e;
      source = this.sourceFromExpr(e);
    }
    return this.pipeline(source, start);
  }

  private pipeline(source: A.Source, start: number): A.TabularExpr {
    const operators: A.Operator[] = [];
    while (this.acceptPunct('|')) operators.push(this.operator());
    return { kind: 'Pipeline', source, operators, start, end: this.lastEnd };
  }

  private toTabular(v: A.Expr | A.TabularExpr, message: string): A.TabularExpr {
    if (v.kind === 'Pipeline') return v;
    if (v.kind === 'ToScalar' && !v.explicit) return v.query;
    return { kind: 'Pipeline', source: this.sourceFromExpr(v, message), operators: [], start: v.start, end: v.end };
  }

  private sourceFromExpr(e: A.Expr, message = 'expected a table name or a tabular expression before `|`'): A.Source {
    if (e.kind === 'Name') return { kind: 'TableRef', name: e.name, start: e.start, end: e.end };
    if (e.kind === 'Call') return { kind: 'TableRef', name: e.name, args: e.args, start: e.start, end: e.end };
    if (e.kind === 'ToScalar' && !e.explicit) return { kind: 'Paren', query: e.query, start: e.start, end: e.end };
    throw this.fail(message, e, 'to compute a single value, use `print x = ...`');
  }

  /** Sources introduced by a keyword; undefined when the next tokens are an ordinary expression. */
  private tabularSource(): A.Source | undefined {
    const t = this.peek();
    if (t.kind !== 'ident') return undefined;
    if (t.text === 'datatable' && this.isPunct('(', 1)) return this.datatable();
    if (t.text === 'print' && !this.isPunct('(', 1)) return this.print();
    if (t.text === 'range' && this.peek(1).kind === 'ident' && this.isWord('from', 2)) return this.range();
    if (t.text === 'union') {
      this.advance();
      const union = this.union(t.start);
      return { kind: 'UnionSource', union, start: t.start, end: union.end };
    }
    return undefined;
  }

  private datatable(): A.DatatableSource {
    const kw = this.advance();
    this.expectPunct('(');
    const columns: A.ColumnDecl[] = [];
    while (!this.isPunct(')')) {
      const n = this.name('a column name');
      this.expectPunct(':', `after column \`${n.name}\``);
      columns.push({ name: n.name, type: this.typeName(), start: n.start, end: this.lastEnd });
      if (!this.acceptPunct(',')) break;
    }
    this.expectPunct(')', 'to close the datatable columns');
    this.expectPunct('[', 'to start the datatable values');
    const values: A.Expr[] = [];
    while (!this.isPunct(']')) {
      values.push(this.expression());
      if (!this.acceptPunct(',')) break;
    }
    const close = this.expectPunct(']', 'to close the datatable values');
    if (columns.length === 0) throw this.fail('a datatable needs at least one column', kw);
    if (values.length % columns.length !== 0) {
      throw this.fail(`datatable has ${values.length} values, which is not a multiple of its ${columns.length} columns`, { start: kw.start, end: close.end });
    }
    return { kind: 'Datatable', columns, values, start: kw.start, end: close.end };
  }

  private print(): A.PrintSource {
    const kw = this.advance();
    const columns = this.assignments('an expression after `print`');
    return { kind: 'Print', columns, start: kw.start, end: this.lastEnd };
  }

  private range(): A.RangeSource {
    const kw = this.advance();
    const column = this.name('a column name').name;
    this.expectWord('from');
    const from = this.expression();
    this.expectWord('to');
    const to = this.expression();
    this.expectWord('step', '(range needs `from`, `to` and `step`)');
    const step = this.expression();
    return { kind: 'Range', column, from, to, step, start: kw.start, end: this.lastEnd };
  }

  /** Either `(tabular)` or a table name, used on the right of join/lookup/union. */
  private tabularOperand(allowWildcard: boolean): A.TabularExpr {
    if (this.isPunct('(')) {
      const open = this.advance();
      const inner = this.tabularOrScalar();
      this.expectPunct(')', 'to close the subquery');
      return { ...this.toTabular(inner, 'expected a tabular expression in parentheses'), start: open.start, end: this.lastEnd };
    }
    const start = this.peek().start;
    if (allowWildcard) {
      const pattern = this.namePattern();
      return { kind: 'Pipeline', source: { kind: 'TableRef', name: pattern, start, end: this.lastEnd }, operators: [], start, end: this.lastEnd };
    }
    const source = this.tabularSource();
    if (source) return { kind: 'Pipeline', source, operators: [], start, end: this.lastEnd };
    const e = this.postfix();
    return this.toTabular(e, 'expected a table name or `(subquery)`');
  }

  private operator(): A.Operator {
    const t = this.peek();
    if (t.kind !== 'ident') throw this.fail(`expected an operator after \`|\` but found ${this.describe(t)}`, t, 'for example `where`, `project`, `summarize`');
    let name = t.text;
    let end = t.end;
    // Hyphenated names: project-away, mv-expand ...
    if (this.isPunct('-', 1) && this.adjacent(0) && this.adjacent(1) && this.peek(2).kind === 'ident') {
      name = `${t.text}-${this.peek(2).text}`;
      end = this.peek(2).end;
    }
    const known = (TABULAR_OPERATORS as readonly string[]).includes(name) || name === 'mvexpand';
    if (!known) {
      const extra: Record<string, string> = { 'mv-apply': 'mv-apply is not supported; use mv-expand then summarize', 'make-series': 'make-series is not supported; use summarize ... by bin(t, 1h)', sample: 'sample is not supported; use take', search: 'search is not supported; use where * has "..." is not available either; filter columns with has', 'top-nested': 'top-nested is not supported; use summarize then top' };
      throw this.fail(`unknown operator \`${name}\``, { start: t.start, end }, extra[name] ?? didYouMean(name, TABULAR_OPERATORS));
    }
    if (name !== t.text) {
      this.advance();
      this.advance();
    }
    this.advance();
    const start = t.start;
    const done = <T extends object>(o: T): T & A.Span => ({ ...o, start, end: this.lastEnd });
    switch (name) {
      case 'where':
      case 'filter':
        return done({ kind: 'where' as const, predicate: this.expression() });
      case 'project':
      case 'extend':
        return done({ kind: name, columns: this.assignments(`a column after \`${name}\``) });
      case 'project-away':
      case 'project-keep':
      case 'project-reorder': {
        const patterns: string[] = [];
        const orders: ('asc' | 'desc' | undefined)[] = [];
        do {
          patterns.push(this.namePattern());
          // `project-reorder a* asc` orders the pattern's columns by name.
          if (name === 'project-reorder') orders.push(this.acceptWord('asc') ? 'asc' : this.acceptWord('desc') ? 'desc' : undefined);
        } while (this.acceptPunct(','));
        return done({ kind: name, patterns, ...(orders.some((o) => o !== undefined) ? { orders } : {}) });
      }
      case 'project-rename': {
        const renames: (A.Span & { to: string; from: string })[] = [];
        do {
          const to = this.name('the new column name');
          this.expectPunct('=', 'in `project-rename NewName = OldName`');
          const from = this.name('the existing column name');
          renames.push({ to: to.name, from: from.name, start: to.start, end: from.end });
        } while (this.acceptPunct(','));
        return done({ kind: 'project-rename' as const, renames });
      }
      case 'summarize': {
        this.hints();
        const aggregates = this.isWord('by') ? [] : this.assignments('an aggregate such as `count()` after `summarize`');
        const by = this.acceptWord('by') ? this.assignments('a grouping column after `by`') : [];
        if (aggregates.length === 0 && by.length === 0) throw this.fail('summarize needs aggregates or `by` columns', t);
        return done({ kind: 'summarize' as const, aggregates, by });
      }
      case 'count':
        return done({ kind: 'count' as const });
      case 'distinct':
        if (this.acceptPunct('*')) return done({ kind: 'distinct' as const, columns: [] });
        return done({ kind: 'distinct' as const, columns: this.assignments('a column after `distinct`') });
      case 'sort':
      case 'order':
        this.expectWord('by', `after \`${name}\``);
        return done({ kind: 'sort' as const, keys: this.sortKeys() });
      case 'top': {
        const count = this.expression();
        this.expectWord('by', 'in `top N by column`');
        return done({ kind: 'top' as const, count, keys: this.sortKeys() });
      }
      case 'take':
      case 'limit':
        return done({ kind: 'take' as const, count: this.expression() });
      case 'join':
      case 'lookup':
        return this.join(name, start);
      case 'union':
        return this.union(start);
      case 'mv-expand':
      case 'mvexpand':
        return this.mvExpand(start, name === 'mvexpand');
      case 'parse':
        return this.parseOperator(start);
      case 'render':
        return this.render(start);
      case 'as':
        this.hints();
        return done({ kind: 'as' as const, name: this.name('a name after `as`').name });
      case 'getschema':
        return done({ kind: 'getschema' as const });
      case 'serialize':
        return done({ kind: 'serialize' as const });
      case 'invoke': {
        const n = this.name('a function name after `invoke`');
        this.expectPunct('(', `to call \`${n.name}\``);
        const args = this.callArguments();
        return done({ kind: 'invoke' as const, name: n.name, args });
      }
    }
    throw this.fail(`unknown operator \`${name}\``, t);
  }

  /** `hint.strategy=shuffle` and similar: accepted and ignored (they only tune distributed engines). */
  private hints(): void {
    while (this.isWord('hint') && this.isPunct('.', 1)) {
      this.advance();
      this.advance();
      this.name('a hint name');
      this.expectPunct('=');
      this.advance();
    }
  }

  /** A name with `*` wildcards, written without spaces (`Account*`, `*Id`). */
  private namePattern(): string {
    const first = this.peek();
    if (!(first.kind === 'ident' || this.isPunct('*') || this.isNameStart())) throw this.fail(`expected a column name but found ${this.describe(first)}`, first);
    if (this.isNameStart() && first.kind !== 'ident') return this.name().name;
    let text = this.advance().text;
    while ((this.peek().kind === 'ident' || this.isPunct('*')) && this.peek().start === this.lastEnd) text += this.advance().text;
    return text;
  }

  private assignments(what: string): A.ColumnAssignment[] {
    const out: A.ColumnAssignment[] = [];
    do {
      const start = this.peek().start;
      if (this.peek().kind === 'eof' || this.isPunct('|')) throw this.fail(`expected ${what} but found ${this.describe(this.peek())}`, this.peek());
      let name: string | undefined;
      if (this.isNameStart() && this.isPunct('=', this.peek().kind === 'ident' ? 1 : 3)) {
        name = this.name().name;
        this.advance();
      }
      const expr = this.expression();
      out.push({ name, expr, start, end: this.lastEnd });
    } while (this.acceptPunct(','));
    return out;
  }

  private sortKeys(): A.SortKey[] {
    const keys: A.SortKey[] = [];
    do {
      const start = this.peek().start;
      const expr = this.expression();
      let order: 'asc' | 'desc' = 'desc';
      if (this.acceptWord('asc')) order = 'asc';
      else this.acceptWord('desc');
      // Kusto: nulls last when descending, first when ascending.
      let nulls: 'first' | 'last' = order === 'asc' ? 'first' : 'last';
      if (this.acceptWord('nulls')) {
        if (this.acceptWord('first')) nulls = 'first';
        else {
          this.expectWord('last', 'after `nulls` (use `nulls first` or `nulls last`)');
          nulls = 'last';
        }
      }
      keys.push({ expr, order, nulls, start, end: this.lastEnd });
    } while (this.acceptPunct(','));
    return keys;
  }

  private join(name: 'join' | 'lookup', start: number): A.JoinOp {
    let joinKind: A.JoinKind = name === 'lookup' ? 'leftouter' : 'innerunique';
    for (;;) {
      if (this.isWord('kind') && this.isPunct('=', 1)) {
        this.advance();
        this.advance();
        const k = this.peek();
        const kind = k.kind === 'ident' ? k.text : '';
        const aliases: Record<string, A.JoinKind> = { left: 'leftouter', right: 'rightouter', full: 'fullouter', outer: 'fullouter', anti: 'leftanti', leftantisemi: 'leftanti', rightantisemi: 'rightanti', semi: 'leftsemi' };
        const resolved = (JOIN_KINDS as readonly string[]).includes(kind) ? (kind as A.JoinKind) : aliases[kind];
        if (!resolved || (name === 'lookup' && resolved !== 'leftouter' && resolved !== 'inner')) {
          throw this.fail(`unknown ${name} kind \`${kind}\``, k, didYouMean(kind, name === 'lookup' ? ['leftouter', 'inner'] : JOIN_KINDS) ?? `kinds are ${(name === 'lookup' ? ['leftouter', 'inner'] : JOIN_KINDS).join(', ')}`);
        }
        this.advance();
        joinKind = resolved;
      } else if (this.isWord('hint') && this.isPunct('.', 1)) this.hints();
      else break;
    }
    const right = this.tabularOperand(false);
    this.expectWord('on', `after the right side of \`${name}\``);
    const on: A.JoinCondition[] = [];
    do {
      const e = this.expression();
      this.joinConditions(e, on);
    } while (this.acceptPunct(','));
    return { kind: name, joinKind, right, on, start, end: this.lastEnd };
  }

  private joinConditions(e: A.Expr, out: A.JoinCondition[]): void {
    if (e.kind === 'Binary' && e.op === 'and') {
      this.joinConditions(e.left, out);
      this.joinConditions(e.right, out);
      return;
    }
    if (e.kind === 'Name') {
      out.push({ left: e.name, right: e.name, start: e.start, end: e.end });
      return;
    }
    if (e.kind === 'Binary' && e.op === '==' && e.left.kind === 'JoinSide' && e.right.kind === 'JoinSide' && e.left.side !== e.right.side) {
      const l = e.left.side === 'left' ? e.left : e.right;
      const r = e.left.side === 'left' ? e.right : e.left;
      out.push({ left: l.name, right: r.name, start: e.start, end: e.end });
      return;
    }
    throw this.fail('join conditions must be column names or `$left.a == $right.b`', e);
  }

  private union(start: number): A.UnionOp {
    let unionKind: 'outer' | 'inner' = 'outer';
    let withSource: string | undefined;
    let fuzzy = false;
    for (;;) {
      if (this.isWord('kind') && this.isPunct('=', 1)) {
        this.advance();
        this.advance();
        const k = this.advance();
        if (k.text !== 'inner' && k.text !== 'outer') throw this.fail(`unknown union kind \`${k.text}\``, k, 'use kind=outer or kind=inner');
        unionKind = k.text;
      } else if ((this.isWord('withsource') || this.isWord('isfuzzy')) && this.isPunct('=', 1)) {
        const w = this.advance().text;
        this.advance();
        if (w === 'withsource') withSource = this.name('a column name after `withsource=`').name;
        else {
          const v = this.advance();
          if (v.text !== 'true' && v.text !== 'false') throw this.fail(`isfuzzy takes true or false, not ${this.describe(v)}`, v);
          fuzzy = v.text === 'true';
        }
      } else break;
    }
    const tables: A.TabularExpr[] = [];
    do tables.push(this.tabularOperand(true));
    while (this.acceptPunct(','));
    return { kind: 'union', unionKind, withSource, ...(fuzzy ? { fuzzy } : {}), tables, start, end: this.lastEnd };
  }

  /** `legacy`: the deprecated `mvexpand`, whose rows per input row default to 128 (Kusto documents it). */
  private mvExpand(start: number, legacy: boolean): A.MvExpandOp {
    let bagExpansion: 'bag' | 'array' = 'bag';
    let itemIndex: string | undefined;
    for (;;) {
      if ((this.isWord('bagexpansion') || this.isWord('kind')) && this.isPunct('=', 1)) {
        this.advance();
        this.advance();
        const k = this.advance();
        if (k.text !== 'bag' && k.text !== 'array') throw this.fail(`unknown bagexpansion \`${k.text}\``, k, 'use bagexpansion=bag or bagexpansion=array');
        bagExpansion = k.text;
      } else if (this.isWord('with_itemindex') && this.isPunct('=', 1)) {
        this.advance();
        this.advance();
        itemIndex = this.name('a column name after `with_itemindex=`').name;
      } else if (this.isWord('hint') && this.isPunct('.', 1)) this.hints();
      else break;
    }
    const items: A.MvExpandItem[] = [];
    do {
      const itemStart = this.peek().start;
      let name: string | undefined;
      if (this.isNameStart() && this.isPunct('=', this.peek().kind === 'ident' ? 1 : 3)) {
        name = this.name().name;
        this.advance();
      }
      const expr = this.expression();
      let toType: ScalarType | undefined;
      if (this.acceptWord('to')) {
        this.expectWord('typeof', 'after `to`');
        this.expectPunct('(');
        toType = this.typeName();
        this.expectPunct(')');
      }
      items.push({ name, expr, toType, start: itemStart, end: this.lastEnd });
    } while (this.acceptPunct(','));
    const limit = this.acceptWord('limit') ? this.expression() : undefined;
    return { kind: 'mv-expand', bagExpansion, itemIndex, items, limit, ...(legacy ? { defaultLimit: 128 } : {}), start, end: this.lastEnd };
  }

  private parseOperator(start: number): A.ParseOp {
    let parseKind: A.ParseOp['parseKind'] = 'simple';
    let flags = '';
    for (;;) {
      if (this.isWord('kind') && this.isPunct('=', 1)) {
        this.advance();
        this.advance();
        const k = this.advance();
        if (k.text !== 'simple' && k.text !== 'regex' && k.text !== 'relaxed') throw this.fail(`unknown parse kind \`${k.text}\``, k, 'use kind=simple, kind=regex or kind=relaxed');
        parseKind = k.text;
      } else if (this.isWord('flags') && this.isPunct('=', 1)) {
        this.advance();
        this.advance();
        const f = this.advance();
        if (!/^[imsU]+$/.test(f.text)) throw this.fail(`unknown regex flags \`${f.text}\``, f, 'flags are i, m, s and U');
        flags = f.text;
      } else break;
    }
    const source = this.expression();
    this.expectWord('with', 'after the parsed expression (`parse x with * "key=" value`)');
    const pattern: A.ParsePatternPart[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'string') {
        this.advance();
        let text = t.text;
        let end = t.end;
        while (this.peek().kind === 'string') {
          const more = this.advance();
          text += more.text;
          end = more.end;
        }
        pattern.push({ kind: 'text', text, start: t.start, end });
      } else if (this.isPunct('*')) {
        this.advance();
        pattern.push({ kind: 'star', start: t.start, end: t.end });
      } else if (this.isNameStart()) {
        const n = this.name();
        const type = this.acceptPunct(':') ? this.typeName() : 'string';
        pattern.push({ kind: 'column', name: n.name, type, start: n.start, end: this.lastEnd });
      } else break;
      this.acceptPunct(',');
    }
    if (!pattern.some((p) => p.kind === 'column')) throw this.fail('the parse pattern declares no columns', { start, end: this.lastEnd }, 'declare columns like `* "user=" user:string " "`');
    return { kind: 'parse', parseKind, flags, source, pattern, start, end: this.lastEnd };
  }

  private render(start: number): A.RenderOp {
    const v = this.name('a chart kind after `render`');
    const properties: A.RenderOp['properties'][number][] = [];
    if (this.acceptWord('with')) {
      this.expectPunct('(', 'after `with`');
      while (!this.isPunct(')')) {
        const n = this.name('a render property');
        this.expectPunct('=', `after \`${n.name}\``);
        if (RENDER_LIST_PROPERTIES.has(n.name)) {
          const names: string[] = [this.name('a column name').name];
          while (this.isPunct(',') && this.isNameStart(1) && !this.isPunct('=', 2)) {
            this.advance();
            names.push(this.name().name);
          }
          properties.push({ name: n.name, value: names, start: n.start, end: this.lastEnd });
        } else {
          const e = this.expression();
          properties.push({ name: n.name, value: e.kind === 'Name' ? [e.name] : e, start: n.start, end: this.lastEnd });
        }
        if (!this.acceptPunct(',')) break;
      }
      this.expectPunct(')', 'to close the render properties');
    }
    return { kind: 'render', visualization: v.name, properties, start, end: this.lastEnd };
  }

  // ---------- scalar expressions ----------

  expression(): A.Expr {
    return this.or();
  }

  private or(): A.Expr {
    const operands = [this.and()];
    while (this.isWord('or')) {
      this.advance();
      operands.push(this.and());
    }
    return balancedChain('or', operands);
  }

  private and(): A.Expr {
    const operands = [this.comparison()];
    while (this.isWord('and')) {
      this.advance();
      operands.push(this.comparison());
    }
    return balancedChain('and', operands);
  }

  /** The operator word at the cursor (`!has`, `in~`, `matches regex` ...) and how many tokens it spans. */
  private comparisonOperator(): { op: string; tokens: number } | undefined {
    const t = this.peek();
    if (t.kind === 'punct') {
      if (['==', '!=', '<>', '=~', '!~', '<', '<=', '>', '>='].includes(t.text)) return { op: t.text === '<>' ? '!=' : t.text, tokens: 1 };
      if (t.text === '!' && this.adjacent(0) && this.peek(1).kind === 'ident') {
        const word = this.peek(1).text;
        if (word === 'in' && this.isPunct('~', 2) && this.adjacent(1)) return { op: '!in~', tokens: 3 };
        if (word === 'in' || word === 'between' || (STRING_OPERATORS as readonly string[]).includes('!' + word)) return { op: '!' + word, tokens: 2 };
      }
      return undefined;
    }
    if (t.kind !== 'ident') return undefined;
    if (t.text === 'in') return this.isPunct('~', 1) && this.adjacent(0) ? { op: 'in~', tokens: 2 } : { op: 'in', tokens: 1 };
    if (t.text === 'matches' && this.isWord('regex', 1)) return { op: 'matches regex', tokens: 2 };
    if (t.text === 'between' || t.text === 'has_any' || t.text === 'has_all') return { op: t.text, tokens: 1 };
    if ((STRING_OPERATORS as readonly string[]).includes(t.text)) return { op: t.text, tokens: 1 };
    return undefined;
  }

  private comparison(): A.Expr {
    const left = this.additive();
    const found = this.comparisonOperator();
    if (!found) return left;
    const opToken = this.peek();
    for (let i = 0; i < found.tokens; i++) this.advance();
    const { op } = found;
    if (op === 'between' || op === '!between') {
      this.expectPunct('(', 'after `between` (write `between (low .. high)`)');
      const low = this.additive();
      this.expectPunct('..', 'in `between (low .. high)`');
      const high = this.additive();
      const close = this.expectPunct(')');
      return { kind: 'Between', negated: op === '!between', left, low, high, start: left.start, end: close.end };
    }
    if (op === 'in' || op === '!in' || op === 'in~' || op === '!in~' || op === 'has_any' || op === 'has_all') {
      this.expectPunct('(', `after \`${op}\` (write \`${op} ("a", "b")\`)`);
      const items: A.Expr[] = [];
      let subquery: A.TabularExpr | undefined;
      while (!this.isPunct(')')) {
        const item = this.tabularOrScalar();
        if (item.kind === 'Pipeline' || (item.kind === 'ToScalar' && !item.explicit)) {
          if (items.length > 0 || subquery) throw this.fail('a subquery must be the only item of the list', item);
          subquery = item.kind === 'Pipeline' ? item : item.query;
        } else items.push(item);
        if (!this.acceptPunct(',')) break;
      }
      const close = this.expectPunct(')', `to close the \`${op}\` list`);
      if (subquery && items.length > 0) throw this.fail('a subquery must be the only item of the list', subquery);
      return { kind: 'List', op, left, items, subquery, start: left.start, end: close.end };
    }
    const right = this.additive();
    if ((STRING_OPERATORS as readonly string[]).includes(op)) return { kind: 'StringOp', op: op as A.StringOp, left, right, start: left.start, end: right.end };
    if (!['==', '!=', '=~', '!~', '<', '<=', '>', '>='].includes(op)) throw this.fail(`unknown operator \`${op}\``, opToken);
    return { kind: 'Binary', op: op as A.BinaryOp, left, right, start: left.start, end: right.end };
  }

  private additive(): A.Expr {
    return this.chain(() => this.multiplicative(), () => this.isPunct('+') || this.isPunct('-'), (left) => {
      const op = this.advance().text as '+' | '-';
      const right = this.multiplicative();
      return { kind: 'Binary', op, left, right, start: left.start, end: right.end };
    });
  }

  private multiplicative(): A.Expr {
    return this.chain(() => this.unary(), () => this.isPunct('*') || this.isPunct('/') || this.isPunct('%'), (left) => {
      const op = this.advance().text as '*' | '/' | '%';
      const right = this.unary();
      return { kind: 'Binary', op, left, right, start: left.start, end: right.end };
    });
  }

  /**
   * A left-deep chain (`a + b + c`, `x.a.b`, `x[0][1]`): `first`, then a `link` for as long as
   * `continues`. Each link is a level of nesting (see MAX_NESTING), since the passes after the
   * parser walk the tree recursively. Arithmetic is not regrouped as `and`/`or` are: a long sum
   * that wraps, or a real one that rounds, depends on its grouping.
   */
  private chain(first: () => A.Expr, continues: () => boolean, link: (left: A.Expr) => A.Expr): A.Expr {
    let e = first();
    const base = this.nesting;
    try {
      while (continues()) {
        if (this.nesting >= MAX_NESTING) throw this.tooDeep(this.peek());
        this.nesting++;
        e = link(e);
      }
      return e;
    } finally {
      this.nesting = base;
    }
  }

  private unary(): A.Expr {
    if (this.isPunct('-') || this.isPunct('+')) {
      const t = this.advance();
      const operand = this.nested(() => this.unary());
      // Fold negative numeric literals so `-9223372036854775808` and `-1d` stay literals.
      if (t.text === '-' && operand.kind === 'Literal' && operand.value !== null) {
        if (operand.type === 'long') return { ...operand, value: (-BigInt(operand.value)).toString(), start: t.start };
        if (operand.type === 'real' || operand.type === 'timespan') return { ...operand, value: -operand.value, start: t.start };
      }
      return { kind: 'Unary', op: t.text as '-' | '+', operand, start: t.start, end: operand.end };
    }
    return this.postfix();
  }

  private postfix(): A.Expr {
    const member = () => this.isPunct('.') && (this.peek(1).kind === 'ident' || this.isPunct('[', 1));
    return this.chain(() => this.primary(), () => member() || this.isPunct('['), (e) => {
      if (member()) {
        this.advance();
        // `a.["b"]` is the same as `a["b"]`
        if (!this.isPunct('[')) {
          const n = this.advance();
          return { kind: 'Member', target: e, name: n.text, start: e.start, end: n.end };
        }
      }
      this.advance();
      const index = this.expression();
      const close = this.expectPunct(']', 'to close the index');
      return { kind: 'Index', target: e, index, start: e.start, end: close.end };
    });
  }

  private callArguments(): A.Expr[] {
    const args: A.Expr[] = [];
    while (!this.isPunct(')')) {
      if (this.isPunct('*') && (this.isPunct(',', 1) || this.isPunct(')', 1))) {
        const s = this.advance();
        args.push({ kind: 'Star', start: s.start, end: s.end });
      } else {
        // A pipeline argument (`materialize(T | take 5)`, `f(T | where ...)`) is a tabular operand.
        const start = this.peek().start;
        const arg = this.tabularOrScalar();
        args.push(arg.kind === 'Pipeline' ? { kind: 'ToScalar', query: arg, explicit: false, start, end: this.lastEnd } : arg);
      }
      if (!this.acceptPunct(',')) break;
    }
    this.expectPunct(')', 'to close the argument list');
    return args;
  }

  private primary(): A.Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'long':
        this.advance();
        return { kind: 'Literal', type: 'long', value: t.digits ?? '0', start: t.start, end: t.end };
      case 'real':
        this.advance();
        return { kind: 'Literal', type: 'real', value: t.number ?? 0, start: t.start, end: t.end };
      case 'timespan':
        this.advance();
        return { kind: 'Literal', type: 'timespan', value: t.number ?? 0, start: t.start, end: t.end };
      case 'string': {
        this.advance();
        let value = t.text;
        let end = t.end;
        // Adjacent string literals concatenate.
        while (this.peek().kind === 'string') {
          const more = this.advance();
          value += more.text;
          end = more.end;
        }
        return { kind: 'Literal', type: 'string', value, start: t.start, end };
      }
      case 'eof':
        throw this.fail('the query ends where an expression was expected', t);
      case 'punct':
        return this.punctPrimary(t);
      case 'ident':
        return this.identPrimary(t);
    }
  }

  private punctPrimary(t: Token): A.Expr {
    if (t.text === '(') {
      this.advance();
      const inner = this.tabularOrScalar();
      const close = this.expectPunct(')', 'to close the parenthesis');
      if (inner.kind === 'Pipeline') return { kind: 'ToScalar', query: inner, explicit: false, start: t.start, end: close.end };
      return { ...inner, start: t.start, end: close.end };
    }
    if (this.isNameStart()) {
      const n = this.name();
      return { kind: 'Name', name: n.name, start: n.start, end: n.end };
    }
    throw this.fail(`expected an expression but found ${this.describe(t)}`, t);
  }

  private identPrimary(t: Token): A.Expr {
    const word = t.text;
    if (word === '$left' || word === '$right') {
      this.advance();
      this.expectPunct('.', `after \`${word}\``);
      const n = this.name('a column name');
      return { kind: 'JoinSide', side: word === '$left' ? 'left' : 'right', name: n.name, start: t.start, end: n.end };
    }
    if (word.startsWith('$')) throw this.fail(`unknown name \`${word}\``, t, 'only `$left` and `$right` start with `$`');
    if (word === 'true' || word === 'false') {
      this.advance();
      return { kind: 'Literal', type: 'bool', value: word === 'true', start: t.start, end: t.end };
    }
    if (!this.isPunct('(', 1)) {
      this.advance();
      return { kind: 'Name', name: word, start: t.start, end: t.end };
    }
    switch (word) {
      case 'datetime':
      case 'date': {
        this.advance();
        const { raw, end } = this.rawParenthesized();
        if (raw.trim() === 'null') return { kind: 'Literal', type: 'datetime', value: null, start: t.start, end };
        const us = parseDateTimeText(raw.trim().replace(/^(['"])(.*)\1$/, '$2'));
        if (us === null) throw this.fail(`invalid datetime \`${raw.trim()}\``, { start: t.start, end }, 'write it as datetime(2026-01-31), datetime(2026-01-31 14:05) or datetime(2026-01-31T14:05:00Z)');
        return { kind: 'Literal', type: 'datetime', value: us, start: t.start, end };
      }
      case 'time':
      case 'timespan': {
        this.advance();
        const { raw, end } = this.rawParenthesized();
        if (raw.trim() === 'null') return { kind: 'Literal', type: 'timespan', value: null, start: t.start, end };
        const us = parseTimespanText(raw.trim().replace(/^(['"])(.*)\1$/, '$2'));
        if (us === null) throw this.fail(`invalid timespan \`${raw.trim()}\``, { start: t.start, end }, 'write it as 1d, 2h, 30m, 10s or time(1.02:03:04)');
        return { kind: 'Literal', type: 'timespan', value: us, start: t.start, end };
      }
      case 'guid':
      case 'uniqueid': {
        this.advance();
        const { raw, end } = this.rawParenthesized();
        // Guids are strings here: `guid(null)` is the empty string, as a missing string is.
        return { kind: 'Literal', type: 'string', value: raw.trim() === 'null' ? '' : raw.trim(), start: t.start, end };
      }
      case 'long':
      case 'int':
      case 'real':
      case 'double':
      case 'decimal':
      case 'bool':
      case 'boolean':
        return this.typedLiteral(t);
      case 'dynamic': {
        this.advance();
        this.expectPunct('(');
        const value = this.dynamicValue();
        const close = this.expectPunct(')', 'to close `dynamic(`');
        return { kind: 'DynamicLiteral', value, start: t.start, end: close.end };
      }
      case 'toscalar': {
        this.advance();
        this.advance();
        const inner = this.tabularOrScalar();
        const close = this.expectPunct(')', 'to close `toscalar(`');
        const query = this.toTabular(inner, 'toscalar needs a tabular expression');
        return { kind: 'ToScalar', query, explicit: true, start: t.start, end: close.end };
      }
    }
    this.advance();
    this.advance();
    const args = this.callArguments();
    return { kind: 'Call', name: word, nameStart: t.start, args, start: t.start, end: this.lastEnd };
  }

  /** `long(null)`, `int(5)`, `real(nan)`, `bool(true)`. */
  private typedLiteral(t: Token): A.LiteralNode {
    this.advance();
    const { raw, end } = this.rawParenthesized();
    const text = raw.trim();
    const type = typeFromName(t.text) as 'long' | 'real' | 'bool';
    const span = { start: t.start, end };
    const bad = () => this.fail(`invalid ${t.text} literal \`${text}\``, span, `write ${t.text}(null) or a ${t.text} value`);
    if (text === 'null') return { kind: 'Literal', type, value: null, ...span } as A.LiteralNode;
    if (type === 'bool') {
      if (text !== 'true' && text !== 'false') throw bad();
      return { kind: 'Literal', type: 'bool', value: text === 'true', ...span };
    }
    if (type === 'long') {
      // Decimal digits, or hexadecimal (`long(0xf)` is `long(15)`, as in Kusto).
      const hex = /^([+-]?)0[xX]([0-9a-fA-F]+)$/.exec(text);
      if (!hex && !/^[+-]?\d+$/.test(text)) throw bad();
      const value = hex ? (hex[1] === '-' ? -1n : 1n) * BigInt(`0x${hex[2]}`) : BigInt(text);
      if (value < -(2n ** 63n) || value >= 2n ** 63n) throw this.fail(`${t.text}(${text}) does not fit in 64 bits`, span, 'a long holds -9223372036854775808 to 9223372036854775807');
      return { kind: 'Literal', type: 'long', value: value.toString(), ...span };
    }
    const special: Record<string, number> = { nan: NaN, '+inf': Infinity, inf: Infinity, '-inf': -Infinity };
    const n = Object.hasOwn(special, text) ? special[text] : Number(text);
    if (Number.isNaN(n) && text !== 'nan') throw bad();
    return { kind: 'Literal', type: 'real', value: n, ...span };
  }

  /** JSON-like content of `dynamic(...)`; single-quoted strings are allowed as in Kusto. */
  private dynamicValue(): A.DynamicNode {
    return this.nested(() => this.dynamicValueAt());
  }

  private dynamicValueAt(): A.DynamicNode {
    const t = this.peek();
    if (t.kind === 'string') {
      this.advance();
      return { type: 'string', value: t.text };
    }
    if (this.isPunct('-') && (this.peek(1).kind === 'long' || this.peek(1).kind === 'real' || this.peek(1).kind === 'timespan')) {
      this.advance();
      const n = this.advance();
      if (n.kind === 'timespan') return { type: 'timespan', value: -(n.number ?? 0) };
      return n.kind === 'long' ? { type: 'long', value: (-BigInt(n.digits ?? '0')).toString() } : { type: 'real', value: -(n.number ?? 0) };
    }
    if (t.kind === 'long') {
      this.advance();
      return { type: 'long', value: t.digits ?? '0' };
    }
    if (t.kind === 'real') {
      this.advance();
      return { type: 'real', value: t.number ?? 0 };
    }
    if (t.kind === 'ident' && (t.text === 'true' || t.text === 'false' || t.text === 'null')) {
      this.advance();
      return t.text === 'null' ? { type: 'null' } : { type: 'bool', value: t.text === 'true' };
    }
    if (t.kind === 'timespan' || (t.kind === 'ident' && TYPED_LITERALS_IN_DYNAMIC.has(t.text) && this.isPunct('(', 1))) {
      // Other literals, as Kusto allows them in a dynamic literal written in a query: dynamic({"at": datetime(2026-01-01), "for": 1h}).
      const literal = t.kind === 'timespan' ? this.primary() : this.identPrimary(t);
      if (literal.kind !== 'Literal') throw this.fail(`expected a literal but found ${this.describe(t)}`, t);
      if (literal.value === null) return { type: 'null' };
      switch (literal.type) {
        case 'datetime':
        case 'timespan':
          return { type: literal.type, value: literal.value };
        case 'long':
          return { type: 'long', value: literal.value };
        case 'real':
          return { type: 'real', value: literal.value };
        case 'bool':
          return { type: 'bool', value: literal.value };
        default:
          return { type: 'string', value: String(literal.value) };
      }
    }
    if (t.kind === 'ident' && t.text === 'dynamic' && this.isPunct('(', 1)) {
      // A dynamic literal nested in another, as Kusto's own examples write them: dynamic({'a': dynamic({})}).
      this.advance();
      this.advance();
      const inner = this.dynamicValue();
      this.expectPunct(')', 'to close dynamic(');
      return inner;
    }
    if (this.isPunct('[')) {
      this.advance();
      const items: A.DynamicNode[] = [];
      while (!this.isPunct(']')) {
        items.push(this.dynamicValue());
        if (!this.acceptPunct(',')) break;
      }
      this.expectPunct(']', 'to close the array');
      return { type: 'array', items };
    }
    if (this.isPunct('{')) {
      this.advance();
      const entries: [string, A.DynamicNode][] = [];
      while (!this.isPunct('}')) {
        const k = this.peek();
        if (k.kind !== 'string' && k.kind !== 'ident') throw this.fail(`expected a property name but found ${this.describe(k)}`, k);
        this.advance();
        this.expectPunct(':', 'after the property name');
        entries.push([k.text, this.dynamicValue()]);
        if (!this.acceptPunct(',')) break;
      }
      this.expectPunct('}', 'to close the object');
      return { type: 'object', entries };
    }
    throw this.fail(`expected a JSON value but found ${this.describe(t)}`, t, 'dynamic literals look like dynamic([1, "a"]) or dynamic({"key": "value"})');
  }
}
