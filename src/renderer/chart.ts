/**
 * Charts in the notebook: Vega-Lite through vega-embed, loaded only when a chart is shown. Uses
 * Vega's expression interpreter (no `eval`, so it also works under a strict content security
 * policy), follows the VS Code theme (redrawn when it changes), zooms and pans on the time axis, and saves SVG or PNG through
 * the extension. `finalize()` runs when the output goes away.
 *
 * Chart text comes from log data. Vega draws it into SVG through DOM text APIs; tooltips are drawn
 * here, also as text (vega-embed's default tooltip formats values into HTML). The chart loads
 * nothing: the spec is checked first (no data URLs, images, links or embedding options, and a
 * bounded number of points) and Vega gets a loader that refuses every request.
 */
import { checkChartSpec } from '../core/output/chartSafety';
import type { PostMessage } from './claimCard';
import { el } from './dom';
import { ZOOM_HINT } from '../core/charts/zoom';

interface ChartPayload {
  spec: Record<string, unknown>;
  title?: string;
  note?: string;
}

/** Rows and characters a tooltip shows at most. */
const TOOLTIP_ROWS = 24;
const TOOLTIP_CHARS = 400;

function themeColors(): { foreground: string; grid: string; dark: boolean } {
  const style = getComputedStyle(document.body);
  const cls = document.body.classList;
  const dark = cls.contains('vscode-dark') || cls.contains('vscode-high-contrast');
  return {
    foreground: style.getPropertyValue('--vscode-editor-foreground').trim() || (dark ? '#cccccc' : '#333333'),
    grid: style.getPropertyValue('--vscode-editorWidget-border').trim() || (dark ? '#444444' : '#dddddd'),
    dark,
  };
}

export async function renderChart(data: unknown, host: HTMLElement, signal: AbortSignal, post?: PostMessage): Promise<(() => void) | undefined> {
  const payload = data as ChartPayload;
  const root = el('div', { class: 'cb-chart' });
  const toolbar = el('div', { class: 'cb-chart-toolbar' });
  const view = el('div', { class: 'cb-chart-view', role: 'img', 'aria-label': payload.title ?? 'chart' });
  root.append(toolbar, view);
  if (payload.note) root.append(el('div', { class: 'cb-chart-note' }, payload.note));
  host.replaceChildren(root);

  const check = checkChartSpec(payload.spec);
  if (check.problem !== undefined) {
    toolbar.remove();
    view.replaceWith(el('div', { class: 'cb-error', role: 'alert' }, `Casebook did not draw this chart: ${check.problem}.`));
    return undefined;
  }

  const [{ default: embed }, { expressionInterpreter }] = await Promise.all([import('vega-embed'), import('vega-interpreter')]);
  if (signal.aborted) return undefined;
  const tooltip = new TextTooltip();
  const draw = () => {
    const colors = themeColors();
    const axis = { labelColor: colors.foreground, titleColor: colors.foreground, gridColor: colors.grid, domainColor: colors.grid, tickColor: colors.grid };
    return embed(view, payload.spec as never, {
      actions: false,
      renderer: 'svg',
      ast: true,
      expr: expressionInterpreter,
      loader: refusingLoader as never,
      tooltip: tooltip.handler,
      config: {
        background: 'transparent',
        axis,
        legend: { labelColor: colors.foreground, titleColor: colors.foreground },
        title: { color: colors.foreground },
        view: { stroke: colors.grid },
      },
    });
  };
  let result = await draw();
  if (signal.aborted) {
    // The output went away while the chart was drawn.
    tooltip.dispose();
    result.finalize();
    return undefined;
  }
  const redraws = themeRedraws(draw, (next) => {
    result.finalize();
    result = next;
  });
  const save = async (format: 'svg' | 'png') => {
    const content = format === 'svg' ? await result.view.toSVG() : await result.view.toImageURL('png', 2);
    post?.({ type: 'saveChart', format, content, title: payload.title ?? 'timeline' });
  };
  if (post) {
    const svg = el('button', { type: 'button', title: 'Save this chart as an SVG file' }, 'Save SVG');
    const png = el('button', { type: 'button', title: 'Save this chart as a PNG image' }, 'Save PNG');
    svg.addEventListener('click', () => void save('svg'));
    png.addEventListener('click', () => void save('png'));
    toolbar.append(svg, png);
  }
  toolbar.append(el('span', { class: 'cb-chart-hint' }, ZOOM_HINT));
  return () => {
    redraws.stop();
    tooltip.dispose();
    result.finalize();
  };
}

