import { strict as assert } from 'node:assert';
import { ConditionSyntaxError, conditionRefs, parseCondition } from '../../../src/core/claims/conditions';
import { forTextsOf } from '../textProperty';

describe('claims: condition language', () => {
  it('parses every rule form', () => {
    assert.deepEqual(parseCondition('nonpublic-reads has rows'), { kind: 'hasRows', ref: 'nonpublic-reads', negated: false });
    assert.deepEqual(parseCondition('#exports has no rows'), { kind: 'hasRows', ref: 'exports', negated: true });
    assert.deepEqual(parseCondition('signins rows >= 3'), { kind: 'rowCount', ref: 'signins', op: '>=', value: 3 });
    assert.deepEqual(parseCondition('exports total bytes < 1 MB'), { kind: 'aggregate', ref: 'exports', aggregate: 'total', column: 'bytes', op: '<', value: { value: 1e6, exact: 1_000_000n }, unit: 'MB' });
    assert.deepEqual(parseCondition('exports sum bytes >= 2 MiB'), { kind: 'aggregate', ref: 'exports', aggregate: 'total', column: 'bytes', op: '>=', value: { value: 2 * 1024 * 1024, exact: 2_097_152n }, unit: 'MiB' });
    assert.deepEqual(parseCondition('gaps max minutes > 30'), { kind: 'aggregate', ref: 'gaps', aggregate: 'max', column: 'minutes', op: '>', value: { value: 30, exact: 30n } });
    assert.deepEqual(parseCondition('every row of reads satisfies `room_visibility == "public"`'), { kind: 'rows', quantifier: 'every', ref: 'reads', predicate: 'room_visibility == "public"' });
    assert.deepEqual(parseCondition('no row of reads satisfies `accessed_without_membership`'), { kind: 'rows', quantifier: 'no', ref: 'reads', predicate: 'accessed_without_membership' });
    // Negative and fractional thresholds; a whole one is kept exactly, for 64-bit values.
    assert.deepEqual(parseCondition('temps min celsius > -5'), { kind: 'aggregate', ref: 'temps', aggregate: 'min', column: 'celsius', op: '>', value: { value: -5, exact: -5n } });
    assert.deepEqual(parseCondition('ids max id >= 1152921504606846977'), { kind: 'aggregate', ref: 'ids', aggregate: 'max', column: 'id', op: '>=', value: { value: 1152921504606846977, exact: 1152921504606846977n } });
    assert.deepEqual(parseCondition('r avg score < 2.5'), { kind: 'aggregate', ref: 'r', aggregate: 'avg', column: 'score', op: '<', value: { value: 2.5 } });
    // A fraction with a unit, or an exponent, that names whole bytes is exact (2.01 * 1000 is 2009.9999999999998 in doubles).
    assert.deepEqual(parseCondition('b total bytes <= 2.01 KB'), { kind: 'aggregate', ref: 'b', aggregate: 'total', column: 'bytes', op: '<=', value: { value: 2010, exact: 2010n }, unit: 'KB' });
    assert.deepEqual(parseCondition('b max bytes > 1e3'), { kind: 'aggregate', ref: 'b', aggregate: 'max', column: 'bytes', op: '>', value: { value: 1000, exact: 1000n } });
    // A zero or a tiny fraction with a huge exponent is read at once (0e999999999 took 30 s).
    assert.deepEqual(parseCondition('b max bytes > 0e999999999'), { kind: 'aggregate', ref: 'b', aggregate: 'max', column: 'bytes', op: '>', value: { value: 0, exact: 0n } });
    assert.deepEqual(parseCondition('b max bytes > 1e-999999'), { kind: 'aggregate', ref: 'b', aggregate: 'max', column: 'bytes', op: '>', value: { value: 0 } });
    assert.deepEqual(parseCondition('b max bytes > 1E6'), { kind: 'aggregate', ref: 'b', aggregate: 'max', column: 'bytes', op: '>', value: { value: 1e6, exact: 1_000_000n } });
    assert.deepEqual(parseCondition('b max bytes > 0.0001 KiB'), { kind: 'aggregate', ref: 'b', aggregate: 'max', column: 'bytes', op: '>', value: { value: 0.1024 }, unit: 'KiB' });
    // Cells whose ids are quantifiers: a quantifier is followed by `row`.
    assert.deepEqual(parseCondition('no has rows and some rows > 2'), { kind: 'and', operands: [{ kind: 'hasRows', ref: 'no', negated: false }, { kind: 'rowCount', ref: 'some', op: '>', value: 2 }] });
  });

  it('combines with not, and, or and parentheses (and binds tighter than or)', () => {
    const c = parseCondition('a has rows or b has rows and not c has rows');
    assert.equal(c.kind, 'or');
    assert.ok(c.kind === 'or' && c.operands[1].kind === 'and');
    const p = parseCondition('(a has rows or b has rows) and c has no rows');
    assert.equal(p.kind, 'and');
    assert.deepEqual(conditionRefs(p), ['a', 'b', 'c']);
  });

  it('fails on any text only with a positioned condition error (seeded)', () => {
    const pieces = ['reads', '#reads', 'a-b', ' ', 'has', 'rows', 'no', 'row', 'of', 'every', 'some', 'satisfies', '`x == 1`', '`', 'total', 'sum', 'max', 'min', 'avg', 'count', 'bytes', '>', '>=', '<', '<=', '==', '!=', '3', '-1', '1.5', '1e400', 'NaN', 'MB', 'MiB', 'KB', 'and', 'or', 'not', '(', ')', '"', '\n', '\u202e'];
    forTextsOf(pieces, (text) => {
      try {
        conditionRefs(parseCondition(text));
      } catch (e) {
        if (!(e instanceof ConditionSyntaxError)) throw new Error(`${JSON.stringify(text)}: ${String(e)}`);
        assert.ok(e.offset >= 0 && e.offset <= text.length, `${JSON.stringify(text)}: offset ${e.offset}`);
        assert.ok(e.format().endsWith('^'));
      }
    });
  });

  it('reports positioned errors that say what was expected', () => {
    const cases: [string, RegExp, number][] = [
      ['reads has', /expected `rows` or `no rows`/, 9],
      ['reads count > 3', /expected `has rows`/, 6],
      ['every row of reads satisfies bytes > 3', /predicate in backticks/, 29],
      ['a has rows b has rows', /combine conditions with `and`/, 11],
      ['exports total bytes < lots', /expected a number/, 22],
      ['exports total bytes < 1e400', /1e400 is too large a number/, 22],
      ['exports total bytes < 1e300 TB', /1e300 TB is too large a number/, 22],
      ['a has rows and', /expected a condition/, 14],
      ['reads rows < 1 KB', /a row count takes no unit \(`KB`\)/, 13],
      ['every rows of reads satisfies `x > 1`', /write `every row of`: the quantifier takes `row`, not `rows`/, 6],
      ['no rows of reads satisfies `x > 1`', /write `no row of`/, 3],
      // A unit in the wrong case read as the start of another condition ("combine conditions with and").
      ['exports total bytes < 1 mb', /unknown unit `mb`; did you mean `MB`\?/, 24],
      ['exports total bytes < 1 kB', /unknown unit `kB`; did you mean `KB`\?/, 24],
    ];
    for (const [text, message, offset] of cases) {
      assert.throws(
        () => parseCondition(text),
        (e: unknown) => e instanceof ConditionSyntaxError && message.test(e.message) && e.offset === offset,
        `${text} -> ${message}`,
      );
    }
  });
});
