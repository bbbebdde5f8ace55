import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseNotebook, printNotebook, type Cell, type CellRecord, type NotebookFile } from '../../../src/core/format';

const fixtures = join(__dirname, '../../fixtures/format');

function parseOk(text: string): NotebookFile {
  const r = parseNotebook(text);
  if (!r.ok) assert.fail(`unexpected parse failure: ${r.problem.message}`);
  return r.notebook;
}

describe('notebook format: golden files', () => {
  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.casebook.md'))) {
    it(`${name} prints back byte for byte`, () => {
      const text = readFileSync(join(fixtures, name), 'utf8');
      assert.equal(printNotebook(parseOk(text)), text);
    });
  }

  it('reads the canonical fixture into the expected cells', () => {
    const nb = parseOk(readFileSync(join(fixtures, 'canonical.casebook.md'), 'utf8'));
    assert.match(nb.frontMatter ?? '', /^# Comments in the front matter survive a save\./);
    const summary = nb.cells.map((c) => (c.type === 'markdown' ? 'md' : `${c.kind}#${c.id ?? ''}/${c.records.length}`));
    assert.deepEqual(summary, ['md', 'md', 'kql#logins/0', 'md', 'claim#official-scope/1', 'kql#fenced/0', 'sql#later/0', 'md']);
    const fenced = nb.cells[5];
    assert.ok(fenced.type === 'code' && fenced.source.includes('```'));
    const wrapped = nb.cells[7];
    assert.ok(wrapped.type === 'markdown' && wrapped.text.startsWith('```kql'));
  });

  it('keeps a kql example inside a Markdown fence as Markdown', () => {
    const nb = parseOk('Text\n\n~~~\n```kql\nT | take 1\n```\n~~~\n');
    assert.equal(nb.cells.length, 1);
    assert.equal(nb.cells[0].type, 'markdown');
  });

  it('treats ```kql at top level as a code cell without an id', () => {
    const nb = parseOk('```kql\nT | take 1\n```\n');
    assert.deepEqual(nb.cells, [{ type: 'code', kind: 'kql', source: 'T | take 1', records: [] }]);
  });

  it('leaves unknown fences without an id as Markdown, verbatim', () => {
    const text = 'Intro\n\n```python\nprint(1)\n```\n';
    const nb = parseOk(text);
    assert.equal(nb.cells.length, 1);
    assert.equal(printNotebook(nb), text);
  });

  it('normalises CRLF and a BOM to the canonical LF form', () => {
    const nb = parseOk('\uFEFF---\r\ntitle: x\r\n---\r\n\r\n```kql #a\r\nT\r\n```\r\n');
    assert.equal(printNotebook(nb), '---\ntitle: x\n---\n\n```kql #a\nT\n```\n');
  });
});

