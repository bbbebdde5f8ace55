/**
 * Verdict records written into the notebook file are read on code hosts, where the file's Markdown
 * is rendered. Records of the hostile notebook (and of random hostile evidence) must render as
 * text, keep the file's structure (no fake cells, fences or records), and read back exactly.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { Marked } from 'marked';
import { formatVerdictRecord, parseVerdictRecord, VERDICT_TAG, type VerdictRecord } from '../../src/core/claims/record';
import { parseNotebook, printNotebook, type CodeCell } from '../../src/core/format';
import { Table } from '../../src/core/query/table';
import { cli, HOSTILE_NOTEBOOK, hostileWorkspace, inspectPage, launchChromium, VISIBLE_PAYLOADS } from './helpers';

const marked = new Marked({ gfm: true });
/** What Casebook's own record Markdown renders to; anything else came from data. */
const RECORD_TAGS = new Set(['blockquote', 'p', 'strong', 'em', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);

/** Renders a record as a code host would; returns the HTML after its leading machine comment. */
function renderRecord(text: string): { comment: string; html: string } {
  const end = text.indexOf('\n-->\n');
  assert.ok(end > 0, 'the machine part ends with a line holding only -->');
  // Nothing before that line may end the comment.
  const machine = text.slice(0, end);
  assert.ok(!/--!?>/.test(machine), 'no comment terminator inside the machine part');
  assert.equal(machine.indexOf('<!--', 1), -1, 'no comment opener inside the machine part');
  const html = marked.parse(text, { async: false }) as string;
  const close = html.indexOf('-->');
  assert.ok(html.startsWith('<!-- casebook:verdict') && close === end + 1, 'the rendered record starts with its whole machine comment');
  return { comment: html.slice(0, close + 3), html: html.slice(close + 3) };
}

/**
 * Elements in rendered HTML. GFM links e-mail addresses (`a@b.example` → mailto:); such a link runs
 * and loads nothing and keeps log e-mail addresses readable in the file, so it is the one link allowed.
 */
function tagsOf(html: string): string[] {
  const withoutMail = html.replace(/<a href="mailto:[^"]*">([^<]*)<\/a>/g, '$1');
  return [...new Set([...withoutMail.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()))];
}

describe('security: verdict records in the notebook file', function () {
  this.timeout(180_000);

  it('records of the hostile notebook render as text on a code host and read back exactly', async () => {
    const ws = hostileWorkspace();
    const file = join(ws, HOSTILE_NOTEBOOK);
    const before = parseNotebook(readFileSync(file, 'utf8'));
    assert.ok(before.ok);
    const r = cli(['run', '--write', file], { cwd: ws });
    assert.equal(r.status, 0, r.stderr);
    const written = readFileSync(file, 'utf8');
    // The file stays valid UTF-8 (lone surrogates from the logs are not written as such).
    new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
    const after = parseNotebook(written);
    assert.ok(after.ok, 'the notebook still parses');
    // Same cells; records only after the claim cells, one each.
    assert.deepEqual(
      after.notebook.cells.map((c) => (c.type === 'code' ? `${c.kind}#${c.id}` : 'md')),
      before.notebook.cells.map((c) => (c.type === 'code' ? `${c.kind}#${c.id}` : 'md')),
    );
    const code = after.notebook.cells.filter((c): c is CodeCell => c.type === 'code');
    for (const c of code) {
      assert.equal(c.records.length, c.kind === 'claim' ? 1 : 0, `records after ${c.kind} #${c.id}`);
      for (const rec of c.records) {
        assert.equal(rec.tag, VERDICT_TAG);
        const parsed = parseVerdictRecord(rec);
        assert.ok(parsed && parsed.claim === c.id && parsed.verdict === 'contradicted', `record of #${c.id} reads back`);
      }
    }
    // Printing the parsed file gives the same bytes: nothing in a record moved a boundary.
    assert.equal(printNotebook(after.notebook), written);
    // And `casebook check` agrees with every record.
    const check = cli(['check', file], { cwd: ws });
    assert.equal(check.status, 0, check.stdout + check.stderr);

    const records = code.flatMap((c) => c.records.map((rec) => rec.text));
    const bodies: string[] = [];
    for (const text of records) {
      const { html } = renderRecord(text);
      assert.deepEqual(tagsOf(html).filter((t) => !RECORD_TAGS.has(t)), [], `record renders only its own elements:\n${html}`);
      bodies.push(html);
    }
    // The hostile evidence is in there, as text.
    const page = `<!doctype html><meta charset="utf-8"><body>${bodies.join('\n')}</body>`;
    const browser = await launchChromium();
    try {
      const p = await browser.newPage();
      const requests: string[] = [];
      p.on('request', (q) => {
        if (!q.url().startsWith('file:')) requests.push(q.url());
      });
      const html = join(ws, 'records.html');
      writeFileSync(html, page);
      await p.goto(pathToFileURL(html).href);
      await p.waitForTimeout(300);
      const found = await inspectPage(p);
      assert.deepEqual(found.pwned, []);
      assert.deepEqual(found.active, []);
      assert.deepEqual(requests, []);
      for (const payload of VISIBLE_PAYLOADS) assert.ok(found.text.includes(payload), `evidence shown as text: ${payload}`);
      assert.ok(found.text.includes('--> <!-- /casebook:verdict --> <!-- casebook:verdict'), 'a fake marker from the logs reads as text');
      assert.ok(found.text.includes('line one line two ``` <!-- casebook:verdict'), 'a multi-line value is one line of text');
    } finally {
      await browser.close();
    }
  });

  it('random hostile evidence, claims and paths never change the file structure or render as markup', () => {
    const piece = fc.constantFrom(
      '<', '>', '&', '|', '`', '```', '~~~', '\n', '\r', '\r\n', '\u2028', '\t', '\u0000', '\u001b', '#', '# ', '-->', '--!>', '<!--', '<!-- casebook:verdict', '<!-- /casebook:verdict -->',
      '<!-- casebook:break -->', '<!-- casebook:markdown -->', '<img src=x onerror=alert(1)>', '[a](javascript:alert(1))', '![a](https://attacker.invalid/x.png)', 'https://attacker.invalid/', 'www.attacker.invalid',
      '<<<<<<< ', '>>>>>>> ', '=======', '---', '***', '- ', '1. ', '> ', '    ', '\\', '*', '_', '__proto__', '"', "'", '\ud800', '&amp;', '&#60;script&#62;', ':', 'a', ' ',
    );
    const text = fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), fc.array(fc.array(text, { minLength: 3, maxLength: 3 }), { maxLength: 6 }), text, text, text, (names, rows, statement, by, path) => {
        const columns = names.map((n, i) => ({ name: `${n}${i}`, type: 'string' as const }));
        const table = Table.fromRows(columns, rows.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, r[i % r.length]]))));
        const record: VerdictRecord = { claim: 'c', verdict: 'supported', rule: `supported-if: ${statement}`, evidence: 'ev', rows: table.rowCount, sources: { s: [{ path, sha256: 'a'.repeat(64), bytes: 1 }] } };
        const rec = formatVerdictRecord(record, { statement, by, reason: `Supported: ${by}`, evidenceTable: table, evidenceCaption: `rows of ${statement}` });
        // In the file, after its claim cell, it is exactly one record and reads back exactly.
        const notebook = ['```claim #c', 'claim: x', 'by: y', '```', rec.text, '', 'after', ''].join('\n');
        const parsed = parseNotebook(notebook);
        assert.ok(parsed.ok, 'the file parses');
        assert.equal(parsed.notebook.cells.length, 2);
        const cell = parsed.notebook.cells[0] as CodeCell;
        assert.equal(cell.records.length, 1);
        assert.equal(cell.records[0].text, rec.text);
        const back = parseVerdictRecord(cell.records[0]);
        assert.ok(back, 'the machine part reads back');
        assert.equal(back.rule, record.rule);
        assert.equal(back.sources.s[0].path, path);
        // On a code host: the comment, then only the record's own elements.
        const { html } = renderRecord(rec.text);
        assert.deepEqual(tagsOf(html).filter((t) => !RECORD_TAGS.has(t)), []);
      }),
      { seed: Number(process.env.SEED ?? 20260609), numRuns: Number(process.env.RUNS ?? 1500) },
    );
  });
});
