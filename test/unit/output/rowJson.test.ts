/** A row's JSON text written straight from the columns equals the text of the row's object. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { displayValue, rowJsonWriter, rowToJson, stringifyJson } from '../../../src/core/output/values';
import { columnFromValues, Table } from '../../../src/core/query/table';
import { DateTime, Timespan, type Value } from '../../../src/core/query/values';

describe('output/row JSON', () => {
  it('writes what stringifyJson(rowToJson()) writes, keys in the order an object lists them', () => {
    const names = ['b', '1', '__proto__', 'a\u2028"', '0', '4294967295', '10', 'é', ''];
    const values: Value[][] = [
      ['x', 'line\u0085break', null],
      [1n, -(2n ** 63n), null],
      [1.5, NaN, -Infinity],
      [new DateTime(Date.UTC(2026, 5, 9) * 1000 + 1), null, new DateTime(-1)],
      [new Timespan(90_000_000), null, new Timespan(-1)],
      [true, false, null],
      [{ b: 1n, a: ['x', null] } as unknown as Value, ['y'] as unknown as Value, null],
      ['', 'z', '\u0000'],
      [3n, 4n, 5n],
    ];
    const types = ['string', 'long', 'real', 'datetime', 'timespan', 'bool', 'dynamic', 'string', 'long'] as const;
    const table = new Table(names.map((name, j) => ({ name, type: types[j] })), values.map((v, j) => columnFromValues(types[j], v)), 3);
    const rowJson = rowJsonWriter(table);
    for (let r = 0; r < 3; r++) assert.equal(rowJson(r), stringifyJson(rowToJson(table, r)));
    assert.deepEqual(Object.keys(JSON.parse(rowJson(0))), ['0', '1', '10', 'b', '__proto__', 'a\u2028"', '4294967295', 'é', '']);
  });

  it('writes repeated strings, datetimes out of range and nulls as the row object does (the texts a column keeps or writes directly)', () => {
    const times = [new DateTime(1e300), null, new DateTime(0), new DateTime(-62135596800000000), new DateTime(NaN), new DateTime(1.5)];
    const strings = ['a"\u2028', 'a"\u2028', '', '\u0085', '', 'a"\u2028'];
    const table = new Table([{ name: 't', type: 'datetime' }, { name: 's', type: 'string' }], [columnFromValues('datetime', times), columnFromValues('string', strings)], times.length);
    const rowJson = rowJsonWriter(table);
    for (let r = 0; r < times.length; r++) assert.equal(rowJson(r), stringifyJson(rowToJson(table, r)));
    assert.equal(rowJson(0), '{"t":"(invalid datetime: 1e+300 µs from 1970)","s":"a\\"\\u2028"}');
  });

  it('agrees with the row object on any names and strings', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.oneof(fc.string(), fc.nat().map(String)), { minLength: 1, maxLength: 6 }), fc.array(fc.oneof(fc.string(), fc.constant(null)), { minLength: 6, maxLength: 6 }), (names, cells) => {
        const table = new Table(names.map((name) => ({ name, type: 'string' as const })), names.map((_, j) => columnFromValues('string', [cells[j]])), 1);
        assert.equal(rowJsonWriter(table)(0), stringifyJson(rowToJson(table, 0)));
      }),
      { seed: 5122026, numRuns: 300 },
    );
  });
});

describe('output/displayValue', () => {
  it('keeps short values whole, cuts long ones saying how much is left out, and survives a value too long to be text', () => {
    assert.equal(displayValue('abc', 3), 'abc');
    assert.equal(displayValue('abcd', 3), 'abc… (1 more character)');
    assert.equal(displayValue(null), '');
    assert.equal(displayValue(12345678901234567890n, 5), '12345… (15 more characters)');
    // V8's error for a string past its limit, as building a large value's JSON throws it.
    const huge = new Proxy([], { get() { throw new RangeError('Invalid string length'); } });
    assert.equal(displayValue(huge as never), '… (a value too long to be text)');
    assert.throws(() => displayValue(new Proxy([], { get() { throw new TypeError('other'); } }) as never), TypeError);
  });
});
