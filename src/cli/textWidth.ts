/**
 * How many terminal columns text takes: CJK and emoji take two, combining marks and zero-width
 * characters none (string-width knows the Unicode tables). A table padded by UTF-16 length came
 * out ragged for such values, and a cell clipped by it could cut an emoji in half.
 */
type StringWidth = (text: string, options?: { countAnsiEscapeCodes?: boolean }) => number;

// Loaded on first use from a file of its own beside the bundle (esbuild.mjs): most commands print
// no text table.
let measure: StringWidth | null = null;
let graphemes: Intl.Segmenter | null = null;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  // Text reaches here with controls already escaped (see safeText); nothing is an escape sequence.
  measure ??= (require('string-width') as typeof import('string-width')).default;
  return measure(text, { countAnsiEscapeCodes: true });
}

/** Text cut to at most `max` columns at a character boundary, with `…` where it was cut. */
export function clipToWidth(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  graphemes ??= new Intl.Segmenter();
  let kept = '';
  let width = 0;
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment);
    if (width + w > max - 1) break;
    kept += segment;
    width += w;
  }
  return kept + '…';
}

/** Text followed by spaces up to `width` columns. */
export function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
