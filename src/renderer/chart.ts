/**
 * Charts in the notebook: Vega-Lite through vega-embed, loaded only when a chart is shown. Uses
 * Vega's expression interpreter (no `eval`, so it also works under a strict content security
 * policy), follows the VS Code theme, zooms and pans on the time axis, escapes tooltip text, and
 * saves SVG or PNG through the extension. `finalize()` runs when the output goes away.
 */
import type { PostMessage } from './claimCard';
import { el } from './dom';

interface ChartPayload {
  spec: Record<string, unknown>;
  title?: string;
  note?: string;
}

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

  const [{ default: embed }, { expressionInterpreter }] = await Promise.all([import('vega-embed'), import('vega-interpreter')]);
  if (signal.aborted) return undefined;
  const colors = themeColors();
  const axis = { labelColor: colors.foreground, titleColor: colors.foreground, gridColor: colors.grid, domainColor: colors.grid, tickColor: colors.grid };
  const result = await embed(view, payload.spec as never, {
    actions: false,
    renderer: 'svg',
    ast: true,
    expr: expressionInterpreter,
    tooltip: { theme: colors.dark ? 'dark' : 'light', sanitize: (value: unknown) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`) },
    config: {
      background: 'transparent',
      axis,
      legend: { labelColor: colors.foreground, titleColor: colors.foreground },
      title: { color: colors.foreground },
      view: { stroke: colors.grid },
    },
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
  toolbar.append(el('span', { class: 'cb-chart-hint' }, 'drag to pan, scroll to zoom the time axis'));
  return () => result.finalize();
}