describe('notebook format: files that cannot be parsed', () => {
  it('reports merge-conflict markers with their line', () => {
    const r = parseNotebook('# x\n\n<<<<<<< HEAD\nmine\n=======\ntheirs\n>>>>>>> branch\n');
    assert.ok(!r.ok);
    assert.equal(r.problem.line, 3);
    assert.match(r.problem.message, /merge-conflict marker/);
  });

  it('reports front matter that never closes', () => {
    const r = parseNotebook('---\ntitle: x\n\n# body\n');
    assert.ok(!r.ok);
    assert.equal(r.problem.line, 1);
    assert.match(r.problem.message, /front matter/);
  });

  it('reports a code cell that never closes', () => {
    const r = parseNotebook('# t\n\n```kql #a\nT | take 1\n');
    assert.ok(!r.ok);
    assert.equal(r.problem.line, 3);
    // The fence itself, not wrapped in backticks (which made five).
    assert.equal(r.problem.message, 'the kql cell opened at line 3 is never closed (expected a line with ```)');
  });

  it('reports a record that never closes', () => {
    const r = parseNotebook('```claim #c\nclaim: x\n```\n\n<!-- casebook:verdict c -->\n> x\n');
    assert.ok(!r.ok);
    assert.equal(r.problem.line, 5);
  });

  const RECORD = ['<!-- casebook:verdict', 'claim: "c1"', '-->', '> **Supported**', '<!-- /casebook:verdict -->'];

  it('reports a record whose closing line is missing where the next fence or record begins, instead of taking the cells below into it', () => {
    // Read to the next record's closing line, the heading, claim c2 and its record were c1's record text.
    const lines = ['```claim #c1', 'claim: x', '```', '', ...RECORD.slice(0, 4), '', '## Second question', '', '```claim #c2', 'claim: y', '```', '', ...RECORD];
    const r = parseNotebook(lines.join('\n') + '\n');
    assert.ok(!r.ok);
    assert.equal(r.problem.line, 5);
    assert.match(r.problem.message, /the verdict record opened at line 5 is never closed \(expected `<!-- \/casebook:verdict -->` before line 12\)/);
  });

  it('reports a record that follows no cell, as after a claim fence changed into ordinary Markdown', () => {
    for (const fence of ['~~~claim #c1', '```Claim']) {
      const close = fence.startsWith('~') ? '~~~' : '```';
      const r = parseNotebook([fence, 'claim: x', close, '', ...RECORD].join('\n') + '\n');
      assert.ok(!r.ok, fence);
      assert.equal(r.problem.line, 5);
      assert.match(r.problem.message, /the verdict record at line 5 follows no cell/);
    }
  });

  it('reports an ordinary fence that never closes above cells, which it would turn into its text', () => {
    const r = parseNotebook(['# Notes', '', '~~~', 'a log line', '', '```claim #c1', 'claim: x', '```', ''].join('\n'));
    assert.ok(!r.ok);
    assert.equal(r.problem.line, 3);
    assert.match(r.problem.message, /the fenced block opened at line 3 is never closed, so the cells below it would be read as its text \(expected a line with ~~~ before line 6\)/);
    // With no cell below it, an open fence at the end stays Markdown, as on a code host.
    const open = parseNotebook('# Notes\n\n~~~\na log line\n');
    assert.ok(open.ok);
    assert.deepEqual(open.notebook.cells, [{ type: 'markdown', text: '# Notes\n\n~~~\na log line' }]);
  });

  it('reports a reviewer\'s record whose closing line is missing where the next one opens, rather than taking the claim between into it', () => {
    const review = (text: string, closed: boolean) => ['<!-- casebook:review -->', text, ...(closed ? ['<!-- /casebook:review -->'] : [])];
    const lines = ['```claim #a', 'claim: a', '```', '', ...review('looks fine to me', false), '', '```claim #b', 'claim: b', '```', '', ...review('ok', true)];
    const r = parseNotebook(lines.join('\n') + '\n');
    assert.ok(!r.ok);
    assert.equal(r.problem.line, 5);
    assert.match(r.problem.message, /the review record opened at line 5 is never closed \(expected `<!-- \/casebook:review -->` before line 12\)/);
  });

  it('still reads what earlier versions wrote: markers of other tags in Markdown, a reviewer record holding a fence, a backtick in a cell\'s attributes', () => {
    const markdown = parseNotebook('Notes:\n<!-- casebook:todo -->\ncheck the proxy logs\n<!-- /casebook:todo -->\n\n```kql #q\nT\n```\n');
    assert.ok(markdown.ok);
    assert.equal(markdown.notebook.cells.length, 2);
    const review = { tag: 'review', text: '<!-- casebook:review -->\nI re-ran it with:\n```kql\nT | count\n```\n~~~\n<!-- /casebook:review -->' };
    const file = { cells: [{ type: 'code' as const, kind: 'claim', id: 'c', source: 'claim: x', records: [review] }, { type: 'code' as const, kind: 'kql', id: 'q', source: 'T', records: [] }] };
    const printed = printNotebook(file);
    const back = parseNotebook(printed);
    assert.ok(back.ok);
    assert.deepEqual(back.notebook.cells, file.cells);
    const attrs = parseNotebook('```kql #q note=`raw`\nT | take 1\n```\n\n```kql #r\nq | count\n```\n');
    assert.ok(attrs.ok);
    assert.deepEqual(attrs.notebook.cells.map((c) => (c.type === 'code' ? [c.kind, c.id, c.attrs] : c.type)), [['kql', 'q', 'note=`raw`'], ['kql', 'r', undefined]]);
  });

  it('reads a line that starts with inline code as text, not as a fence (CommonMark)', () => {
    const r = parseNotebook(['```x``` is inline code.', '', '```claim #c1', 'claim: x', '```', ''].join('\n'));
    assert.ok(r.ok);
    assert.deepEqual(
      r.notebook.cells.map((c) => (c.type === 'markdown' ? c.text : `${c.kind} #${c.id}`)),
      ['```x``` is inline code.', 'claim #c1'],
    );
  });

  it('refuses to print a cell holding a conflict marker instead of writing a file that cannot be read', () => {
    assert.throws(() => printNotebook({ cells: [{ type: 'markdown', text: 'a\n<<<<<<< HEAD' }] }), /merge-conflict marker/);
  });

  it('refuses front matter that contains its own terminator', () => {
    assert.throws(() => printNotebook({ frontMatter: 'a: 1\n---\nb: 2', cells: [] }), /front matter/);
  });
});

