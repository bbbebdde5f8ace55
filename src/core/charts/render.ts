/**
 * `| render KIND with (...)` as Vega-Lite, following Kusto's conventions for which columns become
 * the x axis, the y values and the series.
 */
import type { ColumnSchema, Table } from '../query/table';
import { DateTime, type Value } from '../query/values';
import { MAX_DRAWN_CHART_VALUES } from '../output/chartSafety';
import { formatValue } from '../output/values';
import { chartText, distinctChartText, distinctLabels, valueKey } from './chartText';
import { ChartError, timelineSpec, type ChartBuild, type VegaLiteSpec } from './timeline';
import { withExpressionSafeTitles } from './titles';
import { zoomParam } from './zoom';

/** Most points a non-timeline chart takes; beyond that the query should aggregate. */
export const MAX_CHART_POINTS = 20_000;

export const RENDER_KINDS = ['timechart', 'linechart', 'areachart', 'columnchart', 'barchart', 'scatterchart', 'piechart', 'timeline', 'table'] as const;

export interface RenderRequestLike {
  readonly kind: string;
  readonly properties?: Readonly<Record<string, Value>>;
}

export function renderSpec(table: Table, request: RenderRequestLike): ChartBuild | undefined {
  const build = chartFor(table, request);
  return build && { ...build, spec: withExpressionSafeTitles(build.spec) };
}

