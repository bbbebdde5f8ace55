import { strict as assert } from 'node:assert';
import { achMatrix, consistency, type AchClaim } from '../../../src/core/claims/ach';

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
});