// ---- property-based round trips ----

const lineChars = fc.constantFrom('a', 'b', ' ', '`', '~', '#', '-', '<', '>', '!', '|', '=', '\t', 'é', ':', '*');
const specialLines = fc.constantFrom(
  '```', '````', '```kql', '```kql #x', '~~~', '---', '...', '', '   ', '<!-- casebook:break -->', '<!-- casebook:markdown -->',
  '<!-- /casebook:markdown -->', '<!-- /casebook:markdown:1 -->', '<!-- casebook:verdict c -->', '<!-- /casebook:verdict -->',
  '```claim #c', '```timeline', '    ```kql', '-->', '<!--', '# heading', '```sql #q',
);
const line = fc.oneof({ weight: 3, arbitrary: fc.string({ unit: lineChars, maxLength: 12 }) }, { weight: 2, arbitrary: specialLines });
const text = fc.array(line, { maxLength: 6 }).map((ls) => ls.join('\n'));
const ident = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);

const record: fc.Arbitrary<CellRecord> = fc
  .tuple(fc.constantFrom('verdict', 'evidence'), fc.array(fc.string({ unit: fc.constantFrom('a', ' ', '>', '*', '|'), maxLength: 10 }), { maxLength: 3 }))
  .map(([tag, body]) => ({ tag, text: [`<!-- casebook:${tag} x -->`, ...body, `<!-- /casebook:${tag} -->`].join('\n') }));

const cell: fc.Arbitrary<Cell> = fc.oneof(
  text.map((t): Cell => ({ type: 'markdown', text: t })),
  fc
    .record({ kind: fc.constantFrom('kql', 'claim', 'timeline', 'sql'), id: fc.option(ident, { nil: undefined }), source: text, records: fc.array(record, { maxLength: 2 }) })
    .map(({ kind, id, source, records }): Cell => ({ type: 'code', kind, ...(id !== undefined || kind === 'sql' ? { id: id ?? 'q' } : {}), source, records })),
);

const notebook: fc.Arbitrary<NotebookFile> = fc
  .record({ frontMatter: fc.option(fc.array(fc.string({ unit: lineChars, maxLength: 10 }).filter((l) => l !== '---' && l !== '...'), { maxLength: 3 }).map((ls) => ls.join('\n')), { nil: undefined }), cells: fc.array(cell, { maxLength: 6 }) })
  .map(({ frontMatter, cells }) => ({ ...(frontMatter !== undefined ? { frontMatter } : {}), cells }));

const CONFLICT = /^(?:<{7}|>{7}|\|{7})(?: |$)/m;
const hasConflictMarker = (nb: NotebookFile) =>
  nb.cells.some((c) => (c.type === 'markdown' ? CONFLICT.test(c.text) : CONFLICT.test(c.source) || c.records.some((r) => CONFLICT.test(r.text))));

describe('notebook format: properties', () => {
  it('any generated notebook survives print -> parse -> print unchanged, and reads back as itself', () => {
    fc.assert(
      fc.property(notebook, (nb) => {
        if (hasConflictMarker(nb)) {
          assert.throws(() => printNotebook(nb), /merge-conflict marker/);
          return;
        }
        const printed = printNotebook(nb);
        const back = parseOk(printed);
        assert.deepEqual(back, JSON.parse(JSON.stringify(nb)));
        assert.equal(printNotebook(back), printed);
        assert.ok(printed === '' || printed.endsWith('\n'));
        assert.ok(!printed.includes('\r'));
      }),
      { seed: 20261127, numRuns: 3000 },
    );
  });

  it('parse never throws on arbitrary text, and a successful parse prints to a fixed point', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 15 }).map((ls) => ls.join('\n')), (input) => {
        const r = parseNotebook(input);
        if (!r.ok) {
          assert.ok(r.problem.line >= 1);
          return;
        }
        let once: string;
        try {
          once = printNotebook(r.notebook);
        } catch {
          return; // refused (e.g. a conflict marker inside a cell): never a lossy write
        }
        assert.equal(printNotebook(parseOk(once)), once);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });
});
