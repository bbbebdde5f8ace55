/** Lines for labels along a time axis: close labels apart, far ones sharing a line. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { labelLines, labelSpan, type AxisLabel } from '../../../src/core/charts/labelLines';

const MIN = 60_000;
const left = (minute: number, text: string): AxisLabel => ({ at: minute * MIN, text, align: 'left' });

describe('charts: label lines', () => {
  it('puts labels close in time on different lines, lets far ones share a line, and overlaps least when lines run out', () => {
    // On an hour's axis a 16-character label covers about 14 minutes at 6.8 px a character: the
    // first four are all under way at minute 6, so the fourth overlaps the line that frees first
    // (the first: 0-14 min), and the later two take the lines freed by then.
    const labels = [left(0, 'phishing sign-in'), left(3, 'token replayed'), left(21, 'MFA reset'), left(24, 'export'), left(5, 'x'.repeat(16)), left(6, 'y'.repeat(16))];
    assert.deepEqual(labelLines(labels, 3, 60 * MIN, 6.8), [0, 1, 0, 1, 2, 0]);
  });

  it("reads a right-aligned label's extent leftwards from its anchor", () => {
    const early = left(40, 'MFA reset');
    const late: AxisLabel = { at: 58 * MIN, text: 'sessions revoked', align: 'right' };
    assert.ok(labelSpan(late, 60 * MIN, 6.8).from < labelSpan(early, 60 * MIN, 6.8).to, 'the two overlap');
    assert.deepEqual(labelLines([early, late], 2, 60 * MIN, 6.8), [0, 1]);
  });

  it('lets labels at one instant take turns', () => {
    assert.deepEqual(labelLines([left(0, 'a'), left(0, 'b'), left(0, 'c')], 2, 0, 6.8), [0, 1, 0]);
  });

  it('never puts overlapping labels on one line while a line is free', () => {
    const label = fc.record({ at: fc.integer({ min: 0, max: 60 }).map((m) => m * MIN), text: fc.string({ minLength: 1, maxLength: 24 }), align: fc.constantFrom('left' as const, 'right' as const) });
    fc.assert(
      fc.property(fc.array(label, { maxLength: 12 }), fc.integer({ min: 1, max: 4 }), (labels, lines) => {
        const placed = labelLines(labels, lines, 60 * MIN, 6.8);
        const spans = labels.map((l) => labelSpan(l, 60 * MIN, 6.8));
        const overlap = (a: number, b: number) => spans[a].from < spans[b].to && spans[b].from < spans[a].to;
        for (let a = 0; a < labels.length; a++) {
          assert.ok(placed[a] >= 0 && placed[a] < lines);
          for (let b = 0; b < labels.length; b++) {
            if (a === b || placed[a] !== placed[b] || !overlap(a, b)) continue;
            // Two on one line overlap only when, at the later one's start, every line was taken.
            const later = spans[a].from > spans[b].from || (spans[a].from === spans[b].from && a > b) ? a : b;
            const busy = new Set(labels.map((_, c) => c).filter((c) => c !== later && (spans[c].from < spans[later].from || (spans[c].from === spans[later].from && c < later)) && spans[c].to > spans[later].from).map((c) => placed[c]));
            assert.equal(busy.size, lines, `labels ${a} and ${b} share line ${placed[a]} while a line was free`);
          }
        }
      }),
      { seed: 1206, numRuns: 400 },
    );
  });
});