function chartFor(table: Table, request: RenderRequestLike): ChartBuild | undefined {
  const props = request.properties ?? {};
  const title = typeof props.title === 'string' ? props.title : undefined;
  const kind = request.kind;
  if (kind === 'table') return undefined;
  if (!(RENDER_KINDS as readonly string[]).includes(kind)) throw new ChartError(`${kind} is not a chart Casebook draws; use one of ${RENDER_KINDS.join(', ')}`);
  const chosen = chosenColumns(table, props);
  if (kind === 'timeline') {
    // xcolumn: the time; series: the lanes (the first named; more would need one lane per combination).
    const lane = chosen.series?.[0] ?? table.schema.find((c) => c.type === 'string');
    return timelineSpec(table, { ...(title ? { title } : {}), ...(chosen.x ? { time: chosen.x.name } : {}), ...(lane ? { lane: lane.name } : {}) });
  }
  const datetime = chosen.x ?? table.schema.find((c) => c.type === 'datetime');
  if (table.rowCount > MAX_CHART_POINTS) {
    const bin = datetime?.type === 'datetime' ? `| summarize count() by bin(${datetime.name}, 1h)` : '| summarize count() by ...';
    throw new ChartError(`${table.rowCount.toLocaleString('en-US')} rows are too many to chart (limit ${MAX_CHART_POINTS.toLocaleString('en-US')}); aggregate first, e.g. \`${bin}\``);
  }
  const numeric = chosen.ys ?? table.schema.filter(isNumeric);
  const seriesOr = (fallback: ColumnSchema | undefined): readonly ColumnSchema[] => chosen.series ?? (fallback ? [fallback] : []);
  const xTitle = typeof props.xtitle === 'string' ? props.xtitle : undefined;
  const yTitle = typeof props.ytitle === 'string' ? props.ytitle : undefined;
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...(title ? { title } : {}), width: 'container', height: 260, autosize: { type: 'fit-x', contains: 'padding' } };

  if (kind === 'timechart' || kind === 'linechart' || kind === 'areachart') {
    const x = kind === 'timechart' ? datetime : datetime ?? table.schema[0];
    if (!x || (kind === 'timechart' && x.type !== 'datetime')) throw new ChartError(`${kind} needs a datetime column for the x axis; ${chosen.x ? `xcolumn \`${chosen.x.name}\` is ${chosen.x.type}` : `the result has ${describe(table.schema)}`}`);
    if (x.type !== 'datetime' && !isNumeric(x)) throw new ChartError(`${kind} needs a datetime or numeric column for the x axis; \`${x.name}\` is ${x.type} (use columnchart for categories, or todatetime() for times written as text)`);
    const ys = numeric.filter((c) => c.name !== x.name);
    if (!ys.length) throw new ChartError(`${kind} needs at least one numeric column for the y axis; the result has ${describe(table.schema)}`);
    const series = seriesOr(table.schema.find((c) => c.type === 'string' && c.name !== x.name));
    const values = fold(table, x, ys, series);
    const stack = kind === 'areachart' ? stacking(props, kind) : null;
    const y = { field: 'y', type: 'quantitative', title: yTitle ?? yAxisTitle(ys), stack, ...(stack === 'normalize' ? { axis: { format: '%' } } : {}) };
    const spec: VegaLiteSpec = {
      ...base,
      data: { values },
      mark: kind === 'areachart' ? { type: 'area', opacity: stack === null ? 0.5 : 0.7 } : { type: 'line', point: values.length <= 500 },
      encoding: { x: { field: 'x', ...axisOf(x), title: xTitle ?? `${x.name}${x.type === 'datetime' ? ' (UTC)' : ''}` }, y, color: { field: 'series', type: 'nominal', title: seriesTitle(series) }, tooltip: tooltips(x, ys, series) },
      params: [zoomParam()],
    };
    return { spec, marks: values.length, lanes: 1 };
  }
  if (kind === 'columnchart' || kind === 'barchart' || kind === 'piechart') {
    const category = chosen.x ?? table.schema.find((c) => c.type === 'string' || c.type === 'datetime' || c.type === 'bool') ?? table.schema.find((c) => !numeric.includes(c));
    const ys = numeric.filter((c) => c.name !== category?.name);
    if (!category || !ys.length) throw new ChartError(`${kind} needs a category column and a numeric column; the result has ${describe(table.schema)}`);
    if (kind === 'piechart') return pieChart(table, base, category, ys[0]);
    const series = seriesOr(table.schema.find((c) => c.type === 'string' && c.name !== category.name));
    const values = fold(table, category, ys, series);
    const categories = new Set(values.map((v) => v.x)).size;
    if (category.type !== 'datetime' && categories > MAX_CHART_CATEGORIES) throw new ChartError(`${categories.toLocaleString('en-US')} categories are too many for a ${kind} (limit ${MAX_CHART_CATEGORIES.toLocaleString('en-US')}); keep the largest with \`top\``);
    const seriesCount = new Set(values.map((v) => v.series)).size;
    const stack = stacking(props, kind);
    const cat = { field: 'x', ...(category.type === 'datetime' ? axisOf(category) : { type: 'nominal' }), title: xTitle ?? category.name, sort: null };
    const val = { field: 'y', type: 'quantitative', title: yTitle ?? yAxisTitle(ys), stack, ...(stack === 'normalize' ? { axis: { format: '%' } } : {}) };
    // Unstacked, as Kusto draws them by default, a category's columns stand side by side; a time
    // axis has no bands to share, so there they overlap, see-through.
    const grouped = stack === null && category.type !== 'datetime' && seriesCount > 1;
    const sideBySide = grouped ? (kind === 'columnchart' ? { xOffset: { field: 'series' } } : { yOffset: { field: 'series' } }) : {};
    // A bar chart of categories is as tall as its bars need (a fixed height squeezed 1,000 together;
    // a height by step would drop the chart's fit to its cell's width).
    const barHeight = kind === 'barchart' && category.type !== 'datetime' ? { height: Math.max(60, categories * (grouped ? seriesCount : 1) * BAR_PX) } : {};
    const encoding = kind === 'columnchart' ? { x: cat, y: val } : { y: cat, x: val };
    return {
      spec: { ...base, ...barHeight, data: { values }, mark: { type: 'bar', ...(stack === null && category.type === 'datetime' ? { opacity: 0.7 } : {}) }, encoding: { ...encoding, ...sideBySide, color: { field: 'series', type: 'nominal', title: seriesTitle(series) }, tooltip: tooltips(category, ys, series) } },
      marks: values.length,
      lanes: 1,
    };
  }
  // scatterchart
  const x = chosen.x ?? table.schema.find((c) => isNumeric(c) || c.type === 'datetime');
  if (x && x.type !== 'datetime' && !isNumeric(x)) throw new ChartError(`scatterchart needs a numeric or datetime column for the x axis; xcolumn \`${x.name}\` is ${x.type}`);
  const y = numeric.find((c) => c.name !== x?.name);
  if (!x || !y) throw new ChartError(`scatterchart needs two numeric columns (or a datetime and a number); the result has ${describe(table.schema)}`);
  const series = seriesOr(table.schema.find((c) => c.type === 'string'));
  const values = fold(table, x, [y], series);
  return {
    spec: { ...base, data: { values }, mark: { type: 'point', filled: true }, encoding: { x: { field: 'x', ...axisOf(x), title: xTitle ?? x.name }, y: { field: 'y', type: 'quantitative', title: yTitle ?? y.name }, color: { field: 'series', type: 'nominal', title: seriesTitle(series) }, tooltip: tooltips(x, [y], series) }, params: [zoomParam(['x', 'y'])] },
    marks: values.length,
    lanes: 1,
  };
}

