import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { column, iso, load, schemaOf, tempDir } from './helpers';

describe('sources/csv and tsv', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  it('infers cell types from every value, keeps quoting and embedded newlines', async () => {
    const s = await load('users.csv');
    assert.equal(s.format, 'csv');
    assert.deepEqual(schemaOf(s), ['id:long', 'name:string', 'created:datetime', 'score:real', 'active:bool', 'zip:string', 'note:string']);
    assert.deepEqual(column(s, 'id'), [1n, 2n, 3n, 4n]);
    assert.deepEqual(column(s, 'name'), ['Alice', 'Bob', '', 'Dora']); // empty string cell: ""
    assert.deepEqual(column(s, 'score'), [1.5, 2, null, -300]); // empty numeric cell: null
    assert.deepEqual(column(s, 'active'), [true, false, true, false]);
    assert.deepEqual(column(s, 'zip'), ['01234', '12345', '54321', '00000']); // leading zeros stay text
    assert.deepEqual(column(s, 'note'), ['says "hi", twice', 'multi\nline', '', 'plain']);
    assert.deepEqual(column(s, 'created').map(iso), ['2026-06-09T10:11:12Z', '2026-06-09T11:00:00Z', '2026-06-10T00:00:00Z', '2026-06-10T22:00:00Z']);
    assert.equal(s.timeField, null); // no candidate name among the headers
  });

  it('types a column without any value dynamic and null (a header-only file, a column left empty), so text and numbers compare with it', async () => {
    // Typed long, `where user == "x"` over an empty export was an error.
    writeFileSync(join(tmp.path, 'header-only.csv'), 'ts,user,bytes\n');
    writeFileSync(join(tmp.path, 'empty-column.csv'), 'ts,user,bytes\n2026-06-09T10:00:00Z,,\n2026-06-09T11:00:00Z,,7\n');
    assert.deepEqual(schemaOf(await load(join(tmp.path, 'header-only.csv'))), ['ts:dynamic', 'user:dynamic', 'bytes:dynamic']);
    const s = await load(join(tmp.path, 'empty-column.csv'));
    assert.deepEqual(schemaOf(s), ['ts:datetime', 'user:dynamic', 'bytes:long']);
    assert.deepEqual(column(s, 'user'), [null, null]);
  });

  it('applies the source timezone to offset-less CSV datetimes', async () => {
    const s = await load({ path: 'users.csv', timezone: 'Europe/Berlin' });
    assert.deepEqual(column(s, 'created').map(iso), ['2026-06-09T10:11:12Z', '2026-06-09T09:00:00Z', '2026-06-09T22:00:00Z', '2026-06-10T22:00:00Z']);
  });

  it('reads TSV and detects the time field among the headers', async () => {
    const s = await load('events.tsv');
    assert.equal(s.format, 'tsv');
    assert.equal(s.timeField, 'timestamp');
    assert.deepEqual(schemaOf(s), ['timestamp:datetime', 'host:string', 'bytes:long', 'ratio:real']);
    assert.deepEqual(column(s, 'bytes'), [1024n, 2048n, null]);
    assert.deepEqual(column(s, 'ratio'), [0.5, 0.25, 1]);
  });

  it('uses a declared time field and format', async () => {
    const file = join(tmp.path, 'stamps.csv');
    writeFileSync(file, 'when,what\n09.06.2026 10:11:12,a\nnot a time,b\n');
    const s = await load({ path: file, time: { field: 'when', format: '%d.%m.%Y %H:%M:%S' } });
    assert.equal(s.timeField, 'when');
    assert.deepEqual(column(s, 'when').map(iso), ['2026-06-09T10:11:12Z', null]);
    assert.match(s.warnings.join('\n'), /1 value\(s\) of time field "when" could not be read as times and are null \(first at \S*stamps\.csv:3: "not a time"\)/);
  });

  it('reports the time field\'s unreadable values by count and the line of the first, across files and quoted line breaks', async () => {
    writeFileSync(join(tmp.path, 'times-1.csv'), 'ts,who\n2026-06-09T10:00:00Z,a\n,b\n');
    // The second file's first bad value is on line 4: the record before it spans lines 2-3.
    writeFileSync(join(tmp.path, 'times-2.csv'), 'ts,who\n2026-06-09T11:00:00Z,"two\nlines"\nlater,c\n2026-06-09T12:00:00Z,d\nlater,e\nsoon,f\n');
    const s = await load({ path: 'times-*.csv', time: { field: 'ts' } }, { baseDir: tmp.path });
    assert.deepEqual(column(s, 'ts').map(iso), ['2026-06-09T10:00:00Z', null, '2026-06-09T11:00:00Z', null, '2026-06-09T12:00:00Z', null, null]);
    // Values, not distinct values (as JSON Lines counts them); an empty cell is no failure.
    assert.deepEqual(s.warnings.filter((w) => w.includes('could not be read')), ['3 value(s) of time field "ts" could not be read as times and are null (first at times-2.csv:4: "later")']);
  });

  it('says how many times fell in the hours the zone\'s clocks repeat or skip, counting rows', async () => {
    writeFileSync(join(tmp.path, 'local.csv'), 'ts,who\n2024-10-27 02:30:00,a\n2024-10-27 02:30:00,b\n2024-03-31 02:15:00,c\n2024-10-27 02:30:00+02:00,d\n2024-06-01 12:00:00,e\n');
    const s = await load({ path: 'local.csv', timezone: 'Europe/Berlin', time: { field: 'ts' } }, { baseDir: tmp.path });
    assert.deepEqual(column(s, 'ts').map(iso), ['2024-10-27T00:30:00Z', '2024-10-27T00:30:00Z', '2024-03-31T01:15:00Z', '2024-10-27T00:30:00Z', '2024-06-01T10:00:00Z']);
    assert.deepEqual(s.warnings, ['time field "ts" (Europe/Berlin, no offset in the values): 2 value(s) fell in an hour its clocks repeat when they go back and were read as the earlier of the two; 1 fell in an hour its clocks skip when they go forward and were read with the offset before the change. Events around these clock changes may be out of order']);
  });

  it('counts rows with the wrong number of fields as malformed, with their line', async () => {
    const file = join(tmp.path, 'ragged.csv');
    writeFileSync(file, 'a,b\n1,2\n3\n4,5,6\n7,8\n');
    const s = await load('ragged.csv', { baseDir: tmp.path });
    assert.deepEqual(column(s, 'a'), [1n, 7n]);
    assert.equal(s.malformed.count, 2);
    assert.deepEqual(s.malformed.samples.map((m) => [m.file, m.line]), [['ragged.csv', 3], ['ragged.csv', 4]]);
  });

  it('gives a malformed record the line it starts on, counting quoted line breaks as the file does', async () => {
    // A quoted \r\n, a quoted lone \r (not a line break) and a record that spans two lines.
    writeFileSync(join(tmp.path, 'breaks.csv'), 'a,b\r\n1,"x\r\ny"\r\n2,"p\rq"\r\n3,4,"spans\r\ntwo lines"\r\n5,6\r\n7\r\n');
    const s = await load('breaks.csv', { baseDir: tmp.path });
    assert.deepEqual(column(s, 'a'), [1n, 2n, 5n]);
    assert.deepEqual(s.malformed.samples.map((m) => [m.file, m.line]), [['breaks.csv', 5], ['breaks.csv', 8]]);
  });

  it('after quoted \\r\\n line breaks, a quoted field that never closes still loses only its own line', async () => {
    const lines = ['n,s', ...Array.from({ length: 20 }, (_, i) => (i === 2 ? '3,"a\r\nb\r\nc"' : i === 9 ? '10,"broken' : `${i + 1},x${i + 1}`))];
    writeFileSync(join(tmp.path, 'unclosed-crlf.csv'), lines.join('\n') + '\n');
    const s = await load('unclosed-crlf.csv', { baseDir: tmp.path });
    assert.deepEqual(column(s, 'n'), [...Array.from({ length: 20 }, (_, i) => BigInt(i + 1)).filter((n) => n !== 10n)]);
    assert.deepEqual(s.malformed.samples.map((m) => [m.file, m.line, m.reason]), [['unclosed-crlf.csv', 13, 'a quoted field opens on this line and is never closed']]);
  });

  it('reads again after an unclosed quote in a \\r\\n file without leaving \\r in values', async () => {
    writeFileSync(join(tmp.path, 'unclosed-crlf-file.csv'), 'n,s\r\n1,a\r\n2,"broken\r\n3,c\r\n\r\n4,d\r\n');
    const s = await load('unclosed-crlf-file.csv', { baseDir: tmp.path });
    assert.deepEqual(column(s, 'n'), [1n, 3n, 4n]);
    assert.deepEqual(column(s, 's'), ['a', 'c', 'd']);
    assert.deepEqual(s.malformed.samples.map((m) => [m.line, m.reason]), [[3, 'a quoted field opens on this line and is never closed']]);
  });

  it('reads a file whose lines end in \\r\\n and \\n alike (an export appended to by another tool), keeping \\r\\n inside quotes', async () => {
    // csv-parse took the first line's ending for the whole file: a \r\n header merged every \n
    // row into one malformed record; a \n header left \r in the last field, typing it string.
    writeFileSync(join(tmp.path, 'crlf-header.csv'), 'a,b\r\n1,x\n2,y\n3,"p\r\nq"\r\nbad\n4,z\n');
    writeFileSync(join(tmp.path, 'lf-header.csv'), 'a,b\n1,2\r\n3,4\r\n');
    writeFileSync(join(tmp.path, 'crlf-header.tsv'), 'a\tb\r\n1\tx\n2\ty\r\n');
    const crlf = await load('crlf-header.csv', { baseDir: tmp.path });
    assert.deepEqual(column(crlf, 'a'), [1n, 2n, 3n, 4n]);
    assert.deepEqual(column(crlf, 'b'), ['x', 'y', 'p\r\nq', 'z']);
    assert.deepEqual(crlf.malformed.samples.map((m) => [m.line, m.reason]), [[6, 'expected 2 fields, got 1']]);
    const lf = await load('lf-header.csv', { baseDir: tmp.path });
    assert.deepEqual(schemaOf(lf), ['a:long', 'b:long']);
    assert.deepEqual(column(lf, 'b'), [2n, 4n]);
    const tsv = await load('crlf-header.tsv', { baseDir: tmp.path });
    assert.deepEqual(column(tsv, 'b'), ['x', 'y']);
  });

  it('finds the line an unclosed quote opens on past blank lines, and reads the rest', async () => {
    // Each blank line was taken for the quote's line, one read of the file each, until the 20th gave up.
    writeFileSync(join(tmp.path, 'unclosed-blanks.csv'), 'n,s\n1,a\n' + '\n'.repeat(25) + '2,"broken\n' + Array.from({ length: 5 }, (_, i) => `${i + 3},x`).join('\n') + '\n');
    const s = await load('unclosed-blanks.csv', { baseDir: tmp.path });
    assert.deepEqual(column(s, 'n'), [1n, 3n, 4n, 5n, 6n, 7n]);
    assert.deepEqual(s.malformed.samples.map((m) => [m.line, m.reason]), [[28, 'a quoted field opens on this line and is never closed']]);
    assert.deepEqual(s.warnings, []);
  });

  it('reports an overlong line once, also when the file is read again after an unclosed quote', async () => {
    writeFileSync(join(tmp.path, 'unclosed-overlong.csv'), `n,s\n1,a\n2,"broken\n3,${'y'.repeat(300)}\n4,d\n`);
    const s = await load({ path: 'unclosed-overlong.csv', maxLineBytes: 100 }, { baseDir: tmp.path });
    assert.deepEqual(column(s, 'n'), [1n, 4n]);
    assert.deepEqual(s.malformed.samples.map((m) => m.line), [3, 4]);
    assert.equal(s.malformed.count, 2);
  });

  it('names repeated and blank headers uniquely, however many there are, and never takes a name the header gives another column', async () => {
    // The header's own `a_1` keeps its name: the repeated `a`s take a_2 and a_3 (a_1 went to the
    // second `a`, and the real a_1 became a_1_1, so `project a_1` read the wrong column).
    writeFileSync(join(tmp.path, 'dups.csv'), 'a,a,a_1,a, ,\n1,2,3,4,5,6\n');
    assert.deepEqual(schemaOf(await load('dups.csv', { baseDir: tmp.path })), ['a:long', 'a_2:long', 'a_1:long', 'a_3:long', 'column5:long', 'column6:long']);
    assert.deepEqual(column(await load('dups.csv', { baseDir: tmp.path }), 'a_1'), [3n]);
    writeFileSync(join(tmp.path, 'blank.csv'), 'a,,column2\n1,2,3\n');
    assert.deepEqual(schemaOf(await load('blank.csv', { baseDir: tmp.path })), ['a:long', 'column2_1:long', 'column2:long']);
    const n = 900;
    writeFileSync(join(tmp.path, 'many-dups.csv'), `${Array(n).fill('x').join(',')}\n${Array.from({ length: n }, (_, i) => i).join(',')}\n`);
    const many = await load('many-dups.csv', { baseDir: tmp.path });
    assert.deepEqual(many.table.schema.map((c) => c.name).slice(0, 3), ['x', 'x_1', 'x_2']);
    assert.equal(new Set(many.table.schema.map((c) => c.name)).size, n);
    assert.deepEqual(column(many, `x_${n - 1}`), [BigInt(n - 1)]);
  });

  it('refuses a header of more than maxColumns columns, naming the setting', async () => {
    // Every column of a CSV is kept: a header of 600,000 names took gigabytes.
    writeFileSync(join(tmp.path, 'wide.csv'), `${Array.from({ length: 1001 }, (_, i) => `c${i}`).join(',')}\n${Array(1001).fill('1').join(',')}\n`);
    await assert.rejects(load('wide.csv', { baseDir: tmp.path }), /source "src": wide\.csv has 1001 columns, more than maxColumns \(1000\).*raise maxColumns/);
    const raised = await load({ path: 'wide.csv', maxColumns: 2000 }, { baseDir: tmp.path });
    assert.equal(raised.table.schema.length, 1001);
    // The source's files together: three files of 400 different columns each.
    for (const part of [1, 2, 3]) writeFileSync(join(tmp.path, `wide-part-${part}.csv`), `${Array.from({ length: 400 }, (_, i) => `p${part}c${i}`).join(',')}\n${Array(400).fill('1').join(',')}\n`);
    await assert.rejects(load('wide-part-*.csv', { baseDir: tmp.path }), /source "src": its files up to wide-part-3\.csv have 1200 columns in all, more than maxColumns \(1000\)/);
  });

  it('a quoted field that never closes loses its own line only, not the rest of the file', async () => {
    // (Two stray quotes pair up into one field spanning the lines between them: CSV cannot tell.)
    const lines = ['n,s', ...Array.from({ length: 1000 }, (_, i) => (i === 5 ? '6,"broken' : `${i + 1},x${i + 1}`))];
    writeFileSync(join(tmp.path, 'unclosed.csv'), lines.join('\n') + '\n');
    const s = await load('unclosed.csv', { baseDir: tmp.path });
    assert.equal(s.table.rowCount, 999);
    assert.deepEqual(column(s, 'n').slice(4, 7), [5n, 7n, 8n]);
    assert.deepEqual(s.malformed.samples.map((m) => [m.file, m.line, m.reason]), [['unclosed.csv', 7, 'a quoted field opens on this line and is never closed']]);
  });

  it('does not take a column of small numbers for epochs when choosing the time field', async () => {
    writeFileSync(join(tmp.path, 'durations.csv'), 'time,path\n0.253,/a\n1.5,/b\n');
    const s = await load('durations.csv', { baseDir: tmp.path });
    assert.equal(s.timeField, null);
    assert.deepEqual(column(s, 'time'), [0.253, 1.5]);
    // A sentinel 0 among real epochs does not stop a column from being the time field.
    writeFileSync(join(tmp.path, 'sentinel.csv'), 'ts,x\n0,1\n1780999872,2\n');
    const t = await load('sentinel.csv', { baseDir: tmp.path });
    assert.equal(t.timeField, 'ts');
    assert.deepEqual(column(t, 'ts').map(iso), ['1970-01-01T00:00:00Z', '2026-06-09T10:11:12Z']);
  });

  it('reads TSV without quoting: a field that starts with a quote is text and takes no line with it', async () => {
    writeFileSync(join(tmp.path, 'quotes.tsv'), 'id\tmsg\n1\t"quoted" rest\n2\t"starts with quote\n3\tok\n4\t"a"\n5\t"multi\n6\tline"\n');
    const t = await load('quotes.tsv', { baseDir: tmp.path });
    assert.deepEqual(column(t, 'id'), [1n, 2n, 3n, 4n, 5n, 6n]);
    assert.deepEqual(column(t, 'msg'), ['"quoted" rest', '"starts with quote', 'ok', '"a"', '"multi', 'line"']);
    assert.equal(t.malformed.count, 0);
  });

  it('keeps integers beyond 2^53 exact (as long, or as text when beyond 64 bits)', async () => {
    const file = join(tmp.path, 'big.csv');
    writeFileSync(file, 'id,other\n9007199254740993,123456789012345678901234567890\n1,2\n');
    const s = await load(file);
    assert.deepEqual(schemaOf(s), ['id:long', 'other:string']);
    assert.deepEqual(column(s, 'id'), [9007199254740993n, 1n]);
    assert.deepEqual(column(s, 'other'), ['123456789012345678901234567890', '2']);
  });

  it('reads gzip CSV, merges headers across files and treats overlong lines as malformed', async () => {
    writeFileSync(join(tmp.path, 'part-1.csv.gz'), gzipSync('a,b\n1,x\n'));
    writeFileSync(join(tmp.path, 'part-2.csv.gz'), gzipSync(`b,c\ny,true\n${'z'.repeat(5000)},false\nw,true\n`));
    const s = await load({ path: 'part-*.csv.gz', maxLineBytes: 1000 }, { baseDir: tmp.path });
    assert.deepEqual(schemaOf(s), ['a:long', 'b:string', 'c:bool']);
    assert.deepEqual(column(s, 'a'), [1n, null, null]);
    assert.deepEqual(column(s, 'b'), ['x', 'y', 'w']);
    assert.deepEqual(s.malformed.samples.map((m) => [m.file, m.line]), [['part-2.csv.gz', 3]]);
  });

  it('projects columns and prefilters records', async () => {
    const s = await load('users.csv', { fields: ['name', 'id'], mustContain: ['true'] });
    assert.deepEqual(schemaOf(s), ['id:long', 'name:string']);
    assert.deepEqual(column(s, 'id'), [1n, 3n]);
  });
});
