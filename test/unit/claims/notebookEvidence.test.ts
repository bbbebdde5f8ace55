/**
 * Claims run in a notebook: what their predicates may be, and which results can be evidence.
 * Real notebook text over the workspace fixture's auth log (7 events and a malformed line).
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { parseNotebook } from '../../../src/core/format';
import { runNotebook, type NotebookRun } from '../../../src/core/notebook/runner';
import type { SessionLimits } from '../../../src/core/notebook/session';

const dir = join(__dirname, '../../fixtures/workspace');

async function run(cells: string[], limits?: SessionLimits): Promise<NotebookRun> {
  const text = ['---', 'sources:', '  auth: data/auth.jsonl', '---', '', ...cells.flatMap((c) => [c, ''])].join('\n');
  const parsed = parseNotebook(text);
  assert.ok(parsed.ok);
  return runNotebook(parsed.notebook, { baseDir: dir, ...(limits ? { limits } : {}) });
}

function claimResult(r: NotebookRun, id: string) {
  const cell = r.cells.find((c) => c.id === id);
  assert.ok(cell, `no cell #${id}`);
  return cell.result;
}

describe('claims in a notebook: predicates and evidence', () => {
  it('refuses a predicate that is no condition instead of reading it as truthiness', async () => {
    // tobool(bytes) made `every row satisfies \`bytes\`` hold for every non-zero value.
    const r = await run([
      '```kql #signins', 'auth | extend n = strlen(user)', '```',
      '```claim #typo', 'claim: every user name is long', 'by: x', 'supported-if: every row of signins satisfies `n`', '```',
      '```claim #text', 'claim: x', 'by: x', 'supported-if: some row of signins satisfies `"true"`', '```',
      '```claim #fine', 'claim: someone failed', 'by: x', 'supported-if: some row of signins satisfies `outcome == "failure" and n > 3`', '```',
    ]);
    for (const [id, type] of [['typo', 'long'], ['text', 'string']]) {
      const typo = claimResult(r, id);
      assert.equal(typo.ok, false, id);
      assert.match(typo.error?.message ?? '', new RegExp(`in the predicate \`[^\`]+\` of signins: it is a ${type}, not a condition`), id);
    }
    assert.equal(claimResult(r, 'fine').summary, 'supported');
    // A dynamic value that is neither true nor false (the text "true", a 1) is refused, not counted either way.
    const flags = await run([
      '```kql #flags', 'auth | extend d = iff(user == "a.official", dynamic({"flag": "true"}), dynamic({"flag": true}))', '```',
      '```claim #dyn', 'claim: all flagged', 'by: x', 'supported-if: every row of flags satisfies `d.flag`', '```',
      '```claim #read', 'claim: all flagged', 'by: x', 'supported-if: every row of flags satisfies `tobool(d.flag)`', '```',
    ]);
    assert.match(claimResult(flags, 'dyn').error?.message ?? '', /in the predicate `d\.flag` of flags: row \d+ holds "true", not true or false/);
    assert.equal(claimResult(flags, 'read').summary, 'supported');
  });

  it('a row rule whose predicate is null on every row (a misspelt member) cannot decide', async () => {
    // `no row satisfies` a predicate null everywhere was supported: 0 of 7 rows satisfied it.
    // (An ordering with null is null; `==` with null is false, as in Kusto, so it still decides.)
    const r = await run([
      '```kql #signins', 'auth | extend meta = bag_pack("k", user, "n", strlen(user))', '```',
      '```claim #misspelt', 'claim: no user name is long', 'by: x', 'supported-if: no row of signins satisfies `meta.nn > 20`', '```',
      '```claim #spelt', 'claim: nobody is a.official', 'by: x', 'contradicted-if: some row of signins satisfies `meta.k == "a.official"`', '```',
    ]);
    assert.equal(claimResult(r, 'misspelt').summary, 'inconclusive');
    assert.equal(claimResult(r, 'spelt').summary, 'contradicted');
  });

  it('does not decide a claim on a result the row limit cut (an error until the cell is filtered or the limit raised)', async () => {
    const cells = [
      '```kql #all', 'auth', '```',
      '```claim #count', 'claim: at most two events', 'by: x', 'supported-if: all rows <= 2', '```',
      '```claim #inline', 'claim: at most two events', 'by: x', 'evidence:', '  every: auth | project user', 'supported-if: every rows <= 2', '```',
    ];
    const cut = await run([...cells, '```kql #downstream', 'all | count', '```'], { maxResultRows: 2 });
    // A query over the cut result says it counts part of the rows.
    assert.match(claimResult(cut, 'downstream').warnings.join('\n'), /cell #all kept 2 of its 7 rows \(row limit\): this result is computed from those/);
    for (const id of ['count', 'inline']) {
      const c = claimResult(cut, id);
      assert.equal(c.summary, 'error', id);
      assert.match(c.error?.message ?? '', /kept 2 of its 7 rows \(the row limit, casebook\.query\.maxResultRows\), and a verdict needs every row/, id);
    }
    // Through a cell that read the cut one, and an inline query over it, the claim is still no verdict.
    const chained = await run([
      '```kql #all', 'auth', '```',
      '```kql #n', 'all | summarize c = count()', '```',
      '```claim #through', 'claim: at most two events', 'by: x', 'supported-if: n total c <= 2', '```',
      '```claim #inline-through', 'claim: at most two events', 'by: x', 'evidence:', '  cnt: all | summarize c = count()', 'supported-if: cnt total c <= 2', '```',
      '```kql #again', 'n', '```',
    ], { maxResultRows: 2 });
    for (const id of ['through', 'inline-through']) {
      assert.equal(claimResult(chained, id).summary, 'error', id);
      assert.match(claimResult(chained, id).error?.message ?? '', /computed from part of the rows of cell #all \(the row limit/, id);
    }
    assert.match(claimResult(chained, 'again').warnings.join('\n'), /cell #n was computed from part of the rows of cell #all \(row limit\), and so is this result/);
    // Through a let defined over the cut cell, and through a predicate that reads it, too; a
    // query that reads only the source is not blamed for another's read.
    const around = await run([
      '```kql #all', 'auth', '```',
      '```kql #defs', 'let X = all | summarize c = count();', '```',
      '```kql #n', 'X', '```',
      '```kql #users', 'auth | distinct user | order by user asc', '```',
      '```kql #last', 'auth | where user == "c.admin" | take 1', '```',
      '```claim #via-let', 'claim: at most two events', 'by: x', 'supported-if: n total c <= 2', '```',
      '```claim #inline-let', 'claim: at most two events', 'by: x', 'evidence:', '  cnt: X', 'supported-if: cnt total c <= 2', '```',
      '```claim #predicate', 'claim: the last signer is unknown', 'by: x', 'evidence:', '  plain: auth | take 1', 'supported-if: plain has rows and every row of last satisfies `user !in (users)`', '```',
    ], { maxResultRows: 2 });
    for (const [id, what] of [['via-let', 'cell #n'], ['inline-let', 'the evidence query cnt'], ['predicate', 'the predicate `user !in \\(users\\)` of last']]) {
      assert.equal(claimResult(around, id).summary, 'error', id);
      assert.match(claimResult(around, id).error?.message ?? '', new RegExp(`${what} was computed from part of the rows of cell #(all|users)`), id);
    }
    // A scalar let over the cut cell, evaluated where it is defined and read in another cell, and
    // a timeline drawing the cut cell.
    const elsewhere = await run([
      '```kql #all', 'auth', '```',
      '```kql #defs', 'let N = toscalar(all | count);', '```',
      '```kql #n', 'print c = N', '```',
      '```claim #scalar', 'claim: at most two events', 'by: x', 'supported-if: n total c <= 2', '```',
      '```claim #scalar-inline', 'claim: at most two events', 'by: x', 'evidence:', '  cnt: print c = N', 'supported-if: cnt total c <= 2', '```',
      '```timeline #t', 'from: "#all"', 'time: timestamp', '```',
    ], { maxResultRows: 2 });

    for (const id of ['scalar', 'scalar-inline']) {
      assert.equal(claimResult(elsewhere, id).summary, 'error', id);
      assert.match(claimResult(elsewhere, id).error?.message ?? '', /computed from part of the rows of cell #all/, id);
    }
    assert.match(claimResult(elsewhere, 'n').warnings.join('\n'), /the definitions of #defs were computed from part of the rows of cell #all \(row limit\), and so is this result/);
    assert.match(claimResult(elsewhere, 't').warnings.join('\n'), /cell #all kept 2 of its 7 rows \(row limit\)/);
    const whole = await run(cells);
    // Every row read: 7 events are more than 2, so the rule does not hold.
    assert.deepEqual(['count', 'inline'].map((id) => claimResult(whole, id).summary), ['inconclusive', 'inconclusive']);
  });
});
