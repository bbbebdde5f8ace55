/**
 * Regular expressions run on re2js (linear time): patterns that make backtracking engines take
 * exponential time (`(a+)+$`, `(a|aa)+b`, `(.*a){20}`) over long attacker-written strings finish
 * quickly in every operator and function that takes a pattern, also when the pattern itself comes
 * from the data. (For comparison, JavaScript's RegExp doubles its time with each extra character:
 * `(a+)+$` over 24 characters and a `!` already takes a few hundred milliseconds.)
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNotebook } from '../../src/core/format';
import { parseQuery, QueryRuntimeError, runQuery, Scope } from '../../src/core/query';
import { Table } from '../../src/core/query/table';
import { DateTime } from '../../src/core/query/values';
import { cli, scratchDir } from './helpers';

const PATTERNS = ['(a+)+$', '(a|aa)+b', '(.*a){20}', '^(a|a?)+$', '(\\w+\\s?)*!x', '((a*)*)*c'];
/** Long attacker strings: the classic near-misses, 100,000 characters each. */
const LENGTH = 100_000;
const SUBJECTS = ['a'.repeat(LENGTH) + '!', 'a'.repeat(LENGTH), 'ab'.repeat(LENGTH / 2) + 'c', `${'word '.repeat(LENGTH / 5)}!`];
/** Per query, generous for a loaded two-core machine; a backtracking engine would not finish at all. */
const BUDGET_SECONDS = 10;

/** `@"..."` cannot hold a double quote; these patterns have none. */
const verbatim = (p: string) => `@"${p}"`;

const OPERATIONS: [string, (p: string) => string][] = [
  ['matches regex', (p) => `T | where s matches regex ${verbatim(p)} | count`],
  ['extract', (p) => `T | extend e = extract(${verbatim(p)}, 0, s) | summarize sum(strlen(e))`],
  ['extract with a group', (p) => `T | extend e = extract(${verbatim(`(${p})`)}, 1, s) | summarize sum(strlen(e))`],
  ['extract_all', (p) => `T | extend e = extract_all(${verbatim(`(${p})`)}, s) | summarize sum(array_length(e))`],
  ['replace_regex', (p) => `T | extend e = replace_regex(s, ${verbatim(p)}, "x") | summarize sum(strlen(e))`],
  ['parse kind=regex', (p) => `T | parse kind=regex s with x ${verbatim(p)} | summarize sum(strlen(x))`],
  ['countof kind=regex', (p) => `T | extend c = countof(s, ${verbatim(p)}, "regex") | summarize sum(c)`],
  ['trim', (p) => `T | extend e = trim(${verbatim(p)}, s) | summarize sum(strlen(e))`],
];

async function timed(query: string, table: Table): Promise<number> {
  const t0 = performance.now();
  try {
    await runQuery(parseQuery(query), { resolveTable: async (n) => (n === 'T' ? table : undefined), scope: Scope.empty, now: DateTime.fromMillis(0) }, new AbortController().signal);
  } catch (e) {
    // A pattern RE2 does not accept is a positioned query error, never a hang.
    if (!(e instanceof QueryRuntimeError)) throw e;
  }
  return (performance.now() - t0) / 1000;
}

