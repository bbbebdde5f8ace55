import assert from 'node:assert/strict';
import { DateTime } from '../../../src/core/query/values';
import { TimeReader, compileTimePattern, epochToMicros, guessEpochUnit, isoBytesToMicros, yearInZone } from '../../../src/core/sources/timestamps';
import { resolveTimeZone, UTC } from '../../../src/core/sources/timezone';

const show = (us: number) => (Number.isNaN(us) ? 'NaN' : new DateTime(us).toISOString());
const reader = (format: string, zone = 'UTC', year = 2026, latest?: number) => new TimeReader({ format, zone: resolveTimeZone(zone), year, latest });
/** A pattern matched at the start of `s`, in UTC, 2026 for a pattern without a year. */
const scan = (pattern: string, s: string) => show(compileTimePattern(pattern).scan(s, 0, UTC, 2026));

describe('sources/timestamps', () => {
  it('reads ISO 8601 with and without offsets, keeping microseconds', () => {
    const r = reader('iso', 'UTC');
    assert.equal(show(r.readValue('2026-06-09T10:11:12Z')), '2026-06-09T10:11:12Z');
    assert.equal(show(r.readValue('2026-06-09T10:11:12.123456789+02:00')), '2026-06-09T08:11:12.123456Z');
    assert.equal(show(r.readValue('2026-06-09 10:11:12,5 -0130')), '2026-06-09T11:41:12.5Z');
    assert.equal(show(r.readValue('2026-06-09T10:11')), '2026-06-09T10:11:00Z');
    assert.equal(show(r.readValue('2026-06-09')), '2026-06-09T00:00:00Z');
    assert.equal(show(r.readValue('0099-01-01T00:00:00Z')), '0099-01-01T00:00:00Z');
    for (const bad of ['2026-02-29', '2026-13-01', '2026-06-09T24:00:00', '2026-06-09T10:11:12Zjunk', 'yesterday', '']) assert.equal(show(r.readValue(bad)), 'NaN', bad);
  });

  it('reads a stamp at the start of a log line without taking the message for its zone', () => {
    const r = reader('iso', 'Europe/Berlin');
    const at = (line: string) => show(r.readLineStart(line));
    assert.equal(at('2024-03-10 1:02:03 sshd: accepted'), '2024-03-10T00:02:03Z'); // a one-digit hour (was local midnight)
    assert.equal(at('2024-03-10 10:00:00.123 UTC [1234] LOG: connection'), '2024-03-10T10:00:00.123Z'); // PostgreSQL's %m
    assert.equal(at('2024-03-10 10:00:00 GMT x'), '2024-03-10T10:00:00Z');
    assert.equal(at('2024-03-10 10:00:00 +0100 commit'), '2024-03-10T09:00:00Z');
    assert.equal(at('2024-03-10T10:00:00+01 attached'), '2024-03-10T09:00:00Z');
    // Message text after a space is no zone: local Berlin time (UTC+1 in March).
    assert.equal(at('2024-03-10 10:00:00 -15 dBm signal'), '2024-03-10T09:00:00Z');
    assert.equal(at('2024-03-10 10:00:00 Zookeeper started'), '2024-03-10T09:00:00Z');
    assert.equal(at('2024-03-10 10:00:00 UTCx y'), '2024-03-10T09:00:00Z');
    assert.equal(at('2024-03-10 10:00:00,5 python'), '2024-03-10T09:00:00.5Z');
    // A named zone with an offset, as Java writes zones without a name.
    assert.equal(at('2024-03-10 10:00:00 GMT+02:00 e'), '2024-03-10T08:00:00Z');
    assert.equal(at('2024-03-10 10:00:00 UTC+2 f'), '2024-03-10T08:00:00Z');
    assert.equal(at('2024-03-10 10:00:00 UTC-0530 g'), '2024-03-10T15:30:00Z');
    assert.equal(at('2024-03-10 10:00:00 UTC+2x h'), '2024-03-10T09:00:00Z');
    assert.equal(at('2024-03-10 10:00:00 GMT+19 i'), '2024-03-10T10:00:00Z'); // a sign that starts no offset: GMT, then message text
    // A word in any script goes on: the Z of Zählerstand is no zone.
    assert.equal(at('2024-03-10 10:00:00 Zählerstand'), '2024-03-10T09:00:00Z');
    assert.equal(at('2024-03-10 10:00:00 Zürich'), '2024-03-10T09:00:00Z');
    // Scripts written without spaces may follow a zone directly; a sign that is no offset is text.
    assert.equal(at('2024-03-10T10:00:00Z开始同步'), '2024-03-10T10:00:00Z');
    assert.equal(at('2024-03-10 10:00:00 UTC开始'), '2024-03-10T10:00:00Z');
    assert.equal(at('2024-03-10 10:00:00 UTC-worker started'), '2024-03-10T10:00:00Z');
    assert.equal(at('2024-03-10 10:00:00 UTC+02:0 x'), '2024-03-10T10:00:00Z');
    assert.equal(at('2024-03-10 10:00:00开始'), '2024-03-10T09:00:00Z');
    // Where a longer stamp or number could go on, the stamp is no stamp (counted, not misread).
    for (const [format, line] of [['iso', '2024-03-10T10:00:00-5 msg'], ['iso', '2024-03-10T10:00:00+05:3 x'], ['iso', '2024-03-10T10:00:00+0530x y'], ['iso', '2024-03-10 10:00:00 UTC-5.5 msg'], ['iso', '2024-03-10T10:00:00Z-05:00 x'], ['%Y-%m-%d %H:%M:%S', '2024-03-10 10:00:00-05:00 x'], ['%Y-%m-%d %H:%M:%S', '2024-03-10 10:00:00.123 x'], ['syslog', 'Mar 10 10:00:00-host'], ['iso', '2024-03-10-build.log'], ['iso', '2024-03-10/12:00'], ['epoch_s', '1710064800-x'], ['epoch_s', '1710064800.x'], ['auto', '[10/Mar/2024:10:00:00 +0000]-x']]) {
      assert.equal(show(reader(format, 'Europe/Berlin', 2024).readLineStart(line)), 'NaN', `${format}: ${line}`);
    }
    // Numeric text with white space of any kind around it, as `isNumericText` allows.
    assert.equal(show(reader('epoch_s').readValue('\u00a01710064800\u3000')), '2024-03-10T10:00:00Z');
    assert.equal(show(reader('epoch_s').readValue('\u00011710064800')), 'NaN');
    assert.equal(show(r.readValue('2024-03-10 10:00:00 UTC')), '2024-03-10T10:00:00Z');
    assert.equal(show(r.readValue('2024-03-10T10:00:00Zx')), 'NaN');
  });

  it('applies an IANA zone to wall-clock times, DST-correct in Europe/Berlin', () => {
    const r = reader('iso', 'Europe/Berlin');
    assert.equal(show(r.readValue('2026-01-15T12:00:00')), '2026-01-15T11:00:00Z'); // CET
    assert.equal(show(r.readValue('2026-06-09T12:00:00')), '2026-06-09T10:00:00Z'); // CEST
    assert.equal(show(r.readValue('2026-03-29T01:59:59')), '2026-03-29T00:59:59Z'); // last CET second
    assert.equal(show(r.readValue('2026-03-29T03:00:00')), '2026-03-29T01:00:00Z'); // first CEST second
    assert.equal(show(r.readValue('2026-03-29T02:30:00')), '2026-03-29T01:30:00Z'); // skipped: read as 03:30 CEST
    assert.equal(show(r.readValue('2026-10-25T02:30:00')), '2026-10-25T00:30:00Z'); // repeated: the earlier one
    assert.equal(show(r.readValue('2026-10-25T03:00:00')), '2026-10-25T02:00:00Z');
    assert.equal(show(r.readValue('2026-06-09T12:00:00Z')), '2026-06-09T12:00:00Z'); // an offset wins over the zone
  });

  it('handles fixed offsets and zones west of UTC', () => {
    assert.equal(show(reader('iso', '+05:30').readValue('2026-06-09T12:00:00')), '2026-06-09T06:30:00Z');
    assert.equal(show(reader('iso', 'America/New_York').readValue('2026-03-08T02:30:00')), '2026-03-08T07:30:00Z');
    assert.equal(resolveTimeZone('-0800').offsetAtUtc(0), -8 * 3600_000);
    assert.throws(() => resolveTimeZone('Atlantis/Capital'), /unknown time zone/);
  });

  it('reads epoch numbers in declared units and guesses undeclared ones by magnitude', () => {
    assert.equal(show(reader('epoch_s').readValue(1780999872)), '2026-06-09T10:11:12Z');
    assert.equal(show(reader('epoch_ms').readValue(1780999872123)), '2026-06-09T10:11:12.123Z');
    assert.equal(show(reader('epoch_ms').readValue('1780999872123')), '2026-06-09T10:11:12.123Z');
    assert.equal(show(reader('epoch_s').readValue(1780999872.000123)), '2026-06-09T10:11:12.000123Z');
    assert.equal(show(reader('epoch_ns').readValue(1780999872123456789n)), '2026-06-09T10:11:12.123456Z');
    assert.equal(guessEpochUnit(1780999872), 'epoch_s');
    assert.equal(guessEpochUnit(1780999872123), 'epoch_ms');
    assert.equal(guessEpochUnit(1780999872123456), 'epoch_us');
    assert.equal(guessEpochUnit(1780999872123456789), 'epoch_ns');
    assert.equal(show(reader('auto').readValue(1780999872123)), '2026-06-09T10:11:12.123Z');
    assert.equal(show(reader('epoch_s').readValue('2026-06-09')), 'NaN');
    assert.ok(Number.isNaN(epochToMicros(Infinity, 'epoch_s')));
    // Only years 0001–9999 are times: a huge number in a log is no time, whatever its unit.
    assert.equal(show(reader('auto').readValue(1e308)), 'NaN');
    assert.equal(show(reader('epoch_s').readValue(253402300799)), '9999-12-31T23:59:59Z');
    assert.equal(show(reader('epoch_s').readValue(253402300800)), 'NaN');
    assert.equal(show(reader('epoch_s').readValue(-62135596800)), '0001-01-01T00:00:00Z');
    assert.equal(show(reader('epoch_s').readValue(-62135596801)), 'NaN');
  });

  it('cuts an epoch written as text below the microsecond, as ISO fractions are cut, rather than round it into the next second', () => {
    assert.equal(show(reader('epoch_s').readValue('1710064800.9999999')), '2024-03-10T10:00:00.999999Z');
    assert.equal(show(reader('auto').readValue('1710064800.9999999')), '2024-03-10T10:00:00.999999Z');
    assert.equal(show(reader('epoch_ms').readValue('1710064800123.9999')), '2024-03-10T10:00:00.123999Z');
    assert.equal(show(reader('epoch_ns').readValue('1710064800123456999')), '2024-03-10T10:00:00.123456Z');
    assert.equal(show(reader('epoch_ns').readValue(1710064800123456999n)), '2024-03-10T10:00:00.123456Z');
    assert.equal(show(reader('auto').readValue(1710064800123456999n)), '2024-03-10T10:00:00.123456Z');
    assert.equal(show(reader('epoch_s').readValue('-1.5')), '1969-12-31T23:59:58.5Z');
    assert.equal(show(reader('epoch_us').readValue('1710064800123456.9')), '2024-03-10T10:00:00.123456Z');
  });

  it('reads yearless syslog stamps with the given year', () => {
    const r = reader('syslog', 'UTC', 2025);
    assert.equal(show(r.readLineStart('Jun  9 10:11:12 host sshd[1]: Accepted')), '2025-06-09T10:11:12Z');
    assert.equal(show(r.readLineStart('Dec 31 23:59:59.25 host x')), '2025-12-31T23:59:59.25Z');
    assert.equal(r.yearlessYears, 0b1, 'the year itself');
    assert.equal(show(r.readLineStart('Feb 29 00:00:00 host x')), 'NaN'); // 2025 is not a leap year
    assert.equal(show(r.readLineStart('Jux  9 10:11:12 host')), 'NaN');
  });

  it('places a yearless stamp that would be too late in the assumed year in the year before', () => {
    // Read on 5 January 2027: December's lines are from 2026, January's from 2027.
    const latest = Date.parse('2027-01-06T00:00:00Z') * 1000;
    const r = reader('syslog', 'UTC', 2027, latest);
    assert.equal(show(r.readLineStart('Jan  3 08:00:00 host x')), '2027-01-03T08:00:00Z');
    assert.equal(r.yearlessYears, 0b1);
    assert.equal(show(r.readLineStart('Dec 31 23:59:59 host x')), '2026-12-31T23:59:59Z');
    assert.equal(show(r.readLineStart('Jan  6 00:00:00 host x')), '2027-01-06T00:00:00Z'); // not later than the limit
    assert.equal(show(r.readLineStart('Jan  6 00:00:01 host x')), '2026-01-06T00:00:01Z');
    assert.equal(r.yearlessYears, 0b11, 'the year and the one before');
    assert.equal(show(r.readLineStart('not a stamp')), 'NaN');
    assert.equal(r.yearlessYears, 0b11);
    // Through a pattern without a year, in a zone ahead of UTC.
    const p = reader('%b %d %H:%M', '+02:00', 2027, latest);
    assert.equal(show(p.readValue('Dec 24 18:00')), '2026-12-24T16:00:00Z');
    assert.equal(show(p.readValue('Jan 06 01:30')), '2027-01-05T23:30:00Z');
    // A declared year (no limit) is kept, however late.
    assert.equal(show(reader('syslog', 'UTC', 2027).readLineStart('Dec 31 23:59:59 host x')), '2027-12-31T23:59:59Z');
    // 29 February goes to the last leap year that puts it no later than the limit.
    const feb29 = reader('syslog', 'UTC', 2027, latest);
    assert.equal(show(feb29.readLineStart('Feb 29 10:00:00 host x')), '2024-02-29T10:00:00Z');
    assert.equal(feb29.yearlessYears, 0b1000);
    const leap = reader('syslog', 'UTC', 2028, Date.parse('2028-01-11T00:00:00Z') * 1000);
    assert.equal(show(leap.readLineStart('Feb 29 10:00:00 host x')), '2024-02-29T10:00:00Z', 'not 2028-02-29, which is still to come');
    assert.equal(show(leap.readLineStart('Feb 30 10:00:00 host x')), 'NaN', 'a day no year has');
  });

  it('takes the assumed year where the stamps are written: a zone ahead of UTC may be in the next one', () => {
    // 02:00 on 1 January 2027 at UTC+14 is 12:00 on 31 December 2026 in UTC.
    const latest = Date.parse('2026-12-31T12:00:00Z') * 1000;
    const kiritimati = resolveTimeZone('Pacific/Kiritimati');
    assert.equal(yearInZone(latest, kiritimati), 2027);
    assert.equal(yearInZone(latest, resolveTimeZone('UTC')), 2026);
    const r = reader('syslog', 'Pacific/Kiritimati', yearInZone(latest, kiritimati), latest);
    assert.equal(show(r.readLineStart('Jan  1 01:00:00 host x')), '2026-12-31T11:00:00Z');
    assert.equal(show(r.readLineStart('Dec 31 23:30:00 host x')), '2026-12-31T09:30:00Z');
    assert.equal(r.yearlessYears, 0b11);
  });

  it('reads common log format stamps anywhere in brackets', () => {
    const r = reader('clf');
    assert.equal(show(r.readLineStart('10.0.0.5 - - [09/Jun/2026:10:11:12 +0200] "GET / HTTP/1.1" 200')), '2026-06-09T08:11:12Z');
    assert.equal(show(r.readValue('09/Jun/2026:10:11:12 -0500')), '2026-06-09T15:11:12Z');
    assert.equal(show(r.readLineStart('no stamp here')), 'NaN');
  });

  it('compiles strftime-like patterns', () => {
    assert.equal(scan('%d.%m.%Y %H:%M:%S,%f', '09.06.2026 10:11:12,5'), '2026-06-09T10:11:12.5Z');
    assert.equal(scan('%m/%d/%Y %I:%M:%S %p', '06/09/2026 12:11:12 AM'), '2026-06-09T00:11:12Z');
    assert.equal(scan('%m/%d/%Y %I:%M:%S %p', '06/09/2026 10:11:12 PM'), '2026-06-09T22:11:12Z');
    assert.equal(scan('[%d/%b/%Y:%T %z]', '[09/Jun/2026:10:11:12 +0200]'), '2026-06-09T08:11:12Z');
    assert.equal(scan('%F %T', '2026-06-09 10:11:12'), '2026-06-09T10:11:12Z');
    assert.equal(scan('%B %e, %Y', 'June  9, 2026'), '2026-06-09T00:00:00Z');
    assert.equal(scan('%s', '1780999872'), '2026-06-09T10:11:12Z');
    assert.equal(scan('%Y-%m-%d', '2026-02-30'), 'NaN');
    // Two spaces match as one run of spaces (as syslog pads the day), whatever the day's width.
    assert.equal(scan('%b  %e %T', 'Jun  9 10:11:12'), '2026-06-09T10:11:12Z');
    assert.equal(scan('%b  %e %T', 'Jun 19 10:11:12'), '2026-06-19T10:11:12Z');
    // A pattern without a year takes the source's (it was 1970).
    assert.equal(scan('%b %d %H:%M:%S', 'Jun 09 10:11:12'), '2026-06-09T10:11:12Z');
    assert.deepEqual(['%b %d %T', '%Y-%m-%d', '%y%m%d', '%s', '%%Y %m/%d'].map((p) => compileTimePattern(p).yearless), [true, false, false, false, true]);
    assert.equal(show(reader('%Y%m%d').readValue('20260609')), '2026-06-09T00:00:00Z');
    assert.equal(show(reader('%Y%m%d').readValue('20260609x')), 'NaN');
  });

  it('keeps the last microseconds of year 9999 (.NET\'s DateTime.MaxValue) as the last time a double holds', () => {
    // Doubles are 32 µs apart there: the time rounded up to the end of the range and read as null.
    const last = '9999-12-31T23:59:59.999968Z';
    assert.equal(show(reader('iso').readValue('9999-12-31T23:59:59.9999999Z')), last);
    assert.equal(show(reader('auto').readValue('9999-12-31T23:59:59.9999999')), last);
    // The zone moves it an hour back, where the nearest double is the hour itself.
    assert.equal(show(reader('iso', '+01:00').readValue('9999-12-31T23:59:59.9999999')), '9999-12-31T23:00:00Z');
    assert.equal(show(reader('iso').readValue('9999-12-31T22:59:59.999999-01:00')), last);
    assert.equal(show(reader('iso').readValue('9999-12-31T23:59:59.999968Z')), last);
    assert.equal(show(reader('iso').readValue('9999-12-31T23:59:59.999936Z')), '9999-12-31T23:59:59.999936Z');
    assert.equal(scan('%Y-%m-%d %H:%M:%S.%f', '9999-12-31 23:59:59.999999'), last);
    assert.equal(scan('%s.%f', '253402300799.999999'), last);
    assert.equal(scan('%s.%f', '253402300800.000000'), 'NaN');
    assert.equal(show(reader('clf').readValue('[31/Dec/9999:23:59:59.999999 +0000]')), last);
    const bytes = Buffer.from('9999-12-31T23:59:59.9999999Z');
    assert.equal(show(isoBytesToMicros(bytes, 0, bytes.length)), last);
    // Still no time past the end, however near.
    assert.equal(show(reader('iso').readValue('9999-12-31T23:59:60Z')), 'NaN');
    assert.equal(show(reader('iso').readValue('9999-12-31T23:59:59.9999999-00:01')), 'NaN');
  });

  it('reads %y as POSIX strptime does: 69-99 are the 1900s, 00-68 the 2000s', () => {
    assert.deepEqual(['99', '69', '68', '00', '26'].map((y) => scan('%y-%m-%d', `${y}-03-10`)), ['1999-03-10T00:00:00Z', '1969-03-10T00:00:00Z', '2068-03-10T00:00:00Z', '2000-03-10T00:00:00Z', '2026-03-10T00:00:00Z']);
  });

  it('reads no time outside years 0001-9999 whatever the pattern, and a negative epoch fraction counts down', () => {
    // A hostile epoch through a pattern once made a datetime that later crashed getyear().
    assert.equal(scan('%s', '99999999999999'), 'NaN');
    assert.equal(scan('%Y-%m-%d', '-0500-01-01'), 'NaN');
    assert.equal(scan('%Y-%m-%d', '0000-01-01'), 'NaN');
    assert.equal(scan('%Y-%m-%d', '0001-01-01'), '0001-01-01T00:00:00Z');
    assert.equal(show(reader('iso').readValue('0000-01-01T00:00:00Z')), 'NaN');
    assert.equal(scan('%s.%f', '-1.5'), '1969-12-31T23:59:58.5Z');
    assert.equal(scan('%s.%f', '1.5'), '1970-01-01T00:00:01.5Z');
  });

  it('only accepts a line-start stamp that ends at a token boundary', () => {
    const r = reader('iso');
    assert.equal(show(r.readLineStart('2026-06-09T10:11:12Z INFO started')), '2026-06-09T10:11:12Z');
    assert.equal(show(r.readLineStart('2026-06-09T10:11:12Zfoo')), 'NaN');
  });
});