const colorsKey = () => JSON.stringify(themeColors());

/**
 * Redraws when the theme's colours change. VS Code switches themes by changing the classes and
 * data attributes of the body and the colour variables on the document element. One redraw runs at
 * a time (a change during it asks for one more); `stop` ends it, and a redraw that finishes after
 * that is thrown away. A redraw that fails keeps the chart there is.
 */
function themeRedraws<V extends { finalize(): void }>(draw: () => Promise<V>, replace: (next: V) => void): { stop(): void } {
  let drawn = colorsKey();
  let running = false;
  let again = false;
  let stopped = false;
  const run = async () => {
    running = true;
    do {
      again = false;
      if (colorsKey() === drawn) continue;
      drawn = colorsKey();
      const next = await draw().catch(() => undefined);
      if (!next) continue;
      if (stopped) next.finalize();
      else replace(next);
    } while (again && !stopped);
    running = false;
  };
  const watch = new MutationObserver(() => {
    if (stopped) return;
    if (running) again = true;
    else void run();
  });
  const themed = { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind', 'data-vscode-theme-id', 'data-vscode-theme-name'] };
  watch.observe(document.body, themed);
  watch.observe(document.documentElement, themed);
  return {
    stop() {
      stopped = true;
      watch.disconnect();
    },
  };
}

/** Vega's loader interface, refusing everything: charts carry their data inline and load nothing. */
const refuse = (what: unknown): Promise<never> => Promise.reject(new Error(`Casebook charts load nothing (${String(what).slice(0, 80)})`));
const refusingLoader = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

/** Vega tooltips as plain text: a key/value list built with `textContent`, never parsed as HTML. */
class TextTooltip {
  private box: HTMLElement | undefined;

  /** Vega calls this with the tooltip value of the mark under the pointer (undefined or null to hide). */
  readonly handler = (_vegaHandler: unknown, event: MouseEvent, _item: unknown, value: unknown): void => {
    if (value === undefined || value === null || value === '') {
      this.hide();
      return;
    }
    const box = (this.box ??= el('div', { class: 'cb-tooltip', role: 'tooltip' }));
    if (!box.isConnected) document.body.append(box);
    box.replaceChildren(...tooltipRows(value));
    const margin = 12;
    const { width, height } = box.getBoundingClientRect();
    const x = event.clientX + margin + width > window.innerWidth ? Math.max(0, event.clientX - margin - width) : event.clientX + margin;
    const y = event.clientY + margin + height > window.innerHeight ? Math.max(0, event.clientY - margin - height) : event.clientY + margin;
    box.style.left = `${x}px`;
    box.style.top = `${y}px`;
  };

  hide(): void {
    this.box?.remove();
  }

  dispose(): void {
    this.hide();
    this.box = undefined;
  }
}

function tooltipRows(value: unknown): HTMLElement[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [el('div', { class: 'cb-tooltip-value' }, clipText(tooltipText(value)))];
  const rows: HTMLElement[] = [];
  const keys = Object.keys(value);
  for (const key of keys.slice(0, TOOLTIP_ROWS)) {
    const row = el('div', { class: 'cb-tooltip-row' });
    row.append(el('span', { class: 'cb-tooltip-key' }, clipText(key)), el('span', { class: 'cb-tooltip-value' }, clipText(tooltipText((value as Record<string, unknown>)[key]))));
    rows.push(row);
  }
  if (keys.length > TOOLTIP_ROWS) rows.push(el('div', { class: 'cb-tooltip-more' }, `… ${keys.length - TOOLTIP_ROWS} more`));
  return rows;
}

function tooltipText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

function clipText(s: string): string {
  return s.length > TOOLTIP_CHARS ? s.slice(0, TOOLTIP_CHARS - 1) + '…' : s;
}
