/**
 * A chart drawn for a file: the HTML report's inline SVG, the Markdown report's chart files and
 * `casebook run --charts`. Each goes through the same steps, so none is laxer than another: the
 * spec's checks (no external data, a bounded number of points), the drawing (whose errors are
 * reasons, not failures of the whole run), a check that the SVG is inert, and invisible characters
 * of log text made visible (a raw control character also makes the file invalid XML, which a code
 * host then shows as a broken image).
 */
import { checkChartSpec } from '../output/chartSafety';
import { showInvisible } from '../output/invisible';

export type DrawnChart = { readonly svg: string } | { readonly problem: string };

export async function drawChart(spec: Readonly<Record<string, unknown>>, chartToSvg: (spec: Readonly<Record<string, unknown>>) => Promise<string>): Promise<DrawnChart> {
  const check = checkChartSpec(spec);
  if (check.problem !== undefined) return { problem: `A chart was left out: ${check.problem}.` };
  let svg: string;
  try {
    svg = await chartToSvg(spec);
  } catch (e) {
    return { problem: `A chart could not be drawn: ${e instanceof Error ? e.message : String(e)}` };
  }
  const inert = inertSvg(svg);
  return inert === undefined ? { problem: 'A chart was left out because its SVG contained active content.' } : { svg: inert };
}

/** Elements Vega's SVG output uses; anything else (script, foreignObject, a, image, use, animate, set...) is refused. */
const SVG_ELEMENTS = new Set(['svg', 'g', 'path', 'rect', 'line', 'circle', 'ellipse', 'polygon', 'polyline', 'text', 'tspan', 'title', 'desc', 'defs', 'clippath', 'lineargradient', 'radialgradient', 'stop', 'pattern', 'mask']);
/** One start or end tag, with quoted or bare attribute values (a quoted value may hold `>`). */
const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[^\s=/>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"'=`]+))?)*)\s*(\/?)>/g;
const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"'=`]+))?/g;

/**
 * Vega's SVG escapes text; this is a second line of defence should anything active appear. The SVG
 * must consist of start/end tags of the elements Vega draws with and text: no comments, CDATA or
 * processing instructions, no event handler attributes, no links or sources, and no `url(...)`
 * other than references to the SVG's own definitions (`url(#clip1)`). Returns the SVG with its
 * invisible characters shown as escapes, or undefined when it is not inert.
 */
export function inertSvg(svg: string): string | undefined {
  let active = false;
  const rest = svg.replace(TAG, (_tag, _close: string, name: string, attrs: string) => {
    if (!SVG_ELEMENTS.has(name.toLowerCase())) active = true;
    for (const [, attr, raw] of attrs.matchAll(ATTRIBUTE)) {
      const attrName = attr.toLowerCase();
      const value = decodeEntities(raw === undefined ? '' : raw.replace(/^["']|["']$/g, ''));
      if (/^on/.test(attrName) || /(^|:)href$/.test(attrName) || attrName === 'src' || attrName === 'style') active = true;
      // Paint attributes may reference the SVG's own definitions only; aria text is just text.
      if (!attrName.startsWith('aria-') && /url\s*\(\s*(?!['"]?#)/i.test(value)) active = true;
    }
    return '';
  });
  // Whatever is left is text between tags: it must not open anything.
  if (active || rest.includes('<')) return undefined;
  // Tooltip and aria text hold log values: their control characters are made visible as elsewhere.
  return showInvisible(svg);
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, code: string) => {
    if (code[0] !== '#') return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[code.toLowerCase()] ?? m;
    const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
    return Number.isFinite(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
  });
}
