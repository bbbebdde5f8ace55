/**
 * Checks a chart spec before it is drawn (notebook webview) or rendered to SVG (reports). Specs are
 * built by Casebook from result tables, so these checks are a second line of defence: a spec that
 * would load anything from outside (data URLs, images, links), carry embedding options, or hold more
 * points than a chart can draw without freezing its viewer is refused with a reason.
 */

/** Most data values a drawn chart may carry; beyond it the chart is refused (aggregate or bin first). */
export const MAX_DRAWN_CHART_VALUES = 100_000;

export interface ChartCheck {
  /** Data values over all the spec's inline datasets. */
  readonly values: number;
  /** Why the chart must not be drawn; undefined when it may be. */
  readonly problem?: string;
}

/** Encoding channels that make marks load or link to a URL taken from the data. */
const URL_CHANNELS = new Set(['href', 'url']);

export function checkChartSpec(spec: unknown, maxValues = MAX_DRAWN_CHART_VALUES): ChartCheck {
  let values = 0;
  let problem: string | undefined;
  const seen = new Set<unknown>();
  const visit = (node: unknown, key: string | undefined, depth: number): void => {
    if (problem !== undefined || node === null || typeof node !== 'object' || seen.has(node)) return;
    if (depth > 64) {
      problem = 'the chart specification is nested too deeply';
      return;
    }
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) visit(item, undefined, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    if (key === 'data') {
      if (Object.hasOwn(record, 'url')) {
        problem = 'the chart would load data from a URL';
        return;
      }
      if (Array.isArray(record.values)) values += record.values.length;
      // The rows themselves are data, not specification: they are counted, not searched.
      for (const [k, v] of Object.entries(record)) if (k !== 'values') visit(v, k, depth + 1);
      return;
    }
    if (key === 'encoding') {
      for (const channel of Object.keys(record)) {
        if (URL_CHANNELS.has(channel)) {
          problem = `the chart would take ${channel === 'href' ? 'links' : 'image URLs'} from the data`;
          return;
        }
      }
    }
    const mark = record.mark;
    const markType = typeof mark === 'string' ? mark : mark !== null && typeof mark === 'object' ? (mark as { type?: unknown }).type : undefined;
    if (markType === 'image') {
      problem = 'the chart would load images';
      return;
    }
    for (const [k, v] of Object.entries(record)) {
      if (k === 'usermeta') {
        problem = 'the chart specification carries embedding options (usermeta)';
        return;
      }
      visit(v, k, depth + 1);
    }
  };
  visit(spec, undefined, 0);
  if (problem === undefined && values > maxValues) {
    problem = `the chart has ${values.toLocaleString('en-US')} data points, more than the ${maxValues.toLocaleString('en-US')} a chart draws; aggregate or bin the events first (or colour and lane them by a field with fewer distinct values)`;
  }
  return problem === undefined ? { values } : { values, problem };
}
