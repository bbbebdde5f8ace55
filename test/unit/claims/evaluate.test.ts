import { strict as assert } from 'node:assert';
import { parseClaim } from '../../../src/core/claims/claimCell';
import { evaluateClaim, EvidenceError, type EvidenceReader } from '../../../src/core/claims/evaluate';
import { Table } from '../../../src/core/query/table';
import { Timespan, type Value } from '../../../src/core/query/values';
import { forTextsOf } from '../textProperty';

type Row = Record<string, Value>;

/** Evidence from in-memory tables; predicates are looked up by their text (the engine is tested elsewhere). */
function reader(tables: Record<string, Table>, predicates: Record<string, (row: Row) => boolean | null> = {}): EvidenceReader {
  const table = async (ref: string) => {
    if (!tables[ref]) throw new EvidenceError(ref, `no cell #${ref}`);
    return tables[ref];
  };
  return {
    table,
    async partition(ref, predicate) {
      const t = await table(ref);
      const test = predicates[predicate];
      const matching: number[] = [];
      const failing: number[] = [];
      for (let i = 0; i < t.rowCount; i++) (test(t.row(i)) === true ? matching : failing).push(i);
      return { matching: t.gather(matching), failing: t.gather(failing) };
    },
  };
}

const reads = Table.fromRows(
  [
    { name: 'room', type: 'string' },
    { name: 'room_visibility', type: 'string' },
  ],
  [
    { room: 'general', room_visibility: 'public' },
    { room: 'cabinet', room_visibility: 'private' },
  ],
);
const none = Table.fromRows([{ name: 'room', type: 'string' }], []);
const exports = Table.fromRows([{ name: 'bytes', type: 'long' }], [{ bytes: 600_000n }, { bytes: 700_000n }, { bytes: null }]);
const signal = new AbortController().signal;
const claim = (yaml: string) => parseClaim(yaml);

