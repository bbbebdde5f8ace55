/** Datetimes as text: the ISO 8601 forms results are written in, computed without `Date`. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime, END_DATETIME_US, LAST_DATETIME_US, MIN_DATETIME_US } from '../../../src/core/query/values';

/** The text `Date` gives, with the microseconds after the milliseconds as the engine writes them. */
function viaDate(us: number): string {
  const ms = Math.floor(us / 1000);
  const fraction = us - Math.floor(ms / 1000) * 1_000_000;
  const seconds = new Date(ms).toISOString().slice(0, 19);
  return fraction === 0 ? `${seconds}Z` : `${seconds}.${String(fraction).padStart(6, '0').replace(/0+$/, '')}Z`;
}

describe('query/datetime text', () => {
  const wholeMicros = (min: number, max: number) => fc.integer({ min: Math.ceil(min / 1000), max: Math.floor(max / 1000) }).chain((ms) => fc.integer({ min: 0, max: 999 }).map((us) => ms * 1000 + us));

  it('writes every time in years 0001-9999 as Date does', () => {
    fc.assert(
      fc.property(wholeMicros(MIN_DATETIME_US, END_DATETIME_US - 1000), (us) => {
        assert.equal(new DateTime(us).toISOString(), viaDate(us));
      }),
      { numRuns: 20_000 },
    );
  });

  it('writes the days around month, year, leap-day and century ends as Date does', () => {
    for (const year of [1, 4, 99, 100, 400, 999, 1000, 1582, 1900, 1969, 1970, 2000, 2024, 2100, 9999]) {
      for (const [month, day] of [[1, 1], [2, 28], [2, 29], [3, 1], [12, 31]]) {
        const start = Date.UTC(2000, month - 1, day) + (Date.UTC(year, 0, 1) - Date.UTC(2000, 0, 1));
        // Date.UTC reads years 0-99 as 1900-1999: the offset above is taken from a year 2000 date.
        const ms = new Date(start).setUTCFullYear(year, month - 1, day);
        for (const us of [ms * 1000, ms * 1000 + 1, (ms + 86_399_999) * 1000 + 999]) {
          if (us >= MIN_DATETIME_US && us < END_DATETIME_US) assert.equal(new DateTime(us).toISOString(), viaDate(us), `${year}-${month}-${day}`);
        }
      }
    }
    assert.equal(new DateTime(MIN_DATETIME_US).toISOString(), '0001-01-01T00:00:00Z');
    assert.equal(new DateTime(LAST_DATETIME_US).toISOString(), '9999-12-31T23:59:59.999968Z');
    assert.equal(new DateTime(0).toKustoString(), '1970-01-01T00:00:00.0000000Z');
    assert.equal(new DateTime(-1).toKustoString(), '1969-12-31T23:59:59.9999990Z');
  });

  it('writes times beyond those years as Date does', () => {
    for (const us of [MIN_DATETIME_US - 1, END_DATETIME_US, 8.64e18, -8.64e18]) assert.equal(new DateTime(us).toISOString(), viaDate(us));
  });
});
