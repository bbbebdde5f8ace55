/**
 * Exports of attacker-written values: CSV (the CLI's `--format csv`; the renderer's "Copy CSV" uses
 * the same `csvLine`, exercised in a browser by renderer.test.ts), Markdown tables (reports, the
 * renderer's "Copy Markdown", verdict records) and JSON Lines.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { Marked } from 'marked';
import { csvField, csvLine } from '../../src/core/output/csv';
import { showInvisible } from '../../src/core/output/invisible';
import { escapeMarkdownCell, tableToMarkdown } from '../../src/core/output/markdown';
import { Table } from '../../src/core/query/table';
import { cli, HOSTILE } from './helpers';

const FORMULA = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** A field a spreadsheet would evaluate: it starts (perhaps after spaces) with a formula character and is not a plain number. */
function wouldRun(field: string): boolean {
  return (FORMULA.test(field) || /^\s+[=+\-@]/.test(field)) && !PLAIN_NUMBER.test(field);
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 12, unit: 'binary' }),
  fc.constantFrom('=1+1', '+1', '-1', '-1+1', '@SUM(A1)', '\t=x', '\r=x', ' =x', '  @x', '-5', '+3.5e2', '.5', '-', '=', "'=x", '"=x"', 'a,b', 'a"b', 'a\nb', '\u001b[31m', '\u009b1m', '=HYPERLINK("http://x")', '<img src=x onerror=alert(1)>'),
  fc.array(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ' ', '"', ',', '1', 'a', '\u001b', '\u0085', '|', '`', '<', '>', '#', '\\', 'www.', 'http://'), { maxLength: 10 }).map((a) => a.join('')),
);