/** Height of one bar of a bar chart of categories. */
const BAR_PX = 18;

/** Most categories a column or bar chart draws (a bar chart of 20,000 was an SVG 360,000 pixels tall). */
export const MAX_CHART_CATEGORIES = 1_000;

/** Most series a chart draws: past it the legend and the colours stop telling them apart, and drawing slows to a crawl. */
export const MAX_CHART_SERIES = 100;

function isNumeric(c: ColumnSchema): boolean {
  return c.type === 'long' || c.type === 'real';
}

/** Scale and type of a time or number axis (times on a UTC scale). */
function axisOf(c: ColumnSchema): Record<string, unknown> {
  return c.type === 'datetime' ? { type: 'temporal', scale: { type: 'utc' } } : { type: 'quantitative' };
}

function yAxisTitle(ys: readonly ColumnSchema[]): string {
  return ys.length === 1 ? ys[0].name : 'value';
}

/** Tooltips that name their columns, with times in UTC as the axis shows them. */
function tooltips(x: ColumnSchema, ys: readonly ColumnSchema[], series: readonly ColumnSchema[]): Record<string, unknown>[] {
  const xTip = x.type === 'datetime' ? { field: 'x', type: 'temporal', title: `${x.name} (UTC)`, format: '%Y-%m-%d %H:%M:%S', scale: { type: 'utc' } } : { field: 'x', type: isNumeric(x) ? 'quantitative' : 'nominal', title: x.name };
  const seriesTip = series.length || ys.length > 1 ? [{ field: 'series', type: 'nominal', title: series.length ? seriesTitle(series) : 'column' }] : [];
  return [xTip, ...seriesTip, { field: 'y', type: 'quantitative', title: yAxisTitle(ys) }];
}

/** Kusto's `kind` for column, bar and area charts: `default` and `unstacked` stand alone, `stacked` and `stacked100` stack. */
function stacking(props: Readonly<Record<string, Value>>, kind: string): 'zero' | 'normalize' | null {
  const value = props.kind;
  if (value === undefined || value === null || value === 'default' || value === 'unstacked') return null;
  if (value === 'stacked') return 'zero';
  if (value === 'stacked100') return 'normalize';
  throw new ChartError(`${kind} with kind=${formatValue(value)} is not supported; use default, unstacked, stacked or stacked100`);
}

/** One slice per category, its values summed (a result grouped by more columns has a row per combination). */
function pieChart(table: Table, base: Record<string, unknown>, category: ColumnSchema, measure: ColumnSchema): ChartBuild {
  const xc = table.column(category.name)!;
  const yc = table.column(measure.name)!;
  const slices = new Map<string, number>();
  const label = distinctChartText();
  for (let i = 0; i < table.rowCount; i++) {
    const x = plain(xc.get(i), label);
    const y = plain(yc.get(i), label);
    if (x === null || typeof y !== 'number') continue;
    if (y < 0) throw new ChartError(`piechart needs values of 0 or more; ${measure.name} is ${y} for ${chartText(xc.get(i))}`);
    const key = typeof x === 'number' && category.type === 'datetime' ? new Date(x).toISOString() : String(x);
    slices.set(key, (slices.get(key) ?? 0) + y);
  }
  if (slices.size > MAX_CHART_SERIES) throw tooManySeries(slices.size);
  const values = [...slices].map(([x, y]) => ({ x, y }));
  const spec = { ...base, width: 260, data: { values }, mark: { type: 'arc' }, encoding: { theta: { field: 'y', type: 'quantitative', stack: true }, color: { field: 'x', type: 'nominal', title: category.name, sort: null }, tooltip: [{ field: 'x', type: 'nominal', title: category.name }, { field: 'y', type: 'quantitative', title: measure.name }] } };
  return { spec, marks: values.length, lanes: 1 };
}

function tooManySeries(n: number): ChartError {
  return new ChartError(`${n.toLocaleString('en-US')} series are too many to draw (limit ${MAX_CHART_SERIES}); keep the largest with \`top\`, filter with \`where\`, or name fewer columns with \`series=\``);
}

/**
 * Long form: one value per (row, numeric column), in a series named by the series columns' values
 * (and the column, when there are several). Checked for size before anything is built.
 */
