import { strict as assert } from 'node:assert';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { writeTable } from '../../../src/cli/commands/query';
import { Table } from '../../../src/core/query/table';
import { casebook, casebookEarlyCloser, casebookInto, casebookSlowReader, scratchWorkspace } from './helpers';

describe('cli: casebook query', () => {
  const ws = scratchWorkspace();
  const auth = `auth=${join(ws, 'data', 'auth.jsonl')}`;

  it('prints one JSON object per row with --format jsonl and nothing else on stdout', () => {
    const r = casebook(['query', '--source', auth, '--format', 'jsonl', 'auth | where outcome == "failure" | project timestamp, user | order by timestamp asc']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => JSON.parse(l)), [
      { timestamp: '2026-06-08T09:05:00Z', user: 'b.clerk' },
      { timestamp: '2026-06-08T09:05:30Z', user: 'b.clerk' },
      { timestamp: '2026-06-09T02:15:00Z', user: 'a.official' },
    ]);
    assert.match(r.stderr, /skipped 1 malformed line, first at .*auth.jsonl:7/);
  });

  it('writes every row of a large result to a slow reader before it exits', async () => {
    // The command exits as soon as its output is written: none of several megabytes may be lost
    // when the pipe is full and its reader has not started yet.
    const r = await casebookSlowReader(['query', '--format', 'jsonl', 'range x from 1 to 200000 step 1 | extend s = strcat("row-", x)'], 1500);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 200_000);
    assert.deepEqual(JSON.parse(lines[lines.length - 1]), { x: 200000, s: 'row-200000' });
    assert.ok(r.stdout.endsWith('\n'));
  });

  it('stops making rows once the reader has gone, instead of writing the rest into the closed pipe', async () => {
    // The write loop never gave stdout a turn of the event loop to report EPIPE: `| head -1` on a
    // million rows waited out all of them (20 s). A stream whose reader is gone after one batch:
    let asked = 0, writes = 0;
    const column = { type: 'long' as const, length: 200_000, get: (i: number) => (asked++, BigInt(i)), gather: () => column };
    const table = new Table([{ name: 'n', type: 'long' }], [column], 200_000);
    const gone = new Writable({
      write(_chunk, _encoding, callback) {
        writes++;
        callback(writes > 1 ? Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }) : null);
      },
    });
    gone.on('error', () => undefined);
    assert.equal(await writeTable(table, 'jsonl', Infinity, gone), false);
    assert.ok(asked < 30_000, `${asked} of 200,000 rows made`);
    // A reader that stays gets every row.
    const lines: string[] = [];
    const stays = new Writable({ write: (chunk, _e, callback) => (lines.push(String(chunk)), callback()) });
    assert.equal(await writeTable(table, 'jsonl', Infinity, stays), true);
    assert.equal(lines.join('').split('\n').length - 1, 200_000);
  });

  it('stops writing quietly, with its own exit code, when the reader closes the pipe early', async () => {
    // It crashed on the closed pipe with a stack trace and exit code 1 (`| head -1`).
    for (const format of ['jsonl', 'csv']) {
      const r = await casebookEarlyCloser(['query', '--format', format, 'range x from 1 to 2000000 step 1']);
      assert.ok(r.firstChunk.length > 0);
      assert.equal(r.stderr, '', format);
      assert.equal(r.status, 0, format);
    }
  });

  it('says in one line that its output cannot be written (a full disk), as a file error', function () {
    // It ended with an uncaught ENOSPC and its stack trace (exit code 1).
    if (!existsSync('/dev/full')) this.skip();
    const workspace = scratchWorkspace();
    try {
      // Commands whose last write comes after an await: its error arrives after the command is done.
      const commands = [['query', '--format', 'jsonl', 'range x from 1 to 100000 step 1'], ['query', 'print a = 1'], ['run', 'basic.casebook.md'], ['run', 'basic.casebook.md', '--json'], ['check', 'claims.casebook.md', '--json'], ['export', 'basic.casebook.md', '--html', join(workspace, 'out.html')]];
      for (const args of commands) {
        const r = casebookInto(args, '/dev/full', workspace);
        assert.equal(r.stderr, 'casebook: cannot write the output: ENOSPC: no space left on device, write\n', args.join(' '));
        assert.equal(r.status, 2, args.join(' '));
      }
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('calls an empty query a usage error', () => {
    for (const query of ['', '   ', '// only a comment']) {
      const r = casebook(['query', query]);
      assert.equal(r.status, 2, JSON.stringify(query));
      assert.match(r.stderr, /^casebook: the query is empty\n/);
    }
    const lets = casebook(['query', 'let x = 1;']);
    assert.deepEqual([lets.status, lets.stderr], [0, 'the query defines names but returns no table\n']);
  });

  it('writes exact 64-bit integers in JSON', () => {
    const r = casebook(['query', '--format', 'jsonl', 'print big = 9007199254740993']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '{"big":9007199254740993}\n');
  });

  it('neutralises spreadsheet formulas in CSV', () => {
    const r = casebook(['query', '--format', 'csv', 'print a = "=HYPERLINK(\\"http://x\\")", b = "plain"']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'a,b\r\n"\'=HYPERLINK(""http://x"")",plain\r\n');
    // Only text from the logs is guarded: values Casebook formats itself stay as they are.
    const computed = casebook(['query', '--format', 'csv', 'print t = -1h, r = real(-inf), n = -5, s = "-1h", d = dynamic(["-x"])']);
    assert.equal(computed.status, 0, computed.stderr);
    assert.equal(computed.stdout, 't,r,n,s,d\r\n-01:00:00,-Infinity,-5,\'-1h,"[""-x""]"\r\n');
  });

  it('exits 1 with a positioned error and a hint for a bad query', () => {
    const r = casebook(['query', '--source', auth, 'auth\n| summarise count()']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^error: unknown operator `summarise` \(line 2, column 3\)\n/);
    assert.match(r.stderr, /did you mean `summarize`/);
    assert.match(r.stderr, /\^{9}/);
  });

  it('shows where a runtime error is, and for a name no field of the source has, lists the source\'s columns', () => {
    // The source is read only for the fields the query names, so the columns read would say "none".
    const r = casebook(['query', '--source', auth, 'auth\n| where nosuchcol > 1\n| summarize count() by zz']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /error: unknown column or name `nosuchcol` \(line 2, column 9\)\n {2}\| where nosuchcol > 1\n {10}\^{9}\n/);
    assert.match(r.stderr, /hint: `auth` has no field `nosuchcol` in the rows read \(its columns: timestamp, user, event, outcome, src_ip, session_id\)/);
    const typo = casebook(['query', '--source', auth, 'auth | where outcom == "failure"']);
    assert.match(typo.stderr, /hint: did you mean `outcome`\?/);
  });

  it('--max-rows limits the table format and must be a whole number', () => {
    const r = casebook(['query', '--source', auth, '--max-rows', '2', 'auth | project user']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /\(showing 2 of \d+ rows\)/);
    const bad = casebook(['query', '--source', auth, '--max-rows', 'abc', 'auth']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--max-rows takes a whole number of rows/);
  });

  it('prints the help for --help after a command', () => {
    for (const args of [['query', '--help'], ['run', '-h'], ['check', 'x.casebook.md', '--help']]) {
      const r = casebook(args);
      assert.equal(r.status, 0, args.join(' '));
      assert.match(r.stdout, /^casebook — incident-investigation notebooks/);
      assert.equal(r.stderr, '');
    }
  });

  it('exits 2 for a missing source file (without the help text) and for bad usage (with it)', () => {
    const missing = casebook(['query', '--source', 'x=/nonexistent/file.jsonl', 'x | count']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^casebook: .*\/nonexistent\/file\.jsonl/);
    assert.doesNotMatch(missing.stderr, /Usage:/);
    assert.doesNotMatch(missing.stderr, /settings/);
    // Settings never closed are read as a path: the error says why that path was looked for.
    const unclosed = casebook(['query', '--source', 'a=/nonexistent/a.jsonl', '--source', 'x={path: /nonexistent/file.jsonl', 'x | count']);
    assert.equal(unclosed.status, 2);
    assert.match(unclosed.stderr, /^casebook: source "x": file not found: \{path: \/nonexistent\/file\.jsonl .*; settings for a source are a mapping between \{ and \}, and this one does not end with "\}", so it was read as a path\n$/);
    const other = casebook(['query', '--source', 'a=/nonexistent/a.jsonl', '--source', 'x={path: /nonexistent/file.jsonl', 'a | count']);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /^casebook: source "a": file not found: \/nonexistent\/a\.jsonl \(looked at [^)]*\)\n$/, 'only the source whose value was read as a path gets the hint');
    for (const usage of [['query', '--format', 'xml', 'print 1'], ['query'], ['frobnicate'], ['query', '--source', 'bad-name=x.jsonl', 'print 1']]) {
      const r = casebook(usage);
      assert.equal(r.status, 2, usage.join(' '));
      assert.match(r.stderr, /Usage:/, usage.join(' '));
    }
  });

  it('takes a source\'s settings inline: the time zone and the year of yearless syslog stamps', () => {
    const file = join(ws, 'data', 'auth.log');
    writeFileSync(file, 'Dec 31 23:30:00 host sshd[1]: Failed password for root from 10.0.0.1\nJan  1 00:10:00 host sshd[2]: Accepted password for alice from 10.0.0.2\n');
    const query = 'sys | project timestamp, line | order by timestamp asc';
    const r = casebook(['query', '--source', `sys={path: ${JSON.stringify(file)}, timezone: Europe/Berlin, time: {format: syslog, year: 2025}}`, '--format', 'jsonl', query]);
    assert.equal(r.status, 0, r.stderr);
    // Berlin is an hour ahead of UTC in winter: ten past midnight on New Year's Day is still the old year in UTC.
    assert.deepEqual(r.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { timestamp: string }).timestamp), ['2024-12-31T23:10:00Z', '2025-12-31T22:30:00Z']);
    assert.doesNotMatch(r.stderr, /year/);
    // Without a year the stamps take the current one, with a warning that says so.
    const yearless = casebook(['query', '--source', `sys={path: ${JSON.stringify(file)}, time: {format: syslog}}`, '--format', 'jsonl', query]);
    assert.equal(yearless.status, 0, yearless.stderr);
    assert.match(yearless.stderr, /warning: .*year/);
    assert.match(yearless.stdout, new RegExp(`"${new Date().getUTCFullYear()}-01-01T00:10:00Z"`));
  });

  it('exits 2 with the help text when inline source settings are not valid', () => {
    const cases: [string, RegExp][] = [
      [`sys={path: x.log, timezone: Mars/Base}`, /--source: source "sys", timezone: unknown timezone "Mars\/Base"/],
      [`sys={path: x.log, time: {yeer: 2025}}`, /--source: source "sys", time: unknown setting "yeer"/],
      [`sys={path: [x.log}`, /--source: source "sys": .* \(at character 14 of "\{path: \[x\.log\}"\)/],
    ];
    for (const [option, message] of cases) {
      const r = casebook(['query', '--source', option, 'sys | count']);
      assert.equal(r.status, 2, option);
      assert.match(r.stderr, message, option);
      assert.match(r.stderr, /Usage:/, option);
    }
  });

  it('never lets escape sequences from log data reach the terminal', () => {
    const file = join(ws, 'data', 'ansi.jsonl');
    writeFileSync(file, JSON.stringify({ user: '\u001b[31mred\u001b[0m\u0007', n: 1 }) + '\n');
    const r = casebook(['query', '--source', `logs=${file}`, 'logs | project user']);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes('\u001b') && !r.stdout.includes('\u0007'), JSON.stringify(r.stdout));
    assert.match(r.stdout, /\\x1b\[31mred\\x1b\[0m\\x07/);
  });
});
