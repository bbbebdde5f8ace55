/**
 * Text a chart shows for a value: categories, series, lanes and tooltips. Log values can be
 * megabytes long, and a chart carries each in its data, its labels and the drawing's descriptions
 * (an SVG in a report held 50,000-character values a dozen times over). Past CHART_TEXT_CHARS the
 * text is cut, and a short hash of the whole keeps values that share their start apart, so they
 * stay separate categories.
 */
import { showInvisible } from '../output/invisible';
import { cutPoint, formatValue } from '../output/values';
import type { Value } from '../query/values';

export const CHART_TEXT_CHARS = 200;

export function chartText(v: Value): string {
  // Invisible characters show as escapes, as in every other place log text is shown.
  const text = showInvisible(formatValue(v));
  if (text.length <= CHART_TEXT_CHARS) return text;
  const cut = cutPoint(text, CHART_TEXT_CHARS);
  return `${text.slice(0, cut)}… (#${fnv1a(text)}, ${text.length.toLocaleString('en-US')} characters)`;
}

/** FNV-1a of the text's UTF-16 code units, as 8 hex digits: enough to tell apart values that share 200 characters. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** A value as a key that tells values apart (text from other values that print alike). */
export function valueKey(v: Value): string {
  return typeof v === 'string' ? `s${v}` : `v${formatValue(v)}`;
}

/**
 * Chart text for the values of one column or series, kept apart: two values that read alike once
 * escaped or cut (`alice` + U+0001 and the text `alice\x01`) are different categories, so the later
 * one is numbered, as series are, where a log value could otherwise pose as another.
 */
export function distinctChartText(): (v: Value) => string {
  const label = distinctLabels();
  return (v) => label(valueKey(v), () => (v === null ? '(null)' : chartText(v)));
}

/**
 * Labels that stay apart: each key gets its text, made once; a key whose text another key's label
 * already reads as is numbered ("text (2)").
 */
export function distinctLabels(): (key: string, text: () => string) => string {
  const byKey = new Map<string, string>();
  const taken = new Set<string>();
  return (key, text) => {
    let label = byKey.get(key);
    if (label === undefined) {
      const base = text();
      label = base;
      for (let n = 2; taken.has(label); n++) label = `${base} (${n})`;
      byKey.set(key, label);
      taken.add(label);
    }
    return label;
  };
}