describe('security: exports', function () {
  this.timeout(120_000);

  describe('CSV', () => {
    it('a field never starts a formula, parses back to the value (apostrophe-prefixed when neutralised) and carries no control characters', () => {
      fc.assert(
        fc.property(fc.array(hostileText, { minLength: 1, maxLength: 5 }), (values) => {
          const line = csvLine(values);
          assert.doesNotMatch(line, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/);
          const [record] = parseCsv(line + '\r\n', { relax_quotes: false }) as string[][];
          assert.equal(record.length, values.length);
          record.forEach((field, i) => {
            assert.ok(!wouldRun(field), `formula got through: ${JSON.stringify(field)}`);
            const visible = values[i].replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
            assert.equal(field, wouldRun(visible) ? `'${visible}` : visible);
          });
        }),
        { seed: 61, numRuns: 5000 },
      );
    });

    it('keeps plain numbers, negative ones included', () => {
      assert.equal(csvLine(['-5', '+1.5', '-0.25e3', '42']), '-5,+1.5,-0.25e3,42');
      assert.equal(csvField('-5+1'), "'-5+1");
      assert.equal(csvField(' =1'), "' =1");
      assert.equal(csvField('\u001b[31m=x'), '\\x1b[31m=x');
    });

    it('casebook query --format csv neutralises every hostile field of the fixture', () => {
      const r = cli(['query', '--format', 'csv', '--source', `events=${join(HOSTILE, 'data', 'events.jsonl')}`, 'events | project user, room, ua, message, bytes, neg = -bytes']);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/, 'no terminal control characters');
      const records = parseCsv(r.stdout) as string[][];
      assert.deepEqual(records[0], ['user', 'room', 'ua', 'message', 'bytes', 'neg']);
      let neutralised = 0;
      for (const record of records.slice(1)) {
        for (const field of record) {
          assert.ok(!wouldRun(field), `formula got through: ${JSON.stringify(field)}`);
          if (/^'/.test(field)) neutralised++;
        }
        assert.match(record[5], /^-\d+$/, 'negative numbers stay numbers');
      }
      assert.ok(neutralised >= 12, `hostile formulas neutralised: ${neutralised}`);
    });
  });

  describe('Markdown tables', () => {
    const marked = new Marked({ gfm: true });
    const decode = (html: string) => html.replace(/&(lt|gt|quot|amp|#39);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&', '#39': "'" })[e]!);
    // What a cell shows: invisible characters as visible escapes (as everywhere log text is shown),
    // line breaks as spaces, trimmed (marked trims cells as String#trim does).
    const shown = (s: string) => showInvisible(s).replace(/\r\n?|\n/g, ' ').trim();

    it('one table, one row per result row, every cell exactly its text: no fence, heading, HTML, link or marker can open', () => {
      const cell = fc.oneof(
        hostileText,
        fc.constantFrom('```', '~~~', '# h', '<!-- casebook:verdict', '-->', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[x](javascript:alert(1))', '![x](https://attacker.invalid/i.png)', '| a | b |', '\\|', '&lt;b&gt;', '&#60;', '***', '---', '    code', '> quote', '1. item', 'www.attacker.invalid', 'https://attacker.invalid/', '<https://attacker.invalid>', 'a\u2028b', 'a\u2029b', 'a\u0085b'),
      );
      fc.assert(
        fc.property(fc.array(cell, { minLength: 1, maxLength: 4 }), fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { maxLength: 5 }), (names, rows) => {
          const columns = names.map((n, i) => ({ name: `${n}${i}`, type: 'string' as const }));
          const table = Table.fromRows(columns, rows.map((r) => Object.fromEntries(columns.map((c, i) => [c.name, r[i]]))));
          const md = tableToMarkdown(table, 10);
          const html = marked.parse(md, { async: false }) as string;
          const withoutMail = html.replace(/<a href="mailto:[^"]*">([^<]*)<\/a>/g, '$1');
          const tags = new Set([...withoutMail.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()));
          assert.deepEqual([...tags].filter((t) => !['table', 'thead', 'tbody', 'tr', 'th', 'td', 'p', 'em'].includes(t)), [], html);
          assert.equal((withoutMail.match(/<table>/g) ?? []).length, 1);
          const cells = [...withoutMail.matchAll(/<t([hd])>([\s\S]*?)<\/t\1>/g)].map((m) => decode(m[2]));
          const expected = [...columns.map((c) => c.name), ...rows.flatMap((r) => r.slice(0, columns.length))].map(shown);
          assert.deepEqual(cells, expected);
        }),
        { seed: 62, numRuns: 3000 },
      );
    });

    it('escapes inline text so it cannot become a link or an autolink', () => {
      for (const t of ['https://attacker.invalid/x', 'see www.attacker.invalid', 'xhttp://a', 'FTP://x', 'WWW.X.Y']) {
        const html = marked.parseInline(escapeMarkdownCell(t)) as string;
        assert.ok(!html.includes('<a'), `${t} → ${html}`);
        assert.equal(decode(html), t);
      }
    });
  });

  describe('JSON Lines', () => {
    it('casebook query --format jsonl: one valid object per row, odd keys as data, no raw control or separator characters', () => {
      const r = cli(['query', '--format', 'jsonl', '--source', `events=${join(HOSTILE, 'data', 'events.jsonl')}`, 'events']);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
      const rows = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.equal(rows.length, 27);
      const odd = rows.find((row) => row.ua === 'keys')!;
      assert.ok(Object.hasOwn(odd, '__proto__'), '__proto__ is an own key');
      assert.deepEqual(odd['__proto__'], { polluted: 'yes', isAdmin: true });
      assert.deepEqual(odd.constructor, { prototype: { polluted: 'yes' } });
      assert.equal(odd[''], 'empty key');
      assert.equal(odd.dup, 'second');
      assert.equal(Object.getPrototypeOf(odd), Object.prototype);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      const ansi = rows.find((row) => typeof row.ua === 'string' && row.ua.includes('owned'))!;
      assert.equal(ansi.ua, '\u001b]0;owned\u0007\u001b[2J\u001b[31mred\u009b0m\u202egnp.exe', 'the value itself is kept exactly');
      const lone = rows.find((row) => typeof row.ua === 'string' && row.ua.includes('surrogate'))!;
      assert.equal(lone.ua, 'lone \ud800 surrogate', 'a lone surrogate stays an escaped lone surrogate');
      const bytes = rows.find((row) => row.message === 'invalid utf-8')!;
      assert.equal(bytes.ua, 'bad \ufffd\ufffd bytes \ufffd(', 'invalid UTF-8 reads as U+FFFD');
    });
  });
});
