import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { column, iso, load, schemaOf, tempDir } from './helpers';

describe('sources/text', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('reads one string column per line when no time is declared', async () => {
    const s = await load('proxy.log');
    assert.equal(s.format, 'text');
    assert.deepEqual(schemaOf(s), ['line:string']);
    assert.equal(s.rowCount, 4);
    assert.equal(column(s, 'line')[2], '  continuation line without a stamp');
    assert.equal(s.timeField, null);
  });

  it('extracts yearless syslog stamps with a declared year and zone', async () => {
    const s = await load({ path: 'proxy.log', format: 'text', time: { field: 'line', format: 'syslog', year: 2026, timezone: '+02:00' } });
    assert.deepEqual(schemaOf(s), ['timestamp:datetime', 'line:string']);
    assert.deepEqual(column(s, 'timestamp').map(iso), ['2026-06-09T08:11:12Z', '2026-06-09T08:11:13Z', null, '2026-06-09T22:00:01Z']);
    assert.deepEqual(s.warnings, ['1 line(s) have no readable timestamp at their start; their timestamp is null (first at proxy.log:3: "  continuation line without a stamp")']);
  });

  it('warns when it had to assume the year of syslog stamps, and places none after the time of reading', async () => {
    // Read on 5 January 2027, June's stamps are from 2026: 2027 would put them months ahead.
    const s = await load({ path: 'proxy.log', time: { format: 'syslog' } }, { now: new Date('2027-01-05T00:00:00Z') });
    assert.equal(iso(column(s, 'timestamp')[0]), '2026-06-09T10:11:12Z');
    assert.ok(s.warnings.includes('timestamps carry no year; assumed 2026, the latest year that puts each no later than 2027-01-06T00:00:00Z (declare time.year to set it)'), s.warnings.join('\n'));
    const june = await load({ path: 'proxy.log', time: { format: 'syslog' } }, { now: new Date('2026-07-01T00:00:00Z') });
    assert.equal(iso(column(june, 'timestamp')[0]), '2026-06-09T10:11:12Z');
    assert.ok(june.warnings.includes('timestamps carry no year; assumed 2026, the latest year that puts each no later than 2026-07-02T00:00:00Z (declare time.year to set it)'));
  });

  it('reads a yearless log that crosses New Year, read just after it, in two years', async () => {
    writeFileSync(join(tmp.path, 'newyear.log'), 'Dec 31 23:59:58 host a\nDec 31 23:59:59 host b\nJan  1 00:00:00 host c\nJan  1 00:00:01 host d\n');
    const s = await load({ path: 'newyear.log', time: { format: 'syslog' } }, { baseDir: tmp.path, now: new Date('2027-01-01T00:05:00Z') });
    assert.deepEqual(column(s, 'timestamp').map(iso), ['2026-12-31T23:59:58Z', '2026-12-31T23:59:59Z', '2027-01-01T00:00:00Z', '2027-01-01T00:00:01Z']);
    assert.ok(s.warnings.some((w) => w.startsWith('timestamps carry no year; assumed 2026 or 2027,')), s.warnings.join('\n'));
    // Read on 31 December, a log of the whole year keeps its 1 January in this year (the leeway
    // of a day after reading does not move the assumed year).
    const lastDay = await load({ path: 'newyear.log', time: { format: 'syslog' } }, { baseDir: tmp.path, now: new Date('2026-12-31T23:59:59Z') });
    assert.deepEqual(column(lastDay, 'timestamp').map(iso), ['2026-12-31T23:59:58Z', '2026-12-31T23:59:59Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z']);
    // Where the log's zone is already in the new year, its first lines are in that year.
    const ahead = await load({ path: 'newyear.log', time: { format: 'syslog', timezone: 'Pacific/Kiritimati' } }, { baseDir: tmp.path, now: new Date('2026-12-31T11:05:00Z') });
    assert.deepEqual(column(ahead, 'timestamp').map(iso), ['2026-12-31T09:59:58Z', '2026-12-31T09:59:59Z', '2026-12-31T10:00:00Z', '2026-12-31T10:00:01Z']);
    assert.deepEqual(ahead.warnings, ['timestamps carry no year; assumed 2026 or 2027, the latest year that puts each no later than 2027-01-01T11:05:00Z (declare time.year to set it)']);
  });

  it('finds combined-log stamps in brackets, with their offsets', async () => {
    const s = await load({ path: 'access.log', time: { format: 'clf' } });
    assert.deepEqual(column(s, 'timestamp').map(iso), ['2026-06-09T08:11:12Z', '2026-06-09T08:11:13Z', '2026-06-10T04:59:59Z']);
    const auto = await load({ path: 'access.log', time: { format: '%d/%b/%Y:%H:%M:%S %z' } });
    assert.deepEqual(column(auto, 'timestamp'), [null, null, null]); // a pattern must match at the line start
  });

  it('reads epoch stamps at the line start in the declared unit (squid access logs)', async () => {
    writeFileSync(join(tmp.path, 'squid.log'), '1710064800.123    150 10.0.0.1 TCP_MISS/200 1024 GET http://x/ - DIRECT/1.2.3.4 text/html\n1710064801.456 20 10.0.0.2 TCP_HIT/200 10 GET http://y/ - NONE/- -\n1710064802x not a stamp\n');
    const s = await load({ path: 'squid.log', time: { format: 'epoch_s' } }, { baseDir: tmp.path });
    assert.deepEqual(column(s, 'timestamp').map(iso), ['2024-03-10T10:00:00.123Z', '2024-03-10T10:00:01.456Z', null]);
    writeFileSync(join(tmp.path, 'ms.log'), '1710064800123 GET /\n');
    assert.deepEqual(column(await load({ path: 'ms.log', time: { format: 'epoch_ms' } }, { baseDir: tmp.path }), 'timestamp').map(iso), ['2024-03-10T10:00:00.123Z']);
  });

  it('says how many line stamps fell in the hours the zone\'s clocks repeat or skip', async () => {
    writeFileSync(join(tmp.path, 'local.log'), '2024-10-27 02:30:00 a\n2024-03-31 02:10:00 b\n2024-06-01 12:00:00 c\n');
    const s = await load({ path: 'local.log', timezone: 'Europe/Berlin', time: { format: 'iso' } }, { baseDir: tmp.path });
    assert.deepEqual(s.warnings, ['time field "timestamp" (Europe/Berlin, no offset in the values): 1 value(s) fell in an hour its clocks repeat when they go back and were read as the earlier of the two; 1 fell in an hour its clocks skip when they go forward and were read with the offset before the change. Events around these clock changes may be out of order']);
    assert.deepEqual((await load({ path: 'local.log', timezone: 'UTC', time: { format: 'iso' } }, { baseDir: tmp.path })).warnings, []);
  });

  it('prefilters lines on raw bytes and projects columns', async () => {
    const s = await load({ path: 'access.log', time: { format: 'clf' } }, { mustContain: ['/login'], fields: ['line'] });
    assert.deepEqual(schemaOf(s), ['line:string']);
    assert.equal(s.rowCount, 2);
  });
});
