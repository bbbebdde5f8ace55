/** Dictionaries that keep ASCII values as bytes read as the strings they hold, whole or lazy. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addAsciiBytes, addString, allEntries, copyDictionary, dictionaryBytes, dictionaryOf, entryAt, indexOfEmpty, isLazy, lazyDictionary, type Dictionary } from '../../../src/core/query/dictionary';

const ascii = fc.stringMatching(/^[\x20-\x7e]{0,40}$/);

/** A lazy dictionary of the values (distinct), added as bytes. */
function lazyOf(values: readonly string[]): Dictionary {
  const d = lazyDictionary();
  for (const v of values) {
    const bytes = Buffer.from(` ${v} `, 'latin1');
    assert.equal(addAsciiBytes(d, bytes, 1, bytes.length - 1), d.size - 1);
  }
  return d;
}

describe('query/dictionary', () => {
  it('reads lazy entries as the strings of their bytes, one by one and all at once', () => {
    fc.assert(
      fc.property(fc.uniqueArray(ascii, { maxLength: 300 }), (values) => {
        const d = lazyOf(values);
        assert.equal(d.size, values.length);
        for (let c = 0; c < Math.min(values.length, 20); c++) assert.equal(entryAt(d, c), values[c]);
        assert.ok(isLazy(d), 'reads up to its size leave it lazy');
        assert.deepEqual(allEntries(d), values);
        assert.ok(!isLazy(d));
      }),
    );
  });

  it('becomes whole once it has read as many entries one by one as it holds', () => {
    const d = lazyOf(['a', 'b', 'c']);
    for (let k = 0; k < 3; k++) entryAt(d, k);
    assert.ok(isLazy(d));
    assert.equal(entryAt(d, 1), 'b');
    assert.ok(!isLazy(d));
    assert.deepEqual(d.strings, ['a', 'b', 'c']);
  });

  it('adding a string keeps every entry and code; adding bytes to a whole dictionary adds their string', () => {
    const d = lazyOf(['x', 'yy', '']);
    assert.equal(addString(d, 'caf\u00e9'), 3);
    assert.deepEqual(allEntries(d), ['x', 'yy', '', 'caf\u00e9']);
    assert.equal(addAsciiBytes(d, Buffer.from('zz'), 0, 2), 4);
    assert.deepEqual(d.strings, ['x', 'yy', '', 'caf\u00e9', 'zz']);
  });

  it('copies are independent of the original, lazy or whole, and may be cut short', () => {
    for (const original of [lazyOf(['a', 'bb', 'ccc']), dictionaryOf(['a', 'bb', 'ccc'])]) {
      const copy = copyDictionary(original, 2);
      assert.equal(isLazy(copy), isLazy(original));
      addAsciiBytes(copy, Buffer.from('d'), 0, 1);
      assert.deepEqual(allEntries(copy), ['a', 'bb', 'd']);
      assert.deepEqual(allEntries(original), ['a', 'bb', 'ccc']);
    }
  });

  it('grows past its first buffers and survives structured cloning (threads send it)', () => {
    const values = Array.from({ length: 5000 }, (_, i) => `user-${i}-${'x'.repeat(i % 13)}`);
    const cloned = structuredClone(lazyOf(values));
    assert.ok(isLazy(cloned));
    assert.equal(entryAt(cloned, 4321), values[4321]);
    assert.deepEqual(allEntries(cloned), values);
  });

  it('finds the empty string without making strings, and estimates its size', () => {
    const d = lazyOf(['a', '', 'b']);
    assert.equal(indexOfEmpty(d), 1);
    assert.equal(indexOfEmpty(lazyOf(['a', 'b'])), -1);
    assert.ok(isLazy(d));
    assert.ok(dictionaryBytes(d) >= 2);
    assert.equal(indexOfEmpty(dictionaryOf(['a', ''])), 1);
    assert.equal(dictionaryBytes(dictionaryOf(['ab'])), 32 + 4);
  });
});
