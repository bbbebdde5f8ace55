/**
 * Kusto semantics with no direct SQL equivalent (term matching, innerunique, dynamic values,
 * nulls, mv-expand, parse ...). Each expectation is worked out by hand; comments say why.
 */
import assert from 'node:assert/strict';
import { analyzeQuery, parseQuery, QueryRuntimeError, QuerySyntaxError, runQuery, Scope } from '../../../src/core/query';
import { fixtureEnv, run, runTable, tableRows } from './helpers';
import { DateTime } from '../../../src/core/query/values';
import { TimeReader } from '../../../src/core/sources/timestamps';
import { UTC } from '../../../src/core/sources/timezone';

async function rows(kql: string): Promise<unknown[][]> {
  return tableRows(await runTable(kql));
}

async function one(kql: string): Promise<unknown[]> {
  const r = await rows(kql);
  assert.equal(r.length, 1, 'expected one row');
  return r[0];
}

async function names(kql: string): Promise<string[]> {
  return (await runTable(kql)).schema.map((c) => c.name);
}

async function runtimeError(kql: string): Promise<QueryRuntimeError> {
  try {
    await run(kql);
  } catch (e) {
    if (e instanceof QueryRuntimeError) return e;
    throw e;
  }
  assert.fail('expected a runtime error');
}

