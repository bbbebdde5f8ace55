/** The lines a prefilter hands out are exactly those holding every literal, with their numbers. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { eachMatchingLine } from '../../../src/core/sources/lineIteration';
import { allocateReadBuffer } from '../../../src/core/sources/wasmScan';

describe('sources/lineIteration', () => {
  it('hands out the lines that hold every literal (or, keeping escaped lines, a backslash), numbered', () => {
    // Few distinct bytes, so literals occur often, overlap, straddle newlines and repeat on a line.
    const text = fc.array(fc.constantFrom('a', 'b', 'ab', 'ba', '\n', '\\', 'x'), { maxLength: 80 }).map((parts) => parts.join(''));
    const literal = fc.array(fc.constantFrom('a', 'b', 'x'), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, fc.array(literal, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean(), (content, literals, keepEscaped, inReadBuffer) => {
        const bytes = Buffer.from(content, 'latin1');
        // A read buffer (its search in WebAssembly) or a plain one, the region not at its start.
        const buf = inReadBuffer ? allocateReadBuffer(bytes.length + 3) : Buffer.alloc(bytes.length + 3);
        buf.fill(0x61);
        bytes.copy(buf, 2);
        const lines = content === '' ? [] : content.split('\n');
        if (content.endsWith('\n')) lines.pop();
        const expected = lines.flatMap((line, i) => ((keepEscaped && line.includes('\\')) || literals.every((lit) => line.includes(lit)) ? [`${i + 1}:${line}`] : []));
        const cursor = { lineNo: 0 };
        const seen: string[] = [];
        eachMatchingLine(buf, 2, 2 + bytes.length, literals.map((lit) => Buffer.from(lit, 'latin1')), cursor, () => true, (ls, le) => seen.push(`${cursor.lineNo}:${buf.toString('latin1', ls, le)}`), keepEscaped);
        assert.deepEqual(seen, expected);
        assert.equal(cursor.lineNo, lines.length, 'every line counted');
      }),
      { seed: 7122026, numRuns: 3000 },
    );
  });
});
