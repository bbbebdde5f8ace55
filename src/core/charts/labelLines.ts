/**
 * Lines for text labels along a time axis, so that labels close in time do not overlap.
 *
 * A chart's width is only known when it is drawn (it fills its container), so a label's extent is
 * estimated from its text for a plot of about ASSUMED_PLOT_PX: wide enough for the notebook's
 * output and the exported SVG. Labels are taken in order of where their text starts; each goes on
 * the first line whose last label has ended by then, or, when every line is taken, on the line that
 * frees first (the overlap is then the least these lines allow).
 */

/** Plot width the estimate assumes, in pixels. */
const ASSUMED_PLOT_PX = 500;
/** Space kept between two labels on one line, in pixels. */
const GAP_PX = 8;

export interface AxisLabel {
  /** Where the label is anchored, in milliseconds on the axis. */
  readonly at: number;
  readonly text: string;
  /** `left`: the text starts at `at`; `right`: it ends there. */
  readonly align: 'left' | 'right';
}

/**
 * The line (0 to `lines` - 1) of each label, in the order given. `extentMs`: the axis's span;
 * `charPx`: the average width of a character of the labels' font.
 */
export function labelLines(labels: readonly AxisLabel[], lines: number, extentMs: number, charPx: number): number[] {
  // Everything at one instant: the labels can only take turns.
  if (!(extentMs > 0)) return labels.map((_, i) => i % lines);
  const spans = labels.map((l, i) => ({ i, ...labelSpan(l, extentMs, charPx) }));
  spans.sort((a, b) => a.from - b.from || a.i - b.i);
  const ends = new Array<number>(lines).fill(-Infinity);
  const out = new Array<number>(labels.length);
  for (const s of spans) {
    let line = ends.findIndex((end) => end <= s.from);
    if (line < 0) line = ends.indexOf(Math.min(...ends));
    ends[line] = s.to;
    out[s.i] = line;
  }
  return out;
}

/** The stretch of the axis a label's text is estimated to cover, with the gap kept after it. */
export function labelSpan(label: AxisLabel, extentMs: number, charPx: number): { from: number; to: number } {
  const width = ((label.text.length * charPx + GAP_PX) * extentMs) / ASSUMED_PLOT_PX;
  const from = label.align === 'left' ? label.at : label.at - width;
  return { from, to: from + width };
}
