/**
 * Encoding titles are column names, and column names come from the data (a JSON key can be any
 * text). Vega-Lite writes each title into a Vega expression, the tooltip's and the screen-reader
 * description's `{"title": datum...}`, escaping only `"`: a column named `bytes\` left the string
 * open and the chart failed to draw, and `a\b` became a backspace. Titles are made plain for that
 * reader: invisible characters show as escapes (as everywhere log text is shown), line breaks as
 * `↵`, and a backslash as its look-alike `⧵` (U+29F5). Doubling it instead would read back right in
 * the expressions but show twice on the axis and legend, which take the title as it is.
 */
import { showInvisible } from '../output/invisible';
import type { VegaLiteSpec } from './timeline';

export function expressionSafeTitle(title: string): string {
  return showInvisible(title).replace(/\r\n|\r|\n/g, '↵').replace(/\\/g, '⧵');
}

/** The spec with the title of every encoding channel (tooltips and layers included) made safe; rows of data are left alone. */
export function withExpressionSafeTitles(spec: VegaLiteSpec): VegaLiteSpec {
  visit(spec, 0);
  return spec;
}

function visit(node: unknown, depth: number): void {
  if (node === null || typeof node !== 'object' || depth > 32) return;
  if (Array.isArray(node)) {
    for (const item of node) visit(item, depth + 1);
    return;
  }
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === 'data') continue;
    if (key === 'encoding' && value !== null && typeof value === 'object') {
      for (const channel of Object.values(value as Record<string, unknown>)) for (const def of Array.isArray(channel) ? channel : [channel]) safeChannel(def);
    } else visit(value, depth + 1);
  }
}

function safeChannel(def: unknown): void {
  if (def === null || typeof def !== 'object') return;
  const channel = def as Record<string, unknown>;
  if (typeof channel.title === 'string') channel.title = expressionSafeTitle(channel.title);
  else if (Array.isArray(channel.title)) channel.title = channel.title.map((t) => (typeof t === 'string' ? expressionSafeTitle(t) : t));
  safeChannel(channel.condition);
}
