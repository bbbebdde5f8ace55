import { strict as assert } from 'node:assert';
import { checkFrontMatter, fixedNowMicros, frontMatterErrors, frontMatterWarnings, parseFrontMatter, queryParams, validateFrontMatter } from '../../../src/core/notebook/frontMatter';
import { closest, editDistance } from '../../../src/core/query/suggest';
import { forTextsOf } from '../textProperty';

describe('front matter checks', () => {
  it('warns about keys that look like misspelt known keys, and leaves other keys alone', () => {
    const text = ['title: Case', 'sorces:', '  auth: data/auth.jsonl', 'author: J. Analyst', 'tags: [phishing]', 'parms: { victim: a }'].join('\n');
    assert.deepEqual(frontMatterWarnings(text), [
      { message: 'front matter: unknown key `sorces`; did you mean `sources`? (Casebook ignores it)', line: 2 },
      { message: 'front matter: unknown key `parms`; did you mean `params`? (Casebook ignores it)', line: 6 },
    ]);
    assert.deepEqual(frontMatterErrors(text), [], 'unknown keys are not errors');
    assert.deepEqual(frontMatterWarnings(undefined), []);
  });

  it('reports YAML and source declaration errors with the line they are on', () => {
    assert.deepEqual(frontMatterErrors('title: ok\nsources: [unclosed'), [{ message: 'front matter: Flow sequence in block collection must be sufficiently indented and end with a ]', line: 2 }]);
    const problems = validateFrontMatter('sources:\n  auth: { path: a.jsonl, timezone: Mars/Olympus }');
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^front matter: source "auth".*Mars\/Olympus/);
  });

  it('refuses a key given twice in one map, with the line of the second, at any size', () => {
    const text = ['sources:', '  auth: a.jsonl', 'params:', '  victim: a', '  1: one', "  '1': text one", '  victim: b'].join('\n');
    assert.deepEqual(frontMatterErrors(text), [
      { message: 'front matter: Map keys must be unique ("1" is repeated)', line: 6 },
      { message: 'front matter: Map keys must be unique ("victim" is repeated)', line: 7 },
    ]);
    // Found in one pass (the library's check compared every key with every key before it).
    const many = 'params:\n' + Array.from({ length: 50_000 }, (_, i) => `  p${i}: ${i}`).join('\n') + '\n  p7: again';
    assert.deepEqual(frontMatterErrors(many), [{ message: 'front matter: Map keys must be unique ("p7" is repeated)', line: 50_002 }]);
    // As the property names they become: `true` and "true" are one key (the second replaced the first).
    assert.deepEqual(frontMatterErrors('params:\n  true: a\n  "true": b'), [{ message: 'front matter: Map keys must be unique ("true" is repeated)', line: 3 }]);
  });

  it('says a source or parameter may not be called __proto__, rather than lose it', () => {
    assert.deepEqual(frontMatterErrors('title: Case\nsources:\n  auth: a.jsonl\n  __proto__: b.jsonl'), [{ message: 'front matter: sources: the name "__proto__" is reserved: choose another name', line: 4 }]);
    assert.deepEqual(frontMatterErrors('params:\n  __proto__: 1'), [{ message: 'front matter: params: the name "__proto__" is reserved: choose another name', line: 2 }]);
    assert.deepEqual(frontMatterErrors('sources:\n  constructor: a.jsonl\nparams:\n  toString: 1'), [], 'other names of Object.prototype are ordinary names');
  });

  it('types numeric parameters as they are written: integers are exact longs, the rest reals', () => {
    const fm = parseFrontMatter('params: {n: &n 42, again: *n, neg: -9223372036854775808, max: 9223372036854775807, big: 9007199254740993, hex: 0x1F, maxhex: 0x7FFFFFFFFFFFFFFF, allbits: 0xFFFFFFFFFFFFFFFF, oct: 0o17, r: &r 1.5, rr: *r, e20: 1e20, whole: 3.0e3}');
    assert.ok(fm.ok);
    // Hex takes 64 bits as a query literal does: 0xFFFFFFFFFFFFFFFF is -1.
    assert.deepEqual(queryParams(fm.value), { n: 42n, again: 42n, neg: -9223372036854775808n, max: 9223372036854775807n, big: 9007199254740993n, hex: 31n, maxhex: 9223372036854775807n, allbits: -1n, oct: 15n, r: 1.5, rr: 1.5, e20: 1e20, whole: 3000 });
    // The whole map through an alias.
    const aliased = parseFrontMatter('defaults: &p {n: 42, h: 0x10, r: 2.5}\nparams: *p');
    assert.ok(aliased.ok);
    assert.deepEqual(queryParams(aliased.value), { n: 42n, h: 16n, r: 2.5 });
  });

  it('warns when a parameter has the name of a source, which it hides from queries', () => {
    assert.deepEqual(frontMatterWarnings('sources:\n  auth: a.jsonl\nparams:\n  auth: 1\n  n: 2'), [{ message: 'front matter: params.auth has the name of a source; queries see the parameter, not the source', line: 4 }]);
    assert.deepEqual(frontMatterErrors('sources:\n  auth: a.jsonl\nparams:\n  auth: 1'), [], 'a warning, not an error');
  });

  it('refuses an integer parameter outside 64 bits, with its line, rather than cut it to fit', () => {
    // 2^63 had become -2^63, and 2^64 zero.
    assert.deepEqual(frontMatterErrors('title: x\nparams:\n  ok: 1\n  c: 9223372036854775808\n  d: -9223372036854775809'), [
      { message: 'front matter: params.c: 9223372036854775808 is outside the range of a 64-bit integer; quote it to keep it as text, or write it as a real (9.223372036854776e+18)', line: 4 },
      { message: 'front matter: params.d: -9223372036854775809 is outside the range of a 64-bit integer; quote it to keep it as text, or write it as a real (-9.223372036854776e+18)', line: 5 },
    ]);
    assert.deepEqual(frontMatterErrors('params: {id: "12345678901234567890"}'), [], 'quoted, it is text');
  });

  it('turns any text into a value or problems, never an exception (seeded)', () => {
    const pieces = ['title', 'sources', 'params', 'now', 'auth', 'path', 'timezone', 'time', 'year', '__proto__', ':', ': ', '\n', '\n  ', '\n    ', '- ', '{', '}', '[', ']', ',', "'", '"', '&a ', '*a', '!!str ', '!!binary ', '!x ', '#', '|', '>', '? ', '<<: ', '---', '...', '%YAML 1.2\n', 'null', '~', '9007199254740993', '1e400', 'a.jsonl', 'Mars/Base', '2026-06-10T00:00:00Z'];
    forTextsOf(pieces, (text) => {
      const { errors, warnings } = checkFrontMatter(text);
      for (const p of [...errors, ...warnings]) assert.match(p.message, /^front matter: /, text);
    });
  });

  it('reports aliases that would expand without bound as an error, not a crash', () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'title: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    assert.deepEqual(frontMatterErrors(laughs), [{ message: 'front matter: Excessive alias count indicates a resource exhaustion attack' }]);
    assert.deepEqual(frontMatterErrors('a: &a data/auth.jsonl\ntitle: Case\nsources: { auth: *a }'), [], 'a few aliases are fine');
  });
});

