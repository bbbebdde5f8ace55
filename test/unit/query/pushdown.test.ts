/** Source pushdown: what the analysis asks of each table, and that it never asks too little. */
import assert from 'node:assert/strict';
import { parseQuery, planSourceRequests, Scope, type SourceRequest } from '../../../src/core/query';
import { containmentLiteralSafe, equalityLiteralSafe } from '../../../src/core/query/pushdown';

function plan(query: string, scope: Scope = Scope.empty, tableNames: string[] = ['T', 'U']): Record<string, SourceRequest> {
  // Plain objects (the analysis builds null-prototype ones), for deepEqual.
  return JSON.parse(JSON.stringify(Object.fromEntries(planSourceRequests(parseQuery(query), { scope, tableNames }))));
}

describe('query/pushdown analysis', () => {
  it('asks for the fields a closed pipeline reads and the literals of its leading filters', () => {
    assert.deepEqual(plan('T | where event == "login.failed" | count'), { T: { fields: ['event'], mustContain: ['login.failed'], required: ['event'] } });
    assert.deepEqual(plan('T | summarize count() by bin(ts, 1h), event'), { T: { fields: ['event', 'ts'], required: ['event', 'ts'] } });
    assert.deepEqual(plan('T | where a == "x" and b has_cs "qq" | project c, d = tostring(e.f)'), {
      T: { fields: ['a', 'b', 'c', 'e'], paths: { e: [['f']] }, mustContain: ['qq', 'x'], required: ['a', 'b', 'c', 'e'] },
    });
  });

  it('keeps member paths, and a field whole as soon as it is used whole', () => {
    assert.deepEqual(plan('T | summarize dcount(tostring(r.id)) by u = tostring(a["user"])')['T'].paths, { a: [['user']], r: [['id']] });
    assert.deepEqual(plan('T | project x = a.b, y = a.b.c, z = a.d')['T'].paths, { a: [['b'], ['d']] });
    assert.equal(plan('T | project x = a.b, y = tostring(a)')['T'].paths, undefined);
    assert.deepEqual(plan('T | project x = a.tags[0]')['T'].paths, { a: [['tags']] });
    assert.equal(plan('T | project x = a[k]')['T'].paths, undefined, 'a computed key needs the whole value');
  });

  it('loads the whole table when the result keeps its columns or something may read any of them', () => {
    for (const q of [
      'T | where event == "x"',
      'T | where event == "x" | take 5',
      'T | summarize arg_max(ts, *) by user',
      'T | getschema',
      'T | distinct *',
      'T | as S | where x == "a" | count',
      'T | join (U | project x) on x | count',
      'T | union U | count',
      'T | project-keep a*',
      'let f = (n:long) { n + 1 }; T | where f(x) == 2 | count',
    ])
      assert.deepEqual(plan(q)['T'], {}, q);
  });

  it('only uses literals that a matching row must contain verbatim', () => {
    const lits = (q: string) => plan(q)['T']?.mustContain;
    assert.deepEqual(lits('T | where a == "1" | count'), undefined, 'numeric text equals numbers written differently');
    assert.deepEqual(lits('T | where a == "x" or b == "y" | count'), undefined);
    assert.deepEqual(lits('T | where a == "abc" or b has_cs "zabcz" | count'), ['abc']);
    assert.deepEqual(lits('T | where a has "abc" | count'), undefined, 'case-insensitive');
    assert.deepEqual(lits('T | where a has "/_/" | count'), ['/_/'], 'no letters: case cannot matter');
    assert.deepEqual(lits('T | where a contains_cs "12:00" | count'), undefined, 'JSON punctuation');
    assert.deepEqual(lits('T | where a contains_cs "2026" | count'), undefined, 'could be a rendered number or datetime');
    assert.deepEqual(lits('T | where a !has_cs "abc" | count'), undefined);
    assert.deepEqual(lits('T | where not(a == "abc") | count'), undefined);
    assert.deepEqual(lits('T | where a in ("abc") | count'), ['abc']);
    assert.deepEqual(lits('T | where a in ("abc", "def") | count'), undefined);
    assert.deepEqual(lits('T | extend a = "x" | where a == "x" | count'), undefined, 'a computed column');
    assert.deepEqual(lits('T | take 10 | where a == "x" | count'), undefined, 'not a leading filter');
    assert.deepEqual(lits('T | sort by t | where a == "x" | count'), ['x'], 'sorting keeps the rows');
    assert.deepEqual(lits('T | where a == "x" | where b.c == "y" | count'), ['x', 'y']);
    assert.deepEqual(lits('T | where a == strcat("x", "y") | count'), undefined);
    assert.equal(equalityLiteralSafe(' 12 '), false);
    assert.equal(equalityLiteralSafe('nan'), false);
    assert.equal(equalityLiteralSafe('\ud800'), false);
    assert.equal(equalityLiteralSafe('caf\u00e9'), true);
    assert.equal(equalityLiteralSafe('2026-03-01T10:00:00Z'), false, 'a time written differently could be equal to it');
    assert.equal(equalityLiteralSafe('2026-03-01'), false);
    assert.equal(containmentLiteralSafe('true'), false);
    assert.equal(containmentLiteralSafe('Infinity'), false);
    assert.equal(containmentLiteralSafe('@host'), true);
  });

  it('treats names from outside the query as values, not columns', () => {
    const scope = Scope.of({ a: 'x' });
    assert.deepEqual(plan('T | where a == "x" | count', scope)['T'], { fields: ['a'] }, 'a may be the parameter, which would make the filter constant');
  });

  it('pushes nothing down when the query calls a function defined outside it', () => {
    const outer = planSourceRequests(parseQuery('let g = (u:string) { T | where user == u };'), { scope: Scope.empty });
    assert.ok(outer.has('T'));
    const scope = Scope.empty.extend([['g', { kind: 'function', def: (parseQuery('let g = (u:string) { T | where user == u };').statements[0].value as never), scope: Scope.empty }]]);
    assert.deepEqual(plan('T | where x == "a" | count | union (g("bob") | count)', scope), {});
    assert.deepEqual(plan('T | where g2(x) | count', Scope.empty.extend([['g2', { kind: 'function', def: parseQuery('let g2 = (v:string) { v == "a" };').statements[0].value as never, scope: Scope.empty }]])), {});
  });

  it('analyses subqueries and lets as pipelines of their own', () => {
    const p = plan('let Bad = T | where ip == "10.1.2.3" | project user; U | where user in (Bad) | summarize count() by x');
    assert.deepEqual(p['T'], { fields: ['ip', 'user'], mustContain: ['10.1.2.3'], required: ['ip', 'user'] });
    assert.deepEqual(p['U'], { fields: ['Bad', 'user', 'x'], required: ['user', 'x'] }, 'Bad could also be a column of U');
    const q = plan('T | where n > toscalar(U | summarize max(n)) | count');
    assert.deepEqual(q['U'], { fields: ['n'], required: ['n'] });
    assert.deepEqual(plan('T | where x in (U) | count')['U'], {}, 'a table as a list: its first column, whichever it is');
    assert.deepEqual(plan('T | project c = column_ifexists("maybe", "") | count')['T'], { fields: ['maybe'] });
  });
});