describe('security: regular-expression denial of service', function () {
  this.timeout(600_000);
  const table = Table.fromRows([{ name: 's', type: 'string' }], SUBJECTS.map((s) => ({ s })));

  for (const [name, build] of OPERATIONS) {
    it(`${name}: catastrophic patterns over ${LENGTH.toLocaleString('en-US')}-character strings finish quickly`, async () => {
      for (const p of PATTERNS) {
        const took = await timed(build(p), table);
        assert.ok(took < BUDGET_SECONDS, `${name} with ${p}: ${took.toFixed(2)} s`);
      }
    });
  }

  it('a pattern taken from the data (matches regex column) is linear too, and a bad one is a query error', async () => {
    const rows = PATTERNS.map((p) => ({ s: 'a'.repeat(LENGTH) + '!', p }));
    rows.push({ s: 'x', p: '(unclosed' }, { s: 'x', p: '(?=lookahead)' }, { s: 'x', p: '(a)\\1' });
    const t = Table.fromRows([{ name: 's', type: 'string' }, { name: 'p', type: 'string' }], rows);
    const took = await timed('T | where s matches regex p | count', Table.fromRows(t.schema, rows.slice(0, PATTERNS.length)));
    assert.ok(took < BUDGET_SECONDS, `${took.toFixed(2)} s`);
    for (const bad of ['(unclosed', '(?=lookahead)', '(a)\\1', 'a{1001}', '((a{100}){100}){100}']) {
      const one = Table.fromRows(t.schema, [{ s: 'x', p: bad }]);
      await assert.rejects(
        runQuery(parseQuery('T | where s matches regex p'), { resolveTable: async () => one, scope: Scope.empty, now: DateTime.fromMillis(0) }, new AbortController().signal),
        (e: unknown) => e instanceof QueryRuntimeError && /invalid regular expression/.test(e.message) && typeof e.offset === 'number',
        bad,
      );
    }
    // Functions whose pattern comes from the data point at their call.
    const one = Table.fromRows(t.schema, [{ s: 'x', p: '(unclosed' }]);
    for (const call of ['extract(p, 1, s)', 'extract_all(p, s)', 'replace_regex(s, p, "y")', 'trim(p, s)', 'trim_start(p, s)', 'trim_end(p, s)', 'countof(s, p, "regex")']) {
      const text = `T | extend x = ${call}`;
      await assert.rejects(
        runQuery(parseQuery(text), { resolveTable: async () => one, scope: Scope.empty, now: DateTime.fromMillis(0) }, new AbortController().signal),
        (e: unknown) => e instanceof QueryRuntimeError && /invalid regular expression `\(unclosed`/.test(e.message) && e.offset === text.indexOf(call) && e.length === call.length,
        call,
      );
    }
    // The same for constant patterns (checked while the query is compiled) and for strrep's size limit.
    for (const call of ['trim("(", s)', 'countof(s, "(", "regex")', 'replace_regex(s, "(", "y")', 'replace(s, "(", "y")', 'trim_start("(", s)', 'extract("(", 1, s)', `strrep(s, 1000000, "${'-'.repeat(120)}")`]) {
      const text = `T | extend x = ${call}`;
      await assert.rejects(
        runQuery(parseQuery(text), { resolveTable: async () => one, scope: Scope.empty, now: DateTime.fromMillis(0) }, new AbortController().signal),
        // At the call, or more precisely at its pattern argument.
        (e: unknown) => e instanceof QueryRuntimeError && e.offset !== undefined && e.length !== undefined && e.offset >= text.indexOf(call) && e.offset + e.length <= text.indexOf(call) + call.length,
        call,
      );
    }
  });

  it('through the casebook command, over a file of attacker lines', () => {
    const dir = scratchDir();
    const file = join(dir, 'ua.jsonl');
    writeFileSync(file, SUBJECTS.map((s) => JSON.stringify({ ua: s })).join('\n') + '\n');
    const t0 = performance.now();
    const r = cli([
      'query',
      '--format',
      'jsonl',
      '--source',
      `logs=${file}`,
      'logs | where ua matches regex @"(a+)+$" or ua matches regex @"(a|aa)+b" | extend e = extract(@"(.*a){20}", 0, ua), x = extract_all(@"((a|aa)+b)", ua), r = replace_regex(ua, @"(a+)+$", "") | parse kind=regex ua with y @"(a|aa)+$" | project n = strlen(e), m = array_length(x), k = strlen(r)',
    ]);
    const took = (performance.now() - t0) / 1000;
    assert.equal(r.status, 0, r.stderr);
    assert.ok(took < 30, `${took.toFixed(1)} s`);
    assert.ok(r.stdout.trim().split('\n').length >= 1);
  });

  it('a notebook whose fence info string holds a long run of spaces opens quickly', () => {
    // The info-string pattern backtracked quadratically: a 100 KB line took 8 s, 1 MB about 13 minutes,
    // on the extension host's thread as the file opened.
    const text = '```text x' + ' '.repeat(LENGTH * 10) + 'y\n```\n\n```kql #q\nT | take 1\n```\n';
    const t0 = performance.now();
    const r = parseNotebook(text);
    const took = (performance.now() - t0) / 1000;
    assert.ok(r.ok);
    assert.equal(r.notebook.cells.length, 2);
    assert.ok(took < BUDGET_SECONDS, `${took.toFixed(2)} s`);
  });
});
