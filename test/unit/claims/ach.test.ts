import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { achMatrix, consistency, type AchClaim } from '../../../src/core/claims/ach';
import { parseNotebook } from '../../../src/core/format';
import { runNotebook } from '../../../src/core/notebook/runner';
import { chartToSvg } from '../../../src/core/charts/svg';
import { renderMarkdownReport } from '../../../src/core/report/markdownReport';

const official: AchClaim = {
  id: 'official',
  statement: 'Only public rooms were exposed',
  verdict: 'contradicted',
  outcomes: [
    { role: 'contradicted-if', refs: ['nonpublic'], holds: true },
    { role: 'supported-if', refs: ['attacker-reads', 'nonpublic'], holds: false },
  ],
};
const attacker: AchClaim = {
  id: 'attacker',
  statement: 'We read private rooms',
  verdict: 'supported',
  outcomes: [
    { role: 'supported-if', refs: ['nonpublic'], holds: true },
    { role: 'inconclusive-if', refs: ['gaps'], holds: false },
  ],
};
const exfil: AchClaim = {
  id: 'exfil',
  statement: 'We exported files',
  verdict: 'supported',
  outcomes: [
    { role: 'supported-if', refs: ['exports'], holds: true },
    { role: 'contradicted-if', refs: ['attacker-reads'], holds: false },
  ],
};

describe('claims: competing hypotheses (ACH)', () => {
  it('marks evidence consistent, inconsistent or neutral per claim', () => {
    assert.equal(consistency(official, 'nonpublic'), 'I');
    assert.equal(consistency(attacker, 'nonpublic'), 'C');
    assert.equal(consistency(official, 'exports'), 'N');
    assert.equal(consistency(attacker, 'gaps'), 'N', 'inconclusive-if rules are about coverage, not consistency');
    assert.equal(consistency(exfil, 'attacker-reads'), 'C', 'a contradicting rule that fails is consistent');
    assert.equal(consistency(official, 'attacker-reads'), 'I', 'a supporting rule that fails is inconsistent');
  });

  it('ranks evidence by how well it separates the claims', () => {
    const m = achMatrix([official, attacker, exfil]);
    assert.deepEqual(
      m.rows.map((r) => [r.evidence, r.cells.join(''), r.diagnosticity]),
      [
        ['attacker-reads', 'INC', 2], // ties on spread and inconsistencies are broken by name
        ['nonpublic', 'ICN', 2],
        ['exports', 'NNC', 1],
      ],
    );
  });

  it('gives evidence consistent with every claim no diagnostic value', () => {
    const a: AchClaim = { id: 'a', statement: '', verdict: 'supported', outcomes: [{ role: 'supported-if', refs: ['x'], holds: true }] };
    const b: AchClaim = { id: 'b', statement: '', verdict: 'supported', outcomes: [{ role: 'supported-if', refs: ['x'], holds: true }] };
    assert.equal(achMatrix([a, b]).rows[0].diagnosticity, 0);
  });

  it('judges a conjunction part by part: a part that held is not inconsistent because another failed', async () => {
    // official-scope: supported-if "attacker_reads has rows and nonpublic_reads has no rows" fails,
    // because nonpublic_reads has rows; attacker_reads does have rows, which is consistent with it.
    const dir = join(__dirname, '../../fixtures/workspace');
    const parsed = parseNotebook(readFileSync(join(dir, 'claims.casebook.md'), 'utf8'));
    assert.ok(parsed.ok);
    const run = await runNotebook(parsed.notebook, { baseDir: dir });
    const ach = run.cells.find((c) => c.id === 'summary')!.result.outputs.find((o) => o.type === 'table' && o.title === 'Competing hypotheses');
    assert.ok(ach && ach.type === 'table');
    const rows = Array.from({ length: ach.table.rowCount }, (_, i) => ach.table.columns.map((c) => String(c.get(i))));
    assert.deepEqual(rows, [
      ['nonpublic_reads', '1', 'inconsistent', 'neutral'],
      ['attacker_reads', '1', 'consistent', 'neutral'],
      ['exports', '1', 'neutral', 'consistent'],
    ]);
  });

  it('never gives a claim without an id the id of another claim', () => {
    const claims: AchClaim[] = [{ statement: 'a', verdict: 'supported', outcomes: [{ role: 'supported-if', refs: ['x'], holds: true }] }, { id: 'claim-1', statement: 'b', verdict: 'supported', outcomes: [{ role: 'supported-if', refs: ['x'], holds: true }] }];
    assert.deepEqual(achMatrix(claims).claims.map((c) => c.id), ['claim-1-unnamed', 'claim-1']);
  });

  it('names every column uniquely and keeps each claim\'s inline evidence a row of its own, in the claims cell and in reports', async () => {
    const dir = join(__dirname, '../../fixtures/workspace');
    const text = [
      '---', 'sources:', '  auth: data/auth.jsonl', '---', '',
      '```kql #fails', 'auth | where outcome == "failure"', '```', '',
      // Two claims without ids, one with the id `evidence`, two with inline evidence named `e`.
      '```claim', 'claim: someone failed', 'by: a', 'supported-if: fails has rows', '```', '',
      '```claim', 'claim: nobody failed', 'by: b', 'contradicted-if: fails has rows', '```', '',
      '```claim #evidence', 'claim: the clerk never failed', 'by: c', 'evidence:', '  e: auth | where user == "b.clerk" and outcome == "failure"', 'contradicted-if: e has rows', '```', '',
      '```claim #other', 'claim: nobody signed in', 'by: d', 'evidence:', '  e: auth | where outcome == "success"', 'contradicted-if: e has rows', '```', '',
      '```claims #summary', '```', '',
    ].join('\n');
    const parsed = parseNotebook(text);
    assert.ok(parsed.ok);
    const run = await runNotebook(parsed.notebook, { baseDir: dir });
    const ach = run.cells.find((c) => c.id === 'summary')!.result.outputs.find((o) => o.type === 'table' && o.title === 'Competing hypotheses');
    assert.ok(ach && ach.type === 'table');
    assert.deepEqual(ach.table.schema.map((c) => c.name), ['evidence', 'diagnosticity', 'claim-1', 'claim-2', 'evidence-2', 'other']);
    const rows = Object.fromEntries(Array.from({ length: ach.table.rowCount }, (_, i) => [String(ach.table.columns[0].get(i)), ach.table.columns.slice(2).map((c) => String(c.get(i)))]));
    assert.deepEqual(rows.fails, ['consistent', 'inconsistent', 'neutral', 'neutral']);
    assert.ok(rows['e (evidence-2)'] && rows['e (other)'], Object.keys(rows).join(', '));
    assert.equal(rows['e (other)'][3], 'inconsistent');
    assert.equal(rows['e (other)'][2], 'neutral');
    const md = await renderMarkdownReport({ file: parsed.notebook, run, source: 'ach.casebook.md', chartToSvg, writeChart: async () => '' });
    assert.match(md, /\| Evidence \| Diagnosticity \| claim-1 \| claim-2 \| evidence-2 \| other \|/);
    assert.match(md, /\| e \\\(other\\\) \| 1 \| neutral \| neutral \| neutral \| \*\*inconsistent\*\* \|/);
  });
});