describe('Kusto semantics (hand-checked)', () => {
  describe('term matching', () => {
    it('has matches whole terms only, case-insensitively', async () => {
      // "Login Portal" has the terms "login" and "portal"; "log" is a prefix, not a term.
      assert.deepEqual(await one('print a = "Login Portal" has "log", b = "Login Portal" has "LOGIN", c = "log-in" has "log", d = "user logged" has "log"'), [false, true, true, false]);
    });
    it('has_cs is case-sensitive and !has negates', async () => {
      assert.deepEqual(await one('print a = "Login Portal" has_cs "login", b = "Login Portal" has_cs "Login", c = "Login Portal" !has "portal", d = "a b" !has_cs "B"'), [false, true, false, true]);
    });
    it('has with punctuation in the needle matches at term boundaries', async () => {
      // The needle starts and ends with digits, so the text around it must not continue the term.
      assert.deepEqual(await one('print a = "src=10.0.0.1:443" has "10.0.0.1", b = "110.0.0.1" has "10.0.0.1", c = "10.0.0.12" has "10.0.0.1"'), [true, false, false]);
    });
    it('hasprefix and hassuffix look at term starts and ends', async () => {
      assert.deepEqual(await one('print a = "powershell.exe -enc" hasprefix "power", b = "the powershell" hasprefix "shell", c = "powershell.exe" hassuffix "shell", d = "powershell.exe" hassuffix "power"'), [true, false, true, false]);
    });
    it('has_any and has_all take lists', async () => {
      assert.deepEqual(await one('print a = "net user backdoor /add" has_any ("whoami", "backdoor"), b = "net user backdoor /add" has_all ("net", "add"), c = "net user" has_all ("net", "group")'), [true, true, false]);
    });
    it('contains matches substrings; contains_cs and startswith_cs respect case', async () => {
      assert.deepEqual(await one('print a = "Login Portal" contains "log", b = "Login Portal" contains_cs "log", c = "Login" startswith "LOG", d = "Login" startswith_cs "LOG", e = "x.EXE" endswith ".exe"'), [true, false, true, false, true]);
    });
  });

  describe('equality and strings', () => {
    it('substring counts characters as strlen does, by code point, and never cuts a character in half', async () => {
      // Counted in UTF-16 units, substring("😀abc", 1, 2) began with half an emoji (a lone surrogate).
      assert.deepEqual(await one('print a = substring("😀abc", 1, 2), b = substring("😀abc", 0, strlen("😀abc")), c = substring("😀abc", -2), d = substring("a😀", 0, 1), e = strlen("😀abc")'), ['ab', '😀abc', 'bc', 'a', 4]);
    });
    it('toupper maps one character to one, as Kusto does (ß stays ß)', async () => {
      assert.deepEqual(await one('print toupper("straße"), toupper("Grüße aus Köln")'), ['STRAßE', 'GRÜßE AUS KÖLN']);
    });
    it('case-insensitive operators compare as .NET\'s ordinal ignore-case does, and tolower maps one character to one without context', async () => {
      const kelvin = '\u212a';
      assert.deepEqual(await one(`print a = "ΟΔΟΣ" =~ "οδος", b = tolower("ΟΔΟΣ"), c = strlen(tolower("İ")), d = "İİİ abc" has "İİ", e = "${kelvin}" =~ "k", f = "ſ" =~ "s", g = "ı" =~ "I", h = "ÀÉ" =~ "àé", i = "x ΟΔΟΣ y" has "οδος", j = "Ος" in~ ("ΟΣ"), k = "ΟΔΟΣ" contains "δος", l = "Straße" =~ "STRASSE"`), [
        true, 'οδοσ', 1, false, false, false, false, true, true, true, true, false,
      ]);
      // The same answers for dictionary-coded string columns, whose distinct values are tested once.
      assert.deepEqual(await rows('datatable(s:string)["ΟΔΟΣ", "odos", "ΟΔΟΣ"] | where s =~ "οδος" | count'), [[2]]);
    });
    it('a string compared with a number is an error with a hint, as in Kusto, rather than a comparison by whichever side is text', async () => {
      for (const q of ['print a = "1" == 1', 'print a = "10" > 9', 'print a = 1 != "x"', 'datatable(s:string)["200"] | where s >= 100', 'print a = "5" between (1 .. 10)']) {
        const e = await runtimeError(q);
        assert.match(e.message, /cannot compare a (string|long) with a (long|string) using `(==|>|!=|>=|between)`/, q);
        assert.match(e.hint ?? '', /convert one side/);
      }
      assert.deepEqual(await one('print a = tolong("1") == 1, b = "1" == tostring(1), c = dynamic(1) == 1'), [true, true, true]);
    });
    it('a number, a datetime and a timespan do not compare with each other: an error with the form meant, as in Kusto', async () => {
      // `where t > 1h` (for `t > ago(1h)`) was null on every row: the where kept nothing, silently.
      for (const [q, message, hint] of [
        ['datatable(t:datetime)[datetime(2024-01-01)] | where t > 1h', /cannot compare a datetime with a timespan using `>`/, /ago\(1h\)/],
        ['print a = 1h < 5', /cannot compare a timespan with a long using `<`/, /5s, or x \* 1s/],
        ['print a = 2.5 >= 1h', /cannot compare a real with a timespan using `>=`/, /5s/],
        ['print a = datetime(2024-01-01) == 5', /cannot compare a datetime with a long using `==`/, /unixtime_seconds_todatetime/],
        ['print a = datetime(2024-01-01) != 1d', /cannot compare a datetime with a timespan using `!=`/, /ago/],
        ['print t = datetime(2024-01-01) | where t between (1h .. 2h)', /cannot compare a datetime with a timespan using `between`/, /ago/],
        ['print t = datetime(2024-01-01) | where t between (datetime(2023-01-01) .. 5)', /cannot compare a datetime with a long using `between`/, /unixtime/],
      ] as const) {
        const e = await runtimeError(q);
        assert.match(e.message, message, q);
        assert.match(e.hint ?? '', hint, q);
      }
      // What stays: longs with reals, like with like, a range from a datetime by a timespan, dynamic values (null when they do not compare).
      assert.deepEqual(await one('print a = 2.5 > 2, b = 1h > 30m, c = datetime(2024-01-02) between (datetime(2024-01-01) .. 1d), d = dynamic(5) > 1h, e = datetime(2024-01-02) > datetime(2024-01-01)'), [true, true, true, null, true]);
    });
    it('an array or a bag does not order against a number or a string: null, not a comparison of JSON text', async () => {
      // `where a > 1` kept [1,2] and {"k":1}: "[1,2]" > "1" as text.
      assert.deepEqual(
        await rows('datatable(a:dynamic)[dynamic([1,2]), dynamic({"k":1}), dynamic([]), dynamic(5)] | project gt = a > 1, lt = a < 0, s = a <= "z"'),
        [[null, null, null], [null, null, null], [null, null, null], [true, false, null]],
      );
      assert.deepEqual(await rows('datatable(a:dynamic)[dynamic([1,2]), dynamic({"k":1}), dynamic(5)] | where a > 1'), [[5]]);
    });
    it('== is case-sensitive and =~ is not', async () => {
      assert.deepEqual(await one('print a = "Alice" == "alice", b = "Alice" =~ "alice", c = "Alice" != "alice", d = "Alice" !~ "ALICE"'), [false, true, true, false]);
    });
    it('strings are never null: a missing string is empty', async () => {
      // Column b is missing in the second row of the datatable? No: datatable needs values, so use a join miss instead.
      const r = await rows('datatable(k:long)[1, 2] | join kind=leftouter (datatable(k:long, s:string)[1, "x"]) on k | project k, s, e = isempty(s), n = isnull(s)');
      assert.deepEqual(r, [
        [1, 'x', false, false],
        [2, '', true, false],
      ]);
    });
    it('isempty is true for "" and null; isnotempty is its negation', async () => {
      assert.deepEqual(await one('print a = isempty(""), b = isempty(long(null)), c = isempty(0), d = isnotempty(" ")'), [true, true, false, true]);
    });
    it('strcat converts arguments to strings; datetimes print with seven fraction digits', async () => {
      assert.deepEqual(await one('print s = strcat("n=", 5, " t=", datetime(2026-03-01 10:00:00.5), " ok=", true)'), ['n=5 t=2026-03-01T10:00:00.5000000Z ok=true']);
    });
    it('split, substring and indexof follow Kusto bounds', async () => {
      // split with an index gives a one-element array; out-of-range index gives an empty array.
      const r = await one('print a = split("a,b,c", ","), b = split("a,b,c", ",", 1), c = split("a,b", ",", 5), d = substring("abcdef", 2, 2), e = indexof("abcabc", "c", 3), f = indexof("abc", "z")');
      assert.deepEqual(r, [['a', 'b', 'c'], ['b'], [], 'cd', 5, -1]);
    });
    it('indexof gives Kusto\'s documented results (a window of length from where each occurrence is looked for)', async () => {
      const r = await one('print idx1 = indexof("abcdefg","cde"), idx2 = indexof("abcdefg","cde",1,4), idx3 = indexof("abcdefg","cde",1,2), idx4 = indexof("abcdefg","cde",3,4), idx5 = indexof("abcdefg","cde",-5), idx6 = indexof(1234567,5,1,4), idx7 = indexof("abcdefg","cde",2,-1), idx8 = indexof("abcdefgabcdefg", "cde", 1, 10, 2), idx9 = indexof("abcdefgabcdefg", "cde", 1, -1, 3), n1 = indexof("abc", "b", 0, -2), n2 = indexof("abc", "b", 0, 1, -1)');
      assert.deepEqual(r, [2, 2, -1, -1, 2, 4, 2, 9, -1, null, null]);
    });
    it('indexof counts places by code point, as strlen and substring do', async () => {
      // In UTF-16 units an emoji is two places: substring(s, indexof(s, "user=")) gave "ser=bob".
      const r = await one('print s = "😀 user=bob" | project i = indexof(s, "user="), sub = substring(s, indexof(s, "user=")), j = indexof(s, "b", -3), k = indexof(s, "o", 0, 9), l = indexof(s, "o", 0, 8), m = indexof("😀😀x😀x", "x", 0, -1, 2), e = indexof(s, ""), z = indexof(s, "😀"), w = indexof("a😀b", "😀b", 1, 2)');
      assert.deepEqual(r, [2, 'user=bob', 7, 8, -1, 4, 0, 0, 1]);
      // Long needles (searched by the matcher that goes on from each match) count the same way;
      // a lone surrogate is a place of its own, found in a pair as contains finds it.
      const long = await one("print s = strcat('😀xxxxx', strrep('a', 40), '😀', strrep('a', 40)), n = strrep('a', 40) | project i = indexof(s, n), j = indexof(s, n, 0, -1, 2), k = indexof(s, n, 7), l = indexof(s, n, 0, 45), m = indexof(s, n, 0, 46), lone = indexof('😀x', '\\ud83d')");
      assert.deepEqual(long, [6, 47, 47, -1, 6, 0]);
    });
    it('substring counts a negative start from the end, as Kusto documents', async () => {
      // The documented example is substring("123456", -2, 2) == "56"; a start before the string's first character starts at it.
      assert.deepEqual(await one('print a = substring("123456", -2, 2), b = substring("123456", -2), c = substring("abc", -5, 2), d = substring("abc", 5)'), ['56', '56', 'ab', '']);
    });
    it('extract returns "" when nothing matches and converts with typeof', async () => {
      assert.deepEqual(await one('print a = extract("id=(\\\\d+)", 1, "x id=42"), b = extract("id=(\\\\d+)", 1, "none"), c = extract("id=(\\\\d+)", 1, "id=7", typeof(long)) + 1'), ['42', '', 8]);
    });
    it('extract_all returns every match, and arrays of groups for several groups', async () => {
      assert.deepEqual(await one('print a = extract_all(@"(\\d+)", "a1b22c333"), b = extract_all(@"(\\w)=(\\d)", "x=1 y=2")'), [['1', '22', '333'], [['x', '1'], ['y', '2']]]);
    });
    it('extract_all picks groups by number or name; one picked group gives a flat array (Kusto\'s examples)', async () => {
      const r = await one('print a = extract_all(@"(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)", dynamic(["first", 2, "last"]), "82b8be2d-dfa7"), b = extract_all(@"(\\w)(\\d)", dynamic([1]), "a1b2"), c = extract_all(@"(\\w)(\\d)", dynamic([2, 1]), "a1b2")');
      assert.deepEqual(r, [[['8', '2b8be2', 'd'], ['d', 'fa', '7']], ['a', 'b'], [['1', 'a'], ['2', 'b']]]);
    });
    it('extract_all rejects a pattern without a capture group or with more than 16, as Kusto does', async () => {
      const none = await runtimeError('print a = extract_all(@"\\d+", "a1b22")');
      assert.match(none.message, /extract_all needs a regular expression with 1 to 16 capture groups; `\\d\+` has 0/);
      assert.equal(none.offset, 'print a = extract_all('.length); // the pattern's position
      const many = await runtimeError(`print a = extract_all(@"${'(a)'.repeat(17)}", "a")`);
      assert.match(many.message, /has 17/);
      // A pattern that is not a constant is checked when it is used.
      assert.match((await runtimeError('print p = @"x+" | extend a = extract_all(p, "xx")')).message, /has 0/);
      assert.deepEqual(await one(`print a = extract_all(@"${'(a)'.repeat(16)}", "${'a'.repeat(16)}")`), [[Array(16).fill('a')]]);
    });
    it('replace_regex uses \\1 group references', async () => {
      assert.deepEqual(await one('print r = replace_regex("user=bob id=5", @"user=(\\w+)", @"account=\\1")'), ['account=bob id=5']);
    });
    it('trim takes a regular expression', async () => {
      assert.deepEqual(await one('print a = trim(@"[\\s-]+", "-- x y --"), b = trim_start("0", "0012"), c = trim_end(@"\\.exe", "run.exe")'), ['x y', '12', 'run']);
    });
  });

  describe('numbers and nulls', () => {
    it('branches of mixed number types are reals; a dynamic value against a number or bool is refused with a hint, never cut or rounded', async () => {
      // The result type was real while a long branch's value stayed a long, so `/ 2` divided integers.
      assert.deepEqual(await one('print a = iif(true, 7, 0.5) / 2, b = max_of(3, 2.5) / 2, c = round(case(true, 7, 0.5) / 2, 1), d = min_of(2, 2.5, 1) / 2, e = coalesce(long(null), 7, 0.5) / 2'), [3.5, 1.5, 3.5, 0.5, 3.5]);
      // Typed long, coalesce(d.v, 0) cut 2.5 to 2; typed real, it rounded ids beyond 2^53 and made bags null.
      for (const call of ['coalesce(d.v, 0)', 'iff(isnull(d.v), 0, d.v)', 'case(false, 1.5, d.v)', 'max_of(d.v, 0)', 'coalesce(d.v, false)']) {
        const e = await runtimeError(`datatable(d:dynamic)[dynamic({"v":2.5})] | project x = ${call}`);
        assert.match(e.message, /mixes a dynamic value with a (long|real|bool): say which type its result has/, call);
        assert.match(e.hint ?? '', /convert the dynamic value: \w+\((…, )*to(long|bool)\(x\)/, call);
      }
      // The conversion is written where the dynamic argument is.
      assert.match((await runtimeError('datatable(d:dynamic)[dynamic({"v":2.5})] | project x = iff(isnull(d.v), 0, d.v)')).hint ?? '', /iff\(…, …, tolong\(x\)\)/);
      // A column without any value (an empty CSV column, typed dynamic) decides no type, as a null constant does not.
      assert.deepEqual((await runTable('datatable(b:dynamic)[dynamic(null), dynamic(null)] | project t = coalesce(b, 0), u = iff(true, b, 1.5)')).schema.map((c) => c.type), ['long', 'real']);
      // Only a column named as such: a member never present (`d.x`, misspelt) is still refused.
      assert.match((await runtimeError('datatable(d:dynamic)[dynamic({"a":1})] | project c = coalesce(d.x, 0)')).message, /mixes a dynamic value with a long/);
      assert.deepEqual(
        await rows('datatable(d:dynamic)[dynamic({"v":2.5}), dynamic({"v":{"k":1}}), dynamic({})] | project c = coalesce(todouble(d.v), 0.0), l = coalesce(tolong(d.v), 0), s = coalesce(d.v, "none"), i = tostring(iff(true, d.v, long(null))), k = tostring(case(true, d.v, long(null)))'),
        [[2.5, 2, '2.5', '2.5', '2.5'], [0, 0, '{"k":1}', '{"k":1}', '{"k":1}'], [0, 0, 'none', '', '']],
      );
      assert.deepEqual(await one('print d = dynamic({"v":9007199254740993}) | project l = tostring(coalesce(tolong(d.v), 0)), s = coalesce(d.v, "none"), i = tostring(iff(true, d.v, long(null))), k = tostring(case(true, d.v, long(null)))'), ['9007199254740993', '9007199254740993', '9007199254740993', '9007199254740993']);
      assert.deepEqual((await runTable('datatable(d:dynamic)[dynamic(1)] | project s = coalesce(d.v, "none"), t = iff(true, d, now()), m = coalesce(d.v, 1, "x"), n = case(true, d, long(null))')).schema.map((c) => c.type), ['string', 'datetime', 'dynamic', 'dynamic']);
    });
    it('NaN is unordered: every comparison with it is false (and != true) whichever way it is computed', async () => {
      assert.deepEqual(await one('print a = real(nan) < 5.0, b = real(nan) == real(nan), c = real(nan) != real(nan), d = real(nan) between (0.0 .. 1.0), e = real(nan) >= real(nan)'), [false, false, true, false, false]);
      // A column against a constant and a column against a column gave different answers.
      assert.deepEqual(await rows('range x from 0 to 1 step 1 | extend r = 0.0 / x, one = 1.0 | project lt_const = r < 1.0, lt_col = r < one, eq = r == r, ne = r != one'), [[false, false, false, true], [true, true, true, true]]);
      // `in` is an `or` of ==, `!in` an `and` of !=.
      assert.deepEqual(await one('print a = real(nan) | project i = a in (real(nan)), n = a !in (real(nan)), j = a in (1.0, real(nan)), k = 1.0 in (1.0, real(nan))'), [false, true, false, true]);
    });
    it('sqrt and the logarithms of a negative number are null, as Kusto documents (not NaN)', async () => {
      assert.deepEqual(await one('print a = sqrt(-1), b = log(-1), c = log10(-1), d = log2(-1), e = sqrt(4), f = log10(100), g = isnull(log(-5))'), [null, null, null, null, 2, 2, true]);
    });
    it('a whole-number literal beyond 64 bits is a real, never a long wrapped to the other sign', async () => {
      assert.deepEqual(await one('print b = 99999999999999999999999, d = gettype(9223372036854775808), f = 9223372036854775808 > 0'), [1e23, 'real', true]);
      const t = await runTable('print a = 9223372036854775808, c = -9223372036854775808, e = 9223372036854775807');
      assert.deepEqual(t.schema.map((x) => x.type), ['real', 'long', 'long']);
      // A typed long that does not fit is refused rather than made a real.
      assert.throws(() => parseQuery('print a = long(9223372036854775808)'), /long\(9223372036854775808\) does not fit in 64 bits/);
      assert.deepEqual(await one('print a = toreal("+Infinity"), b = toreal("-inf")'), ['Infinity', '-Infinity']);
      assert.deepEqual([t.columns[0].get(0), t.columns[1].get(0), t.columns[2].get(0)], [9223372036854775808, -9223372036854775808n, 9223372036854775807n]);
    });
    it('sum, avg, stdev, variance and percentile refuse text, as Kusto does, with a hint to convert it', async () => {
      for (const agg of ['sum(s)', 'avg(s)', 'stdev(s)', 'variance(s)', 'sumif(s, true)', 'avgif(s, true)', 'percentile(s, 50)']) {
        const e = await runtimeError(`datatable(s:string)["12", "30"] | summarize ${agg}`);
        assert.match(e.message, /needs numbers, and this is a string/, agg);
        assert.match(e.hint ?? '', /convert it first/);
      }
      assert.deepEqual(await one('datatable(s:string)["12", "30"] | summarize sum(tolong(s)), avg(todouble(s))'), [42, 21]);
    });
    it('range ends at the last value before the largest long, checks its types, and says when a step cannot move it', async () => {
      const big = await runTable('range x from 9223372036854775800 to 9223372036854775807 step 5');
      assert.deepEqual([big.rowCount, big.columns[0].get(0), big.columns[0].get(1)], [2, 9223372036854775800n, 9223372036854775805n]);
      const low = await runTable('range x from -9223372036854775800 to -9223372036854775808 step -5');
      assert.deepEqual([low.rowCount, low.columns[0].get(1)], [2, -9223372036854775805n]);
      assert.match((await runtimeError('range x from 1 to "a" step 1')).message, /not from long to string/);
      assert.match((await runtimeError('range t from datetime(2026-01-01) to datetime(2026-01-02) step 1')).message, /a range of datetimes steps by a timespan, not a long/);
      assert.match((await runtimeError('range x from 1e20 to 2e20 step 1')).message, /step is too small to move past/);
      assert.deepEqual(await rows('range t from datetime(9999-12-31) to datetime(9999-12-31 23:59:59) step 20h | project s = tostring(t)'), [['9999-12-31T00:00:00.0000000Z'], ['9999-12-31T20:00:00.0000000Z']]);
    });
    it('long division truncates toward zero', async () => {
      assert.deepEqual(await one('print a = 7 / 2, b = -7 / 2, d = 7 / 2.0'), [3, -3, 3.5]);
    });
    it('modulo is never negative, as Kusto documents: 0 <= n % d < abs(d)', async () => {
      // The documented example (numerical operators), then reals, timespans and a column (the compiled path).
      assert.deepEqual(await one('print plusPlus = 14 % 12, minusPlus = -14 % 12, plusMinus = 14 % -12, minusMinus = -14 % -12'), [2, 10, 2, 10]);
      assert.deepEqual(await one('print a = -14.5 % 12, b = -90m % 1h, c = -7 % 2, d = -1e-20 % 1.0'), [9.5, 'ts:1800000000', 1, 0]);
      assert.deepEqual(await rows('range x from -3 to 3 step 1 | extend m = x % 3, r = todouble(x) % -3.0, t = x * 1h % 2h | project m, r, t'), [
        [0, 0, 'ts:3600000000'], [1, 1, 'ts:0'], [2, 2, 'ts:3600000000'], [0, 0, 'ts:0'], [1, 1, 'ts:3600000000'], [2, 2, 'ts:0'], [0, 0, 'ts:3600000000'],
      ]);
    });
    it('toint converts within 32 bits, and gives null beyond them (Kusto\'s int); tolong within 64', async () => {
      assert.deepEqual(await one('print a = toint("2147483647"), b = toint("2147483648"), c = toint(-2147483648), d = toint(-2147483649), e = toint(3.9), f = toint("99999999999"), g = tolong("99999999999"), h = tolong("9223372036854775808")'), [2147483647, null, -2147483648, null, 3, null, 99999999999, null]);
    });
    it('long division by zero is null; real division by zero is infinite', async () => {
      assert.deepEqual(await one('print a = 1 / 0, b = 1.0 / 0, c = 5 % 0'), [null, 'Infinity', null]);
    });
    it('where needs a bool condition, as Kusto: a long or string column is a positioned error, not an empty result', async () => {
      const e = await runtimeError('datatable(IsAdmin:long)[1, 0] | where IsAdmin');
      assert.match(e.message, /where needs a bool condition; this one is long/);
      assert.equal(e.offset, 38);
      assert.equal(e.length, 7);
      assert.match((await runtimeError('datatable(S:string)["true"] | where S')).message, /this one is string/);
      // A dynamic value may hold a bool.
      assert.deepEqual(await rows('datatable(d:dynamic)[dynamic({"ok": true}), dynamic({"ok": false})] | where d.ok | project v = tostring(d.ok)'), [['true']]);
      // and/or take bools too, so splitting a condition after a join changes no answer into an error.
      assert.match((await runtimeError('datatable(a:long, b:long)[1, 2] | where a and b == 2')).message, /and needs a bool condition; this one is long/);
      assert.match((await runtimeError('datatable(k:long, a:long)[1, 1] | join (datatable(k:long)[1]) on k | where a and k == 1')).message, /needs a bool condition; this one is long/);
    });
    it('a string literal compared with a datetime is read as a datetime, in == and != as in orderings', async () => {
      assert.deepEqual(await rows('datatable(t:datetime)[datetime(2020-01-01), datetime(2020-01-02)] | project a = t == "2020-01-01", b = t != "2020-01-01", c = "2020-01-02" == t, d = t < "2020-01-02"'), [[true, false, false, true], [false, true, true, false]]);
      assert.deepEqual(await rows('datatable(t:datetime)[datetime(2020-01-01), datetime(2020-01-02)] | project a = t in ("2020-01-01"), b = t !in ("2020-01-01", datetime(2020-01-02))'), [[true, false], [false, false]]);
      const e = await runtimeError('datatable(t:datetime)[datetime(2020-01-01)] | where t == "yesterday"');
      assert.match(e.message, /cannot compare a datetime with the string "yesterday"/);
      // And in between, as its `>=` and `<=` (both were null for every row, so between and !between matched nothing).
      assert.deepEqual(await rows('datatable(t:datetime)[datetime(2020-01-01), datetime(2020-01-02 12:00), datetime(2020-01-03)] | project a = t between ("2020-01-02" .. "2020-01-02T23:00"), b = t !between ("2020-01-02" .. "2020-01-02T23:00"), c = t between ("2020-01-02" .. 1d)'), [[false, true, false], [true, false, true], [false, true, true]]);
      assert.match((await runtimeError('datatable(t:datetime)[datetime(2020-01-01)] | where t between ("yesterday" .. "2020-01-02")')).message, /cannot compare a datetime with the string "yesterday"/);
    });
    it('tolong and todouble of a datetime are its ticks since 0001-01-01, as Kusto documents (0100-01-01 is 31241376000000000)', async () => {
      assert.deepEqual(await one('print a = tolong(datetime(0100-01-01)), b = tolong(datetime(1970-01-01)), c = todouble(datetime(1970-01-01)), d = tolong(datetime(0001-01-01)), e = tostring(tolong(datetime(2021-01-01 00:00:00.0000010))), f = tolong(90s), g = todouble(1ms)'), [31241376000000000, 621355968000000000, 621355968000000000, 0, '637450560000000010', 900000000, 10000]);
    });
    it('percentile of longs picks a value of the data, exactly', async () => {
      // Ranked through doubles, 2^63 - 1 came back as -2^63 and 2^53 + 1 as 2^53.
      const t = await runTable('datatable(l:long)[9223372036854775807, 9007199254740993, 1, -9223372036854775808] | summarize p100 = percentile(l, 100), p75 = percentile(l, 75), p50 = percentile(l, 50), p0 = percentile(l, 0)');
      assert.deepEqual(t.columns.map((c) => c.get(0)), [9223372036854775807n, 9007199254740993n, 1n, -9223372036854775808n]);
    });
    it('a value past the longest string JavaScript holds is a query error with a hint, not an internal one', async () => {
      const a64 = Array(64).fill('a').join(', ');
      const e = await runtimeError(`print a = strrep('abcdefgh', 1000000) | extend b = strcat(${a64}) | project n = strlen(strcat(b, b))`);
      assert.equal(e.message, 'a value would be longer than the longest text JavaScript can hold (about 512 MiB)');
      assert.match(e.hint ?? '', /filter or limit it first/);
    });
    it('tolong of digit strings: leading zeros and signs, and null past 64 bits however many digits', async () => {
      assert.deepEqual(await one('print a = tolong(strrep("9", 8000000)), b = tolong("-0009223372036854775808"), c = tolong("9223372036854775808"), d = tolong("+00042"), e = tolong("0000000000000000000000001")'), [null, -9223372036854775808n, null, 42n, 1n].map((v) => (typeof v === 'bigint' ? Number(v) : v)));
    });
    it('tohex pads to the width asked, widths above 16 cut to 16 as Kusto documents (a width from the data allocated gigabytes a row)', async () => {
      assert.deepEqual(await one('print a = tohex(255, 4), b = strlen(tohex(255, 600000000)), c = tohex(-1), d = tohex(256, 20)'), ['00ff', 16, 'ffffffffffffffff', '0000000000000100']);
    });
    it('values from hostile data give null or stay as written, never an internal error', async () => {
      // Each of these failed the whole query ("cannot be converted to a BigInt", "URI malformed").
      assert.deepEqual(
        await one("print a = 1s * real(+inf), b = tolong(1s * real(+inf)), c = totimespan(real(+inf)), d = bin_at(3, 1.0, real(+inf)), e = bin(3, 2.5), f = gettype(bin(3, 2.5)), g = parse_url('http://%E0%A4%A@host/').Username, h = parse_url('http://%E0%A4%A@host/').Host"),
        [null, null, null, null, 2, 'long', '%E0%A4%A', 'host'],
      );
      // Beyond Kusto's range of timespans (2^63 - 1 ticks) too: 1s * 1e300 printed as '1.1574074074074075e+295.-4.3…'.
      assert.deepEqual(await one('print a = 1s * 1e300, b = tolong(1s * 1e300), c = 1d * 10000000, d = 1d * 11000000, e = totimespan(1e19)'), [null, null, 'ts:864000000000000000', null, null]);
      // By every other way of making one: sums, text, bins; the whole range of datetimes still fits.
      assert.deepEqual(
        await one('print a = 9000000d + 9000000d, b = totimespan("20000000d"), c = tolong(totimespan(strcat(strrep("9", 300), "d"))), d = datetime(9999-12-31) - datetime(0001-01-01), e = totimespan("1.02:03:04")'),
        [null, null, null, 'ts:315537811200000000', 'ts:93784000000'],
      );
      assert.deepEqual(await rows('datatable(t:timespan)[9000000d, 9000000d] | summarize s = sum(t)'), [[null]]);
      assert.throws(() => parseQuery('print b = 1e300s'), (e: Error) => e instanceof QuerySyntaxError && e.message === '`1e300s` is beyond the longest timespan (about 10,675,199 days)');
      // The same through a column (the compiled path).
      assert.deepEqual(await rows('datatable(o:real)[real(+inf), 2.0] | project t = 1s * o, l = tolong(1s * o)'), [[null, null], ['ts:2000000', 20000000]]);
    });
    it('sorts arrays and bags by their JSON text (made once per value for a sort)', async () => {
      assert.deepEqual(await rows('datatable(d:dynamic)[dynamic([2]), dynamic([1, 2]), dynamic({"a":1}), dynamic([1]), dynamic(null)] | sort by d asc | project t = tostring(d)'), [[''], ['[1,2]'], ['[1]'], ['[2]'], ['{"a":1}']]);
      assert.deepEqual(await rows('datatable(d:dynamic)[dynamic([2]), dynamic([1, 2]), dynamic([1])] | sort by d desc | project t = tostring(d)'), [['[2]'], ['[1]'], ['[1,2]']]);
    });
    it('in over a dynamic array of any size from the data', async () => {
      // Spreading the array's items into the list overflowed the call stack at 300,000 items.
      assert.deepEqual(await rows('range x from 1 to 300000 step 1 | summarize a = make_list(x, 300000) | where 299999 in (a) | project n = array_length(a)'), [[300000]]);
    });
    it('in and !in are an or of == and an and of != : a null is not in a list and is !in it', async () => {
      assert.deepEqual(await rows('datatable(x:long)[1, 2, long(null)] | where x !in (1)'), [[2], [null]]);
      // A bag without the key: d.role is null, so it is !in the list, as d.role != "admin" is true.
      assert.deepEqual(await rows('datatable(d:dynamic)[dynamic({"role": "admin"}), dynamic({"other": 1})] | where d.role !in ("admin") | project k = tostring(bag_keys(d)[0])'), [['other']]);
      assert.deepEqual(await rows('datatable(x:long)[1, long(null)] | project a = x in (1), b = x !in (1), c = not(x in (1))'), [[true, false, false], [false, true, true]]);
    });
    it('equality with null follows Kusto: false for ==, true for !=, null between two nulls', async () => {
      // Kusto's documented example: the null row passes `ival != 5`.
      assert.deepEqual(await rows('datatable(ival:int, sval:string)[5, "a", int(null), "b"] | where ival != 5'), [[null, 'b']]);
      // The documented table: val > 3 is null for null; val == int(null) is false for 5 and null for null.
      assert.deepEqual(await rows('datatable(val:int)[5, int(null)] | extend IsBiggerThan3 = val > 3, IsBiggerThan3OrNull = val > 3 or isnull(val), IsEqualToNull = val == int(null), IsNotEqualToNull = val != int(null)'), [
        [5, true, true, false, true],
        [null, null, true, null, null],
      ]);
      // Every compiled form agrees: column against constant (long, real, datetime), computed values, and row against row.
      assert.deepEqual(await rows('datatable(l:long, r:real, t:datetime)[long(null), real(null), datetime(null)] | extend a = l == 1, b = l != 1, c = r == 1.5, d = r != 1.5, e = t == datetime(2026-01-01), f = t != datetime(2026-01-01), g = r * 2 == 3.0, h = r * 2 != 3.0, i = l == r, j = l < 1') , [[null, null, null, false, true, false, true, false, true, false, true, null, null]]);
      assert.deepEqual(await rows('datatable(x:long)[1, long(null), 3] | where not(x == 1) | project x'), [[null], [3]]);
    });
    it('and/or use three-valued logic', async () => {
      assert.deepEqual(await one('print a = long(null) > 1 and false, b = long(null) > 1 or true, c = isnull(long(null) > 1 and true)'), [false, true, true]);
    });
    it('aggregates skip nulls; count() counts rows; sum of only nulls is null', async () => {
      // count(x) counts every row (Kusto); countif(isnotnull(x)) the values.
      const r = await one('datatable(x:long)[long(null), long(null), 4] | summarize c = count(), cx = count(x), nx = countif(isnotnull(x)), s = sum(x), a = avg(x), d = dcount(x), mn = min(x)');
      assert.deepEqual(r, [3, 3, 1, 4, 4, 1, 4]);
      const none = await one('datatable(x:long)[long(null)] | summarize s = sum(x), a = avg(x), m = max(x), d = dcount(x)');
      assert.deepEqual(none, [null, null, null, 0]);
    });
    it('summarize without keys over no rows gives one row; with keys, no rows', async () => {
      assert.deepEqual(await rows('datatable(x:long)[1] | where x > 5 | summarize c = count(), s = sum(x)'), [[0, null]]);
      assert.deepEqual(await rows('datatable(x:long)[1] | where x > 5 | summarize c = count() by x'), []);
    });
    it('long arithmetic is exact beyond 2^53', async () => {
      assert.deepEqual((await runTable('print a = 9007199254740993 + 2')).columns[0].get(0), 9007199254740995n);
    });
    it('bin floors numbers and datetimes', async () => {
      assert.deepEqual(await one('print a = bin(7, 5), b = bin(-7, 5), c = bin(7.5, 2), d = bin(datetime(2026-03-01 10:47), 15m), e = floor(26h, 1d)'), [5, -10, 6, `dt:${Date.UTC(2026, 2, 1, 10, 45) * 1000}`, `ts:${86_400_000_000}`]);
    });
    it('a long result beyond 64 bits is null, not wrapped to the other sign: bin below the least long, datetime_diff in nanoseconds across centuries', async () => {
      assert.deepEqual(await one('print a = bin(-9223372036854775808, 10), b = datetime_diff("nanosecond", datetime(9999-12-31), datetime(0001-01-01)), c = datetime_diff("nanosecond", datetime(2024-01-01 00:00:01), datetime(2024-01-01)), d = tostring(datetime_diff("nanosecond", datetime(2200-01-01), datetime(1970-01-01)))'), [null, null, 1000000000, '7258118400000000000']);
    });
    it('weekly bins start on Monday (Kusto bins relative to 0001-01-01)', async () => {
      // 2026-03-04 is a Wednesday; the enclosing 7-day bin starts Monday 2026-03-02.
      assert.deepEqual(await one('print w = bin(datetime(2026-03-04 12:00), 7d)'), [`dt:${Date.UTC(2026, 2, 2) * 1000}`]);
    });
    it('round uses half away from zero', async () => {
      assert.deepEqual(await one('print a = round(2.5), b = round(-2.5), c = round(1.005 * 1000) / 1000, d = round(3.14159, 2)'), [3, -3, 1.005, 3.14]);
      // Kusto's examples, negative precision on longs (exact), and values too large to have decimals left.
      assert.deepEqual(await one('print a = round(2.98765, 3), b = round(2.15, 1), c = round(-50.55, -2), d = round(21.5, -1), e = round(1250, -2), f = round(-1250, -2), g = round(1249, -2), h = round(1e307, 2), i = round(1e300, -400), j = tostring(round(9223372036854775005, -1)), k = round(5, 20), l = gettype(round(1250, -2))'), [2.988, 2.2, -100, 20, 1300, -1300, 1200, 1e307, 0, '9223372036854775010', 5, 'long']);
      // A multiple of ten beyond 64 bits is null, not a wrapped value of the other sign.
      assert.deepEqual(await one('print a = round(9223372036854775807, -1), b = round(5000000000000000000, -19), c = round(4999999999999999999, -19), d = round(-9223372036854775808, -1)'), [null, null, 0, null]);
    });
  });

  describe('datetimes and timespans', () => {
    it('text compared with a datetime or timespan is refused with a hint; a literal is read as a datetime, a dynamic value\'s text by its time', async () => {
      // Compared as JSON text, "2026-03-01 11:00:00" > datetime(2026-03-01 10:00) was false.
      for (const [kql, hint] of [
        ['datatable(w:string)["2026-03-01 11:00:00"] | where w > datetime(2026-03-01 10:00)', /todatetime\(x\)/],
        ['datatable(w:string)["2026-03-01 11:00:00"] | where datetime(2026-03-01 10:00) == w', /todatetime\(x\)/],
        ['datatable(w:string)["2026-03-01 11:00:00"] | where w between (datetime(2026-03-01) .. 1d)', /todatetime\(x\)/],
        ['datatable(w:string)["01:00:00"] | where w > 1h', /totimespan\(x\) > 1h/],
        ['datatable(w:string)["2026-03-01"] | where w in (datetime(2026-03-01))', /todatetime\(x\) in \(datetime/],
      ] as const) {
        const e = await runtimeError(kql);
        assert.match(e.message, /cannot compare a (string with a (datetime|timespan)|datetime with a string)/, kql);
        assert.match(e.hint ?? '', hint, kql);
      }
      assert.deepEqual(await rows('datatable(w:string)["2026-03-01 11:00:00", "2026-03-01T11:00:00+05:00"] | where todatetime(w) > datetime(2026-03-01 10:00) | project w'), [['2026-03-01 11:00:00']]);
      assert.deepEqual(await one('print a = datetime(2026-03-01 11:00) > "2026-03-01 10:00", b = "2026-03-01" < datetime(2026-03-02)'), [true, true]);
      // Dynamic text against a datetime: by the time it reads as (06:00Z is before 10:00Z), null when it reads as none.
      assert.deepEqual(
        await rows('datatable(d:dynamic)[dynamic({"t":"2026-03-01T11:00:00Z"}), dynamic({"t":"2026-03-01T11:00:00+05:00"}), dynamic({"t":"soon"})] | project gt = d.t > datetime(2026-03-01 10:00), eq = d.t == datetime(2026-03-01 11:00), lt = datetime(2026-03-01 10:00) < d.t, bt = d.t between (datetime(2026-03-01) .. 1d)'),
        [[true, true, true, true], [false, false, false, true], [null, false, null, null]],
      );
      assert.deepEqual(await one('print t = datetime(2026-01-01), d = dynamic({"t":"2026-01-01", "n":"22"}) | project i = d.t in (t), n = d.t !in (t), o = d.t in (datetime(2026-01-02)), e = d.n == 22, p = d.n in (22), q = d.n !in (22)'), [true, false, false, true, true, false]);
      // A string against numbers written in an `in` list is refused as == refuses it (it was silently
      // false); values of a dynamic array or a subquery compare as with a dynamic value, whatever the rows.
      const e = await runtimeError('datatable(s:string)["4624"] | where s in (4624, 4625)');
      assert.match(e.message, /cannot compare a string with a long using `in`/);
      assert.match(e.hint ?? '', /tolong\(x\) in \(200\), or compare the text: x in \("200"\)/);
      assert.deepEqual(await rows('datatable(name:string)["a", "1", "b"] | where name in (dynamic(["a", 1]))'), [['a'], ['1']]);
      // Nested arrays are flattened into one list (Kusto's `in` reference): `2 in (dynamic([1, [2, 3]]))`
      // is `2 in (1, 2, 3)`, so a make_list of array values works as an indicator list (it was false).
      assert.deepEqual(await one('print a = 2 in (dynamic([1, [2, 3]])), b = 2 !in (dynamic([1, [2, 3]])), c = 4 in (dynamic([[1], [[4]]])), d = "X" in~ (dynamic([["x"]])), e = "a b" has_any (dynamic([["b"]]))'), [true, false, true, true, true]);
      assert.deepEqual(await one('let ips = toscalar(datatable(a:dynamic)[dynamic(["1.1.1.1", "2.2.2.2"]), dynamic(["3.3.3.3"])] | summarize make_list(a)); print hit = "2.2.2.2" in (ips), miss = "4.4.4.4" in (ips)'), [true, false]);
      assert.deepEqual(await rows('datatable(x:long, l:dynamic)[1, dynamic([[2], [[3]]]), 3, dynamic([[2], [[3]]])] | where x in (l) | project x'), [[3]]);
      // A tabular let and a subquery of array values flatten alike.
      assert.deepEqual(await one('let T = datatable(a:dynamic)[dynamic([1, 2]), dynamic([3])]; print a = 1 in (T), b = 1 in (T | project a), c = 4 in (T | project a)'), [true, true, false]);
      assert.deepEqual(await rows('let T = datatable(d:dynamic)[dynamic({"u":"alice"}), dynamic({"u":42})]; datatable(name:string)["alice", "42", "bob"] | where name in (T | project u = d.u)'), [['alice'], ['42']]);
      // ... but a column, a subquery or a tabular let typed long is refused, by its type, whatever its rows.
      for (const kql of ['datatable(s:string, n:long)["1", 1] | where s in (n, 1)', 'let U = datatable(n:long)[10]; datatable(s:string)["10"] | where s in (U | project n)', 'let U = datatable(n:long)[10] | where n > 99; datatable(s:string)["10"] | where s in (U)']) {
        assert.match((await runtimeError(kql)).message, /cannot compare a string with a long using `in`/, kql);
      }
      // A number (of a dynamic value) against text items reads the text as == does (in was false
      // where == was true); a long column against text items is refused as == refuses it.
      assert.deepEqual(
        await rows('datatable(d:dynamic)[dynamic(1), dynamic("1"), dynamic(1.5), dynamic(2)] | project eq = d == "1", i = d in ("1"), ni = d !in ("1"), h = d in ("1.5", "x"), ci = d in~ ("1")'),
        [[true, true, false, false, true], [true, true, false, false, true], [false, false, true, true, false], [false, false, true, false, false]],
      );
      for (const [kql, message] of [
        ['print x = 1 | where x in ("1")', /cannot compare a long with a string using `in`/],
        ['print t = datetime(2026-01-01) | where t in (1h)', /cannot compare a datetime with a timespan using `in`/],
        ['print x = 1.5 | where x !in (datetime(2026-01-01))', /cannot compare a real with a datetime using `!in`/],
      ] as const) assert.match((await runtimeError(kql)).message, message, kql);
      assert.deepEqual(await one('print x = 1.5, t = datetime(2026-01-01) | project a = x in (1, 1.5), b = t in ("2026-01-01")'), [true, true]);
      // Integer text is read exactly (2^60 + 1 is no double).
      assert.deepEqual(await one('print d = dynamic({"t":"1152921504606846977", "u":"9223372036854775808"}) | project a = d.t in (dynamic([1152921504606846976])), b = d.t in (dynamic([1152921504606846977])), c = d.u in (9.223372036854775808e18), e = d.u == 9.223372036854775808e18'), [false, true, true, true]);
      // The hint writes the comparison as it was written.
      assert.match((await runtimeError('datatable(w:string)["01:00:00"] | where 1h < w')).hint ?? '', /1h < totimespan\(x\)/);
    });
    it('bin and the datetime functions refuse text with a hint, read a literal once and a dynamic value\'s text on each row', async () => {
      // bin(when, 1h) over a text column put every row in one empty group; startofday of text was null.
      for (const [kql, message] of [
        ['datatable(w:string)["2026-03-01 11:00:00"] | summarize count() by bin(w, 1h)', /bin\(\) takes a datetime, long, real or timespan as argument 1, not a string/],
        ['datatable(w:string)["2026-03-01 11:00:00"] | extend s = startofday(w)', /startofday\(\) takes a datetime as argument 1, not a string/],
        ['datatable(w:string)["2026-03-01 11:00:00"] | extend s = datetime_diff("hour", w, now())', /datetime_diff\(\) takes a datetime as argument 2, not a string/],
        ['datatable(w:string)["01:00:00"] | extend s = format_timespan(w, "hh")', /format_timespan\(\) takes a timespan as argument 1, not a string/],
        ['print format_datetime(12, "yyyy")', /format_datetime\(\) takes a datetime as argument 1, not a long/],
        ['print hourofday("noon")', /hourofday\(\) reads argument 1 as a datetime, and "noon" is none/],
      ] as const) assert.match((await runtimeError(kql)).message, message, kql);
      assert.match((await runtimeError('datatable(w:string)["x"] | extend s = startofday(w)')).hint ?? '', /startofday\(todatetime\(x\)\)/);
      assert.deepEqual(await one('print a = startofday("2026-03-01T10:17:00Z"), b = hourofday("2026-03-01T10:17:00Z"), c = format_datetime("2026-03-01T10:17:00Z", "yyyy")'), [`dt:${Date.UTC(2026, 2, 1) * 1000}`, 10, '2026']);
      assert.deepEqual(
        await rows('datatable(d:dynamic)[dynamic({"t":"2026-03-01T10:17:00Z"}), dynamic({"t":"soon"})] | project h = hourofday(d.t), s = tostring(startofday(d.t)), b = tostring(bin(d.t, 1h))'),
        [[10, '2026-03-01T00:00:00.0000000Z', '2026-03-01T10:00:00.0000000Z'], [null, '', '']],
      );
      // Binned by a number, a dynamic value is read as one (numeric text too); by a timespan, as a datetime.
      assert.deepEqual(await rows('datatable(d:dynamic)[dynamic({"n":17}), dynamic({"n":"17"}), dynamic({"n":"2.5"})] | project n = bin(d.n, 5), f = floor(d.n, 1), a = bin_at(d.n, 5, 1)'), [[15, 17, 16], [15, 17, 16], [0, 2, 1]]);
      assert.deepEqual((await runTable('datatable(d:dynamic)[dynamic({"t":"2026-03-01T10:17:00Z"})] | project t = bin(d.t, 1h), n = bin(d.t, 1h) + 1h')).schema.map((c) => c.type), ['datetime', 'datetime']);
      // bin_at's origin is read as the kind of what it bins.
      assert.deepEqual(await one('print t = bin_at(datetime(2026-03-01 10:17), 1h, "2026-03-01 00:30"), s = bin_at(95m, 1h, "00:30:00"), n = bin_at(17, 5, 1)'), [`dt:${Date.UTC(2026, 2, 1, 9, 30) * 1000}`, `ts:${90 * 60e6}`, 16]);
      assert.match((await runtimeError('print s = "2026-03-01 00:30" | project bin_at(datetime(2026-03-01 10:17), 1h, s)')).hint ?? '', /bin_at\(…, …, todatetime\(x\)\)/);
      assert.match((await runtimeError('print n = 17, s = "1" | project bin_at(n, 7, s)')).message, /bin_at\(\) bins a long from a long origin, not a string/);
    });
    it('early years are not read as 19xx, day of year and week of year are parts, extra digits are cut', async () => {
      // JavaScript's Date.UTC reads years 0-99 as 1900-1999; Kusto's calendar starts at 0001.
      assert.deepEqual(
        await one('print a = format_datetime(datetime(0050-06-01), "yyyy-MM-dd"), b = format_datetime(bin(datetime(0001-01-08 05:00), 7d), "yyyy-MM-dd HH:mm"), c = format_datetime(datetime_add("month", 1, datetime(0050-01-31)), "yyyy-MM-dd"), d = dayofyear(datetime(0004-12-31)), e = getyear(datetime(0099-12-31))'),
        ['0050-06-01', '0001-01-08 00:00', '0050-02-28', 366, 99],
      );
      // Kusto's documented examples: day of year 303, week of year 44.
      assert.deepEqual(await one('print datetime_part("dayOfYear", datetime(2017-10-30 01:02:03.7654321)), datetime_part("week_of_year", datetime(2017-10-30 01:02:03.7654321))'), [303, 44]);
      // format_timespan follows its format (Kusto's documented example).
      assert.deepEqual(await one('print format_timespan(time(29.09:00:05.12345), "dd.hh:mm:ss [FFF]"), format_timespan(time(01:02:03), "h:mm:ss")'), ['29.09:00:05 [123]', '1:02:03']);
      // Beyond the microsecond digits are cut, in literals and text alike (as when logs are read).
      assert.deepEqual(await one('print todatetime("2026-03-01T12:00:00.123456789Z") == datetime(2026-03-01 12:00:00.123456), datetime(2026-03-01 12:00:00.1234569) == datetime(2026-03-01 12:00:00.123456)'), [true, true]);
    });
    it('datetime minus datetime is a timespan; timespan over timespan is real', async () => {
      assert.deepEqual(await one('print a = datetime(2026-03-02) - datetime(2026-03-01 12:00), b = 1d / 1h, c = 2h * 3, d = 90m % 1h'), [`ts:${12 * 3600e6}`, 24, `ts:${6 * 3600e6}`, `ts:${1800e6}`]);
    });
    it('microseconds are kept through arithmetic and formatting', async () => {
      assert.deepEqual(await one('print a = tostring(datetime(2026-03-01 00:00:00.123456) + 1microsecond), b = format_datetime(datetime(2026-03-01 00:00:00.123456), "HH:mm:ss.ffffff")'), ['2026-03-01T00:00:00.1234570Z', '00:00:00.123456']);
    });
    it('ago and now use the run\'s fixed clock', async () => {
      assert.deepEqual(await one('print a = now(), b = ago(1h), c = now(-1d)'), [`dt:${Date.UTC(2026, 2, 4) * 1000}`, `dt:${Date.UTC(2026, 2, 3, 23) * 1000}`, `dt:${Date.UTC(2026, 2, 3) * 1000}`]);
    });
    it('timespan literals and text forms', async () => {
      assert.deepEqual(await one('print a = tostring(1d + 2h + 3m + 4s + 5ms), b = tostring(time(-0:30)), c = totimespan("1.00:00:01") / 1s'), ['1.02:03:04.0050000', '-00:30:00', 86401]);
    });
    it('calendar functions: startofweek is Sunday, endofday is the last microsecond, dayofweek is a timespan', async () => {
      const t = 'datetime(2026-03-04 15:00)';
      assert.deepEqual(await one(`print a = startofweek(${t}), b = endofday(${t}), c = dayofweek(${t}) / 1d, d = startofmonth(${t}, 1), e = datetime_add('month', 1, datetime(2026-01-31))`), [
        `dt:${Date.UTC(2026, 2, 1) * 1000}`,
        `dt:${Date.UTC(2026, 2, 5) * 1000 - 1}`,
        3,
        `dt:${Date.UTC(2026, 3, 1) * 1000}`,
        // January 31st plus a month is the last day of February.
        `dt:${Date.UTC(2026, 1, 28) * 1000}`,
      ]);
    });
    it('todatetime parses ISO text, with or without zone; bad text is null', async () => {
      assert.deepEqual(await one('print a = todatetime("2026-03-01T10:00:00+02:00"), b = todatetime("2026-03-01 08:00"), c = todatetime("yesterday")'), [`dt:${Date.UTC(2026, 2, 1, 8) * 1000}`, `dt:${Date.UTC(2026, 2, 1, 8) * 1000}`, null]);
    });
    it('todatetime and parse read the same text as a source\'s stamps give: comma fractions, hour offsets, a leap second as the next second', async () => {
      const texts = ['2024-03-10 10:00:00,123', '2024-03-10T10:00:00+02', '2016-12-31T23:59:60Z', '2024-03-10T10:11:60Z', '2024-03-10T10:00:00+19:00', '2024-03-10T10:00:00+01:60', '2024-03-10T10:00:61Z', '2024-03-10 10:00:00 GMT+02:00', '2024-03-10 10:00:00 UTC+2', '2024-03-10 10:00:00 -15', '2024-03-10 10:00:00 -1500', '2024-03-10 10:00:00 UTC+123', '2024-03-10T10:00:00Z+02:00', '2024-03-10 10:00:00 UTC+1234'];
      const reader = new TimeReader({ format: 'iso', zone: UTC, year: 2026 });
      const expected = texts.map((t) => {
        const us = reader.readValue(t);
        return Number.isNaN(us) ? null : `dt:${us}`;
      });
      assert.deepEqual(expected, [`dt:${Date.UTC(2024, 2, 10, 10, 0, 0, 123) * 1000}`, `dt:${Date.UTC(2024, 2, 10, 8) * 1000}`, `dt:${Date.UTC(2017, 0, 1) * 1000}`, `dt:${Date.UTC(2024, 2, 10, 10, 12) * 1000}`, null, null, null, `dt:${Date.UTC(2024, 2, 10, 8) * 1000}`, `dt:${Date.UTC(2024, 2, 10, 8) * 1000}`, null, `dt:${Date.UTC(2024, 2, 11, 1) * 1000}`, null, null, `dt:${Date.UTC(2024, 2, 9, 21, 26) * 1000}`]);
      assert.deepEqual(await one(`print ${texts.map((t, i) => `c${i} = todatetime("${t}")`).join(', ')}`), expected);
      assert.deepEqual(await rows(`datatable(line:string)["at ${texts[0]} in"] | parse line with "at " t:datetime " in" | project t`), [[expected[0]]]);
    });
    it('todatetime reads the RFC 822 and RFC 850 forms Kusto lists, and month/day/year', async () => {
      const at = (y: number, mo: number, d: number, h: number, mi: number, sec = 0) => `dt:${Date.UTC(y, mo - 1, d, h, mi, sec) * 1000}`;
      assert.deepEqual(await one('print a = todatetime("Sat, 8 Nov 14 15:05:02 GMT"), b = todatetime("8 Nov 14 15:05"), c = todatetime("Saturday, 08-Nov-14 15:05:02 GMT"), d = todatetime("08-Nov-14 15:05"), e = todatetime("Sat, 8 Nov 14 15:05:02 +0200"), f = todatetime("Thu, 31 Dec 2015 23:59:59 GMT")'), [
        at(2014, 11, 8, 15, 5, 2), at(2014, 11, 8, 15, 5), at(2014, 11, 8, 15, 5, 2), at(2014, 11, 8, 15, 5), at(2014, 11, 8, 13, 5, 2), at(2015, 12, 31, 23, 59, 59),
      ]);
      // As the log lines of Kusto's parse examples: month first. Two-digit years from 50 are 1950-1999.
      assert.deepEqual(await one('print a = todatetime("02/17/2016 08:40:01"), b = todatetime("2/7/2016"), c = todatetime("17/02/2016 08:40"), d = todatetime("1 Jan 99 00:00")'), [at(2016, 2, 17, 8, 40, 1), at(2016, 2, 7, 0, 0), null, at(1999, 1, 1, 0, 0)]);
    });
    it('a datetime outside Kusto\'s range (years 1 to 9999) is null, as Kusto\'s conversions give', async () => {
      // A nanosecond epoch read as milliseconds, arithmetic past either end, and the datetime_add path.
      assert.deepEqual(await one('print a = isnull(unixtime_milliseconds_todatetime(1546300800000000000)), b = datetime(9999-12-31) + 1d, c = datetime(0001-01-01) - 1d, d = datetime_add("year", 9000, datetime(2020-01-01)), e = datetime(9999-12-31 23:59)'), [true, null, null, null, `dt:${Date.UTC(9999, 11, 31, 23, 59) * 1000}`]);
      assert.deepEqual(await rows('range k from 0 to 1 step 1 | extend t = datetime(9999-12-31) + k * 1d | project t'), [[`dt:${Date.UTC(9999, 11, 31) * 1000}`], [null]]);
      // A zone offset or a start of week can land past either end too.
      assert.deepEqual(await one('print a = todatetime("9999-12-31 23:00 -02:00"), b = todatetime("0001-01-01 00:00 +01:00"), c = startofweek(datetime(0001-01-01)), d = isnull(endofyear(datetime(2020-06-01)))'), [null, null, null, false]);
      // Kusto's last datetime (.NET's MaxValue, a common "never") is kept as the last time a double holds, 32 µs earlier.
      const last = `dt:${Date.UTC(9999, 11, 31, 23, 59, 59) * 1000 + 999_968}`;
      assert.deepEqual(await one('print a = datetime(9999-12-31T23:59:59.9999999), b = todatetime("9999-12-31T23:59:59.9999999Z"), c = todatetime("9999-12-31T23:59:59.9999999Z") == datetime(9999-12-31 23:59:59.9999999), d = tostring(datetime(9999-12-31T23:59:59.9999999))'), [last, last, true, '9999-12-31T23:59:59.9999680Z']);
    });
    it('timespans and datetimes keep whole microseconds: a third of a second prints as Kusto\'s seven digits allow', async () => {
      assert.deepEqual(await one('print a = tostring(1s / 3), b = tostring(1h / 7), c = tostring(-1s / 3), d = tostring(datetime(2020-01-01) + 1s / 3), e = tostring(1.5s * 3), f = 1s / 3 == 333333microseconds'), ['00:00:00.3333330', '00:08:34.2857140', '-00:00:00.3333330', '2020-01-01T00:00:00.3333330Z', '00:00:04.5000000', true]);
      assert.deepEqual(await rows('range k from 1 to 2 step 1 | extend t = 1s / (k + 2) | project s = tostring(t)'), [['00:00:00.3333330'], ['00:00:00.2500000']]);
      // Halves round away from zero, so a negated value rounds to the negated result.
      assert.deepEqual(await one('print a = tostring(1microsecond / 2), b = tostring(-1microsecond / 2), c = tostring(3microsecond / 2)'), ['00:00:00.0000010', '-00:00:00.0000010', '00:00:00.0000020']);
    });
    it('unix time conversions', async () => {
      assert.deepEqual(await one('print a = unixtime_seconds_todatetime(0), b = unixtime_milliseconds_todatetime(1500)'), ['dt:0', 'dt:1500000']);
    });
  });

  describe('dynamic values', () => {
    it('reads properties, indexes, and negative indexes', async () => {
      assert.deepEqual(await one('print d = dynamic({"a": {"b": [10, 20, 30]}}) | project x = d.a.b[0], y = d["a"]["b"][-1], z = d.a.missing, w = d.a.b[5]'), [10, 30, null, null]);
    });
    it('treats __proto__, constructor and prototype as data', async () => {
      const r = await one(`print d = parse_json('{"__proto__": {"polluted": 1}, "constructor": "c"}') | project a = d.__proto__.polluted, b = tostring(d.constructor), c = d.prototype, k = bag_keys(d), t = tostring(d.toString)`);
      assert.deepEqual(r, [1, 'c', null, ['__proto__', 'constructor'], '']);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
    it('JSON integers are whole numbers (int within 32 bits, as gettype reports in Kusto, else long), other numbers real', async () => {
      assert.deepEqual(await one(`print d = parse_json('[1, 1.5, 12345678901234567890, 1e2, 5000000000]') | project a = gettype(d[0]), b = gettype(d[1]), c = gettype(d[2]), e = gettype(d[3]), g = gettype(d[4]), f = tolong(d[0]) + 1`), ['int', 'real', 'real', 'real', 'long', 2]);
      // Kusto's documented examples: a long literal is long, a JSON 1 is int.
      assert.deepEqual(await one(`print a = gettype(111), b = gettype(parse_json('1')), c = gettype(parse_json(' [1, 2, 3] ')), d = gettype(123.45)`), ['long', 'int', 'array', 'real']);
    });
    it('parse_json keeps an integer beyond 64 bits exact, as a source read does, and it computes as a real', async () => {
      // It became a double (1.2345678901234568e+22) and lost its digits.
      const t = await runTable(`print d = parse_json('{"a": 12345678901234567890123, "b": -9223372036854775809}') | project a = d.a, b = d.b, t = gettype(d.a), r = d.a + 1, l = tolong(d.b)`);
      assert.deepEqual(t.columns.map((c) => c.get(0)), [12345678901234567890123n, -9223372036854775809n, 'real', 1.2345678901234568e22, null]);
    });
    it('parse_json reads a number of any length (a padded number made the whole text unreadable, hiding its fields)', async () => {
      const digits = '1'.repeat(401);
      assert.deepEqual(await one(`print d = parse_json('{"user": "evil", "pad": ${digits}}') | project u = tostring(d.user), t = gettype(d)`), ['evil', 'dictionary']);
    });
    it('parse_json keeps invalid JSON as a string', async () => {
      assert.deepEqual(await one(`print a = gettype(parse_json("{oops")), b = gettype(parse_json('{"x":1}')), c = gettype(parse_json("[]"))`), ['string', 'dictionary', 'array']);
    });
    it('parse_json of empty text is null, as Kusto documents', async () => {
      assert.deepEqual(await one(`print a = isnull(parse_json("")), b = gettype(parse_json("")), c = isnull(todynamic(""))`), [true, 'null', true]);
    });
    it('pack, pack_array, bag_keys, array_length, set_has_element and array_index_of', async () => {
      assert.deepEqual(await one('print p = pack("a", 1, "b", "x"), arr = pack_array(1, "two", 3.0), n = array_length(dynamic([1, 2, 3])), h = set_has_element(dynamic(["a", "b"]), "b"), i = array_index_of(dynamic([5, 6, 7]), 7)'), [{ a: 1, b: 'x' }, [1, 'two', 3], 3, true, 2]);
    });
    it('compares dynamic scalars with typed values', async () => {
      assert.deepEqual(await one('print d = dynamic({"n": 5, "s": "x"}) | project a = d.n > 4, b = d.n == 5, c = d.s == "x", e = d.n + 1'), [true, true, true, 6]);
    });
    it('JSON strings in string columns are read with property access', async () => {
      assert.deepEqual(await one(`datatable(raw:string)['{"user": "bob"}'] | project u = tostring(raw.user)`), ['bob']);
    });
  });

  describe('joins', () => {
    it('a long key joins and groups with a real of the same value beyond 2^53 too', async () => {
      // A whole real above 2^53 hashed as a number while the long hashed as a bigint: no match.
      assert.deepEqual(
        await rows('datatable(id:long, v:string)[9007199254740992, "a", 4611686018427387904, "b", 9007199254740993, "c"] | join kind=inner (datatable(id:real, w:string)[9007199254740992.0, "x", 4611686018427387904.0, "y"]) on id | project v, w'),
        [['a', 'x'], ['b', 'y']],
      );
      assert.deepEqual(await rows('datatable(v:dynamic)[dynamic(9007199254740992), dynamic(9007199254740992.0), dynamic(1), dynamic(1.0)] | summarize count() by tostring(v) | project count_'), [[2], [2]]);
    });
    const left = 'datatable(k:string, l:long)["a", 1, "a", 2, "b", 3, "c", 4]';
    const right = 'datatable(k:string, r:long)["a", 10, "a", 20, "b", 30, "d", 40]';
    it('default join is innerunique: the left side is deduplicated on the key (first row kept)', async () => {
      // Left "a" rows 1 and 2 collapse to the first (l=1), which matches both right "a" rows.
      assert.deepEqual(await rows(`${left} | join (${right}) on k | project k, l, r`), [
        ['a', 1, 10],
        ['a', 1, 20],
        ['b', 3, 30],
      ]);
    });
    it('a filter on the left columns after an innerunique join runs before the deduplication, as Kusto documents', async () => {
      // Kusto's example: `where value == "val1.2"` always gives the val1.2 rows, never none.
      const t1 = 'datatable(key: long, value: string)[1, "val1.1", 1, "val1.2"]';
      const t2 = 'datatable(key: long, value: string)[1, "val1.3", 1, "val1.4"]';
      assert.deepEqual(await rows(`${t1} | join kind=innerunique (${t2}) on key | where value == "val1.2"`), [[1, 'val1.2', 1, 'val1.3'], [1, 'val1.2', 1, 'val1.4']]);
      assert.deepEqual(await rows(`${left} | join (${right}) on k | where l == 2 and r > 15 | project k, l, r`), [['a', 2, 20]]);
      // A condition on a right column (value1), also by column_ifexists, stays after the join.
      assert.deepEqual(await rows(`${t1} | join (${t2}) on key | where value1 == "val1.4" | project value`), [['val1.1']]);
      assert.deepEqual(await rows(`${t1} | join (${t2}) on key | where column_ifexists("value1", "") == "val1.3" | project value`), [['val1.1']]);
      assert.deepEqual(await rows(`${t1} | join (${t2}) on key | where column_ifexists("value", "") == "val1.2" | project value1`), [['val1.3'], ['val1.4']]);
    });
    it('inner join keeps every pair', async () => {
      assert.equal((await rows(`${left} | join kind=inner (${right}) on k`)).length, 5);
    });
    it('duplicate column names get a numeric suffix', async () => {
      assert.deepEqual(await names(`${left} | join kind=inner (${right} | extend l = 0) on k`), ['k', 'l', 'k1', 'r', 'l1']);
    });
    it('leftouter keeps unmatched left rows with nulls; anti and semi kinds keep one side', async () => {
      assert.deepEqual(await rows(`${left} | join kind=leftouter (${right}) on k | where k == "c" | project k, l, r`), [['c', 4, null]]);
      assert.deepEqual(await rows(`${left} | join kind=leftanti (${right}) on k | project k`), [['c']]);
      assert.deepEqual(await rows(`${left} | join kind=rightanti (${right}) on k | project k`), [['d']]);
      assert.deepEqual(await rows(`${left} | join kind=leftsemi (${right}) on k | project l`), [[1], [2], [3]]);
      assert.deepEqual(await names(`${left} | join kind=rightsemi (${right}) on k`), ['k', 'r']);
    });
    it('lookup adds right columns without the key', async () => {
      assert.deepEqual(await rows(`${left} | lookup (${right} | where r != 20) on k | project k, l, r`), [
        ['a', 1, 10],
        ['a', 2, 10],
        ['b', 3, 30],
        ['c', 4, null],
      ]);
    });
    it('null keys never match', async () => {
      assert.deepEqual(await rows('datatable(k:long)[long(null), 1] | join kind=inner (datatable(k:long)[long(null), 1]) on k | project k'), [[1]]);
    });
    it('rejects keys of different types with a hint', async () => {
      const e = await runtimeError('datatable(k:long)[1] | join (datatable(k:string)["1"]) on k');
      assert.match(e.message, /different types/);
      assert.match(e.hint ?? '', /tolong/);
    });
  });

  describe('union', () => {
    it('isfuzzy=true leaves out tables that do not exist, with a warning, and fails only when none does', async () => {
      const r = await run('union isfuzzy=true Signins, NoSuchTable, (NoSuchTable2 | take 1) | count');
      assert.deepEqual(tableRows(r.table!), await rows('Signins | count'));
      assert.deepEqual(r.warnings.filter((w) => w.includes('isfuzzy')), ['union isfuzzy=true left out `NoSuchTable`: no such table', 'union isfuzzy=true left out `NoSuchTable2`: no such table']);
      assert.match((await runtimeError('union isfuzzy=true Nope1, Nope2')).message, /found none of its tables/);
      assert.match((await runtimeError('union isfuzzy=false Signins, Nope1')).message, /unknown table `Nope1`/);
      // Without isfuzzy, a wildcard that matches no table is an empty union, as before.
      assert.equal((await runTable('union Zz*')).rowCount, 0);
      assert.throws(() => parseQuery('union isfuzzy=maybe Signins'), /isfuzzy takes true or false/);
      // For the notebook's dependency graph, a fuzzy table is a name to use when it exists, not one required.
      const a = analyzeQuery(parseQuery('Signins | union isfuzzy=true Other, (Third | take 1)'));
      assert.deepEqual([a.uses, a.references], [['Signins'], ['Other', 'Third']]);
    });
    it('outer union fills missing columns with nulls and splits conflicting types', async () => {
      const t = await runTable('union (datatable(a:long, b:string)[1, "x"]), (datatable(a:string, c:real)["y", 2.5])');
      assert.deepEqual(t.schema.map((c) => `${c.name}:${c.type}`), ['a_long:long', 'a_string:string', 'b:string', 'c:real']);
      assert.deepEqual(tableRows(t), [
        [1, '', 'x', null],
        [null, 'y', '', 2.5],
      ]);
    });
    it('a type-suffixed name that an input already has takes a numeric suffix, so no input loses its values', async () => {
      // Kusto's documented example: input 1's `x` becomes `x_long1` because input 3 has `x_long`.
      const t = await runTable('let V1 = datatable(x:long)[1]; let V2 = datatable(x:string)["s"]; let V3 = datatable(x_long:long)[3]; union withsource=TableName V1, V2, V3');
      assert.deepEqual(t.schema.map((c) => `${c.name}:${c.type}`), ['TableName:string', 'x_long1:long', 'x_string:string', 'x_long:long']);
      assert.deepEqual(tableRows(t), [
        ['V1', 1, '', null],
        ['V2', null, 's', null],
        ['V3', null, '', 3],
      ]);
      // withsource= naming a column: the column gives way.
      const u = await runTable('let A = datatable(x:long)[1]; union withsource=x A');
      assert.deepEqual(u.schema.map((c) => c.name), ['x', 'x1']);
      assert.deepEqual(tableRows(u), [['A', 1]]);
    });
    it('inner union keeps common columns; withsource names the input', async () => {
      const t = await runTable('let A = datatable(a:long, b:long)[1, 2]; let B = datatable(a:long)[3]; union kind=inner withsource=T A, B');
      assert.deepEqual(t.schema.map((c) => c.name), ['T', 'a']);
      assert.deepEqual(tableRows(t), [['A', 1], ['B', 3]]);
    });
    it('wildcards expand over known tables', async () => {
      const t = await runTable('union withsource=T Sign*, Aud* | summarize count() by T | sort by T asc');
      assert.deepEqual(tableRows(t).map((r) => r[0]), ['Audit', 'Signins']);
    });
  });

  describe('mv-expand', () => {
    it('with_itemindex naming a column the table has is an error, not a second column of that name', async () => {
      const e = await runtimeError('datatable(k:long, d:dynamic)[7, dynamic(["a","b"])] | mv-expand with_itemindex=k d');
      assert.match(e.message, /with_itemindex would create two columns named `k`/);
      assert.deepEqual(await rows('datatable(k:long, d:dynamic)[7, dynamic(["a","b"])] | mv-expand with_itemindex=i d'), [[7, 'a', 0], [7, 'b', 1]]);
    });
    it('expands arrays; null gives one row; an empty array gives none', async () => {
      const r = await rows('datatable(id:long, d:dynamic)[1, dynamic([1, 2]), 2, dynamic(null), 3, dynamic([])] | mv-expand d | project id, d');
      assert.deepEqual(r, [[1, 1], [1, 2], [2, null]]);
    });
    it('expands bags as single-key bags or key/value pairs', async () => {
      assert.deepEqual(await rows('print d = dynamic({"a": 1, "b": 2}) | mv-expand d'), [[{ a: 1 }], [{ b: 2 }]]);
      assert.deepEqual(await rows('print d = dynamic({"a": 1, "b": 2}) | mv-expand kind=array d'), [[['a', 1]], [['b', 2]]]);
    });
    it('expands several columns in parallel, padding with nulls, with an item index', async () => {
      const r = await rows('print a = dynamic([1, 2, 3]), b = dynamic(["x"]) | mv-expand with_itemindex=i a, b');
      assert.deepEqual(r, [[1, 'x', 0], [2, null, 1], [3, null, 2]]);
    });
    it('the deprecated mvexpand expands at most 128 items a row unless given a limit, as Kusto documents, and says so', async () => {
      const list = 'range x from 1 to 200 step 1 | summarize l = make_list(x)';
      const legacy = await run(`${list} | mvexpand l | count`);
      assert.deepEqual(tableRows(legacy.table!), [[128]]);
      assert.deepEqual(legacy.warnings, ['mvexpand expanded at most 128 items of 1 row(s), the default limit of the deprecated name (as Kusto); write mv-expand, or mvexpand ... limit N']);
      const limited = await run(`${list} | mvexpand l limit 150 | count`);
      assert.deepEqual([tableRows(limited.table!), limited.warnings], [[[150]], []]);
      assert.deepEqual(await rows(`${list} | mv-expand l | count`), [[200]]);
    });
    it('to typeof() casts and nulls elements of other types; limit caps rows per input row', async () => {
      const t = await runTable('print d = dynamic([1, "2", 3]) | mv-expand n = d to typeof(long) limit 2 | project n');
      assert.equal(t.schema[0].type, 'long');
      assert.deepEqual(tableRows(t), [[1], [null]]);
    });
  });

  describe('deprecated names and literal forms Kusto documents', () => {
    it('takes the deprecated function names', async () => {
      const r = await one('print a = parsejson("[1]"), b = extractall(@"(\\d)", "a1b2"), c = tostring(parseurl("http://h/p").Host), d = arraylength(dynamic([1, 2])), e = todate("2026-01-01"), f = totime("1:00:00")');
      assert.deepEqual(r, [[1], ['1', '2'], 'h', 2, `dt:${Date.UTC(2026, 0, 1) * 1000}`, 'ts:3600000000']);
    });
    it('makelist and makeset keep their documented default of 128 items; make_list and make_set do not', async () => {
      const r = await run('range x from 1 to 200 step 1 | summarize a = array_length(makelist(x)), b = array_length(makeset(x)), c = array_length(make_list(x)), d = array_length(makelist(x, 150))');
      assert.deepEqual(tableRows(r.table!), [[128, 128, 200, 150]]);
      assert.ok(r.warnings.includes('makelist() reached its limit of 128 items for at least one group; extra values were dropped'), r.warnings.join('\n'));
    });
    it('reads hexadecimal typed long literals, and guid(null) as the empty string', async () => {
      assert.deepEqual(await one('print a = long(0xf), b = int(0x10), c = long(-0xFF), g = guid(null), e = isempty(guid(null))'), [15, 16, -255, '', true]);
      assert.throws(() => parseQuery('print a = long(0x8000000000000000)'), (e: Error) => e instanceof QuerySyntaxError && /does not fit in 64 bits/.test(e.message));
    });
  });

  describe('parse', () => {
    it('kind=regex captures typed columns with their type pattern (the docs example gives host and port)', async () => {
      assert.deepEqual(await one('print s = "a=1 b=2" | parse kind=regex s with "a=" A:long | project A'), [1]);
      assert.deepEqual(await one('print c = "https://evil.example:8080/payload.sh" | parse kind=regex flags=i c with @"https?://" Host @":" Port:long | project Host, Port'), ['evil.example', 8080]);
    });
    it('simple patterns extract typed columns; rows that do not match get empty values', async () => {
      const r = await rows('ProcessEvents | parse CommandLine with * "user=" User " id=" Id:long | project Host, User, Id');
      assert.deepEqual(r.slice(0, 3), [['ws-carol', 'carol', 4411], ['ws-carol', 'carol', 4412], ['ws-carol', 'carol', 4413]]);
      // "id=notanumber" does not convert to long, so the whole pattern fails for that row.
      const certutil = r.find((x) => x[0] === 'srv-01' && x[1] === '');
      assert.ok(certutil && certutil[2] === null);
      // No " id=" in the teams.exe line at all.
      assert.deepEqual(r[r.length - 1], ['ws-bob', '', null]);
    });
    it('relaxed reads a typed column before a `*` and skips one that does not look like its type', async () => {
      // As the docs example of relaxed mode: sliceNumber (long) is followed by `*`, totalSlices is not a number.
      const r = await rows('datatable(s:string)["x=27, y=5, z", "x=oops, y=6, z"] | parse kind=relaxed s with "x=" a:long ", y=" b:long * | project a, b');
      assert.deepEqual(r, [[27, 5], [null, 6]]);
    });
    it('relaxed keeps the values that do convert', async () => {
      const r = await rows('ProcessEvents | where Image == "certutil.exe" | parse kind=relaxed CommandLine with * "user=" User:string " id=" Id:long | project User, Id');
      assert.deepEqual(r, [['SYSTEM', null]]);
    });
    it('regex kind uses the text parts as regular expressions, greedy unless flags=U', async () => {
      // Kusto's regex mode is greedy ("the default mode is greedy"; `U` makes it ungreedy): the last
      // column runs to the last whitespace of the command line (before "id=11").
      const r = await rows('ProcessEvents | where Image == "curl.exe" | parse kind=regex CommandLine with @"https?://" Host @":" Port:long "/" Path @"\\s"| project Host, Port, Path');
      assert.deepEqual(r, [['203.0.113.7', 8080, 'payload.bin -o C:\\ProgramData\\p.bin user=SYSTEM']]);
      const lazy = await rows('ProcessEvents | where Image == "curl.exe" | parse kind=regex flags=U CommandLine with @"https?://" Host @":" Port:long "/" Path @"\\s"| project Host, Port, Path');
      assert.deepEqual(lazy, [['203.0.113.7', 8080, 'payload.bin']]);
    });
    it('regex kind: groups inside text parts do not shift the columns; `.` crosses lines only with flags=s', async () => {
      assert.deepEqual(await one('print s = "id=abc num=42" | parse kind=regex s with "(i)d=" a " num=" b:long | project a, b'), ['abc', 42]);
      assert.deepEqual(await one('print s = "Event (resourceName=Pipeline, totalSlices=27, sliceNumber=23, lockTime=x)" | parse kind=regex s with "(.*?)[a-zA-Z]*=" name @", totalSlices=\\s*\\d+\\s*.*?sliceNumber=" slice:long ".*?(previous)?lockTime=" lock @"\\)" | project name, slice, lock'), ['Pipeline', 23, 'x']);
      assert.deepEqual(await one('print s = "line1\\nid=abc, x" | parse kind=regex s with "line1.id=" a "," | project a'), ['']);
      assert.deepEqual(await one('print s = "line1\\nid=abc, x" | parse kind=regex flags=s s with "line1.id=" a "," | project a'), ['abc']);
    });
    it('the docs example of flags: greedy by default, U for the shortest match, i for any case', async () => {
      const text = 'Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)';
      assert.deepEqual(await one(`print s = "${text}" | parse kind=regex s with * "resourceName=" r ',' * | project r`), ['PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01']);
      assert.deepEqual(await one(`print s = "${text}" | parse kind=regex flags=Ui s with * "RESOURCENAME=" r ',' * | project r`), ['PipelineScheduler']);
    });
    it('flags=U makes text and string columns lazy, never a typed column (N:long took 1 of 123)', async () => {
      // A typed column with nothing after it to stop at: lazily, one digit would do.
      assert.deepEqual(await one('print s = "n=123" | parse kind=regex flags=U s with "n=" n:long | project n'), [123]);
      assert.deepEqual(await one('print s = "r=45.67;" | parse kind=regex flags=U s with "r=" r:real | project r'), [45.67]);
    });
    it('`*` right after a string column is an error (Kusto: "can\'t be used after string column"): the column was always empty', async () => {
      for (const kind of ['', 'kind=regex ', 'kind=relaxed ']) {
        const e = await runtimeError(`print s = "a=hello world" | parse ${kind}s with "a=" A *`);
        assert.match(e.message, /`\*` cannot follow the string column `A` in a parse pattern: nothing says where one ends/, kind);
        assert.match(e.hint ?? '', /A " " \*/, kind);
      }
      assert.deepEqual(await one('print s = "a=hello world" | parse s with "a=" A " " * | project A'), ['hello']);
      assert.deepEqual(await one('print s = "a=7 world" | parse s with "a=" A:long * | project A'), [7]);
    });
    it('the last column takes the rest of the text', async () => {
      assert.deepEqual(await one('print s = "k=v and more" | parse s with "k=" v | project v'), ['v and more']);
    });
  });

  describe('naming and shape', () => {
    it('take, top and mv-expand limit count whole rows: a fraction or text is an error (take 1.5 took one row, take "2" two)', async () => {
      for (const [q, message, hint] of [
        ['range x from 1 to 5 step 1 | take 1.5', /take needs a whole number of rows, not 1.5/, /take 2/],
        ['range x from 1 to 5 step 1 | take "2"', /take needs a non-negative whole number/, /without quotes: take 2/],
        ['range x from 1 to 5 step 1 | top 2.5 by x', /top needs a whole number of rows/, /top 3/],
        ['range x from 1 to 5 step 1 | limit -1', /take needs a non-negative whole number/, /^$/],
      ] as const) {
        const e = await runtimeError(q);
        assert.match(e.message, message, q);
        assert.match(e.hint ?? '', hint, q);
      }
      assert.deepEqual(await rows('let n = 1e1; range x from 1 to 20 step 1 | take n | count'), [[10]]);
    });
    it('project-rename of one column to two names is an error (the second silently replaced the first)', async () => {
      const e = await runtimeError('datatable(a:long, b:long)[1, 2] | project-rename x = a, y = a');
      assert.match(e.message, /project-rename renames `a` twice/);
      assert.deepEqual(await names('datatable(a:long, b:long)[1, 2] | project-rename x = a, y = b'), ['x', 'y']);
    });
    it('a conditional aggregate needs a bool condition, as where does', async () => {
      // countif(v) counted the non-zero values; countif(s) the strings that read as true.
      for (const agg of ['countif(v)', 'sumif(v, v)', 'dcountif(v, v)', 'avgif(v, s)', 'make_list_if(v, s)', 'maxif(v, v)']) {
        const e = await runtimeError(`datatable(v:long, s:string)[0, "true", 1, "false", 2, ""] | summarize ${agg}`);
        assert.match(e.message, /needs a bool condition; this one is (long|string)/, agg);
      }
      assert.deepEqual(await one('datatable(v:long, d:dynamic)[0, true, 1, false, 2, true] | summarize countif(v > 0), countif(d), sumif(v, d)'), [2, 2, 2]);
    });
    it('a name next to an aggregate that is not a by key is explained in the user\'s terms', async () => {
      const e = await runtimeError('datatable(v:long)[1, 2] | summarize r = count() + v');
      assert.match(e.message, /`v` is neither an aggregate nor a `by` key here/);
      assert.match(e.hint ?? '', /take_any\(v\), or add v to by/);
      const typo = await runtimeError('datatable(v:long)[1, 2] | summarize r = count() + vv by w = v % 2');
      assert.match(typo.message, /unknown column or name `vv`/);
      assert.doesNotMatch(typo.hint ?? '', /agg/);
      assert.deepEqual(await rows('datatable(v:long)[1, 2, 3] | summarize r = count() + w by w = v % 2'), [[1, 3], [0, 1]]);
    });
    it('follows Kusto column naming for aggregates and keys', async () => {
      assert.deepEqual(await names('Signins | summarize count(), dcount(IPAddress), sum(LatencyMs), avg(RiskScore), make_set(Country), make_list(AppDisplayName), countif(ResultType == 0), percentile(LatencyMs, 95) by bin(TimeGenerated, 1h), DeviceDetail.browser'), [
        'TimeGenerated', 'DeviceDetail_browser', 'count_', 'dcount_IPAddress', 'sum_LatencyMs', 'avg_RiskScore', 'set_Country', 'list_AppDisplayName', 'countif_', 'percentile_LatencyMs_95',
      ]);
    });
    it('conversions and parsers are named after their argument, as Kusto names them (`summarize count() by tostring(d.x)` gives d_x)', async () => {
      assert.deepEqual(await names('Signins | summarize count(), dcount(tostring(DeviceDetail)) by tostring(DeviceDetail.browser), todatetime(format_datetime(TimeGenerated, "yyyy-MM-dd"))'), [
        'DeviceDetail_browser', 'TimeGenerated', 'count_', 'dcount_DeviceDetail',
      ]);
      assert.deepEqual(await names('print d = dynamic({"x": {"y": 1}}), s = "2" | extend tolong(d.x.y), todouble(s), parse_json(tostring(d.x)), toupper(s)'), ['d', 's', 'd_x_y', 'd_x', 'Column1']);
      // The name can then be used, as queries written for Kusto do.
      assert.deepEqual(await rows('print d = dynamic({"x": "a"}) | summarize n = count() by tostring(d.x) | where d_x == "a" | project n'), [[1]]);
    });
    it('arg_max, arg_min, take_any and any name their columns as Kusto does', async () => {
      const T = 'datatable(id:long, a:string, v:long)[1, "x", 10, 1, "y", 20, 2, "zz", 30]';
      assert.deepEqual(await names(`${T} | summarize arg_max(v, strlen(a))`), ['v', 'max_v_arg1']);
      assert.deepEqual(await names(`${T} | summarize arg_min(tolong(v), a, strlen(a))`), ['v', 'a', 'min_v_arg2']);
      // A column asked for again, or a `by` key asked for, comes again with a number.
      assert.deepEqual(await names(`${T} | summarize arg_max(v, v)`), ['v', 'v1']);
      assert.deepEqual(await rows(`${T} | summarize arg_max(v, id, a) by id`), [[1, 20, 1, 'y'], [2, 30, 2, 'zz']]);
      assert.deepEqual(await names(`${T} | summarize arg_max(v, id, a) by id`), ['id', 'v', 'id1', 'a']);
      // With `*`, a column comes once.
      assert.deepEqual(await names(`${T} | summarize arg_max(v, a, *) by id`), ['id', 'v', 'a']);
      assert.deepEqual(await names(`${T} | summarize take_any(strlen(a))`), ['any_arg0']);
      assert.deepEqual(await names(`${T} | summarize take_any(a, strlen(a), *)`), ['a', 'any_arg1', 'id', 'v']);
      assert.deepEqual(await names(`${T} | summarize any(a)`), ['any_a']);
      assert.deepEqual(await names(`${T} | summarize any(a, v)`), ['a', 'v']);
    });
    it('project numbers a name inferred twice (x, x1), as Kusto does, and refuses a name given or a column listed twice', async () => {
      assert.deepEqual(await names('print x = 5 | project x, tostring(x)'), ['x', 'x1']);
      assert.deepEqual(await names('print d = dynamic({"a": 1}) | project d, tostring(d.a), tolong(d.a)'), ['d', 'd_a', 'd_a1']);
      assert.match((await runtimeError('print x = 5, v = 1 | project x = v, x = 2')).message, /column `x` appears twice in project/);
      assert.match((await runtimeError('print x = 5 | project x, x')).message, /column `x` appears twice in project/);
    });
    it('arg_max(t, *) returns the whole row without duplicating keys', async () => {
      const t = await runTable('Audit | summarize arg_max(TimeGenerated, *) by InitiatedBy | where InitiatedBy == "carol@contoso.com"');
      assert.deepEqual(t.schema.map((c) => c.name), ['InitiatedBy', 'TimeGenerated', 'OperationName', 'TargetUser', 'Result', 'AdditionalDetails']);
      // carol's audit rows end with an "Update user" on 2026-03-03 05:28 (see audit.jsonl).
      assert.equal(t.columns[2].get(0), 'Update user');
      assert.equal(t.columns[3].get(0), 'heidi@contoso.com');
    });
    it('arg_max over a group whose values are all null gives its first row, as Kusto\'s example shows', async () => {
      const r = await rows('datatable(Fruit: string, Color: string, Version: int) ["Apple", "Red", 1, "Apple", "Green", int(null), "Banana", "Yellow", int(null), "Banana", "Green", int(null), "Pear", "Brown", 1, "Pear", "Green", 2] | summarize arg_max(Version, *) by Fruit');
      assert.deepEqual(r, [['Apple', 1, 'Red'], ['Banana', null, 'Yellow'], ['Pear', 2, 'Green']]);
      assert.deepEqual(await rows('datatable(k:string, v:long, w:string)["a", long(null), "first", "a", long(null), "second"] | summarize arg_min(v, w) by k'), [['a', null, 'first']]);
    });
    it('a named arg_max(x, *) leaves x out of the columns `*` brings', async () => {
      assert.deepEqual(await names('datatable(x:long, y:string)[1, "a", 3, "b"] | summarize m = arg_max(x, *)'), ['m', 'y']);
      assert.deepEqual(await names('datatable(x:long)[] | summarize arg_max_x = arg_max(x, *), arg_min_x = arg_min(x, *)'), ['arg_max_x', 'arg_min_x']);
    });
    it('count(x) counts rows, nulls included, and is named count_x, as Kusto documents', async () => {
      const q = 'range x from 1 to 2 step 1 | extend y = iff(x == 1, real(null), real(5))';
      assert.deepEqual(await names(`${q} | summarize count(y)`), ['count_y']);
      assert.deepEqual(await rows(`${q} | summarize count(y), count(), countif(isnotnull(y))`), [[2, 2, 1]]);
    });
    it('make_set gathers the elements of array values, as Kusto\'s example shows; make_list keeps the arrays', async () => {
      const r = await one("datatable (Val: int, Arr1: dynamic) [1, dynamic(['A1', 'A2', 'A3']), 5, dynamic(['A2', 'C1']), 7, dynamic(['C2', 'A3']), 5, dynamic(['C2', 'A1'])] | summarize Val_set = make_set(Val), Arr1_set = make_set(Arr1), Arr1_list = make_list(Arr1)");
      assert.deepEqual(r, [[1, 5, 7], ['A1', 'A2', 'A3', 'C1', 'C2'], [['A1', 'A2', 'A3'], ['A2', 'C1'], ['C2', 'A3'], ['C2', 'A1']]]);
    });
    it('result types are precise', async () => {
      const t = await runTable('Signins | summarize c = count(), a = avg(LatencyMs), s = sum(LatencyMs), t = max(TimeGenerated), d = dcount(Country) by b = bin(TimeGenerated, 1d) | extend r = s / 2.0, q = s / 2');
      assert.deepEqual(t.schema.map((c) => c.type), ['datetime', 'long', 'real', 'long', 'datetime', 'long', 'real', 'long']);
    });
    it('unnamed expressions are Column1, Column2; extend replaces an existing column in place', async () => {
      assert.deepEqual(await names('print x = 1 | extend x + 1, x * 2'), ['x', 'Column1', 'Column2']);
      assert.deepEqual(await rows('print a = 1, b = 2 | extend a = "now text"'), [['now text', 2]]);
    });
    it('project-away, project-keep, project-rename and project-reorder with wildcards', async () => {
      assert.deepEqual(await names('Signins | project-away Device*, Tags, Risk*'), ['TimeGenerated', 'UserPrincipalName', 'IPAddress', 'ResultType', 'ResultDescription', 'AppDisplayName', 'Country', 'LatencyMs']);
      assert.deepEqual(await names('Signins | project-keep *Name, IP*'), ['UserPrincipalName', 'IPAddress', 'AppDisplayName']);
      assert.deepEqual(await names('Audit | project-rename When = TimeGenerated, Who = InitiatedBy'), ['When', 'OperationName', 'Who', 'TargetUser', 'Result', 'AdditionalDetails']);
      assert.deepEqual(await names('Audit | project-reorder Result, Target*'), ['Result', 'TargetUser', 'TimeGenerated', 'OperationName', 'InitiatedBy', 'AdditionalDetails']);
      // asc/desc order a pattern's columns by name (Kusto's example); without, they keep the input's order.
      assert.deepEqual(await names("print b = 'b', a2 = 'a2', a3 = 'a3', a1 = 'a1' | project-reorder a* asc"), ['a1', 'a2', 'a3', 'b']);
      assert.deepEqual(await names("print b = 'b', a2 = 'a2', a3 = 'a3', a1 = 'a1' | project-reorder a* desc"), ['a3', 'a2', 'a1', 'b']);
      assert.deepEqual(await names("print b = 'b', a2 = 'a2', a3 = 'a3', a1 = 'a1' | project-reorder a*"), ['a2', 'a3', 'a1', 'b']);
    });
    it('getschema describes columns', async () => {
      assert.deepEqual(await rows('Audit | getschema | project ColumnName, ColumnType | take 2'), [['TimeGenerated', 'datetime'], ['OperationName', 'string']]);
    });
    it('make_set honours its size argument and make_list keeps order', async () => {
      assert.deepEqual(await one('range i from 1 to 10 step 1 | summarize s = make_set(i % 4, 2), l = make_list(i, 3)'), [[1, 2], [1, 2, 3]]);
    });
    it('take_any picks a non-empty value', async () => {
      assert.deepEqual(await one('datatable(k:long, v:string)[1, "", 1, "x"] | summarize take_any(v) by k | project v'), ['x']);
    });
  });

  describe('statements, functions and subqueries', () => {
    it('scalar lets, tabular lets and in with a let', async () => {
      const r = await rows('let threshold = 8; let Spray = Signins | where ResultType != 0 | summarize n = dcount(UserPrincipalName) by IPAddress | where n >= threshold; Signins | where IPAddress in (Spray) | summarize count()');
      // 198.51.100.23 failed against all eight users; it has eight sign-ins.
      assert.deepEqual(r, [[8]]);
    });
    it('in with a single-column subquery', async () => {
      assert.deepEqual(await one('Signins | where UserPrincipalName in (Audit | where OperationName == "Reset password" | project TargetUser) | summarize dcount(UserPrincipalName)'), [2]);
    });
    it('user functions: scalar bodies, defaults and tabular bodies', async () => {
      assert.deepEqual(await one('let twice = (x:long) { x * 2 }; let shift = (x:long, by:long = 10) { x + by }; print a = twice(4), b = shift(1), c = shift(1, 2)'), [8, 11, 3]);
      const direct = await one('Signins | where UserPrincipalName == "carol@contoso.com" and ResultType != 0 | count');
      assert.ok((direct[0] as number) >= 8); // the brute-force burst alone has eight failures
      assert.deepEqual(await one('let failuresFor = (u:string, min:long = 0) { Signins | where UserPrincipalName == u and ResultType != 0 | count }; failuresFor("carol@contoso.com")'), direct);
    });
    it('functions with tabular parameters and invoke', async () => {
      assert.deepEqual(await one('let countOf = (T:(*), min:long) { T | where LatencyMs >= min | count }; countOf(Signins, 0)'), await one('Signins | where isnotnull(LatencyMs) | count'));
      assert.deepEqual(await one('let onlyFailures = (T:(*)) { T | where ResultType != 0 }; Signins | invoke onlyFailures() | summarize dcount(IPAddress) | project x = dcount_IPAddress > 0'), [true]);
    });
    it('toscalar brings a value from a subquery', async () => {
      const [latest] = await one('Signins | summarize max(TimeGenerated)');
      assert.deepEqual(await one('let last = toscalar(Signins | summarize max(TimeGenerated)); print d = last'), [latest]);
      assert.deepEqual(await one('let last = toscalar(Signins | summarize max(TimeGenerated)); Signins | where TimeGenerated == last | count'), [1]);
    });
    it('as names the piped table for later use', async () => {
      assert.deepEqual(await one('datatable(x:long)[1, 2] | as T | join kind=inner (T | extend y = x * 10) on x | summarize sum(y)'), [30]);
    });
    it('render records the chart request', async () => {
      const r = await run('Signins | summarize count() by bin(TimeGenerated, 1h) | render timechart with (title="Sign-ins", ycolumns=count_, xcolumn=TimeGenerated)');
      assert.deepEqual(r.render, { kind: 'timechart', properties: Object.assign(Object.create(null), { title: 'Sign-ins', ycolumns: ['count_'], xcolumn: 'TimeGenerated' }) });
    });
    it('a cell with only lets returns definitions and no table', async () => {
      const r = await run('let a = 5; let T = datatable(x:long)[1];');
      assert.equal(r.table, undefined);
      assert.deepEqual(r.definitions.get('a'), { kind: 'scalar', type: 'long', value: 5n });
      assert.equal(r.definitions.get('T')?.kind, 'tabular');
    });
    it('column_ifexists is named after the column it reads, as in Kusto\'s example (the default State when Capital is missing)', async () => {
      assert.deepEqual(await names('datatable(State:string, X:long)["A", 1] | project column_ifexists("Capital", State), column_ifexists("X", 0)'), ['State', 'X']);
      assert.deepEqual(await names('datatable(State:string, X:long)["A", 1] | summarize count() by column_ifexists("Capital", State)'), ['State', 'count_']);
      assert.deepEqual(await names('datatable(State:string)["A"] | extend column_ifexists("Capital", "none")'), ['State', 'Column1']);
    });
    it('column_ifexists falls back when a column is missing', async () => {
      assert.deepEqual(await one('Signins | take 1 | project a = column_ifexists("Country", "none"), b = column_ifexists("Nope", "none")').then((r) => [typeof r[0], r[1]]), ['string', 'none']);
    });
    it('network helpers', async () => {
      assert.deepEqual(await one('print a = ipv4_is_private("192.168.1.1"), b = ipv4_is_private("8.8.8.8"), c = ipv4_is_in_range("10.1.2.3", "10.0.0.0/8"), d = ipv4_is_in_range("x", "10.0.0.0/8"), e = parse_ipv4("1.2.3.4")'), [true, false, true, null, 16909060]);
    });
    it('network helpers read Kusto\'s IP-prefix notation (the documented examples)', async () => {
      assert.deepEqual(await rows("datatable(ip:string)['192.168.1.1', '192.168.1.1/24', '255.255.255.255/31', '1.2.3.4/33'] | project n = parse_ipv4(ip), p = ipv4_is_private(ip)"), [
        [3232235777, true], [3232235776, true], [4294967294, false], [null, null],
      ]);
      assert.deepEqual(await rows("datatable(a:string, b:string)['192.168.1.0', '192.168.1.0', '192.168.1.1/24', '192.168.1.255', '192.168.1.1', '192.168.1.255/24', '192.168.1.1/30', '192.168.1.255/24', '10.0.0.2', '10.0.0.1'] | project r = ipv4_compare(a, b)"), [[0], [0], [0], [0], [1]]);
      assert.deepEqual(await one('print a = ipv4_is_in_range("10.0.0.1/8", "10.0.0.0/8"), b = ipv4_is_in_range("11.1.2.3", "10.0.0.0/8"), c = ipv4_is_in_range("10.1.2.3", "10.0.0.0/33")'), [true, false, null]);
      assert.deepEqual(await rows("datatable(a:string, b:string, p:long)['192.168.1.1', '192.168.1.0', 31, '192.168.1.1/24', '192.168.1.255', 31, '192.168.1.1', '192.168.1.255', 24, '192.168.1.1', '192.168.1.0', 32] | project r = ipv4_compare(a, b, p)"), [[0], [0], [0], [1]]);
    });
    it('has_ipv4 and its prefix and any forms find addresses delimited by anything but ASCII letters and digits (Kusto\'s documented examples)', async () => {
      assert.deepEqual(await one("print a = has_ipv4('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.0.1'), b = has_ipv4('05:04:54 127.0.0.256 GET /favicon.ico 404', '127.0.0.256'), c = has_ipv4('05:04:54127.0.0.1 GET /favicon.ico 404', '127.0.0.1')"), [true, false, false]);
      assert.deepEqual(await one("print a = has_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.'), b = has_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0'), c = has_ipv4_prefix('05:04:54 127.0.0.1 GET /favicon.ico 404', '127.0.0.1'), d = has_ipv4_prefix('from 192.168.10.5', '192.168.1.')"), [true, false, true, false]);
      assert.deepEqual(await one("print a = has_any_ipv4('05:04:54 127.0.0.1 GET', '127.0.0.1', '127.0.0.2'), b = has_any_ipv4('05:04:54 127.0.0.1 GET', dynamic(['127.0.0.1', '127.0.0.2'])), c = has_any_ipv4('05:04:54 127.0.0.256 GET', dynamic(['127.0.0.256', '192.168.1.1'])), d = has_any_ipv4_prefix('10.1.2.3, 8.8.8.8', dynamic(['192.168.', '8.8.']))"), [true, true, false, true]);
      // A letter or digit next to the address makes it no address; a dot delimits, as any other mark.
      assert.deepEqual(await rows("datatable(t:string)['x1.2.3.4', '1.2.3.4x', '01234.2.3.4', '(1.2.3.4)', 'a.1.2.3.4.b', '1.2.3', ''] | project r = has_ipv4(t, '1.2.3.4')"), [[false], [false], [false], [true], [true], [false], [false]]);
    });
    it('an empty regex match steps over a whole character, never between the halves of a surrogate pair (as RE2 does)', async () => {
      assert.deepEqual(await one('print a = replace_regex("a😀b", "x*", "-"), n = countof("😀", "", "regex"), e = extract_all("(x?)", "😀")'), ['-a-😀-b-', 2, ['', '']]);
    });
    it('\\d, \\w and \\s are Unicode classes, as Kusto documents them (RE2 keeps them ASCII)', async () => {
      // Kusto's own trim example: trim(@"[^\w]+", ...) keeps the é (it was eaten, and "müller" lost its ü).
      assert.deepEqual(
        await one('print a = extract(@"(\\w+)@", 1, "müller@example.com"), b = trim(@"[^\\w]+", "--café--"), c = "٣" matches regex @"^\\d$", d = "٣" matches regex @"^[\\d]$", e = extract(@"\\s(\\S+)", 1, "a\u00a0bé c"), f = replace_regex("a1b٢c", @"\\D", "-"), g = "Ωx" matches regex @"^\\W"'),
        ['müller', 'café', true, true, 'bé', '-1-٢-', false],
      );
      // A `-` after \s in a class is a literal, as it was (it began a range from U+3000: an error,
      // or a match of what the class never named).
      assert.deepEqual(await one('print a = "a b-." matches regex @"^[\\w\\s-.]+$", b = "中" matches regex @"^[\\s-가]$", c = "x\\u3000y" matches regex @"^x\\sy$", d = "x\\u200by" matches regex @"^x\\sy$"'), [true, false, true, false]);
      // Typed parse columns still take ASCII numbers only (no conversion reads other digits).
      assert.deepEqual(await rows('datatable(s:string)["n=٣", "n=3"] | parse s with "n=" n:long | project n'), [[null], [3]]);
    });
    it('replace_regex reads \\1 and \\\\ as RE2 does, and $1 only for a group the pattern has', async () => {
      assert.deepEqual(await one('print p = replace_regex("price: X", "X", "$100"), q = replace_regex("ab", "(a)", @"\\\\1"), r = replace_regex("ab", "(a)", @"[\\1]$1"), t = replace_regex("ab", "(a)", "$2")'), ['price: $100', '\\1b', '[a]ab', '$2b']);
    });
    it('conversions from text read decimal numbers only, as .NET does (JavaScript would read 0b101 and 0o17)', async () => {
      assert.deepEqual(await one('print a = tolong("0b101"), b = tolong("0o17"), c = todouble("0x10"), d = todouble("0b11"), e = tolong("0x10"), f = todouble(" 1.5e3 "), g = tolong("12.9"), h = todouble(".5"), i = tolong("-7.5"), j = todouble("1_0")'), [null, null, null, null, 16, 1500, 12, 0.5, -7, null]);
    });
    it('strcat_array joins an array\'s elements as tostring gives them, and dynamic_to_json orders a bag\'s keys (Kusto\'s documented example)', async () => {
      assert.deepEqual(await one("print a = strcat_array(dynamic([1, 'a', null, [2, 3], {'k': true}]), '|'), b = strcat_array(dynamic([]), ','), c = strcat_array(parse_json('{\"a\": 1}'), ',')"), ['1|a||[2,3]|{"k":true}', '', '']);
      assert.match((await runtimeError("print strcat_array('a,b', ',')")).message, /first argument of `strcat_array` is an array \(dynamic\), not string/);
      const doc = "dynamic({'Y10': dynamic({}), 'X8': dynamic({'c3': 1, 'd8': 5, 'a4': 6}), 'D1': 114, 'A1': 12, 'B1': 2, 'C1': 3, 'A14': [15, 13, 18]})";
      const reordered = "dynamic({'X8': dynamic({'a4': 6, 'c3': 1, 'd8': 5}), 'A14': [15, 13, 18], 'C1': 3, 'B1': 2, 'Y10': dynamic({}), 'A1': 12, 'D1': 114})";
      assert.deepEqual(await one(`let bag1 = dynamic_to_json(${doc}); let bag2 = dynamic_to_json(${reordered}); print AreEqual = bag1 == bag2, Result = bag1, s = dynamic_to_json(dynamic('text')), n = dynamic_to_json(dynamic(null))`), [
        true, '{"A1":12,"A14":[15,13,18],"B1":2,"C1":3,"D1":114,"X8":{"a4":6,"c3":1,"d8":5},"Y10":{}}', 'text', '',
      ]);
    });
    it('a chain of thousands of `and` terms after a join runs, the terms the join does not need left as a balanced tree', async () => {
      const ands = Array.from({ length: 3000 }, (_, i) => `b != ${i + 1}`).join(' and ');
      assert.deepEqual(await rows(`datatable(k:long, a:long)[1, 1] | join (datatable(k:long, b:long)[1, 9999]) on k | where a == 1 and ${ands} | project b`), [[9999]]);
    });
    it('a chain of thousands of `or` or `and` terms (a pasted list of indicators) runs, with three-valued logic as a left-to-right chain gives', async () => {
      const ors = Array.from({ length: 5000 }, (_, i) => `x == ${i + 1}`).join(' or ');
      assert.deepEqual(await rows(`datatable(x:long)[7, 6000, long(null)] | where ${ors} | project x`), [[7]]);
      const ands = Array.from({ length: 5000 }, (_, i) => `x != ${i + 1}`).join(' and ');
      assert.deepEqual(await rows(`datatable(x:long)[7, 6000, long(null)] | extend k = ${ands} | project k`), [[false], [true], [true]]);
      // Null with false or true decides as Kusto's and/or do, wherever the null stands in the chain.
      assert.deepEqual(await one('print a = bool(null) or false or true, b = false or bool(null) or false, c = true and bool(null) and false, d = true and true and bool(null)'), [true, null, false, null]);
    });
    it('arguments of user-defined functions are checked against the declared types, as Kusto checks them', async () => {
      const e = await runtimeError('let f = (x:long) { gettype(x) }; print f("abc")');
      assert.match(e.message, /argument `x` of `f` is declared long, and this is a string/);
      assert.equal(e.offset, 'let f = (x:long) { gettype(x) }; print f('.length);
      assert.match((await runtimeError('let f = (x:long) { x * 2 }; print f(1.5)')).message, /declared long, and this is a real/);
      assert.match((await runtimeError('let T = (n:long) { print x = n }; T("a")')).message, /argument `n` of `T` is declared long, and this is a string/);
      // A long stands for a real (and is one inside), anything for a dynamic, and a dynamic value converts.
      assert.deepEqual(await one('let f = (x:real) { x / 2 }; let g = (x:dynamic) { gettype(x) }; let h = (x:string) { strcat(x, "!") }; print a = f(3), b = g(1), c = h(dynamic({"u": "bob"}).u), d = f(real(null))'), [1.5, 'long', 'bob!', null]);
      assert.deepEqual(await one('let T = (n:real) { print x = n / 2 }; T(5)'), [2.5]);
    });
    it('user-defined functions that multiply their calls stop with a positioned error rather than run for hours', async () => {
      const chain = ['let f0 = (x:long) { x + 1 };', ...Array.from({ length: 30 }, (_, i) => `let f${i + 1} = (x:long) { f${i}(f${i}(x)) };`)].join(' ');
      const e = await runtimeError(`${chain} print d = f30(1)`);
      assert.match(e.message, /user-defined functions expand to more than 100,000 calls \(this call of `f0` is one too many\)/);
      assert.ok(e.offset !== undefined && e.offset > 0);
      const tables = ['let T0 = (n:long) { print x = n };', ...Array.from({ length: 25 }, (_, i) => `let T${i + 1} = (n:long) { union (T${i}(n)), (T${i}(n)) };`)].join(' ');
      assert.match((await runtimeError(`${tables} T25(1) | count`)).message, /expand to more than 100,000 calls/);
      // Lets inside function bodies count against the query too: each call's lets are not a fresh start.
      const viaLets = ['let f0 = () { print x = 1 };', ...Array.from({ length: 18 }, (_, i) => `let f${i + 1} = () { let a = f${i}(); let b = f${i}(); union a, b };`)].join(' ');
      assert.match((await runtimeError(`${viaLets} f18() | count`)).message, /expand to more than 100,000 calls/);
      // A tabular let evaluated by a later query counts its calls on their own, not against the query that defined it.
      const cell1 = await run(`${tables.split(' let T17')[0]} let U = T15(2); T15(1) | count`);
      const later = await runQuery('U | count', fixtureEnv({ scope: cell1.definitions }), new AbortController().signal);
      assert.deepEqual(tableRows(later.table!), [[32768]]);
      // A chain that stays within the limit runs: 2^12 rows.
      assert.deepEqual(await one(`${tables.split(' let T13')[0]} T12(1) | count`), [4096]);
    });
    it('a dynamic literal may hold other literals, datetimes and timespans kept as their text as in every dynamic value', async () => {
      assert.deepEqual(await one('print d = dynamic({"a": datetime(1970-05-11), "b": 1h, "c": [time(1.02:03:04), long(5), real(null), int(-3), bool(true)], "e": -1h}) | extend t = todatetime(d.a) + 1d, s = totimespan(d.b) * 2 | project d, tostring(t), tostring(s)'), [
        { a: '1970-05-11T00:00:00.0000000Z', b: '01:00:00', c: ['1.02:03:04', 5, null, -3, true], e: '-01:00:00' }, '1970-05-12T00:00:00.0000000Z', '02:00:00',
      ]);
      assert.throws(() => parseQuery('print dynamic([datetime(nope)])'), /invalid datetime `nope`/);
    });
    it('a dynamic literal may hold dynamic literals, as Kusto\'s own examples write them', async () => {
      assert.deepEqual(await one("print d = dynamic({'a': dynamic([1, dynamic({'b': 2})]), 'c': dynamic({})})"), [{ a: [1, { b: 2 }], c: {} }]);
    });
    it('base64_decode_tostring of bytes that are not UTF-8 is empty (Kusto\'s null string), not replacement characters', async () => {
      // Kusto's documented example: "String" followed by a cut UTF-8 sequence.
      assert.deepEqual(await one('print a = base64_decode_tostring("U3RyaW5n0KHR0tGA0L7Rh9C60LA="), b = base64_decode_tostring("S3VzdG8=")'), ['', 'Kusto']);
    });
    it('array_index_of takes start, length and occurrence, with Kusto\'s documented results', async () => {
      const r = await one('let arr = dynamic(["this", "is", "an", "example", "an", "example"]); print idx1 = array_index_of(arr, "an"), idx2 = array_index_of(arr, "example", 1, 3), idx3 = array_index_of(arr, "example", 1, 2), idx4 = array_index_of(arr, "is", 2, 4), idx5 = array_index_of(arr, "example", 2, -1), idx6 = array_index_of(arr, "an", 1, -1, 2), idx7 = array_index_of(arr, "an", 1, -1, 3), idx8 = array_index_of(arr, "an", -3), idx9 = array_index_of(arr, "is", -4), n1 = array_index_of(arr, "an", 0, -2), n2 = array_index_of(arr, "an", 0, 1, -1)');
      assert.deepEqual(r, [2, 3, -1, -1, 3, 4, -1, 4, -1, null, null]);
    });
    it('array_sort_asc with a second array is an error: sorting several arrays together is not supported', async () => {
      const e = await runtimeError('print array_sort_asc(dynamic([2, 1]), dynamic(["a", "b"]))');
      assert.match(e.message, /nulls_last, a bool; sorting several arrays together is not supported/);
    });
    it('array_sort_asc and array_sort_desc put nulls last unless told otherwise, as Kusto documents', async () => {
      assert.deepEqual(await one('print a = array_sort_desc(dynamic([null, "blue", "yellow", "green", null])), b = array_sort_desc(dynamic([null, "blue", "yellow", "green", null]), false), c = array_sort_asc(dynamic([null, 3, 1, 2])), d = array_sort_asc(dynamic([null, 3, 1, 2]), false)'), [
        ['yellow', 'green', 'blue', null, null], [null, null, 'yellow', 'green', 'blue'], [1, 2, 3, null], [null, 1, 2, 3],
      ]);
    });
    it('values of mixed kinds sort by kind (numbers, then strings, then the rest) in either direction, as Kusto documents for array_sort_asc and array_sort_desc, whatever their first order', async () => {
      // "2" against 10 compared as numbers and "2" against "10" as text: a cycle, so the order came from the rows' order.
      const items = ['"2"', '10', '"10"', 'true', '1.5', '"abc"', '[1]'];
      const ascending = [1.5, 10, '10', '2', 'abc', true, [1]];
      const descending = [10, 1.5, 'abc', '2', '10', true, [1]];
      for (const order of [items, [...items].reverse(), [items[2], items[0], items[1], ...items.slice(3)]]) {
        const rows = `print a = dynamic([${order.join(', ')}]) | mv-expand v = a`;
        assert.deepEqual(await one(`print a = array_sort_asc(dynamic([${order.join(', ')}])), d = array_sort_desc(dynamic([${order.join(', ')}]))`), [ascending, descending], order.join(' '));
        assert.deepEqual(await one(`${rows} | sort by v asc | summarize make_list(v)`), [ascending], order.join(' '));
        assert.deepEqual(await one(`${rows} | top 7 by v desc | summarize make_list(v)`), [descending], order.join(' '));
        // min and max pick what an ascending and a descending sort put first, so they agree with top 1.
        assert.deepEqual(await one(`${rows} | summarize mn = min(v), mx = max(v), amn = arg_min(v, v), amx = arg_max(v, v)`), [1.5, 10, 1.5, 1.5, 10, 10], order.join(' '));
      }
      assert.deepEqual(await one('print a = max_of(dynamic("2"), dynamic(10), dynamic("10")), b = min_of(dynamic("10"), dynamic("2"), dynamic(10))'), [10, 10]);
    });
    it('bag_has_key finds nested keys by JSONPath, as Kusto documents', async () => {
      const bag = `dynamic({'key1': 123, 'key2': {'prop1': 'abc', 'prop2': 'xyz'}, 'key3': [100, 200]})`;
      assert.deepEqual(await one(`print a = bag_has_key(${bag}, '$.key2.prop1'), b = bag_has_key(${bag}, '$.key2.nope'), c = bag_has_key(${bag}, 'key1'), d = bag_has_key(${bag}, "$['key2']['prop2']"), e = bag_has_key(${bag}, '$.key1.x'), f = bag_has_key(${bag}, 'key9')`), [true, false, true, true, false, false]);
    });
    it('Kusto\'s documented examples of bin_at on timespans, todatetime with dashes, format_datetime y, url_encode and make_bag\'s size', async () => {
      assert.deepEqual(await one("print a = bin_at(time(1h), 1d, 12h), b = todatetime('12-02-2022') == datetime(2022-12-02), c = format_datetime(datetime(2009-06-15), 'y'), d = format_datetime(datetime(0001-01-01), 'y'), e = format_datetime(datetime(2009-06-15), 'yy'), f = url_encode(@'https://www.bing.com/hello world')"), [
        'ts:-43200000000', true, '9', '1', '09', 'https%3a%2f%2fwww.bing.com%2fhello+world',
      ]);
      const t = await run('datatable(Name:string, Value:long)["a", 1, "b", 2, "a", 3] | summarize make_bag(bag_pack(Name, Value), 1), all = make_bag(bag_pack(Name, Value))');
      assert.ok(t.table);
      assert.deepEqual(tableRows(t.table), [[{ a: 1 }, { a: 1, b: 2 }]]);
      assert.match(t.warnings.join('\n'), /make_bag\(\) reached its limit of 1 keys/);
    });
    it('hashes and encodings', async () => {
      assert.deepEqual(await one('print a = hash_sha256("abc"), b = base64_decode_tostring(base64_encode_tostring("héllo")), c = tostring(parse_url("https://u:p@host:8443/a/b?x=1#f").Host)'), ['ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'héllo', 'host']);
    });
  });

  describe('notebook cells', () => {
    it('lets carry across cells through definitions', async () => {
      const first = await run('let threshold = 5; let Failures = Signins | where ResultType != 0; let byUser = (u:string) { Failures | where UserPrincipalName == u };');
      assert.equal(first.table, undefined);
      const second = await runQuery('byUser("carol@contoso.com") | summarize n = count() | extend over = n > threshold', fixtureEnv({ scope: first.definitions }), new AbortController().signal);
      const direct = await one('Signins | where ResultType != 0 and UserPrincipalName == "carol@contoso.com" | count');
      assert.deepEqual(tableRows(second.table!), [[direct[0], (direct[0] as number) > 5]]);
      assert.deepEqual(second.tablesUsed, ['Signins']);
    });
    it('front-matter parameters come in through Scope.of', async () => {
      const r = await runQuery('Signins | where Country == country | count', fixtureEnv({ scope: Scope.of({ country: 'NG' }) }), new AbortController().signal);
      assert.deepEqual(tableRows(r.table!), await rows('Signins | where Country == "NG" | count'));
    });
    it('analyzeQuery lists definitions, outside names and free references without running', async () => {
      const ast = parseQuery('let a = 5; let T = Signins | where x > a and y == threshold; let f = (u:string) { Audit | where InitiatedBy == u }; T | join (f("x")) on k | union Other | where z in (Admins) | extend q = g(1), w = tolower(z) | summarize count() by w');
      assert.deepEqual(analyzeQuery(ast), {
        defines: ['a', 'T', 'f'],
        uses: ['Signins', 'Audit', 'Other', 'g'],
        // Built-ins called are references too: a user function of that name in an earlier cell runs instead.
        references: ['x', 'y', 'threshold', 'InitiatedBy', 'z', 'Admins', 'tolower', 'count', 'w'],
        // Of those, only the lone name of an `in` list may be a table.
        tableReferences: ['Admins'],
        readsClock: false,
      });
      assert.equal(analyzeQuery(parseQuery('T | where ts > ago(1d)')).readsClock, true);
      assert.equal(analyzeQuery(parseQuery('let f = () { now() }; print f()')).readsClock, true);
    });
    it('materialize is accepted and returns its input', async () => {
      assert.deepEqual(await one('let M = materialize(Signins | take 3); M | count'), [3]);
    });
    it('aggregates inside expressions are computed per group and named like other expressions', async () => {
      const t = await runTable('datatable(k:string, ok:bool)["a", true, "a", false, "b", true] | summarize Rate = round(100.0 * countif(ok) / count(), 1), count(), max_of(count(), 1) by k');
      assert.deepEqual(t.schema.map((c) => c.name), ['k', 'Rate', 'count_', 'Column1']);
      assert.deepEqual(tableRows(t), [['a', 50, 2, 2], ['b', 100, 1, 1]]);
    });
  });

  describe('errors people can act on', () => {
    it('unknown column lists columns and suggests the closest', async () => {
      const e = await runtimeError('Audit | where Operation == "x"');
      assert.equal(e.message, 'unknown column or name `Operation`');
      assert.match(e.hint ?? '', /did you mean `OperationName`\?/);
      assert.match(e.hint ?? '', /available columns: TimeGenerated, OperationName/);
      assert.equal(e.offset, 14);
    });
    it('unknown function suggests the closest', async () => {
      const e = await runtimeError('Audit | extend x = tolowr(OperationName)');
      assert.equal(e.message, 'unknown function `tolowr`');
      assert.equal(e.hint, 'did you mean `tolower`?');
    });
    it('unknown table says which tables exist', async () => {
      const e = await runtimeError('Signin | count');
      assert.match(e.hint ?? '', /did you mean `Signins`\?/);
      assert.match(e.hint ?? '', /known tables: Signins, Audit, FileAccess, ProcessEvents/);
    });
    it('aggregates outside summarize and non-aggregates inside it are explained', async () => {
      assert.match((await runtimeError('Audit | extend c = count()')).message, /only be used in summarize/);
      assert.match((await runtimeError('Audit | summarize tolower(Result)')).message, /not an aggregate/);
    });
    it('string + string points to strcat', async () => {
      assert.match((await runtimeError('print "a" + "b"')).hint ?? (await runtimeError('print "a" + "b"')).message, /strcat/);
    });
    it('invalid regular expressions are reported, not thrown as crashes', async () => {
      assert.match((await runtimeError('print x = "a" matches regex "(unclosed"')).message, /invalid regular expression/);
    });
    it('runtime errors show their line and column with a caret under the offending text', async () => {
      const e = await runtimeError('Audit\n| where Result == "ok"\n| where Operation == "x"');
      assert.equal(e.format(), ['unknown column or name `Operation` (line 3, column 9)', '  | where Operation == "x"', '          ^^^^^^^^^', e.hint && `hint: ${e.hint}`].join('\n'));
    });
    it("an error inside an earlier cell's definition is shown where this cell uses it", async () => {
      const first = await run('let f = (x:long) { x + nope }; let T = Audit | where Missing > 0; let g = (p:string) { extract(p, 0, "abc") };');
      const later = async (kql: string) => {
        try {
          await runQuery(kql, fixtureEnv({ scope: first.definitions }), new AbortController().signal);
        } catch (e) {
          if (e instanceof QueryRuntimeError) return e;
          throw e;
        }
        assert.fail('expected a runtime error');
      };
      // The earlier cell's spans point into its own text: the caret goes to the use in this one.
      const scalar = await later('print a = 1, b = f(2)');
      assert.equal(scalar.message, 'unknown column or name `nope` (raised in `f`, defined in an earlier cell)');
      assert.deepEqual([scalar.offset, scalar.length], [17, 4]);
      assert.match(scalar.format(), /\(line 1, column 18\)\n  print a = 1, b = f\(2\)\n {19}\^{4}/);
      const tabular = await later('range i from 1 to 2 step 1 | join kind=leftouter (T) on $left.i == $right.Missing');
      assert.equal(tabular.message, 'unknown column or name `Missing` (raised in `T`, defined in an earlier cell)');
      assert.equal(tabular.offset, 'range i from 1 to 2 step 1 | join kind=leftouter ('.length);
      // Raised per row, while the earlier cell's compiled function runs over this cell's rows.
      const perRow = await later('datatable(p:string)["a", "(unclosed"] | extend y = g(p)');
      assert.match(perRow.message, /^invalid regular expression .*\(raised in `g`, defined in an earlier cell\)$/);
      assert.equal(perRow.offset, 'datatable(p:string)["a", "(unclosed"] | extend y = '.length);
      // A definition of this same query keeps the precise place inside its body.
      const own = await runtimeError('let h = (x:long) { x + nope }; print h(1)');
      assert.equal(own.offset, 'let h = (x:long) { x + '.length);
    });
    it('syntax errors surface as QuerySyntaxError from runQuery', async () => {
      await assert.rejects(run('Signins | summarise count()'), QuerySyntaxError);
    });
  });

  describe('limits and cancellation', () => {
    it('truncates to maxRows with a warning and reports the full count', async () => {
      const r = await run('Signins | project TimeGenerated', { limits: { maxRows: 10 } });
      assert.equal(r.table?.rowCount, 10);
      assert.equal(r.totalRows, 93);
      assert.match(r.warnings[0], /93 rows; only the first 10/);
    });
    it('warns when make_list reaches makeListMax', async () => {
      const r = await run('Signins | summarize make_list(IPAddress)', { limits: { makeListMax: 5 } });
      assert.equal((r.table?.columns[0].get(0) as unknown[]).length, 5);
      assert.match(r.warnings[0], /limit of 5/);
    });
    it('stops with an AbortError when cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(runQuery('Signins | count', fixtureEnv(), controller.signal), (e: unknown) => e instanceof DOMException && e.name === 'AbortError');
    });
    it('records which tables were resolved', async () => {
      const r = await run('Signins | join kind=leftsemi (Audit) on $left.UserPrincipalName == $right.InitiatedBy | count');
      assert.deepEqual(r.tablesUsed, ['Signins', 'Audit']);
    });
  });
});

describe('query engine: hostile values never crash a query', () => {
  const evaluate = (q: string) => runQuery(q, { resolveTable: async () => undefined, scope: Scope.empty, now: DateTime.fromMillis(0) }, new AbortController().signal);
  const value = async (q: string) => (await evaluate(q)).table!.get(0, 0);

  it('url_encode replaces lone surrogates instead of throwing', async () => {
    assert.equal(await value('print x = url_encode("a\\ud800b")'), 'a%ef%bf%bdb');
  });
  it('string operators over dynamic values compare their text', async () => {
    assert.equal(await value('print x = coalesce(dynamic({"x":1}), "z") contains "x"'), true);
    assert.equal(await value('print x = iff(true, dynamic(null), "a") =~ "A"'), false);
    assert.equal(await value('print x = "a" =~ iff(true, dynamic([1]), "b")'), false);
  });
  it('extract with a negative group, bin by a tiny size and out-of-range datetimes give values, not crashes', async () => {
    assert.equal(await value('print x = extract("(a)", -2, "aa")'), '');
    assert.equal(await value('print x = bin(5, 5e-324)'), null);
    // Beyond year 9999 a datetime is null (Kusto's range), so strcat gets an empty string.
    assert.equal(await value('print x = strcat(datetime(2026-01-01) + 3000000d)'), '');
  });
  it('strrep stops with a query error before exhausting memory', async () => {
    await assert.rejects(evaluate('print s = strrep(strrep("a", 100000), 100000)'), /strrep would build a string of more than 100,000,000 characters/);
  });
});
