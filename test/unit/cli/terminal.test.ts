import { strict as assert } from 'node:assert';
import { renderTextTable, safeJson, safeText } from '../../../src/cli/terminal';
import { Table } from '../../../src/core/query/table';

describe('cli: terminal-safe text and JSON', () => {
  it('JSON output escapes C1 controls, DEL, separators and bidi overrides, and stays valid JSON', () => {
    const value = { user: 'a\u009b31mred\u007f\u2028\u202e' };
    const text = safeJson(value);
    assert.ok(!/[\u007f-\u009f\u2028\u202e]/.test(text), text);
    assert.deepEqual(JSON.parse(text), value);
  });

  it('text output shows escape sequences instead of sending them', () => {
    assert.equal(safeText('\u001b[2Jgone'), '\\x1b[2Jgone');
  });

  it('draws a table of any number of rows, its columns as wide as their widest cell', () => {
    // Widths were taken with a spread argument per column, which overflowed the stack at 300,000 rows.
    const n = 300_000;
    const table = Table.fromRows([{ name: 'i', type: 'long' }, { name: 'label', type: 'string' }], Array.from({ length: n }, (_, i) => ({ i: BigInt(i), label: i === 7 ? 'the longest label' : 'x' })));
    const lines = renderTextTable(table, n).split('\n');
    assert.equal(lines.length, n + 3);
    assert.equal(lines[0], 'i       label');
    assert.equal(lines[1], '------  -----------------');
    assert.equal(lines[9], '7       the longest label');
    assert.equal(lines[n + 2], '(300000 rows)');
  });

  it('lines columns up by terminal columns: CJK and emoji take two, combining marks none', () => {
    const table = Table.fromRows(
      [{ name: 'who', type: 'string' }, { name: 'n', type: 'long' }],
      [
        { who: '日本語', n: 1n },
        { who: 'a😀b', n: 2n },
        { who: 'e\u0301tude', n: 3n },
        { who: 'plain', n: 4n },
      ],
    );
    const lines = renderTextTable(table, 10).split('\n');
    assert.deepEqual(lines.slice(0, 6), ['who     n', '------  -', '日本語  1', 'a😀b    2', 'e\u0301tude   3', 'plain   4']);
  });

  it('clips a long cell at a character boundary, to 60 columns with the ellipsis', () => {
    const table = Table.fromRows([{ name: 'v', type: 'string' }], [{ v: '😀'.repeat(100) }, { v: '語'.repeat(100) }, { v: 'x'.repeat(100) }]);
    const [, , emoji, wide, ascii] = renderTextTable(table, 10).split('\n');
    // 29 emoji (58 columns) and the ellipsis; cutting by UTF-16 units left half an emoji.
    assert.equal(emoji, '😀'.repeat(29) + '…');
    assert.equal(wide, '語'.repeat(29) + '…');
    assert.equal(ascii, 'x'.repeat(59) + '…');
  });

  it('caps a cell of characters of no width, and escapes tabs, whose width depends on where they fall', () => {
    const table = Table.fromRows([{ name: 'v', type: 'string' }], [{ v: 'a' + '\u0301'.repeat(1_000_000) }, { v: 'x\ty' }]);
    const [, , marks, tab] = renderTextTable(table, 10).split('\n');
    // 1,000,001 code units one column wide were printed whole.
    assert.ok(marks.length <= 60 * 8 + 1, `${marks.length} code units`);
    assert.ok(marks.startsWith('a\u0301') && marks.endsWith('…'));
    assert.equal(tab, 'x\\ty');
  });
});

