/** Property tests (seeded, bounded): the parser and the engine fail only with the query errors. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseQuery, QueryRuntimeError, QuerySyntaxError, runQuery, Scope } from '../../../src/core/query';
import { Table } from '../../../src/core/query/table';
import { hasTerm, isTermChar } from '../../../src/core/query/text';
import { DateTime, type DynamicValue, type Value } from '../../../src/core/query/values';

const TOKENS = [
  'T', 'x', 'n', 'd', 's', '|', 'where', 'project', 'extend', 'summarize', 'by', 'count()', 'sort', 'top', 'take', 'join', 'kind=', 'on', 'union',
  'mv-expand', 'parse', 'with', 'render', 'let', '=', '==', '!=', '=~', 'has', '!has', 'in', '!in~', 'between', '..', '(', ')', '[', ']', '{', '}',
  ',', ';', ':', '.', '+', '-', '*', '/', '%', '<', '>=', '"str"', "'q'", '@"v"', '1', '2.5', '1d', '30m', 'datetime(2026-01-01)', 'datetime(',
  'dynamic([1,', 'dynamic({"a":1})', 'typeof(long)', 'and', 'or', 'not', '$left.x', '$right', 'asc', 'desc', 'nulls', 'first', '//c\n', '\n', '"unterminated',
  'bin(t, 1h)', 'to', 'typeof(', 'iff(', 'case(', '*', 'long(null)', 'time(1:00)', '```a```', '0x1F', '1e5', 'project-away', 'summarise', '!', '~', '?',
];

function assertSyntaxErrorShape(text: string, e: unknown): void {
  if (!(e instanceof QuerySyntaxError)) throw e;
  assert.ok(e.offset >= 0 && e.offset <= text.length, `offset ${e.offset} outside 0..${text.length}`);
  assert.ok(e.length >= 0);
  assert.ok(e.line >= 1 && e.column >= 1);
  assert.equal(e.line, text.slice(0, e.offset).split('\n').length);
  assert.ok(e.format(text).includes('^'));
}

function parses(text: string): void {
  try {
    const ast = parseQuery(text);
    const json = JSON.stringify(ast);
    assert.equal(JSON.stringify(JSON.parse(json)), json);
  } catch (e) {
    assertSyntaxErrorShape(text, e);
  }
}

describe('query properties', () => {
  it('the parser only throws QuerySyntaxError with a valid position on random token sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }), fc.array(fc.constantFrom(' ', '', '\n'), { minLength: 30, maxLength: 30 }), (tokens, gaps) => {
        parses(tokens.map((t, i) => t + gaps[i]).join(''));
      }),
      { seed: 1729, numRuns: 3000 },
    );
  });

  it('the parser only throws QuerySyntaxError on random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'binary' }), (text) => parses(text)),
      { seed: 4242, numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => parses('T | where ' + text)),
      { seed: 99, numRuns: 1000 },
    );
  });

  it('has, hasprefix and hassuffix term matching agrees with trying every position', () => {
    const naive = (hay: string, needle: string, prefixOnly: boolean, suffixOnly: boolean) => {
      if (needle.length === 0) return true;
      const checkStart = !suffixOnly && isTermChar(needle.charCodeAt(0));
      const checkEnd = !prefixOnly && isTermChar(needle.charCodeAt(needle.length - 1));
      for (let at = 0; at + needle.length <= hay.length; at++) {
        if (!hay.startsWith(needle, at)) continue;
        const end = at + needle.length;
        if ((!checkStart || at === 0 || !isTermChar(hay.charCodeAt(at - 1))) && (!checkEnd || end === hay.length || !isTermChar(hay.charCodeAt(end)))) return true;
      }
      return false;
    };
    const text = (max: number) => fc.array(fc.constantFrom('a', 'b', '1', '-', ' ', '.', 'é'), { maxLength: max }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text(40), text(6), fc.boolean(), fc.boolean(), (hay, needle, prefixOnly, suffixOnly) => {
        assert.equal(hasTerm(hay, needle, prefixOnly, suffixOnly), naive(hay, needle, prefixOnly, suffixOnly), JSON.stringify([hay, needle, prefixOnly, suffixOnly]));
      }),
      { seed: 31, numRuns: 5000 },
    );
  });

  it('countof and indexof with long needles agree with searching again from each match plus one', async () => {
    const env = { resolveTable: async () => undefined, scope: Scope.empty, now: new DateTime(0) };
    const naiveCount = (hay: string, needle: string) => {
      let n = 0;
      for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) n++;
      return n;
    };
    const naiveIndex = (hay: string, needle: string, start: number, length: number, nth: number) => {
      let at = start - 1;
      for (let k = 0; k < nth; k++) {
        const first = at + 1;
        const end = length < 0 ? hay.length : Math.min(hay.length, first + length);
        at = hay.slice(0, end).indexOf(needle, first);
        if (at < 0) return -1;
      }
      return at;
    };
    // Repetitive text, where a long needle matches in many overlapping places.
    const piece = fc.oneof({ arbitrary: fc.constant('a'.repeat(16)), weight: 6 }, { arbitrary: fc.constantFrom('ab', 'b', 'aab', 'ba'.repeat(8)), weight: 2 });
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 30 }), fc.array(piece, { minLength: 2, maxLength: 6 }), fc.nat(40), fc.integer({ min: -1, max: 80 }), fc.integer({ min: 1, max: 6 }), async (hayParts, needleParts, start, length, nth) => {
        const hay = hayParts.join(''), needle = needleParts.join('').padEnd(32, 'a');
        const r = await runQuery(`print c = countof("${hay}", "${needle}"), i = indexof("${hay}", "${needle}", ${start}, ${length}, ${nth})`, env, new AbortController().signal);
        const expectedIndex = start > hay.length ? null : BigInt(naiveIndex(hay, needle, start, length, nth));
        assert.deepEqual([r.table!.columns[0].get(0), r.table!.columns[1].get(0)], [BigInt(naiveCount(hay, needle)), expectedIndex], JSON.stringify([hay, needle, start, length, nth]));
      }),
      { seed: 77, numRuns: 300 },
    );
  });

  it('nesting beyond the limit is a positioned syntax error, not an exhausted stack, in every construct that nests', async () => {
    const deep = (open: string, inner: string, close: string, n: number) => open.repeat(n) + inner + close.repeat(n);
    const constructs = [
      (n: number) => 'print d = ' + deep('(', '1', ')', n),
      (n: number) => 'print d = ' + '- '.repeat(n) + '1',
      (n: number) => 'print d = ' + deep('not(', 'true', ')', n),
      (n: number) => 'print d = dynamic(' + deep('[', '1', ']', n) + ')',
      (n: number) => 'print d = dynamic(' + deep('{"a":', '1', '}', n) + ')',
      (n: number) => 'print d = dynamic(' + deep('dynamic(', '1', ')', n) + ')',
      (n: number) => 'print d = dynamic([1])' + deep('[0', '', ']', n),
      (n: number) => 'print d = 1 | where d in (' + deep('toscalar(print x = ', '1', ')', n) + ')',
      // Chains the parser builds in a loop are levels of the tree too.
      (n: number) => 'print x = 1' + '+1'.repeat(n),
      (n: number) => 'print x = 2' + ' * 1'.repeat(n),
      (n: number) => 'print d = dynamic({})' + '.a'.repeat(n),
      (n: number) => 'print d = (1' + '+1'.repeat(n / 2) + ')' + '+1'.repeat(n / 2),
      (n: number) => 'let f = () { '.repeat(n) + 'print x = 1' + ' }; f()'.repeat(n),
    ];
    const env = { resolveTable: async () => undefined, scope: Scope.empty, now: new DateTime(0) };
    for (const make of constructs) {
      // Well within the limit, every pass after the parser copes too.
      await runQuery(make(200), env, new AbortController().signal).catch((e: unknown) => {
        if (!(e instanceof QueryRuntimeError)) throw e;
      });
      const text = make(5000);
      assert.throws(() => parseQuery(text), (e: unknown) => e instanceof QuerySyntaxError && /nests deeper than 256 levels/.test(e.message), text.slice(0, 40));
      assertSyntaxErrorShape(text, (() => { try { parseQuery(text); } catch (e) { return e; } })());
    }
  });

  const json: fc.Arbitrary<DynamicValue> = fc.letrec<{ value: DynamicValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constant(null),
      fc.boolean(),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      fc.double({ noNaN: false }),
      fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', 'a b-c', '10.0.0.1', '{"x":1}', '[1,2]'),
      fc.string({ maxLength: 8 }),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'constructor', 'key', 'value', 'prototype'), tie('value'), { maxKeys: 4 }).map((o) => {
        const n = Object.create(null) as Record<string, DynamicValue>;
        for (const k of Object.keys(o)) n[k] = o[k];
        return n;
      }),
    ),
  })).value;

  const row = fc.record({
    s: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('user=bob id=5', 'Login Portal', '', 'a,b,c')),
    n: fc.option(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { nil: null }),
    r: fc.option(fc.double(), { nil: null }),
    t: fc.option(fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }).map((s) => new DateTime(s * 1_000_000)), { nil: null }),
    d: json,
  });

  const QUERIES = [
    'T | where d.a == 1 or d["b"] has "x" | project s, v = d.a.b[0]',
    'T | extend k = tostring(d.key) | summarize count(), dcount(d), make_set(d, 3), make_list(d.a), max(n), sum(n), avg(r) by k',
    'T | mv-expand d | summarize count() by tostring(d)',
    'T | mv-expand kind=array x = d to typeof(long) limit 3 | project x',
    'T | parse s with * "user=" u " id=" id:long | project u, id',
    'T | parse kind=regex s with "([a-z]+)" w:string | project w',
    'T | extend j = parse_json(s) | project bag_keys(j), array_length(j), gettype(j), j.x',
    'T | sort by d asc, n desc, r asc | take 5',
    'T | summarize arg_max(n, *), arg_min(r, d), percentiles(r, 5, 50, 95), stdev(r) by bin(t, 1d)',
    'T | extend a = n / 3, b = n % 7, c = r * 2 - n, e = t + 1h, f = t - datetime(2026-01-01), g = -n, h = bin(n, 10), i = round(r, 2)',
    'T | where s has_any ("a", "b") and s !contains "z" and n between (-5 .. 5) and t > ago(1000d)',
    'T | join kind=fullouter (T | project s, d2 = d) on s | count',
    'T | join (T) on n | count',
    'T | summarize by tostring(d) | count',
    'T | distinct * | count',
    'T | extend x = strcat(d, s, n, r, t), y = tolong(d), z = todouble(s), w = todatetime(s), q = split(s, ","), u = extract_all(@"(\\w)", s)',
    'T | union (T | extend extra = 1) | summarize count() by extra',
    'T | top 3 by tostring(d) | project d',
    'T | extend k = iff(isnull(n), "none", tostring(n)) | summarize take_any(d) by k',
    'T | where d in (dynamic([1, "a", null])) or n in (1, 2) | count',
    'T | extend b = pack("x", d, "y", n), a = pack_array(d, r) | mv-expand a',
    'T | where set_has_element(d, 1) or array_index_of(d, "a") >= 0 | count',
    'T | extend u = replace_regex(s, @"[aeiou]", "_"), v = trim(@"\\s+", s), w = substring(s, 1, 3), z = indexof(s, "a", -2)',
    'T | summarize c = count() by bin(r, 0.5) | sort by c',
    'T | extend f = format_datetime(t, "yyyy-MM-dd HH:mm:ss.fff"), h = hourofday(t), w = startofweek(t), m = endofmonth(t), dd = datetime_diff("month", t, datetime(2000-01-01))',
  ];

  it('the engine never crashes on random rows with random dynamic JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 12 }), fc.constantFrom(...QUERIES), async (rows, query) => {
        const table = Table.fromRows(
          [
            { name: 's', type: 'string' },
            { name: 'n', type: 'long' },
            { name: 'r', type: 'real' },
            { name: 't', type: 'datetime' },
            { name: 'd', type: 'dynamic' },
          ],
          rows as unknown as Record<string, Value>[],
        );
        try {
          const result = await runQuery(query, { resolveTable: async (n) => (n === 'T' ? table : undefined), scope: Scope.empty, now: new DateTime(Date.UTC(2026, 0, 1) * 1000) }, new AbortController().signal);
          assert.ok(result.table);
          // Every column holds values of its declared type.
          for (const c of result.table.columns) for (let i = 0; i < result.table.rowCount; i++) c.get(i);
        } catch (e) {
          if (!(e instanceof QueryRuntimeError || e instanceof QuerySyntaxError)) throw e;
        }
        assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'a'), false);
      }),
      { seed: 2026, numRuns: 400 },
    );
  });

  it('counts are consistent: groups add up and filters partition the rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ k: fc.constantFrom('a', 'b', 'c', ''), v: fc.option(fc.bigInt({ min: -100n, max: 100n }), { nil: null }) }), { maxLength: 40 }), fc.integer({ min: -100, max: 100 }), async (rows, threshold) => {
        const table = Table.fromRows([{ name: 'k', type: 'string' }, { name: 'v', type: 'long' }], rows);
        const env = { resolveTable: async () => table, scope: Scope.empty, now: new DateTime(0) };
        const signal = new AbortController().signal;
        const groups = await runQuery('T | summarize c = count() by k | summarize sum(c)', env, signal);
        // Summing over no groups gives null, as sum() over no values does.
        assert.equal(groups.table?.columns[0].get(0), rows.length ? BigInt(rows.length) : null);
        const above = await runQuery(`T | where v > ${threshold} | count`, env, signal);
        const notAbove = await runQuery(`T | where v <= ${threshold} | count`, env, signal);
        const nulls = rows.filter((r) => r.v === null).length;
        assert.equal(Number(above.table?.columns[0].get(0)) + Number(notAbove.table?.columns[0].get(0)) + nulls, rows.length);
        assert.equal(Number(above.table?.columns[0].get(0)), rows.filter((r) => r.v !== null && r.v > BigInt(threshold)).length);
      }),
      { seed: 7, numRuns: 150 },
    );
  });
  it('joins agree with a nested-loop reference whichever side is hashed', async () => {
    const side = fc.array(fc.record({ k: fc.option(fc.constantFrom('a', 'b', 'c', 'd'), { nil: null }), v: fc.integer({ min: 0, max: 99 }) }), { maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(side, side, fc.constantFrom('inner', 'innerunique', 'leftouter', 'leftanti', 'rightanti'), async (l, r, kind) => {
        const L = Table.fromRows([{ name: 'k', type: 'dynamic' }, { name: 'v', type: 'long' }], l.map((x) => ({ k: x.k, v: BigInt(x.v) })));
        const R = Table.fromRows([{ name: 'k', type: 'dynamic' }, { name: 'w', type: 'long' }], r.map((x) => ({ k: x.k, w: BigInt(x.v) })));
        const env = { resolveTable: async (n: string) => (n === 'L' ? L : R), scope: Scope.empty, now: new DateTime(0) };
        const result = await runQuery(`L | join kind=${kind} (R) on k`, env, new AbortController().signal);
        const t = result.table!;
        const got = [...t.rows()].map((row) => JSON.stringify([row.v, row.w ?? null], (_k, x) => (typeof x === 'bigint' ? Number(x) : x))).sort();
        // Reference: nested loops; null keys never match; innerunique keeps the first left row per key.
        const lefts = kind === 'innerunique' ? l.filter((x, i) => x.k !== null && l.findIndex((y) => y.k === x.k) === i) : l;
        const expected: [number, number | null][] = [];
        if (kind === 'rightanti') for (const y of r) { if (y.k === null || !l.some((x) => x.k === y.k)) expected.push([null as unknown as number, y.v]); }
        else
          for (const x of lefts) {
            const matches = r.filter((y) => x.k !== null && y.k === x.k);
            if (kind === 'leftanti') { if (matches.length === 0) expected.push([x.v, null]); }
            else if (matches.length === 0) { if (kind === 'leftouter') expected.push([x.v, null]); }
            else for (const y of matches) expected.push([x.v, y.v]);
          }
        const want = expected.map((p) => JSON.stringify(kind === 'rightanti' ? [null, p[1]] : p)).sort();
        const gotShaped = kind === 'rightanti' ? [...t.rows()].map((row) => JSON.stringify([null, Number(row.w)])).sort() : got;
        assert.deepEqual(gotShaped, want);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