describe('claims: verdicts', () => {
  it('contradicted when a contradicting rule holds, with that evidence attached', async () => {
    const c = claim('claim: Only public rooms\nby: Operator\ncontradicted-if: nonpublic has rows');
    const e = await evaluateClaim(c, reader({ nonpublic: reads.gather([1]) }), signal);
    assert.equal(e.verdict, 'contradicted');
    assert.equal(e.decidedBy, 'contradicted-if');
    assert.equal(e.ruleText, 'nonpublic has rows');
    assert.equal(e.evidence?.table.rowCount, 1);
    assert.match(e.reason, /nonpublic has 1 row/);
  });

  it('supported when a supporting rule holds and nothing contradicts', async () => {
    const c = claim('claim: Small export\nby: Operator\nsupported-if: exports total bytes < 2 MB\ncontradicted-if: nonpublic has rows');
    const e = await evaluateClaim(c, reader({ exports, nonpublic: none }), signal);
    assert.equal(e.verdict, 'supported');
    assert.match(e.reason, /total bytes of exports is 1,300,000 B/);
  });

  it('inconclusive, never supported, when no rule decides', async () => {
    const c = claim('claim: Small export\nby: Operator\nsupported-if: exports total bytes < 1 MB');
    const e = await evaluateClaim(c, reader({ exports }), signal);
    assert.equal(e.verdict, 'inconclusive');
    assert.match(e.reason, /No rule decided/);
  });

  it('inconclusive when there are no rules at all', async () => {
    const e = await evaluateClaim(claim('claim: x\nby: y'), reader({}), signal);
    assert.equal(e.verdict, 'inconclusive');
    assert.match(e.reason, /no evidence rules/);
  });

  it('inconclusive when supporting and contradicting evidence conflict', async () => {
    const c = claim('claim: x\nby: y\nsupported-if: a has rows\ncontradicted-if: b has rows');
    const e = await evaluateClaim(c, reader({ a: reads, b: reads }), signal);
    assert.equal(e.verdict, 'inconclusive');
    assert.match(e.reason, /conflicts/);
    // Each rule is named under its own role, as the verdict record writes it.
    assert.equal(`${e.decidedBy}: ${e.ruleText}`, 'contradicted-if: b has rows; supported-if: a has rows');
  });

  it('keeps the outcome of each part of a conjunction, and of none under not', async () => {
    const both = await evaluateClaim(claim('claim: x\nby: y\nsupported-if: a has rows and b has no rows and c has rows'), reader({ a: reads, b: reads, c: none }), signal);
    assert.deepEqual(both.outcomes[0].parts, [
      { refs: ['a'], holds: true },
      { refs: ['b'], holds: false },
      { refs: ['c'], holds: false },
    ]);
    const negated = await evaluateClaim(claim('claim: x\nby: y\ncontradicted-if: not (a has rows and b has rows)'), reader({ a: reads, b: reads }), signal);
    assert.equal(negated.outcomes[0].parts, undefined);
    assert.equal(negated.outcomes[0].holds, false);
  });

  it('over no rows, every/no rules and totals cannot decide, even negated (no vacuous support)', async () => {
    const r = reader({ none, exports: Table.fromRows([{ name: 'bytes', type: 'long' }], []) }, { 'room_visibility == "public"': () => true });
    const every = await evaluateClaim(claim('claim: only public rooms\nby: y\nsupported-if: every row of none satisfies `room_visibility == "public"`'), r, signal);
    assert.equal(every.verdict, 'inconclusive');
    assert.equal(every.outcomes[0].holds, null);
    assert.match(every.reason, /none has no rows, so `every row` cannot decide/);
    const negated = await evaluateClaim(claim('claim: x\nby: y\nsupported-if: not (no row of none satisfies `room_visibility == "public"`)'), r, signal);
    assert.equal(negated.verdict, 'inconclusive', 'not of "cannot decide" cannot decide either');
    const total = await evaluateClaim(claim('claim: under 1 MB\nby: y\nsupported-if: exports total bytes < 1 MB'), r, signal);
    assert.equal(total.verdict, 'inconclusive');
    assert.equal(total.outcomes[0].holds, null);
    // Kleene: false settles "and", true settles "or", whatever the unknown part.
    const and = await evaluateClaim(claim('claim: x\nby: y\ncontradicted-if: none has rows and exports total bytes > 0'), r, signal);
    assert.equal(and.outcomes[0].holds, false);
    const or = await evaluateClaim(claim('claim: x\nby: y\nsupported-if: none has no rows or exports total bytes > 0'), r, signal);
    assert.equal(or.outcomes[0].holds, true);
    assert.equal(or.verdict, 'supported');
    // not (some row ...) over no rows was true: as vacuous as `no row` there.
    const notSome = await evaluateClaim(claim('claim: x\nby: y\nsupported-if: not (some row of none satisfies `room_visibility == "public"`)'), r, signal);
    assert.equal(notSome.verdict, 'inconclusive');
    assert.match(notSome.reason, /none has no rows, so `some row` cannot decide/);
    // Saying so explicitly decides.
    const explicit = await evaluateClaim(claim('claim: nothing exported\nby: y\nsupported-if: exports has no rows'), r, signal);
    assert.equal(explicit.verdict, 'supported');
  });

  it('inconclusive-if wins: the data cannot decide', async () => {
    const c = claim('claim: x\nby: y\ncontradicted-if: a has rows\ninconclusive-if: gaps has rows');
    const e = await evaluateClaim(c, reader({ a: reads, gaps: reads }), signal);
    assert.equal(e.verdict, 'inconclusive');
    assert.equal(e.decidedBy, 'inconclusive-if');
  });

  it('a list whose items use `or` is recorded with parentheses, so the rule reads as it was evaluated', async () => {
    const c = claim('claim: x\nby: y\nsupported-if: ["nonpublic has rows or exports has rows", "reads has rows"]');
    const e = await evaluateClaim(c, reader({ nonpublic: none, exports, reads }), signal);
    assert.equal(e.verdict, 'supported');
    assert.equal(e.ruleText, '(nonpublic has rows or exports has rows) and reads has rows');
    const wrapped = await evaluateClaim(claim('claim: x\nby: y\nsupported-if: ["(nonpublic has rows or exports has rows)", "reads has rows"]'), reader({ nonpublic: none, exports, reads }), signal);
    assert.equal(wrapped.ruleText, '(nonpublic has rows or exports has rows) and reads has rows', 'not wrapped twice');
    const two = await evaluateClaim(claim('claim: x\nby: y\nsupported-if: ["(nonpublic has rows) or (exports has rows)", "reads has rows"]'), reader({ nonpublic: none, exports, reads }), signal);
    assert.equal(two.ruleText, '((nonpublic has rows) or (exports has rows)) and reads has rows');
  });

  it('a list under one role means all of its conditions must hold', async () => {
    const c = claim('claim: x\nby: y\ncontradicted-if:\n  - a has rows\n  - b has rows');
    assert.equal((await evaluateClaim(c, reader({ a: reads, b: none }), signal)).verdict, 'inconclusive');
    assert.equal((await evaluateClaim(c, reader({ a: reads, b: reads }), signal)).verdict, 'contradicted');
  });

  it('every/no/some row forms use the predicate and show counterexamples', async () => {
    const isPublic = (r: Row) => r.room_visibility === 'public';
    const c = claim('claim: only public\nby: y\nsupported-if: every row of reads satisfies `room_visibility == "public"`\ncontradicted-if: some row of reads satisfies `room_visibility != "public"`');
    const e = await evaluateClaim(c, reader({ reads }, { 'room_visibility == "public"': isPublic, 'room_visibility != "public"': (r) => !isPublic(r) }), signal);
    assert.equal(e.verdict, 'contradicted');
    assert.equal(e.evidence?.table.rowCount, 1);
    assert.equal(e.evidence?.table.row(0).room, 'cabinet');
    const s = claim('claim: only public\nby: y\nsupported-if: no row of reads satisfies `room_visibility != "public"`');
    const onlyPublic = reads.gather([0]);
    assert.equal((await evaluateClaim(s, reader({ reads: onlyPublic }, { 'room_visibility != "public"': (r) => !isPublic(r) }), signal)).verdict, 'supported');
  });

  it('null predicate results count as not satisfying (every-row cannot pass on unknowns)', async () => {
    const c = claim('claim: x\nby: y\nsupported-if: every row of reads satisfies `p`');
    const e = await evaluateClaim(c, reader({ reads }, { p: () => null }), signal);
    assert.equal(e.verdict, 'inconclusive');
  });

  it('error when a referenced cell is missing, naming it', async () => {
    const c = claim('claim: x\nby: y\ncontradicted-if: ghost has rows');
    const e = await evaluateClaim(c, reader({}), signal);
    assert.equal(e.verdict, 'error');
    assert.match(e.reason, /ghost/);
  });

  it('error when an aggregate column does not exist, listing the columns', async () => {
    const c = claim('claim: x\nby: y\nsupported-if: exports total size < 1 MB');
    const e = await evaluateClaim(c, reader({ exports }), signal);
    assert.equal(e.verdict, 'error');
    assert.match(e.reason, /no column `size` \(columns: bytes\)/);
  });

  it('compares 64-bit totals, maxima and minima exactly, with whole and fractional thresholds', async () => {
    // 2^60 and 2^60 + 1 are the same double: the maximum was taken for the threshold.
    const ids = Table.fromRows([{ name: 'id', type: 'long' }], [{ id: 1152921504606846976n }, { id: -5n }]);
    const big = Table.fromRows([{ name: 'x', type: 'long' }], [{ x: 9007199254740993n }, { x: -9007199254740992n }]);
    const verdictOf = async (rule: string, tables: Record<string, Table>) => (await evaluateClaim(claim(`claim: x\nby: y\nsupported-if: ${rule}`), reader(tables), signal)).verdict;
    assert.equal(await verdictOf('ids max id >= 1152921504606846977', { ids }), 'inconclusive');
    assert.equal(await verdictOf('ids max id == 1152921504606846976', { ids }), 'supported');
    assert.equal(await verdictOf('ids min id < -4.5', { ids }), 'supported');
    assert.equal(await verdictOf('ids min id > -5.5', { ids }), 'supported');
    assert.equal(await verdictOf('ids min id > -5', { ids }), 'inconclusive');
    assert.equal(await verdictOf('big total x == 1', { big }), 'supported'); // as doubles the total was 0
    assert.equal(await verdictOf('ids max id > 1 KiB', { ids }), 'supported');
    // 2.01 KB is 2,010 B exactly (in doubles 2009.9999999999998).
    const bytes = Table.fromRows([{ name: 'bytes', type: 'long' }], [{ bytes: 2010n }]);
    assert.equal(await verdictOf('b total bytes <= 2.01 KB', { b: bytes }), 'supported');
    assert.equal(await verdictOf('b max bytes == 2.01 KB', { b: bytes }), 'supported');
    assert.equal(await verdictOf('b max bytes > 2.009 KB', { b: bytes }), 'supported');
    // A NaN among the values (a 0/0) decides nothing, whichever the measure.
    const ratios = Table.fromRows([{ name: 's', type: 'real' }], [{ s: 1.5 }, { s: NaN }]);
    for (const rule of ['r total s != 4', 'r avg s != 0', 'r min s >= 1.5', 'r max s <= 1.5']) assert.equal(await verdictOf(rule, { r: ratios }), 'inconclusive', rule);
    const e = await evaluateClaim(claim('claim: x\nby: y\nsupported-if: ids max id >= 1152921504606846977'), reader({ ids }), signal);
    assert.match(e.reason, /max id of ids is 1,152,921,504,606,846,976 \(rule: >= 1,152,921,504,606,846,977\)/);
  });

  it('a timespan column is no number: the error says how to make one', async () => {
    const spans = Table.fromRows([{ name: 'd', type: 'timespan' }], [{ d: new Timespan(5_000_000) }]);
    const e = await evaluateClaim(claim('claim: x\nby: y\nsupported-if: spans max d > 3'), reader({ spans }), signal);
    assert.equal(e.verdict, 'error');
    assert.match(e.reason, /column `d` of spans is not numeric \(found a timespan; make it a number in the query, for example `duration \/ 1s` for seconds\)/);
  });
});

