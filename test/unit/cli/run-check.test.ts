import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { casebook, scratchWorkspace } from './helpers';

describe('cli: casebook run', () => {
  it('runs every cell and prints a summary per cell; --json gives the same as data', () => {
    const ws = scratchWorkspace();
    const text = casebook(['run', join(ws, 'basic.casebook.md')]);
    assert.equal(text.status, 0, text.stderr + text.stdout);
    assert.match(text.stdout, /✓ kql #failures {2}2 rows/);
    assert.match(text.stdout, /3 cells ran/);
    const json = JSON.parse(casebook(['run', '--json', join(ws, 'basic.casebook.md')]).stdout);
    assert.equal(json.ok, true);
    assert.deepEqual(
      json.cells.map((c: { id?: string; rows: number }) => [c.id ?? null, c.rows]),
      [
        ['failures', 2],
        ['victim-ips', 2],
        [null, 1],
      ],
    );
  });

  it('exits 1 when a cell fails and 2 when the file cannot be read', () => {
    const ws = scratchWorkspace();
    const file = join(ws, 'bad.casebook.md');
    writeFileSync(file, '# Notes\n\nA line.\n\n```kql #q\nnosuchtable | take 1\n```\n');
    const r = casebook(['run', file]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /✗ kql #q/);
    // Where the failed cell is in the file (its fence), as editors and terminals open FILE:LINE.
    assert.ok(r.stdout.includes(`    in ${file}:5\n`), r.stdout);
    for (const name of ['missing.casebook.md', 'conflict.casebook.md']) {
      const r = casebook(['run', join(ws, name)]);
      assert.equal(r.status, 2, name);
      assert.match(r.stderr, /^casebook: /, name);
      assert.doesNotMatch(r.stderr, /Usage:/, name); // a file problem, not a usage problem
      // With --json the problem is data on stdout as well.
      for (const command of ['run', 'check']) {
        const json = casebook([command, '--json', join(ws, name)]);
        assert.equal(json.status, 2);
        const report = JSON.parse(json.stdout);
        assert.equal(report.ok, false);
        assert.equal(report.notebook, join(ws, name), 'the notebook, as every report names it');
        assert.equal(report.error.kind, 'file');
        assert.match(report.error.message, name === 'missing.casebook.md' ? /no such file/ : /merge-conflict marker/);
      }
    }
    // Front matter that cannot be read stops the notebook: a file problem for run and check alike.
    for (const command of ['run', 'check']) {
      const r = casebook([command, join(ws, 'broken-front-matter.casebook.md')]);
      assert.equal(r.status, 2, command);
      assert.match(r.stderr, /broken-front-matter.casebook.md: front matter: .*\(front matter line 1\)/, command);
    }
    // The same shape from both commands: { notebook, ok, error: { kind, message } }.
    for (const command of ['run', 'check']) {
      const checked = JSON.parse(casebook([command, '--json', join(ws, 'broken-front-matter.casebook.md')]).stdout);
      assert.deepEqual([checked.notebook, checked.ok, checked.error.kind], [join(ws, 'broken-front-matter.casebook.md'), false, 'front-matter'], command);
      assert.match(checked.error.message, /front matter line 1/);
    }
  });

  it('reads a notebook with a byte order mark, and refuses one that is not UTF-8 without touching it', () => {
    const ws = scratchWorkspace();
    const bom = join(ws, 'bom.casebook.md');
    writeFileSync(bom, '\ufeff' + readFileSync(join(ws, 'basic.casebook.md'), 'utf8'));
    const r = casebook(['run', bom]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /✓ kql #failures {2}2 rows/);
    const latin1 = join(ws, 'latin1.casebook.md');
    const bytes = Buffer.concat([Buffer.from('# Notes\n\nCaf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    writeFileSync(latin1, bytes);
    const bad = casebook(['run', '--write', latin1]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /latin1.casebook.md is not valid UTF-8 \(line 3\)/);
    assert.deepEqual(readFileSync(latin1), bytes);
  });

  it('runs a notebook whose parameters are integers, exact beyond 2^53', () => {
    const ws = scratchWorkspace();
    const file = join(ws, 'params.casebook.md');
    writeFileSync(file, ['---', 'sources:', '  auth: data/auth.jsonl', 'params:', '  n: 2', '  big: 9007199254740993', '---', '', '```kql #q', 'auth | take n | extend b = big', '```', '', '```claim #c', 'claim: x', 'by: y', 'supported-if: q has rows', '```', ''].join('\n'));
    const r = casebook(['run', '--write', file]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /✓ kql #q {2}2 rows/);
    assert.equal(casebook(['check', file]).status, 0);
    // Beyond 2^53 a parameter keeps every digit (YAML alone would round it to ...992).
    const exact = join(ws, 'exact.casebook.md');
    writeFileSync(exact, readFileSync(file, 'utf8').replace('supported-if: q has rows', 'supported-if: every row of q satisfies `b == 9007199254740993 and b != 9007199254740992`'));
    const e = casebook(['run', exact]);
    assert.equal(e.status, 0, e.stderr + e.stdout);
    assert.match(e.stdout, /claim #c {2}SUPPORTED/);
  });

  it("names a claim's predicate when it fails, never the query Casebook built from it", () => {
    const ws = scratchWorkspace();
    const file = join(ws, 'predicate.casebook.md');
    writeFileSync(file, ['---', 'sources:', '  auth: data/auth.jsonl', '---', '', '```kql #q', 'auth | take 2', '```', '', '```claim #c', 'claim: x', 'by: y', 'supported-if: every row of q satisfies `nosuch == 1`', '```', ''].join('\n'));
    const r = casebook(['run', file]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /error: in the predicate `nosuch == 1` of q: unknown column or name `nosuch`/);
    assert.doesNotMatch(r.stdout + r.stderr, /__casebook/);
  });

  it('names an inline evidence query that fails, with the caret under the query rather than the claim', () => {
    const ws = scratchWorkspace();
    const file = join(ws, 'inline-error.casebook.md');
    writeFileSync(file, ['---', 'sources:', '  auth: data/auth.jsonl', '---', '', '```claim #c', 'claim: inline syntax error', 'by: y', 'evidence:', '  e: "auth | where user >> 5"', 'contradicted-if: e has rows', '```', ''].join('\n'));
    const r = casebook(['run', file]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /error: in the evidence query e: expected an expression but found `>`\n.*\(line 1, column 20\)\n {6}auth \| where user >> 5\n {25}\^/);
  });

  it('a predicate is one expression: it cannot close its parenthesis and go on, and a // comment ends with it', () => {
    const ws = scratchWorkspace();
    const file = join(ws, 'predicate.casebook.md');
    const claim = (id: string, predicate: string) => ['```claim #' + id, 'claim: x', 'by: y', `supported-if: every row of q satisfies \`${predicate}\``, '```', ''];
    writeFileSync(file, ['---', 'sources:', '  auth: data/auth.jsonl', '---', '', '```kql #q', 'auth | take 3', '```', '', ...claim('inj', 'false) | where false | extend h = (true'), ...claim('comment', 'isnotempty(user) // every row names a user')].join('\n'));
    const r = casebook(['run', file]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /✗ claim #inj {2}error/);
    assert.match(r.stdout, /error: in the predicate `false\) \| where false \| extend h = \(true` of q: .*\(at character 6\)/);
    assert.match(r.stdout, /claim #comment {2}SUPPORTED/);
  });

  it('warns about a front matter key that looks misspelt', () => {
    const ws = scratchWorkspace();
    const file = join(ws, 'typo.casebook.md');
    writeFileSync(file, readFileSync(join(ws, 'basic.casebook.md'), 'utf8').replace(/^---\n/, '---\ntitel: Typo\n'));
    const r = casebook(['run', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: .*typo\.casebook\.md: front matter: unknown key `titel`; did you mean `title`\? \(Casebook ignores it\) \(front matter line 1\)/);
  });

  it('prints every verdict, and --write stores records only when they change', () => {
    const ws = scratchWorkspace();
    const file = join(ws, 'claims.casebook.md');
    const first = casebook(['run', '--write', file]);
    assert.equal(first.status, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /claim #official-scope {2}CONTRADICTED/);
    assert.match(first.stdout, /claim #attacker-exfil {2}SUPPORTED/);
    assert.match(first.stderr, /wrote verdict records/);
    const written = readFileSync(file, 'utf8');
    assert.match(written, /<!-- casebook:verdict\nclaim: "official-scope"\nverdict: "contradicted"/);
    const second = casebook(['run', '--write', file]);
    assert.match(second.stderr, /is up to date/);
    assert.doesNotMatch(second.stderr, /kept the earlier verdict record/);
    assert.equal(readFileSync(file, 'utf8'), written, 'an unchanged run leaves the file byte-identical');
    // So does a file with CRLF line ends (it was rewritten with LF, every line a change in a diff).
    const crlf = written.replace(/\n/g, '\r\n');
    writeFileSync(file, crlf);
    const third = casebook(['run', '--write', file]);
    assert.match(third.stderr, /is up to date/);
    assert.equal(readFileSync(file, 'utf8'), crlf, 'CRLF kept');
    writeFileSync(file, written);
    // A claim that fails keeps its last record, and the run says so rather than "up to date" alone.
    writeFileSync(file, written.replace('| where src_ip == attacker_ip and action == "export"', '| where nosuch == 1'));
    const failed = casebook(['run', '--write', file]);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /kept the earlier verdict record of #attacker-exfil: the claim failed this time/);
    assert.match(readFileSync(file, 'utf8'), /claim: "attacker-exfil"\nverdict: "supported"/);
  });

  it('--write replaces only verdict records: a record of another kind after a claim is kept in its place', () => {
    const ws = scratchWorkspace();
    const file = join(ws, 'claims.casebook.md');
    assert.equal(casebook(['run', '--write', file]).status, 0);
    const review = '<!-- casebook:review\nreviewed-by: Dana\n-->\n<!-- /casebook:review -->';
    const withReview = readFileSync(file, 'utf8').replace(/(<!-- \/casebook:verdict -->)/, `$1\n\n${review}`);
    assert.ok(withReview.includes(review));
    writeFileSync(file, withReview);
    const again = casebook(['run', '--write', file]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /is up to date/);
    assert.equal(readFileSync(file, 'utf8'), withReview, 'unchanged verdicts: the file stays byte-identical, review and all');
    // A verdict that changes is rewritten where it was; the review stays after it.
    writeFileSync(file, withReview.replace('verdict: "contradicted"', 'verdict: "supported"'));
    assert.equal(casebook(['run', '--write', file]).status, 0);
    assert.equal(readFileSync(file, 'utf8'), withReview);
  });
});

describe('cli: casebook run --charts', () => {
  it('writes every chart of hostile data as a valid, inert SVG file', () => {
    const ws = scratchWorkspace();
    const lines = ['alice\u0001', 'bob'].map((user, i) => JSON.stringify({ timestamp: `2026-06-09T02:0${i}:00Z`, user, 'bytes\\': i + 1 }));
    writeFileSync(join(ws, 'hostile.jsonl'), lines.join('\n') + '\n');
    const notebook = ['---', 'sources:', '  h: hostile.jsonl', '---', '', '```kql #pie', 'h | summarize n = sum(["bytes\\\\"]) by user | render piechart', '```', '', '```kql #points', 'h | render scatterchart', '```', ''].join('\n');
    writeFileSync(join(ws, 'charts.casebook.md'), notebook);
    const out = join(ws, 'charts');
    const r = casebook(['run', '--charts', out, join(ws, 'charts.casebook.md')]);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stderr, /wrote 2 charts/);
    for (const name of ['pie.svg', 'points.svg']) {
      const svg = readFileSync(join(out, name), 'utf8');
      assert.match(svg, /^<svg[\s\S]*<\/svg>$/);
      assert.ok(!/[\u0000-\u0008]/.test(svg), `${name} has no raw control character (invalid XML)`);
    }
    assert.match(readFileSync(join(out, 'pie.svg'), 'utf8'), /alice\\x01/);
    assert.match(readFileSync(join(out, 'points.svg'), 'utf8'), /bytes⧵/);
  });
});

describe('cli: casebook check', () => {
  function recorded(): { ws: string; file: string } {
    const ws = scratchWorkspace();
    const file = join(ws, 'claims.casebook.md');
    assert.equal(casebook(['run', '--write', file]).status, 0);
    return { ws, file };
  }

  it('exits 0 when every verdict and source hash matches', () => {
    const { file } = recorded();
    const r = casebook(['check', file]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /all 2 verdicts and their sources match/);
  });

  it('detects a source file with one byte changed', () => {
    const { ws, file } = recorded();
    const data = join(ws, 'data', 'access.jsonl');
    writeFileSync(data, readFileSync(data, 'utf8').replace('"bytes":2400000', '"bytes":2400001'));
    const r = casebook(['check', file]);
    assert.equal(r.status, 1);
    // A claim with a difference is not ticked, even if its verdict held, and says where it is.
    const line = readFileSync(file, 'utf8').split('\n').indexOf('```claim #attacker-exfil') + 1;
    assert.ok(r.stdout.includes(`✗ attacker-exfil: supported  (${file}:${line})\n`), r.stdout);
    assert.match(r.stdout, /attacker-exfil: source access file data\/access.jsonl changed \(sha256 [0-9a-f]{12}…, 787 bytes → [0-9a-f]{12}…, 787 bytes\)/);
    assert.match(r.stdout, /attacker-exfil: the evidence rows changed/);
  });

  it('fails when a claim fence was changed so that its claim no longer runs, or the file no longer reads', () => {
    const { file } = recorded();
    const recordedText = readFileSync(file, 'utf8');
    assert.match(recordedText, /```claim #attacker-exfil\n/);
    // A claim fence in capitals is a cell of another kind: its record would go unchecked ("all 1 verdicts match").
    writeFileSync(file, recordedText.replace('```claim #attacker-exfil\n', '```Claim #attacker-exfil\n'));
    const renamed = casebook(['check', file]);
    assert.equal(renamed.status, 1, renamed.stdout);
    assert.match(renamed.stdout, /#attacker-exfil: a verdict record follows a cell of kind `Claim`, which is not a claim and did not run/);
    // As tilde fences, the claim becomes Markdown and its record follows no cell: the file no longer reads.
    const tilde = recordedText.replace(/```claim #attacker-exfil\n([\s\S]*?)\n```\n/, '~~~claim #attacker-exfil\n$1\n~~~\n');
    assert.notEqual(tilde, recordedText);
    writeFileSync(file, tilde);
    const markdown = casebook(['check', file]);
    assert.equal(markdown.status, 2, markdown.stdout);
    assert.match(markdown.stderr, /the verdict record at line \d+ follows no cell/);
  });

  it('refuses a record whose closing line was lost, rather than rewriting the file without the cells after it', () => {
    const { file } = recorded();
    const recordedText = readFileSync(file, 'utf8');
    const broken = recordedText.replace('<!-- /casebook:verdict -->\n', '');
    assert.equal(broken.split('<!-- /casebook:verdict -->').length, 2, 'one of the two records lost its closing line');
    writeFileSync(file, broken);
    for (const command of [['check'], ['run', '--write']]) {
      const r = casebook([...command, file]);
      assert.equal(r.status, 2, command.join(' '));
      assert.match(r.stderr, /the verdict record opened at line \d+ is never closed \(expected `<!-- \/casebook:verdict -->` before line \d+\)/);
    }
    assert.equal(readFileSync(file, 'utf8'), broken, 'nothing was written');
  });

  it('notes the cells that read the clock when the front matter fixes no now:, and passes', () => {
    const ws = scratchWorkspace();
    const file = join(ws, 'clock.casebook.md');
    const body = ['```kql #cutoff', 'let since = ago(36500d);', '```', '', '```kql #recent', 'datatable(ts:datetime)[datetime(2026-06-09)] | where ts > since', '```', '', '```claim #c', 'claim: nothing recent', 'by: x', 'contradicted-if: recent has rows', '```', ''];
    writeFileSync(file, ['---', '---', '', ...body].join('\n'));
    assert.equal(casebook(['run', '--write', file]).status, 0);
    const r = casebook(['check', file]);
    assert.equal(r.status, 0, r.stdout);
    // The clock is read in #cutoff; #recent and the claim rest on it.
    assert.match(r.stdout, /note: #cutoff, #recent, #c read the clock \(now, ago\) and the front matter sets no now:/);
    assert.deepEqual(JSON.parse(casebook(['check', '--json', file]).stdout).clock, ['#cutoff', '#recent', '#c']);
    // With now: fixed, the results are reproducible: no note.
    writeFileSync(file, ['---', 'now: 2026-06-10T00:00:00Z', '---', '', ...body].join('\n'));
    assert.equal(casebook(['run', '--write', file]).status, 0);
    assert.doesNotMatch(casebook(['check', file]).stdout, /the clock/);
  });

  it('detects a deleted source', () => {
    const { ws, file } = recorded();
    rmSync(join(ws, 'data', 'access.jsonl'));
    const r = casebook(['check', file]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /source access: data\/access.jsonl is missing/);
    assert.match(r.stdout, /official-scope: contradicted → error/);
  });

  it('detects a changed query that flips a verdict, saying old → new and why', () => {
    const { file } = recorded();
    writeFileSync(file, readFileSync(file, 'utf8').replace('| where room_visibility != "public"', '| where room_visibility == "secret"'));
    const r = casebook(['check', '--json', file]);
    assert.equal(r.status, 1);
    const report = JSON.parse(r.stdout);
    const flip = report.differences.find((d: { claim?: string; kind: string }) => d.claim === 'official-scope' && d.kind === 'verdict');
    assert.deepEqual([flip.old, flip.new], ['contradicted', 'supported']);
    assert.match(flip.message, /now decided by supported-if/);
  });

  it('detects a changed query that leaves the verdict and the evidence rows as they were', () => {
    const { file } = recorded();
    // A narrower filter that happens to keep the same rows: only the query hash can tell.
    writeFileSync(file, readFileSync(file, 'utf8').replace('| where src_ip == attacker_ip and action == "export"', '| where src_ip == attacker_ip and action == "export" and bytes > 1000'));
    const r = casebook(['check', '--json', file]);
    assert.equal(r.status, 1, r.stdout);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.differences.map((d: { claim: string; kind: string }) => [d.claim, d.kind]), [['attacker-exfil', 'queries']]);
    assert.match(report.differences[0].message, /attacker-exfil: the claim or the queries it reads changed since its verdict was recorded/);
    // Recording the run makes the file current again.
    assert.equal(casebook(['run', '--write', file]).status, 0);
    assert.equal(casebook(['check', file]).status, 0);
  });

  it('detects a record changed by hand: its visible summary, a field taken out, another claim name, another record beside it, one that cannot be read', () => {
    const { file } = recorded();
    const written = readFileSync(file, 'utf8');
    const record = /<!-- casebook:verdict\nclaim: "official-scope"[\s\S]*?<!-- \/casebook:verdict -->/.exec(written)![0];
    const forged = record.replace('verdict: "contradicted"', 'verdict: "supported"').replace('**Contradicted**', '**Supported**');
    const edits: [string, string, RegExp][] = [
      ['summary', written.replace('> **Contradicted**', '> **Supported**'), /official-scope: the verdict record differs from the one this version of Casebook writes.*edited by hand, or written by an earlier version/],
      ['field', written.replace(/\nqueries-sha256: "[0-9a-f]{64}"(?=[\s\S]*?claim: "attacker-exfil")/, ''), /official-scope: the verdict record differs/],
      ['name', written.replace('claim: "official-scope"', 'claim: "zzz"'), /official-scope: the verdict record differs/],
      ['second', written.replace(record, `${record}\n\n${forged}`), /official-scope: 2 verdict records follow the claim/],
      ['unreadable', written.replace(/evidence-sha256: "[0-9a-f]{64}"/, 'evidence-sha256: "zz"'), /official-scope: the verdict record in the file cannot be read/],
    ];
    for (const [what, text, message] of edits) {
      assert.notEqual(text, written, what);
      writeFileSync(file, text);
      const r = casebook(['check', file]);
      assert.equal(r.status, 1, `${what}: ${r.stdout}`);
      assert.match(r.stdout, message, what);
    }
    // Writing again makes it current, with one record.
    assert.equal(casebook(['run', '--write', file]).status, 0);
    assert.equal(readFileSync(file, 'utf8'), written);
    assert.equal(casebook(['check', file]).status, 0);
  });

  it('records and checks the sources read by inline evidence queries', () => {
    const ws = scratchWorkspace();
    const file = join(ws, 'inline.casebook.md');
    const claim = ['```claim #clerk-failures', 'claim: The clerk never failed to sign in', 'by: Clerk', 'evidence:', '  failures: auth | where user == "b.clerk" and outcome == "failure"', 'contradicted-if: failures has rows', 'supported-if: failures has no rows', '```', ''];
    writeFileSync(file, ['---', 'sources:', '  auth: data/auth.jsonl', '---', '', ...claim].join('\n'));
    assert.equal(casebook(['run', '--write', file]).status, 0);
    assert.match(readFileSync(file, 'utf8'), /sources:\n {2}"auth":\n {4}- \{"path": "data\/auth.jsonl", "sha256": "[0-9a-f]{64}"/);
    // A line the evidence does not match: only the source hash can tell it changed.
    const data = join(ws, 'data', 'auth.jsonl');
    writeFileSync(data, readFileSync(data, 'utf8').replace('"user":"a.official","event":"signin"', '"user":"a.officia1","event":"signin"'));
    const r = casebook(['check', file]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /clerk-failures: source auth file data\/auth.jsonl changed/);
  });

  it('reports a judgement that disagrees with the computed verdict', () => {
    const { file } = recorded();
    writeFileSync(file, readFileSync(file, 'utf8').replace('  verdict: supported\n  by: J. Analyst', '  verdict: contradicted\n  by: J. Analyst'));
    const r = casebook(['check', file]);
    assert.match(r.stdout, /judgement by J. Analyst \(contradicted\) disagrees with the computed verdict \(supported\)/);
  });
});