function fold(table: Table, x: ColumnSchema, ys: readonly ColumnSchema[], series: readonly ColumnSchema[]): Record<string, string | number>[] {
  const total = table.rowCount * ys.length;
  if (total > MAX_DRAWN_CHART_VALUES) throw new ChartError(`${table.rowCount.toLocaleString('en-US')} rows of ${ys.length} numeric columns are ${total.toLocaleString('en-US')} values, more than the ${MAX_DRAWN_CHART_VALUES.toLocaleString('en-US')} a chart draws; name the columns to draw with \`ycolumns=\`, or aggregate first`);
  const xc = table.column(x.name)!;
  const yCols = ys.map((y) => table.column(y.name)!);
  const names = seriesNames(table, series);
  const xLabel = distinctChartText();
  const out: Record<string, string | number>[] = [];
  const drawn = new Set<string>();
  // With several y columns a series is a (series values, column) pair; its name is both, numbered
  // when two pairs read alike (`alice x` + `count` and `alice` + `x count`).
  const pairLabel = distinctLabels();
  const pairName = (row: number, k: number): string => pairLabel(`${names![row]}\u0000${k}`, () => `${names![row]} ${ys[k].name}`);
  for (let i = 0; i < table.rowCount; i++) {
    const xv = plain(xc.get(i), xLabel);
    if (xv === null) continue;
    for (let k = 0; k < ys.length; k++) {
      const yv = plain(yCols[k].get(i), xLabel);
      if (typeof yv !== 'number') continue;
      const name = names ? (ys.length > 1 ? pairName(i, k) : names[i]) : ys[k].name;
      drawn.add(name);
      if (drawn.size > MAX_CHART_SERIES) throw tooManySeries(countSeries(names, ys));
      out.push({ x: xv, y: yv, series: name });
    }
  }
  return out;
}

function countSeries(names: readonly string[] | undefined, ys: readonly ColumnSchema[]): number {
  return (names ? new Set(names).size : 1) * ys.length;
}

/**
 * Each row's series name: its series columns' values joined with ", ". Two combinations that read
 * alike (`alice, web1` + `x` and `alice` + `web1, x`) are different series: the later one is
 * numbered, where they were drawn as one line.
 */
function seriesNames(table: Table, series: readonly ColumnSchema[]): string[] | undefined {
  if (!series.length) return undefined;
  const cols = series.map((s) => table.column(s.name)!);
  const label = distinctLabels();
  const out = new Array<string>(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    const values = cols.map((c) => c.get(i));
    // By the values themselves: two that read alike once escaped are different series.
    out[i] = label(values.map(valueKey).join('\u0000'), () => values.map(chartText).join(', '));
  }
  return out;
}

function seriesTitle(series: readonly ColumnSchema[]): string {
  return series.length ? series.map((s) => s.name).join(', ') : 'series';
}

/**
 * Kusto's `xcolumn`, `ycolumns` and `series` properties: the columns to use instead of the ones
 * the chart kind would pick. A name that is not a column (or a y column that is not numeric) is an error.
 */
function chosenColumns(table: Table, props: Readonly<Record<string, Value>>): { x?: ColumnSchema; ys?: ColumnSchema[]; series?: ColumnSchema[] } {
  const names = (v: Value | undefined): string[] | undefined => (v === undefined || v === null ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);
  const lookup = (property: string, name: string): ColumnSchema => {
    const c = table.schema.find((s) => s.name === name);
    if (!c) throw new ChartError(`${property} names \`${name}\`, which is not a column; the result has ${describe(table.schema)}`);
    return c;
  };
  const x = names(props.xcolumn)?.map((n) => lookup('xcolumn', n))[0];
  const ys = names(props.ycolumns)?.map((n) => lookup('ycolumns', n));
  const bad = ys?.find((c) => c.type !== 'long' && c.type !== 'real');
  if (bad) throw new ChartError(`ycolumns needs numeric columns; \`${bad.name}\` is ${bad.type}`);
  const series = names(props.series)?.map((n) => lookup('series', n));
  return { ...(x ? { x } : {}), ...(ys ? { ys } : {}), ...(series ? { series } : {}) };
}

/** Chart-friendly value: datetimes as epoch milliseconds, longs as numbers, others as text. */
function plain(v: Value, label: (v: Value) => string): string | number | null {
  if (v === null) return null;
  if (v instanceof DateTime) return v.toMillis();
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return label(v);
}

function describe(schema: readonly ColumnSchema[]): string {
  return schema.map((c) => `${c.name} (${c.type})`).join(', ') || 'no columns';
}