describe('suggestions', () => {
  it('counts a swap of two neighbouring letters as one edit', () => {
    assert.deepEqual([editDistance('titel', 'title'), editDistance('summairze', 'summarize'), editDistance('abc', 'abc'), editDistance('kitten', 'sitting'), editDistance('', 'ab')], [1, 1, 0, 3, 2]);
    assert.equal(closest('titel', ['title', 'params']), 'title');
    assert.equal(closest('sumamrize', ['summarize', 'sort']), 'summarize');
  });
});

describe('front matter: now', () => {
  it('is read as queries read datetimes: without a zone it is UTC on every machine, and text that is no date-time is no time', () => {
    const nowOf = (text: string) => {
      const fm = parseFrontMatter(text);
      assert.ok(fm.ok);
      return fixedNowMicros(fm.value);
    };
    // The machine's zone must not matter (Date.parse read this in it): run as if in New York.
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      assert.equal(new Date(2026, 5, 9, 12).getTime(), Date.UTC(2026, 5, 9, 16), 'the process is in New York');
      assert.equal(nowOf('now: "2026-06-09T12:00"'), Date.UTC(2026, 5, 9, 12) * 1000);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    assert.equal(nowOf('now: "2026-06-09T12:00:00+02:00"'), Date.UTC(2026, 5, 9, 10) * 1000);
    assert.equal(nowOf('now: "1"'), null);
    assert.equal(nowOf('title: x'), undefined);
  });
});