describe('claims: claim cell syntax', () => {
  it('rejects unknown fields and names the allowed ones', () => {
    assert.throws(() => parseClaim('claim: x\nby: y\ncontradicts-if: a has rows'), /unknown field `contradicts-if`/);
  });
  it('refuses a field given twice, naming it and its line', () => {
    assert.throws(() => parseClaim('claim: a\nby: b\nclaim: c\ncontradicted-if: q has rows\n'), /^ClaimSyntaxError: claim: Map keys must be unique \("claim" is repeated\) \(line 3, column 1\)$/);
  });
  it('says why a cell named like a word of conditions cannot be read', () => {
    assert.throws(() => parseClaim('claim: a\nby: b\ncontradicted-if: rows has rows\n'), /expected a cell id, found `rows`, a word of conditions \(and, or, not, has, rows\): write a cell of that id as `#rows`/);
    assert.deepEqual(parseClaim('claim: a\nby: b\ncontradicted-if: "#rows has rows"\n').rules.map((r) => r.text), ['#rows has rows']);
  });
  it('requires who makes the claim', () => {
    assert.throws(() => parseClaim('claim: x'), /by/);
  });
  it('reports a bad condition with a caret', () => {
    assert.throws(() => parseClaim('claim: x\nby: y\ncontradicted-if: a has'), (e: Error & { detail?: string }) => /contradicted-if/.test(e.message) && /\^/.test(e.detail ?? ''));
  });
  it('fails on any text only with a claim syntax error (seeded)', () => {
    const pieces = ['claim', 'by', 'stated', 'window', 'supported-if', 'contradicted-if', 'inconclusive-if', 'evidence', 'judgement', 'verdict', 'note', ':', ': ', '\n', '\n  ', '- ', '{', '}', '[', ']', ',', "'", '"', '&a ', '*a', '!!str ', '!x ', '#', '|', '>', '<<: ', '---', 'q has rows', 'q has no rows', 'total bytes of q > 1 MB', 'every row of q', 'x ==', '2026-06-09T02:00:00Z .. 2026-06-09T03:00:00Z', 'null', '~'];
    forTextsOf(pieces, (text) => {
      try {
        parseClaim(text);
      } catch (e) {
        if (!(e instanceof Error) || e.name !== 'ClaimSyntaxError') throw new Error(`${JSON.stringify(text)}: ${String(e)}`);
      }
    });
  });

  it('reports aliases that would expand without bound as a claim error, not a crash', () => {
    const laughs = ['claim: x', 'by: y', 'a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'note: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'].join('\n');
    assert.throws(() => parseClaim(laughs), (e: Error) => e.name === 'ClaimSyntaxError' && /^claim: Excessive alias count/.test(e.message));
  });
  it('reads a judgement and rejects an unknown verdict word', () => {
    const c = parseClaim('claim: x\nby: y\njudgement:\n  verdict: contradicted\n  by: J. Analyst\n  rationale: the proxy log shows it');
    assert.equal(c.judgement?.verdict, 'contradicted');
    assert.throws(() => parseClaim('claim: x\nby: y\njudgement:\n  verdict: refuted\n  by: J\n  rationale: r'), /judgement.verdict/);
  });
});
