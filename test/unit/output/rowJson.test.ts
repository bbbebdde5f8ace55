/** A row's JSON text written straight from the columns equals the text of the row's object. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { displayValue, jsonText, rowJsonWriter, rowToJson, stringifyJson, toJsonValue } from '../../../src/core/output/values';
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

  it('keeps entries\' texts only up to a budget, and writes the rows beyond it alike', () => {
    // 6,000 distinct values of 1,000 characters: more text than the writer keeps (4 Mi characters).
    const strings = Array.from({ length: 6000 }, (_, i) => `${i}:`.padEnd(1000, 'x'));
    const table = new Table([{ name: 's', type: 'string' }], [columnFromValues('string', [...strings, ...strings])], 12000);
    const rowJson = rowJsonWriter(table);
    for (let r = 0; r < 12000; r++) assert.equal(rowJson(r), `{"s":"${strings[r % 6000]}"}`);
  });

  it('writes any value as stringifyJson(toJsonValue()) does, without making its JSON form first', () => {
    const leaf = fc.oneof(
      fc.string(),
      fc.constantFrom('\u0085', '\u2028', '"\\', '__proto__'),
      fc.bigInt(),
      fc.double(),
      fc.constantFrom(NaN, Infinity, -Infinity, -0),
      fc.boolean(),
      fc.constant(null),
      fc.integer({ min: -1e15, max: 1e15 }).map((us) => new DateTime(us)),
      fc.constant(new DateTime(1e300)),
      fc.integer().map((us) => new Timespan(us)),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object'), tie('bare')),
      array: fc.array(tie('node'), { maxLength: 4 }),
      // Keys that order differently in objects (array indices first), and __proto__ as plain data.
      object: fc.array(fc.tuple(fc.oneof(fc.string(), fc.constantFrom('0', '10', '2', '__proto__', 'constructor')), tie('node')), { maxLength: 4 }).map((entries) => {
        const o: Record<string, unknown> = {};
        for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
        return o;
      }),
      bare: fc.array(fc.tuple(fc.string(), tie('node')), { maxLength: 3 }).map((entries) => Object.assign(Object.create(null) as object, Object.fromEntries(entries))),
    }));
    fc.assert(
      fc.property(value.node, (v) => {
        assert.equal(jsonText(v as Value), stringifyJson(toJsonValue(v as Value)));
      }),
      { seed: 7122026, numRuns: 2000 },
    );
    // Arrays with holes and undefined elements (built in code, never parsed from JSON).
    const holey = [1n, , undefined, 'x'] as unknown as Value; // eslint-disable-line no-sparse-arrays
    assert.equal(jsonText(holey), stringifyJson(toJsonValue(holey)));
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
