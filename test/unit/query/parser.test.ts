import assert from 'node:assert/strict';
import { parseQuery, parseExpression } from '../../../src/core/query/parser';
import { QuerySyntaxError } from '../../../src/core/query/errors';
import type { Expr, QueryAst } from '../../../src/core/query/ast';

function syntaxErrorOf(text: string): QuerySyntaxError {
  try {
    parseQuery(text);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  assert.fail(`expected a syntax error for: ${text}`);
}

function operatorsOf(ast: QueryAst): string[] {
  return ast.query?.operators.map((o) => o.kind) ?? [];
}

describe('query parser', () => {
  it('parses a pipeline with every common operator', () => {
    const ast = parseQuery(`Signins
      | where Result == "failure" // comment
      | extend Hour = bin(Time, 1h)
      | summarize Failures = count(), Users = dcount(User) by Hour, Ip
      | sort by Failures desc
      | top 10 by Users
      | project-away Ip
      | take 5`);
    assert.deepEqual(operatorsOf(ast), ['where', 'extend', 'summarize', 'sort', 'top', 'project-away', 'take']);
    assert.equal(ast.query?.source.kind, 'TableRef');
  });

  it('records source offsets on nodes', () => {
    const text = 'T | where Name == "x"';
    const ast = parseQuery(text);
    const where = ast.query?.operators[0];
    assert.ok(where && where.kind === 'where');
    assert.equal(text.slice(where.predicate.start, where.predicate.end), 'Name == "x"');
    assert.equal(text.slice(where.start, where.end), 'where Name == "x"');
  });

  it('gives precedence to multiplication, then comparison, then and, then or', () => {
    const e = parseExpression('a + b * 2 > 3 or c and d');
    assert.equal(e.kind, 'Binary');
    if (e.kind !== 'Binary') return;
    assert.equal(e.op, 'or');
    assert.equal(e.left.kind === 'Binary' && e.left.op, '>');
    assert.equal(e.right.kind === 'Binary' && e.right.op, 'and');
    const sum = e.left.kind === 'Binary' ? e.left.left : undefined;
    assert.equal(sum?.kind === 'Binary' && sum.op, '+');
    assert.equal(sum?.kind === 'Binary' && sum.right.kind === 'Binary' && sum.right.op, '*');
  });

  it('parses negated and case-insensitive operators', () => {
    const ops = ['!has', '!contains', '!startswith_cs', '!in', 'in~', '!in~', '=~', '!~', 'has_cs', 'matches regex'].map((op) => {
      const e: Expr = parseExpression(op.includes('in') && !op.includes('contains') ? `x ${op} ("a")` : `x ${op} "a"`);
      return e.kind === 'StringOp' || e.kind === 'List' || e.kind === 'Binary' ? e.op : e.kind;
    });
    assert.deepEqual(ops, ['!has', '!contains', '!startswith_cs', '!in', 'in~', '!in~', '=~', '!~', 'has_cs', 'matches regex']);
  });

  it('parses between, has_any and in with a subquery', () => {
    const b = parseExpression('x !between (1 .. 10)');
    assert.ok(b.kind === 'Between' && b.negated);
    const h = parseExpression('x has_any ("a", "b")');
    assert.ok(h.kind === 'List' && h.op === 'has_any' && h.items.length === 2);
    const s = parseExpression('x in (Admins | project Name)');
    assert.ok(s.kind === 'List' && s.subquery && s.items.length === 0);
  });

  it('parses literals: timespans, datetimes, dynamic, typed nulls, verbatim strings', () => {
    const lit = (t: string) => parseExpression(t);
    assert.deepEqual(lit('90m'), { kind: 'Literal', type: 'timespan', value: 90 * 60e6, start: 0, end: 3 });
    // Timespans keep whole microseconds: ten ticks are one, a tick alone rounds to none.
    assert.deepEqual(lit('10tick'), { kind: 'Literal', type: 'timespan', value: 1, start: 0, end: 6 });
    assert.deepEqual(lit('1tick'), { kind: 'Literal', type: 'timespan', value: 0, start: 0, end: 5 });
    const d = lit('datetime(2024-03-01 10:30:00.25)');
    assert.ok(d.kind === 'Literal' && d.type === 'datetime' && d.value === Date.UTC(2024, 2, 1, 10, 30, 0, 250) * 1000);
    const n = lit('long(null)');
    assert.ok(n.kind === 'Literal' && n.type === 'long' && n.value === null);
    assert.deepEqual(lit('@"C:\\temp"'), { kind: 'Literal', type: 'string', value: 'C:\\temp', start: 0, end: 10 });
    // Obfuscated strings (h or H before a string), verbatim ones included: plain strings here.
    assert.deepEqual(lit("h@'C:\\temp'"), { kind: 'Literal', type: 'string', value: 'C:\\temp', start: 0, end: 11 });
    assert.deepEqual(lit('H"x\\ty"'), { kind: 'Literal', type: 'string', value: 'x\ty', start: 0, end: 7 });
    assert.equal(syntaxErrorOf("print a = h@'open").message, 'unterminated string literal');
    const dyn = lit(`dynamic({"a": [1, 2.5, 'x', null, true]})`);
    assert.ok(dyn.kind === 'DynamicLiteral' && dyn.value.type === 'object');
    assert.equal(lit('-9223372036854775808').kind === 'Literal' && (lit('-9223372036854775808') as { value: string }).value, '-9223372036854775808');
    assert.deepEqual(lit('time(1.02:00:00)'), { kind: 'Literal', type: 'timespan', value: 26 * 3600e6, start: 0, end: 16 });
  });

  it('parses dynamic access chains', () => {
    const e = parseExpression('Props.user["name"][0].x');
    assert.equal(e.kind, 'Member');
    const chain: string[] = [];
    let cur: Expr = e;
    while (cur.kind === 'Member' || cur.kind === 'Index') {
      chain.push(cur.kind);
      cur = cur.target;
    }
    assert.deepEqual(chain, ['Member', 'Index', 'Index', 'Member']);
  });

  it('parses let statements of every kind', () => {
    const ast = parseQuery(`let threshold = 5;
let Admins = Users | where Role == "admin";
let Alias = Users;
let f = (name:string, n:long = 3) { Signins | where User == name | take n };
let g = (x:long) { x * 2 };
f("bob")`);
    assert.deepEqual(ast.statements.map((s) => [s.name, s.value.kind]), [
      ['threshold', 'Literal'],
      ['Admins', 'Pipeline'],
      ['Alias', 'Name'],
      ['f', 'Function'],
      ['g', 'Function'],
    ]);
    assert.equal(ast.query?.source.kind === 'TableRef' && ast.query.source.args?.length, 1);
  });

  it('accepts a cell with only let statements', () => {
    const ast = parseQuery('let a = 1;\nlet b = "x";');
    assert.equal(ast.query, undefined);
    assert.equal(ast.statements.length, 2);
  });

  it('parses join, union, mv-expand, parse and render options', () => {
    const ast = parseQuery(`A
      | join kind=leftouter hint.strategy=shuffle (B | project K2, V) on $left.K == $right.K2, Other
      | union withsource=Src kind=inner C, (D | take 1)
      | mv-expand with_itemindex=i Item = Items to typeof(string) limit 10
      | parse kind=regex flags=i Message with "user=" User:string ", id=" Id:long
      | render timechart with (title="Failures", ycolumns=a, b, xcolumn=t)`);
    const ops = ast.query?.operators ?? [];
    const join = ops[0];
    assert.ok(join.kind === 'join');
    assert.equal(join.joinKind, 'leftouter');
    assert.deepEqual(join.on.map((c) => [c.left, c.right]), [['K', 'K2'], ['Other', 'Other']]);
    const union = ops[1];
    assert.ok(union.kind === 'union' && union.withSource === 'Src' && union.unionKind === 'inner' && union.tables.length === 2);
    const mv = ops[2];
    assert.ok(mv.kind === 'mv-expand' && mv.itemIndex === 'i' && mv.items[0].name === 'Item' && mv.items[0].toType === 'string' && mv.limit);
    const parse = ops[3];
    assert.ok(parse.kind === 'parse' && parse.parseKind === 'regex' && parse.flags === 'i');
    assert.deepEqual(parse.pattern.map((p) => p.kind === 'column' ? `${p.name}:${p.type}` : p.kind), ['text', 'User:string', 'text', 'Id:long']);
    const render = ops[4];
    assert.ok(render.kind === 'render');
    assert.deepEqual(render.properties.map((p) => p.name), ['title', 'ycolumns', 'xcolumn']);
    assert.deepEqual(render.properties[1].value, ['a', 'b']);
  });

  it('parses sources: datatable, print, range, union, parenthesized', () => {
    const kinds = ['datatable(a:long)[1, 2]', 'print x = 1, "y"', 'range i from 1 to 10 step 2', 'union A, B', '(A | take 1) | count'].map((q) => parseQuery(q).query?.source.kind);
    assert.deepEqual(kinds, ['Datatable', 'Print', 'Range', 'UnionSource', 'Paren']);
  });

  it('applies Kusto sort defaults: desc, nulls last when descending and first when ascending', () => {
    const op = parseQuery('T | sort by a, b asc, c desc nulls first').query?.operators[0];
    assert.ok(op && op.kind === 'sort');
    assert.deepEqual(op.keys.map((k) => [k.order, k.nulls]), [['desc', 'last'], ['asc', 'first'], ['desc', 'first']]);
  });

  it('produces a JSON-serialisable tree', () => {
    const ast = parseQuery('let x = 3000000000000000000; T | where a > x | extend d = dynamic([1, {"k": 9007199254740993}])');
    assert.deepEqual(JSON.parse(JSON.stringify(ast)), ast);
  });

  describe('syntax errors', () => {
    it('suggests the closest operator', () => {
      const e = syntaxErrorOf('Signins\n| summarise count()');
      assert.equal(e.message, 'unknown operator `summarise`');
      assert.equal(e.hint, 'did you mean `summarize`?');
      assert.equal(e.line, 2);
      assert.equal(e.column, 3);
      assert.equal(e.length, 9);
      assert.equal(e.format('Signins\n| summarise count()'), 'unknown operator `summarise` (line 2, column 3)\n  | summarise count()\n    ^^^^^^^^^\nhint: did you mean `summarize`?');
    });

    it('keeps tabs before the span in the caret line, so the caret lines up', () => {
      const text = 'Signins\n\t|\tsummarise count()';
      const e = syntaxErrorOf(text);
      assert.equal(e.column, 4);
      assert.equal(e.format(text), 'unknown operator `summarise` (line 2, column 4)\n  \t|\tsummarise count()\n  \t \t^^^^^^^^^\nhint: did you mean `summarize`?');
    });

    it('points at hyphenated operator typos as a whole', () => {
      const e = syntaxErrorOf('T | project-awy a');
      assert.equal(e.message, 'unknown operator `project-awy`');
      assert.equal(e.hint, 'did you mean `project-away`?');
      assert.equal(e.column, 5);
    });

    it('reports a missing closing parenthesis at the end', () => {
      const text = 'T | where (a == 1';
      const e = syntaxErrorOf(text);
      assert.match(e.message, /expected `\)`/);
      assert.equal(e.offset, text.length);
    });

    it('reports unterminated strings where they start', () => {
      const e = syntaxErrorOf('T | where a == "abc');
      assert.equal(e.message, 'unterminated string literal');
      assert.equal(e.column, 16);
    });

    it('rejects unknown timespan units and types with hints', () => {
      assert.match(syntaxErrorOf('T | where t > ago(3x)').message, /unknown timespan unit `x`/);
      const e = syntaxErrorOf('datatable(a:strng)["x"]');
      assert.equal(e.message, 'unknown type `strng`');
      assert.equal(e.hint, 'did you mean `string`?');
    });

    it('rejects bad join kinds with a suggestion', () => {
      const e = syntaxErrorOf('A | join kind=leftoutr B on k');
      assert.equal(e.hint, 'did you mean `leftouter`?');
    });

    it('rejects a datatable whose values do not fill its rows', () => {
      assert.match(syntaxErrorOf('datatable(a:long, b:string)[1, "x", 2]').message, /not a multiple/);
    });

    it('rejects invalid datetimes', () => {
      const e = syntaxErrorOf('print datetime(2024-13-45)');
      assert.match(e.message, /invalid datetime/);
      assert.equal(e.column, 7);
    });

    it('requires a tabular expression at the end', () => {
      const e = syntaxErrorOf('let x = 1; x + 1');
      assert.match(e.message, /tabular/);
      assert.match(e.hint ?? '', /print/);
    });

    it('asks for a semicolon between statements', () => {
      const e = syntaxErrorOf('let x = 1 T');
      assert.match(e.message, /expected `;`/);
    });
  });
});
