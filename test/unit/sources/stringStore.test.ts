/** Strings coded from their bytes must get exactly the codes coding the decoded strings gives. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BytesToCode } from '../../../src/core/sources/bytesToCode';
import { allEntries, isLazy } from '../../../src/core/query/dictionary';
import { decodeFlat, RawString, StringStore, type StorePart } from '../../../src/core/sources/columnStores';
import { InferredColumn } from '../../../src/core/sources/columns';

function fnv(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h;
}

/** `raw` set to v's bytes as a scanner leaves them: inside a quoted string of a fresh buffer. */
function rawOf(raw: RawString, v: string): RawString {
  const buf = Buffer.from(`"${v}"`, 'utf8');
  raw.buf = buf;
  raw.start = 1;
  raw.end = buf.length - 1;
  raw.hash = fnv(buf, 1, buf.length - 1);
  return raw;
}

describe('sources/string store', () => {
  it('decodes bytes of every length as UTF-8, short ASCII ones included', () => {
    const ascii = Buffer.from(Array.from({ length: 80 }, (_, i) => String.fromCharCode(0x20 + ((i * 37) % 95))).join(''), 'latin1');
    for (let start = 0; start < 3; start++) for (let end = start; end <= ascii.length; end++) assert.equal(decodeFlat(ascii, start, end), ascii.toString('utf8', start, end));
    // A byte of 0x80 or more among the first eight is UTF-8, not a Latin-1 character.
    for (const v of ['é', 'aé', 'abcdefé', '€', 'x€y', 'ünïcödé!', '\u{1f600}']) {
      const bytes = Buffer.from(`"${v}"`, 'utf8');
      assert.equal(decodeFlat(bytes, 1, bytes.length - 1), v);
    }
  });

  it('pushBytes and push agree on every row, across table growth and long values', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.stringMatching(/^[ab\u00e9]{0,12}$/), fc.string({ maxLength: 20 }).map((s) => s.replace(/["\\\u0000-\u001f]/g, '')), fc.constantFrom('', 'abcdefgh', 'abcdefghi', 'x'.repeat(600))), { maxLength: 3000 }), fc.boolean(), (values, mixed) => {
        const bytes = new StringStore();
        const text = new StringStore();
        const raw = new RawString();
        values.forEach((v, i) => {
          text.push(v);
          if (mixed && i % 3 === 0) return bytes.push(v);
          bytes.pushBytes(rawOf(raw, v));
        });
        assert.deepEqual(bytes.dictionary, text.dictionary);
        for (let i = 0; i < values.length; i++) assert.equal(bytes.code(i), text.code(i));
      }),
      { seed: 808, numRuns: 200 },
    );
  });

  it('deferred lookups give the codes of immediate ones, with nulls, long values and reads in between', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(null), fc.stringMatching(/^[ab\u00e9]{0,12}$/), fc.integer({ min: 0, max: 400 }).map((n) => `id${n}`), fc.constantFrom('', 'abcdefgh', 'abcdefghi', 'x'.repeat(600))), { minLength: 1, maxLength: 20_000, size: 'max' }),
        fc.constantFrom(1, 256, 512),
        fc.nat(),
        (values, deferFrom, readEvery) => {
          const deferred = new StringStore(false, deferFrom);
          const immediate = new StringStore();
          const raw = new RawString();
          values.forEach((v, i) => {
            if (v === null) {
              deferred.pushNull();
              immediate.pushNull();
            } else {
              deferred.pushBytes(rawOf(raw, v));
              immediate.pushBytes(raw);
              raw.buf.fill(0x7a); // overwritten after each row, as a reader reuses its chunk
            }
            // Reads in between see every row so far, by value or by code.
            if (readEvery > 0 && i % (readEvery % 5000 + 1) === 0) {
              if (readEvery % 2 === 0) assert.equal(deferred.get(i), immediate.get(i));
              else assert.equal(deferred.code(i), immediate.code(i));
            }
          });
          assert.equal(deferred.length, immediate.length);
          assert.deepEqual(deferred.dictionary, immediate.dictionary);
          for (let i = 0; i < values.length; i++) {
            assert.equal(deferred.code(i), immediate.code(i));
            assert.equal(deferred.get(i), values[i]);
          }
        },
      ),
      { seed: 909, numRuns: 40 },
    );
  });

  it('codes values read as bytes and then as strings by first appearance, whichever way each came', () => {
    // Until a string comes as a string, ASCII values read as bytes skip the string index; the
    // index must then catch up (across its switch from a Map to a table at 4,096 values).
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 9000 }).map((n) => `v${n}`), fc.integer({ min: 0, max: 9000 }).map((n) => `é${n}`), fc.constantFrom('', 'x'.repeat(600))), { minLength: 1, maxLength: 12_000, size: 'max' }),
        fc.nat(),
        fc.constantFrom(1, 256, undefined),
        (values, switchAt, deferFrom) => {
          const store = new StringStore(false, deferFrom);
          const raw = new RawString();
          const expected = new Map<string, number>();
          const at = switchAt % (values.length + 1);
          values.forEach((v, i) => {
            if (!expected.has(v)) expected.set(v, expected.size);
            if (i >= at && i % 2 === 0) return store.push(v);
            store.pushBytes(rawOf(raw, v));
          });
          assert.deepEqual(store.dictionary, [...expected.keys()]);
          values.forEach((v, i) => assert.equal(store.code(i), expected.get(v)));
          for (const v of values.slice(0, 50)) assert.equal(store.intern(v), expected.get(v));
        },
      ),
      { seed: 1205, numRuns: 30 },
    );
  });

  it('keeps matching long byte strings that decode to one string (invalid UTF-8), each by its own bytes', () => {
    // Both decode to U+FFFD then the same text, so they share a code; a table that kept one copy
    // of the bytes per code stopped matching the first, and grew a slot and a copy per row.
    const a = Buffer.from([0xff, ...Buffer.from('aaaaaaaaaaaa')]), b = Buffer.from([0xfe, ...Buffer.from('aaaaaaaaaaaa')]);
    for (const deferFrom of [undefined, 1]) {
      const store = new StringStore(false, deferFrom);
      const raw = new RawString();
      for (let i = 0; i < 2000; i++) {
        const buf = i % 2 === 0 ? a : b;
        raw.buf = buf;
        raw.start = 0;
        raw.end = buf.length;
        raw.hash = fnv(buf, 0, buf.length);
        store.pushBytes(raw);
      }
      assert.deepEqual(store.dictionary, ['\ufffdaaaaaaaaaaaa']);
      const table = new BytesToCode();
      table.add(a, 0, a.length, fnv(a, 0, a.length), 0);
      table.add(b, 0, b.length, fnv(b, 0, b.length), 0);
      assert.equal(table.find(a, 0, a.length, fnv(a, 0, a.length)), 0);
      assert.equal(table.find(b, 0, b.length, fnv(b, 0, b.length)), 0);
    }
  });

  it('a column whose lookups are still queued widens to dynamic with every value in place', () => {
    // 120,000 distinct ids: the bytes table grows past the size from which lookups are deferred.
    const column = new InferredColumn();
    const raw = new RawString();
    const expected: (string | bigint | null)[] = [];
    for (let i = 0; i < 120_000; i++) {
      if (i % 1000 === 7) {
        expected.push(null); // a row never set is null
        continue;
      }
      column.setRaw(i, rawOf(raw, `id${i % 110_000}`));
      expected[i] = `id${i % 110_000}`;
    }
    column.set(expected.length, 42n);
    expected.push(42n);
    column.setRaw(expected.length, rawOf(raw, 'id5'));
    expected.push('id5');
    const { type, column: finished } = column.finish(expected.length);
    assert.equal(type, 'dynamic');
    expected.forEach((v, i) => assert.deepEqual(finished.get(i), v, `row ${i}`));
  });

  it('merges parts as pushing their rows one by one does, the first dictionary taken as it is', () => {
    // Parts of two or three tables (each its own dictionary, entries distinct, some rows null),
    // cut into pieces that share them, appended in any order between runs of null rows, then more
    // values pushed: every row reads as the values given, no value is in the dictionary twice,
    // and the first part's dictionary leads the merged one. Some tables are large enough that the
    // merged dictionary has moved from its map to its hash table.
    const value = fc.oneof(fc.constantFrom('a', 'b', 'c', ''), fc.stringMatching(/^[a-e]{1,6}$/));
    const row = fc.oneof({ weight: 9, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) });
    const table = fc.oneof({ weight: 4, arbitrary: fc.array(row, { minLength: 1, maxLength: 400 }) }, { weight: 1, arbitrary: fc.integer({ min: 4000, max: 6000 }).map((n) => Array.from({ length: n }, (_, i) => `v${(i * 7) % 5000}`)) });
    const check = (tables: (string | null)[][], cuts: number[], nullRuns: number[], after: string[]) => {
      const sources = tables.map((rows) => {
        const s = new StringStore();
        for (const v of rows) (v === null ? s.pushNull() : s.push(v));
        return s.export() as Extract<StorePart, { kind: 'string' }>;
      });
      const merged = new StringStore();
      const expected: (string | null)[] = [];
      const pieces = sources.map((s, t) => {
        const at = [...new Set(cuts.map((c) => c % (s.codes.length + 1)))].sort((a, b) => a - b);
        return [0, ...at, s.codes.length].slice(0, -1).map((from, i, all) => ({ t, from, to: i + 1 < all.length ? all[i + 1] : s.codes.length }));
      });
      let gap = 0;
      for (let i = 0; pieces.some((p) => i < p.length); i++) {
        for (const p of pieces) {
          const piece = p[i];
          if (!piece) continue;
          const s = sources[piece.t];
          merged.appendPart(s.dict, s.codes.subarray(piece.from, piece.to), s.nulls?.subarray(piece.from, piece.to) ?? null);
          expected.push(...tables[piece.t].slice(piece.from, piece.to));
          const nulls = nullRuns[gap++ % Math.max(1, nullRuns.length)] ?? 0;
          merged.appendNulls(nulls);
          for (let k = 0; k < nulls; k++) expected.push(null);
        }
      }
      for (const v of after) {
        merged.push(v);
        expected.push(v);
      }
      assert.equal(merged.length, expected.length);
      for (let r = 0; r < expected.length; r++) assert.equal(merged.get(r), expected[r], `row ${r}`);
      assert.equal(new Set(merged.dictionary).size, merged.dictionary.length, 'no value twice');
      assert.deepEqual(merged.dictionary.slice(0, sources[0].dict.size), allEntries(sources[0].dict), 'the first dictionary leads');
    };
    fc.assert(
      fc.property(fc.array(table, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 8 }), fc.array(fc.nat({ max: 3 }), { maxLength: 4 }), fc.array(value, { maxLength: 50 }), check),
      { seed: 27112026, numRuns: 200 },
    );
  });

  it('appends the parts of a running table as its dictionary grows, then takes more rows as bytes', () => {
    // A reader exports its running table after each range: later parts share the dictionary's
    // array, longer by then, so the merge extends its remap of it. The merged store starts empty
    // (it takes the dictionary as it is) or not (it looks each entry up); rows pushed as bytes
    // afterwards must find the strings it took.
    const value = fc.oneof(fc.constantFrom('a', 'b', '', 'caf\u00e9'), fc.stringMatching(/^[a-d]{1,10}$/));
    const row = fc.oneof({ weight: 9, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) });
    fc.assert(
      fc.property(fc.array(fc.array(row, { minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 5 }), fc.array(value, { maxLength: 40 }), fc.boolean(), (ranges, after, startsEmpty) => {
        const raw = new RawString();
        const source = new StringStore();
        const merged = new StringStore();
        const expected: (string | null)[] = [];
        if (!startsEmpty) {
          merged.push('b');
          expected.push('b');
        }
        let from = 0;
        for (const range of ranges) {
          for (const v of range) (v === null ? source.pushNull() : source.pushBytes(rawOf(raw, v)));
          const part = source.export() as Extract<StorePart, { kind: 'string' }>;
          merged.appendPart(part.dict, part.codes.subarray(from), part.nulls?.subarray(from) ?? null);
          expected.push(...range);
          from = part.codes.length;
        }
        for (const v of after) {
          merged.pushBytes(rawOf(raw, v));
          expected.push(v);
        }
        assert.equal(merged.length, expected.length);
        for (let r = 0; r < expected.length; r++) assert.equal(merged.get(r), expected[r], `row ${r}`);
        assert.equal(new Set(merged.dictionary).size, merged.dictionary.length, 'no value twice');
      }),
      { seed: 5122026, numRuns: 300 },
    );
  });

  it('merges readers\' dictionaries by their bytes tables as by their strings', () => {
    // Each reader codes values from bytes (short, long, too long for its table, invalid UTF-8
    // that decodes alike) and some as text (strings with JSON escapes come so, with no bytes in
    // the table); a merge matches the other readers' entries through the first one's bytes
    // table, and any it lacks by their strings, never adding a string twice.
    const bytesOf = fc.oneof(
      fc.constantFrom('a', 'b', 'u004778', 'r03527', '', 'caf\u00e9', 'abcdefgh', 'abcdefghi', 'x'.repeat(600)).map((v) => Buffer.from(v, 'utf8')),
      fc.stringMatching(/^[a-f]{1,12}$/).map((v) => Buffer.from(v, 'utf8')),
      fc.constantFrom([0xff], [0xfe], [0x61, 0xff], [0xc3]).map((b) => Buffer.from(b)),
    );
    const text = fc.constantFrom('a', 'b', 'u004778', 'abcdefghi', 'zz').map((t) => ({ text: t }));
    const reader = fc.array(fc.oneof({ weight: 9, arbitrary: bytesOf }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: text }), { minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(fc.array(reader, { minLength: 2, maxLength: 3 }), fc.boolean(), (readers, deferred) => {
        const raw = new RawString();
        const parts = readers.map((rows) => {
          const store = new StringStore(false, deferred ? 4 : undefined);
          for (const b of rows) {
            if (b === null) {
              store.pushNull();
              continue;
            }
            if ('text' in b) {
              store.push(b.text);
              continue;
            }
            const buf = Buffer.concat([Buffer.from('"'), b, Buffer.from('"')]);
            raw.buf = buf;
            raw.start = 1;
            raw.end = buf.length - 1;
            raw.hash = fnv(buf, 1, buf.length - 1);
            store.pushBytes(raw);
          }
          return store.export() as Extract<StorePart, { kind: 'string' }>;
        });
        const merged = new StringStore();
        for (const p of parts) merged.appendPart(p.dict, p.codes, p.nulls, p.bytes);
        const expected = readers.flatMap((rows) => rows.map((b) => (b === null ? null : 'text' in b ? b.text : b.toString('utf8'))));
        assert.equal(merged.length, expected.length);
        for (let r = 0; r < expected.length; r++) assert.equal(merged.get(r), expected[r], `row ${r}`);
        assert.equal(new Set(merged.dictionary).size, merged.dictionary.length, 'no value twice');
      }),
      { seed: 6122026, numRuns: 300 },
    );
  });

  it('keeps readers\' ASCII values as bytes through a merge, making no string until one is read', () => {
    // Two to four readers of ASCII ids (some shared, some new to each, as threads meet a log's
    // users); one may also take a value as text, which makes its dictionary whole. The merged
    // column reads as the rows pushed, holds each value once, and stays lazy while every
    // reader's dictionary was.
    const id = fc.oneof(fc.constantFrom('', 'u1', 'u2', 'r03527', 'abcdefgh', 'abcdefghi'), fc.stringMatching(/^[a-d]{1,10}$/));
    const reader = fc.record({ rows: fc.array(fc.option(id, { freq: 8 }), { minLength: 1, maxLength: 200 }), text: fc.option(id, { freq: 3 }), nullsAfter: fc.nat(3) });
    fc.assert(
      fc.property(fc.array(reader, { minLength: 2, maxLength: 4 }), fc.boolean(), (readers, deferred) => {
        const raw = new RawString();
        const parts = readers.map(({ rows, text }) => {
          const store = new StringStore(false, deferred ? 4 : undefined);
          for (const v of rows) (v === null ? store.pushNull() : store.pushBytes(rawOf(raw, v)));
          if (text !== null) store.push(text);
          return store.export() as Extract<StorePart, { kind: 'string' }>;
        });
        assert.deepEqual(parts.map((p) => isLazy(p.dict)), readers.map((r) => r.text === null), 'a reader\'s dictionary is lazy until a string comes as text');
        const merged = new StringStore();
        // A merge appends nulls for parts that lack the column: "" is added as bytes too.
        parts.forEach((p, i) => {
          merged.appendPart(p.dict, p.codes, p.nulls, p.bytes);
          merged.appendNulls(readers[i].nullsAfter);
        });
        const mergedDict = (merged.export() as Extract<StorePart, { kind: 'string' }>).dict;
        if (readers.every((r) => r.text === null)) assert.ok(isLazy(mergedDict), 'the merge keeps bytes while every reader did');
        const expected = readers.flatMap(({ rows, text, nullsAfter }) => [...rows, ...(text === null ? [] : [text]), ...Array<null>(nullsAfter).fill(null)]);
        assert.equal(merged.length, expected.length);
        for (let r = 0; r < expected.length; r++) assert.equal(merged.get(r), expected[r], `row ${r}`);
        assert.equal(new Set(merged.dictionary).size, merged.dictionary.length, 'no value twice');
      }),
      { seed: 6122027, numRuns: 300 },
    );
  });

  it('merges later readers\' new values by their strings once the merged dictionary was made whole', () => {
    // The first reader's dictionary is taken whole; values new to it from the second are added as
    // bytes. Reading the merged strings makes them whole, so the third reader's new values (some
    // the second's) are matched by their strings from then on: still each value once.
    const raw = new RawString();
    const part = (values: string[]) => {
      const store = new StringStore();
      for (const v of values) store.pushBytes(rawOf(raw, v));
      return store.export() as Extract<StorePart, { kind: 'string' }>;
    };
    const [a, b, c] = [part(['a1', 'a2']), part(['a1', 'b1', 'b2', 'a2']), part(['b2', 'c1', 'a1', 'b1', 'c2'])];
    const merged = new StringStore();
    merged.appendPart(a.dict, a.codes, a.nulls, a.bytes);
    merged.appendPart(b.dict, b.codes, b.nulls, b.bytes);
    assert.ok(isLazy((merged.export() as Extract<StorePart, { kind: 'string' }>).dict));
    assert.deepEqual(merged.dictionary, ['a1', 'a2', 'b1', 'b2']);
    merged.appendPart(c.dict, c.codes, c.nulls, c.bytes);
    assert.deepEqual(merged.dictionary, ['a1', 'a2', 'b1', 'b2', 'c1', 'c2']);
    assert.deepEqual(Array.from({ length: merged.length }, (_, r) => merged.get(r)), ['a1', 'a2', 'a1', 'b1', 'b2', 'a2', 'b2', 'c1', 'a1', 'b1', 'c2']);
  });

  it('keeps a hundred thousand distinct values apart', () => {
    const store = new StringStore();
    const raw = new RawString();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 100_000; i++) {
        store.pushBytes(rawOf(raw, `u${String(i).padStart(6, '0')}`));
      }
    }
    assert.equal(store.dictionary.length, 100_000);
    for (let i = 0; i < 100_000; i += 997) assert.equal(store.code(100_000 + i), i);
  });
});
