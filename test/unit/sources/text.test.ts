import assert from 'node:assert/strict';
import { column, iso, load, schemaOf } from './helpers';

describe('sources/text', () => {
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
    assert.deepEqual(s.warnings, ['1 line(s) have no readable timestamp at their start; their timestamp is null (first: "  continuation line without a stamp")']);
  });

  it('warns when it had to assume the year of syslog stamps', async () => {
    const s = await load({ path: 'proxy.log', time: { format: 'syslog' } }, { now: new Date('2027-01-05T00:00:00Z') });
    assert.equal(iso(column(s, 'timestamp')[0]), '2027-06-09T10:11:12Z');
    assert.ok(s.warnings.includes('timestamps carry no year; assumed 2027 (declare time.year to set it)'));
  });

  it('finds combined-log stamps in brackets, with their offsets', async () => {
    const s = await load({ path: 'access.log', time: { format: 'clf' } });
    assert.deepEqual(column(s, 'timestamp').map(iso), ['2026-06-09T08:11:12Z', '2026-06-09T08:11:13Z', '2026-06-10T04:59:59Z']);
    const auto = await load({ path: 'access.log', time: { format: '%d/%b/%Y:%H:%M:%S %z' } });
    assert.deepEqual(column(auto, 'timestamp'), [null, null, null]); // a pattern must match at the line start
  });

  it('prefilters lines on raw bytes and projects columns', async () => {
    const s = await load({ path: 'access.log', time: { format: 'clf' } }, { mustContain: ['/login'], fields: ['line'] });
    assert.deepEqual(schemaOf(s), ['line:string']);
    assert.equal(s.rowCount, 2);
  });
});
