import { strict as assert } from 'node:assert';
import { canonicalTableBytes, tableSha256 } from '../../../src/core/claims/canonical';
import { cellVerdict, formatVerdictRecord, parseVerdictRecord, VERDICT_TAG, type VerdictRecord } from '../../../src/core/claims/record';
import { parseNotebook, printNotebook } from '../../../src/core/format';
import { Table } from '../../../src/core/query/table';
import { DateTime, Timespan } from '../../../src/core/query/values';

const schema = [
  { name: 'user', type: 'string' },
  { name: 'bytes', type: 'long' },
  { name: 'at', type: 'datetime' },
  { name: 'took', type: 'timespan' },
  { name: 'score', type: 'real' },
  { name: 'meta', type: 'dynamic' },
] as const;
const rows = [
  { user: 'a', bytes: 9007199254740993n, at: new DateTime(1781000000123456), took: new Timespan(1_500_000), score: 0.1, meta: { b: 1, a: [true, null] } },
  { user: '<img src=x onerror=alert(1)> | -->', bytes: null, at: null, took: null, score: Number.NaN, meta: null },
];

describe('claims: canonical evidence hash', () => {
  it('is independent of row order and exact for 64-bit integers', () => {
    const t = Table.fromRows(schema, rows);
    const reversed = t.gather([1, 0]);
    assert.equal(tableSha256(t), tableSha256(reversed));
    const text = canonicalTableBytes(t).toString('utf8');
    assert.match(text, /9007199254740993/);
    assert.match(text, /"2026-06-09T10:13:20.123456Z"/);
    assert.match(text, /\{"a":\[true,null\],"b":1\}/, 'object keys are sorted');
    assert.match(text, /"NaN"/);
  });

  it('changes when any value changes', () => {
    const a = Table.fromRows(schema, rows);
    const b = Table.fromRows(schema, [{ ...rows[0], bytes: 9007199254740992n }, rows[1]]);
    assert.notEqual(tableSha256(a), tableSha256(b));
  });
});

describe('claims: verdict records', () => {
  const record: VerdictRecord = {
    claim: 'official-scope',
    verdict: 'contradicted',
    rule: 'contradicted-if: nonpublic-reads has rows',
    evidence: 'nonpublic-reads',
    rows: 2,
    evidenceSha256: 'a'.repeat(64),
    sources: { access: [{ path: 'data/access.jsonl.gz', sha256: 'b'.repeat(64), bytes: 1234 }] },
  };
  const evidence = Table.fromRows(schema, rows);
  const view = { statement: 'Only public rooms --> were exposed', by: 'Operator <b>', reason: 'Contradicted: nonpublic-reads has 2 rows.', evidenceTable: evidence, evidenceCaption: 'rows of nonpublic-reads' };

  it('keeps comment terminators in recorded text from ending the record', () => {
    const tricky = { ...record, rule: 'contradicted-if: a rows > 1 --> <!-- x --!> y' };
    const r = formatVerdictRecord(tricky, view);
    assert.deepEqual(r.text.split('\n').filter((l) => l.includes('-->')), ['-->', '<!-- /casebook:verdict -->'], 'only the structural lines contain -->');
    assert.deepEqual(parseVerdictRecord(r), tricky);
  });

  it('reads back the machine part exactly', () => {
    const r = formatVerdictRecord(record, view);
    assert.deepEqual(parseVerdictRecord(r), record);
  });

  it('is byte-stable: the same verdict gives the same text', () => {
    assert.equal(formatVerdictRecord(record, view).text, formatVerdictRecord({ ...record, sources: { ...record.sources } }, { ...view }).text);
  });

  it('keeps attacker text inert: no raw tags, no comment terminators, no markers in the body', () => {
    const text = formatVerdictRecord(record, view).text;
    const lines = text.split('\n');
    const headerEnd = lines.indexOf('-->');
    assert.ok(headerEnd > 0);
    for (const l of lines.slice(1, headerEnd)) assert.ok(!l.includes('-->') && !l.includes('--!>') && !l.includes('<!--'), `header line is inert: ${l}`);
    for (const l of lines.slice(headerEnd + 1, -1)) {
      assert.ok(l === '>' || l.startsWith('> '), `body line is quoted: ${l}`);
      assert.ok(!/<(?!\\)/.test(l.replace(/\\</g, '')), `no raw < in ${l}`);
    }
    assert.match(text, /\\<img src=x onerror=alert\\\(1\\\)\\> \\\| --\\>/);
  });

  it('shows bidi controls and lone surrogates from the logs as escapes, so the text reads back as written and as it reads', () => {
    const evidence = Table.fromRows([{ name: 'file', type: 'string' }], [{ file: 'invoice\u202egnp.exe' }, { file: 'lone \ud800 x' }]);
    const text = formatVerdictRecord(record, { ...view, statement: 'says \u202eevil', evidenceTable: evidence }).text;
    assert.ok(!/[\u202a-\u202e\u2066-\u2069]/.test(text), 'no bidi control in the record');
    assert.ok(text.includes('invoice\\\\u202egnp.exe') && text.includes('lone \\\\ud800 x') && text.includes('says \\\\u202eevil'), text);
    // Lone surrogates would be U+FFFD in the file: the record read back would differ from the one written.
    assert.equal(Buffer.from(text, 'utf8').toString('utf8'), text);
  });

  it('a cell\'s verdict is its first verdict record, read, as casebook check reads it: not a later one when the first cannot be read', () => {
    const good = formatVerdictRecord(record, view);
    const broken = { tag: VERDICT_TAG, text: good.text.replace(/evidence-sha256: "[0-9a-f]{64}"/, 'evidence-sha256: "zz"') };
    const review = { tag: 'review', text: '<!-- casebook:review\nby: Dana\n-->\n<!-- /casebook:review -->' };
    assert.equal(cellVerdict([review, good])?.verdict, record.verdict);
    assert.equal(cellVerdict([broken, good]), undefined);
    assert.equal(cellVerdict([review]), undefined);
  });

  it('round-trips through the notebook format after its claim cell', () => {
    const r = formatVerdictRecord(record, view);
    const nb = { cells: [{ type: 'code' as const, kind: 'claim', id: 'official-scope', source: 'claim: x\nby: y', records: [r] }] };
    const printed = printNotebook(nb);
    const back = parseNotebook(printed);
    assert.ok(back.ok);
    assert.deepEqual(back.notebook, nb);
  });

  it('writes at most five evidence rows and says how many there were', () => {
    const many = Table.fromRows([{ name: 'n', type: 'long' }], Array.from({ length: 12 }, (_, i) => ({ n: BigInt(i) })));
    const text = formatVerdictRecord(record, { ...view, evidenceTable: many }).text;
    assert.match(text, /first 5 of 12 rows/);
    assert.equal(text.split('\n').filter((l) => /^> \| \d+ \|$/.test(l)).length, 5);
  });
});
