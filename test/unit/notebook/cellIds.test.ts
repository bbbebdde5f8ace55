import { strict as assert } from 'node:assert';
import { applyEdits, freshId, idReferences, kqlTableName } from '../../../src/core/notebook/cellIds';
import { forTextsOf } from '../textProperty';

const rename = (kind: string, text: string, from: string, to: string) => {
  const r = idReferences(kind, text, from, to);
  return { text: applyEdits(text, r.edits), unsure: r.unsure };
};

describe('cell ids: renaming updates every reference, structurally', () => {
  it('renames table references in queries, not columns or strings with the same name', () => {
    const q = 'fails\n| join kind=inner (fails | project user) on user\n| where note != "fails" and fails_count > 1\n| extend fails = 1';
    assert.equal(rename('kql', q, 'fails', 'failures').text, 'failures\n| join kind=inner (failures | project user) on user\n| where note != "fails" and fails_count > 1\n| extend fails = 1');
  });

  it('writes bracketed names for ids that are not identifiers, and reads them', () => {
    assert.equal(kqlTableName('victim-fails'), "['victim-fails']");
    assert.equal(rename('kql', "['victim-fails'] | count", 'victim-fails', 'victim_fails').text, 'victim_fails | count');
    assert.equal(rename('kql', 'union fails, other', 'fails', 'victim-fails').text, "union ['victim-fails'], other");
  });

  it('renames claim condition references and leaves statements and predicates alone', () => {
    const claim = 'claim: fails were rare\nby: fails team\ncontradicted-if: fails has rows\nsupported-if:\n  - "#fails has no rows"\n  - every row of fails satisfies `fails == 0`';
    const r = rename('claim', claim, 'fails', 'failures');
    assert.equal(r.text, 'claim: fails were rare\nby: fails team\ncontradicted-if: failures has rows\nsupported-if:\n  - "#failures has no rows"\n  - every row of failures satisfies `fails == 0`');
    // The predicate names `fails` as well: a column, or the cell (predicates may read cells), so a person checks.
    assert.equal(r.unsure, true);
    assert.equal(rename('claim', 'claim: x\nby: y\ncontradicted-if: every row of fails satisfies `n == 0`', 'fails', 'failures').unsure, false);
    assert.equal(rename('claim', 'claim: x\nby: y\ncontradicted-if: some row of q satisfies `ip in (attackers)`', 'attackers', 'bad-ips').unsure, true);
    // A cell named like a quantifier: the quantifier stays.
    assert.equal(rename('claim', 'claim: x\nby: y\ncontradicted-if: some row of some satisfies `n > 1` and some has rows', 'some', 'many').text, 'claim: x\nby: y\ncontradicted-if: some row of many satisfies `n > 1` and many has rows');
    const escaped = rename('claim', 'claim: x\nby: y\ncontradicted-if: "fails has rows \\u0020"', 'fails', 'failures');
    assert.equal(escaped.unsure, true, 'a condition written with escapes is flagged for a person to check');
  });

  it('renames timeline sources and claim windows', () => {
    assert.equal(rename('timeline', 'from: fails\nclaims: [c1, other]\nlane: user', 'c1', 'scope').text, 'from: fails\nclaims: [scope, other]\nlane: user');
    assert.deepEqual(rename('timeline', 'from: "#fails"', 'fails', 'x'), { text: 'from: "#x"', unsure: false });
  });

  it('never fails on a claim or timeline cell of any text, and edits only where the old id was (seeded)', () => {
    const pieces = ['claim', 'by', 'supported-if', 'contradicted-if', 'evidence', 'from', 'claims', 'query', 'lane', ':', ': ', '\n', '\n  ', '\n  - ', '- ', '{', '}', '[', ']', ',', "'", '"', '\\u0020', '&a ', '*a', '!!str ', '!x ', '#', '|', '>', '<<: ', 'fails', '#fails', 'fails has rows', 'every row of fails satisfies `x == 1`', 'fails | count', 'other'];
    for (const kind of ['claim', 'timeline']) {
      forTextsOf(pieces, (text) => {
        const r = idReferences(kind, text, 'fails', 'failures');
        for (const e of r.edits) assert.equal(text.slice(e.start, e.end), 'fails', JSON.stringify(text));
        applyEdits(text, r.edits);
      });
    }
  });

  it('makes fresh ids for copies', () => {
    assert.equal(freshId('fails', new Set(['fails'])), 'fails-2');
    assert.equal(freshId('fails-2', new Set(['fails', 'fails-2', 'fails-3'])), 'fails-4');
  });
});
