/**
 * What the `casebook` command prints to a terminal: log values, file names from a log export and
 * the messages built from them never carry escape sequences, other control characters or
 * bidirectional overrides (`run`, `check` and `query`; summaries, warnings and errors).
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { safeText } from '../../src/cli/terminal';
import { cli, scratchDir, TERMINAL_CONTROL } from './helpers';

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const ESCAPES = '\u001b]0;owned\u0007\u001b[2J\u001b[31m\u009b1m\u202e';

function assertInert(label: string, text: string): void {
  const control = TERMINAL_CONTROL.exec(text);
  assert.equal(control, null, `${label}: control character U+${control?.[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(text.slice(Math.max(0, (control?.index ?? 0) - 40), (control?.index ?? 0) + 40))}`);
  assert.doesNotMatch(text, BIDI, `${label}: bidirectional control`);
}

/** A workspace whose file names and lines an adversary chose. */
function hostileExport(): string {
  const ws = scratchDir('casebook-terminal-');
  mkdirSync(join(ws, 'data'));
  const evil = `logs-${ESCAPES}.jsonl`;
  writeFileSync(
    join(ws, 'data', evil),
    [
      JSON.stringify({ timestamp: '2026-06-09T02:00:00Z', user: `${ESCAPES}admin`, ua: 'x' }),
      `${ESCAPES}{ this line is not JSON`,
      JSON.stringify({ timestamp: '2026-06-09T02:01:00Z', user: 'bob', ua: `${ESCAPES}` }),
      '',
    ].join('\n'),
  );
  writeFileSync(join(ws, 'data', `bomb-${ESCAPES}.jsonl.gz`), gzipSync(Buffer.alloc(4 << 20, 0x20)));
  writeFileSync(
    join(ws, 'terminal.casebook.md'),
    [
      '---',
      'title: Terminal',
      'sources:',
      '  logs: data/logs-*.jsonl',
      '  bomb: { path: data/bomb-*.jsonl.gz, maxDecompressedBytes: 1 MiB }',
      '---',
      '',
      '```kql #users',
      'logs | project timestamp, user, ua',
      '```',
      '',
      '```kql #bombed',
      'bomb | count',
      '```',
      '',
      '```kql #bad-regex',
      'logs | where user matches regex user',
      '```',
      '',
      '```claim #who',
      'claim: Only bob signed in',
      'by: Operator',
      'contradicted-if: users rows > 1',
      '```',
      '',
    ].join('\n'),
  );
  return ws;
}

describe('security: terminal output of the casebook command', function () {
  this.timeout(120_000);

  it('safeText shows controls and bidi overrides as escapes and leaves other text alone', () => {
    assert.equal(safeText(`a${ESCAPES}b\tc\nd`), 'a\\x1b]0;owned\\x07\\x1b[2J\\x1b[31m\\x9b1m\\u202eb\tc\\nd');
    assert.equal(safeText('naïve 日本 🙂 <b>'), 'naïve 日本 🙂 <b>');
  });

  it('run: summaries, warnings, errors and verdicts name hostile files and values without escape sequences', () => {
    const ws = hostileExport();
    const r = cli(['run', join(ws, 'terminal.casebook.md')], { cwd: ws });
    assert.equal(r.status, 1, 'cells fail (the gzip bomb and the bad pattern)');
    assertInert('stdout', r.stdout);
    assertInert('stderr', r.stderr);
    // The messages are still there, with the hostile parts visible as escapes.
    assert.match(r.stdout, /skipped 1 malformed line, first at data\/logs-\\x1b\]0;owned\\x07\\x1b\[2J\\x1b\[31m\\x9b1m\\u202e\.jsonl:2/);
    assert.match(r.stdout, /bomb-\\x1b\]0;owned.*decompresses to more than maxDecompressedBytes \(1048576 bytes\)/);
    assert.match(r.stdout, /✗ kql #bad-regex/);
    assert.match(r.stdout, /✓ claim #who {2}CONTRADICTED/);
  });

  it('check: differences and notes stay inert', () => {
    const ws = hostileExport();
    const r = cli(['check', join(ws, 'terminal.casebook.md')], { cwd: ws });
    assert.equal(r.status, 1, 'no verdict is recorded yet, so check reports differences');
    assertInert('stdout', r.stdout);
    assertInert('stderr', r.stderr);
  });

  it('query: table output, warnings and errors stay inert', () => {
    const ws = hostileExport();
    const logs = `logs=${join(ws, 'data', `logs-${ESCAPES}.jsonl`)}`;
    for (const args of [
      ['query', '--source', logs, 'logs'],
      ['query', '--source', logs, 'logs | where user matches regex user'],
      ['query', '--source', logs, `logs | project ['${ESCAPES}']`],
      ['query', '--source', logs, `logs\n| summarise count()`],
    ]) {
      const r = cli(args, { cwd: ws });
      assertInert(`${args.at(-1)}: stdout`, r.stdout);
      assertInert(`${args.at(-1)}: stderr`, r.stderr);
      assert.ok(r.stdout.length + r.stderr.length > 0);
    }
  });

  it('prints a table of megabyte-long values of wide characters quickly, each cell cut to its width', () => {
    // Measuring the whole value walked every grapheme, in time quadratic in its length: a 200 KB
    // value took 51 s.
    const ws = scratchDir('casebook-terminal-wide-');
    const file = join(ws, 'wide.jsonl');
    writeFileSync(file, ['é' + 'x'.repeat(2_000_000), '語'.repeat(1_000_000)].map((msg) => JSON.stringify({ msg })).join('\n') + '\n');
    const t0 = performance.now();
    const r = cli(['query', '--source', `w=${file}`, 'w | project msg']);
    const took = (performance.now() - t0) / 1000;
    assert.equal(r.status, 0, r.stderr);
    const [, , first, second] = r.stdout.split('\n');
    assert.equal(first, 'é' + 'x'.repeat(58) + '…');
    assert.equal(second, '語'.repeat(29) + '…');
    assert.ok(took < 30, `${took.toFixed(1)} s`);
  });
});

