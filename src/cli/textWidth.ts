/**
 * How many terminal columns text takes: CJK and emoji take two, combining marks and zero-width
 * characters none (string-width knows the Unicode tables). A table padded by UTF-16 length came
 * out ragged for such values, and a cell clipped by it could cut an emoji in half.
 */
import { cutPoint } from '../core/output/values';

type StringWidth = (text: string, options?: { countAnsiEscapeCodes?: boolean }) => number;

// Loaded on first use from a file of its own beside the bundle (esbuild.mjs): most commands print
// no text table.
let measure: StringWidth | null = null;
let graphemes: Intl.Segmenter | null = null;

/**
 * Text whose every character takes one column and is one code unit: printable ASCII, and the
 * letters of Latin, Greek and Cyrillic scripts (no combining marks, which start at U+0300). Most
 * log text is this, and is measured by its length without the Unicode tables.
 */
const ONE_COLUMN_EACH = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0377\u037a-\u037f\u0384-\u0482\u048a-\u052f]*$/;
/** Code units of a cell looked at, per column it may show: a bound on the work one log value causes (a cell may be megabytes). */
const UNITS_PER_COLUMN = 8;
/** Widths of texts seen, since log values repeat (a table of 300,000 rows measures far fewer texts). */
const known = new Map<string, number>();
const MAX_KNOWN = 10_000;

/** Columns of text that has no control characters (see safeText). */
function widthOf(text: string): number {
  if (ONE_COLUMN_EACH.test(text)) return text.length;
  let width = known.get(text);
  if (width === undefined) {
    measure ??= (require('string-width') as typeof import('string-width')).default;
    width = measure(text, { countAnsiEscapeCodes: true });
    if (known.size >= MAX_KNOWN) known.clear();
    known.set(text, width);
  }
  return width;
}

export interface FittedText {
  readonly text: string;
  /** Its width in columns. */
  readonly width: number;
}

/**
 * Text cut to at most `max` columns at a character boundary, with `…` where it was cut, and its
 * width. Only the first `max * 8` code units are looked at, so a value of zero-width characters
 * cannot print whole either.
 */
export function fitToWidth(text: string, max: number): FittedText {
  if (ONE_COLUMN_EACH.test(text)) return text.length <= max ? { text, width: text.length } : { text: text.slice(0, max - 1) + '…', width: max };
  const bounded = text.length > max * UNITS_PER_COLUMN;
  const head = bounded ? text.slice(0, cutPoint(text, max * UNITS_PER_COLUMN)) : text;
  if (!bounded) {
    const width = widthOf(head);
    if (width <= max) return { text, width };
  }
  graphemes ??= new Intl.Segmenter();
  let kept = '';
  let width = 0;
  for (const { segment } of graphemes.segment(head)) {
    const w = widthOf(segment);
    if (width + w > max - 1) break;
    kept += segment;
    width += w;
  }
  return { text: kept + '…', width: width + 1 };
}

/** Text followed by spaces from `width` (its own) up to `to` columns. */
export function padFitted(cell: FittedText, to: number): string {
  return cell.text + ' '.repeat(Math.max(0, to - cell.width));
}
