/** Reading ISO 8601 times straight from bytes must agree with the text reader wherever it answers. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isoBytesToMicros, TimeReader } from '../../../src/core/sources/timestamps';
import { resolveTimeZone } from '../../../src/core/sources/timezone';

describe('sources/ISO times from bytes', () => {
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = fc
    .record({
      year: fc.integer({ min: 0, max: 9999 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      sep: fc.constantFrom('T', 't', ' ', 'x'),
      h: fc.integer({ min: 0, max: 25 }),
      m: fc.integer({ min: 0, max: 61 }),
      s: fc.option(fc.integer({ min: 0, max: 61 })),
      frac: fc.option(fc.stringMatching(/^[.,][0-9]{0,10}$/)),
      zone: fc.constantFrom('Z', 'z', '+02:00', '-0530', '+05', '+19:00', '+02:61', '', ' +01:00', 'Zx', '+2'),
    })
    .map((p) => `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}${p.sep}${two(p.h)}:${two(p.m)}${p.s === null ? '' : `:${two(p.s)}${p.frac ?? ''}`}${p.zone}`);

  it('gives the text reader’s answer or NaN (never a different time)', () => {
    const zone = resolveTimeZone('Europe/Berlin');
    const auto = new TimeReader({ format: 'auto', zone, year: 2026 });
    const iso = new TimeReader({ format: 'iso', zone, year: 2026 });
    let answered = 0;
    fc.assert(
      fc.property(stamp, (text) => {
        const bytes = Buffer.from(`"${text}"`, 'utf8');
        const fast = isoBytesToMicros(bytes, 1, bytes.length - 1);
        if (Number.isNaN(fast)) return;
        answered++;
        assert.equal(fast, auto.readValue(text), text);
        assert.equal(fast, iso.readValue(text), text);
      }),
      { seed: 31337, numRuns: 5000 },
    );
    assert.ok(answered > 500, `only ${answered} stamps were read from bytes`);
    const b = Buffer.from('2026-03-01T10:11:12.1234567Z');
    assert.equal(isoBytesToMicros(b, 0, b.length), Date.UTC(2026, 2, 1, 10, 11, 12) * 1000 + 123456);
  });
});
