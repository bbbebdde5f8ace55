/**
 * `| render KIND with (...)` as Vega-Lite, following Kusto's conventions for which columns become
 * the x axis, the y values and the series.
 */
import type { ColumnSchema, Table } from '../query/table';
import { DateTime, type Value } from '../query/values';
import { chartText } from './chartText';
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
  if (!(RENDER_KINDS as readonly string[]).includes(kind)) throw new ChartError(`render ${kind} is not supported; use one of ${RENDER_KINDS.join(', ')}`);
  const chosen = chosenColumns(table, props, kind);
  if (kind === 'timeline') {
    // xcolumn: the time; series: the lanes (the first named; more would need one lane per combination).
    const lane = chosen.series?.[0] ?? table.schema.find((c) => c.type === 'string');
    return timelineSpec(table, { ...(title ? { title } : {}), ...(chosen.x ? { time: chosen.x.name } : {}), ...(lane ? { lane: lane.name } : {}) });
  }
  if (table.rowCount > MAX_CHART_POINTS) {
    throw new ChartError(`${table.rowCount.toLocaleString('en-US')} rows are too many to chart (limit ${MAX_CHART_POINTS.toLocaleString('en-US')}); aggregate first, e.g. \`| summarize count() by bin(timestamp, 1h)\``);
  }
  const numeric = chosen.ys ?? table.schema.filter((c) => c.type === 'long' || c.type === 'real');
  const datetime = chosen.x ?? table.schema.find((c) => c.type === 'datetime');
  const seriesOr = (fallback: ColumnSchema | undefined): readonly ColumnSchema[] => chosen.series ?? (fallback ? [fallback] : []);
  const xTitle = typeof props.xtitle === 'string' ? props.xtitle : undefined;
  const yTitle = typeof props.ytitle === 'string' ? props.ytitle : undefined;
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', ...(title ? { title } : {}), width: 'container', height: 260, autosize: { type: 'fit-x', contains: 'padding' } };

  if (kind === 'timechart' || kind === 'linechart' || kind === 'areachart') {
    const x = kind === 'timechart' ? datetime : datetime ?? table.schema[0];
    if (!x || (kind === 'timechart' && x.type !== 'datetime')) throw new ChartError(`${kind} needs a datetime column for the x axis; ${chosen.x ? `xcolumn \`${chosen.x.name}\` is ${chosen.x.type}` : `the result has ${describe(table.schema)}`}`);
    const ys = numeric.filter((c) => c.name !== x.name);
    if (!ys.length) throw new ChartError(`${kind} needs at least one numeric column for the y axis; the result has ${describe(table.schema)}`);
    const series = seriesOr(table.schema.find((c) => c.type === 'string' && c.name !== x.name));
    const values = fold(table, x, ys, series);
    const spec: VegaLiteSpec = {
      ...base,
      data: { values },
      mark: kind === 'areachart' ? { type: 'area', opacity: 0.7 } : { type: 'line', point: values.length <= 500 },
      encoding: {
        x: { field: 'x', type: x.type === 'datetime' ? 'temporal' : 'quantitative', title: xTitle ?? `${x.name}${x.type === 'datetime' ? ' (UTC)' : ''}`, ...(x.type === 'datetime' ? { scale: { type: 'utc' } } : {}) },
        y: { field: 'y', type: 'quantitative', title: yTitle ?? (ys.length === 1 ? ys[0].name : 'value'), ...(kind === 'areachart' ? { stack: true } : {}) },
        color: { field: 'series', type: 'nominal', title: seriesTitle(series) },
        tooltip: [{ field: 'x', type: x.type === 'datetime' ? 'temporal' : 'quantitative', title: x.name, ...(x.type === 'datetime' ? { format: '%Y-%m-%d %H:%M:%S', scale: { type: 'utc' } } : {}) }, { field: 'series', type: 'nominal' }, { field: 'y', type: 'quantitative' }],
      },
      params: [zoomParam()],
    };
    return { spec, marks: values.length, lanes: 1 };
  }
  if (kind === 'columnchart' || kind === 'barchart' || kind === 'piechart') {
    const category = chosen.x ?? table.schema.find((c) => c.type === 'string' || c.type === 'datetime' || c.type === 'bool') ?? table.schema.find((c) => !numeric.includes(c));
    const ys = numeric.filter((c) => c.name !== category?.name);
    if (!category || !ys.length) throw new ChartError(`${kind} needs a category column and a numeric column; the result has ${describe(table.schema)}`);
    const series = seriesOr(table.schema.find((c) => c.type === 'string' && c.name !== category.name));
    const values = fold(table, category, kind === 'piechart' ? ys.slice(0, 1) : ys, series);
    if (kind === 'piechart') {
      return { spec: { ...base, width: 260, data: { values }, mark: { type: 'arc' }, encoding: { theta: { field: 'y', type: 'quantitative' }, color: { field: 'x', type: 'nominal', title: category.name }, tooltip: [{ field: 'x', type: 'nominal', title: category.name }, { field: 'y', type: 'quantitative', title: ys[0].name }] } }, marks: values.length, lanes: 1 };
    }
    const cat = { field: 'x', type: category.type === 'datetime' ? 'temporal' : 'nominal', title: xTitle ?? category.name, sort: null, ...(category.type === 'datetime' ? { scale: { type: 'utc' } } : {}) };
    const val = { field: 'y', type: 'quantitative', title: yTitle ?? (ys.length === 1 ? ys[0].name : 'value') };
    const encoding = kind === 'columnchart' ? { x: cat, y: val } : { y: cat, x: val };
    return {
      spec: { ...base, ...(kind === 'barchart' && category.type !== 'datetime' ? { height: { step: 18 } } : {}), data: { values }, mark: { type: 'bar' }, encoding: { ...encoding, color: { field: 'series', type: 'nominal', title: seriesTitle(series) }, tooltip: [{ field: 'x', title: category.name }, { field: 'series', type: 'nominal' }, { field: 'y', type: 'quantitative' }] } },
      marks: values.length,
      lanes: 1,
    };
  }
  // scatterchart
  const x = chosen.x ?? table.schema.find((c) => c.type === 'long' || c.type === 'real' || c.type === 'datetime');
  const y = numeric.find((c) => c.name !== x?.name);
  if (!x || !y) throw new ChartError(`scatterchart needs two numeric columns (or a datetime and a number); the result has ${describe(table.schema)}`);
  const series = seriesOr(table.schema.find((c) => c.type === 'string'));
  const values: Record<string, string | number>[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    const xv = plain(table.column(x.name)!.get(i));
    const yv = plain(table.column(y.name)!.get(i));
    if (xv === null || yv === null) continue;
    values.push({ x: xv, y: yv, series: series.length ? seriesName(table, series, i) : y.name });
  }
  return {
    spec: { ...base, data: { values }, mark: { type: 'point', filled: true }, encoding: { x: { field: 'x', type: x.type === 'datetime' ? 'temporal' : 'quantitative', title: xTitle ?? x.name, ...(x.type === 'datetime' ? { scale: { type: 'utc' } } : {}) }, y: { field: 'y', type: 'quantitative', title: yTitle ?? y.name }, color: { field: 'series', type: 'nominal', title: seriesTitle(series) }, tooltip: [{ field: 'x', title: x.name }, { field: 'y', title: y.name }, { field: 'series' }] }, params: [zoomParam(['x', 'y'])] },
    marks: values.length,
    lanes: 1,
  };
}

/** Long form: one value per (row, numeric column), with the series named by the series columns or the column. */
function fold(table: Table, x: ColumnSchema, ys: readonly ColumnSchema[], series: readonly ColumnSchema[]): Record<string, string | number>[] {
  const xc = table.column(x.name)!;
  const out: Record<string, string | number>[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    const xv = plain(xc.get(i));
    if (xv === null) continue;
    for (const y of ys) {
      const yv = plain(table.column(y.name)!.get(i));
      if (yv === null) continue;
      const name = series.length ? (ys.length > 1 ? `${seriesName(table, series, i)} ${y.name}` : seriesName(table, series, i)) : y.name;
      out.push({ x: xv, y: yv, series: name });
    }
  }
  return out;
}

function seriesName(table: Table, series: readonly ColumnSchema[], row: number): string {
  return series.map((s) => chartText(table.column(s.name)!.get(row))).join(', ');
}

function seriesTitle(series: readonly ColumnSchema[]): string {
  return series.length ? series.map((s) => s.name).join(', ') : 'series';
}

/**
 * Kusto's `xcolumn`, `ycolumns` and `series` properties: the columns to use instead of the ones
 * the chart kind would pick. A name that is not a column (or a y column that is not numeric) is an error.
 */
function chosenColumns(table: Table, props: Readonly<Record<string, Value>>, kind: string): { x?: ColumnSchema; ys?: ColumnSchema[]; series?: ColumnSchema[] } {
  const names = (v: Value | undefined): string[] | undefined => (v === undefined || v === null ? undefined : Array.isArray(v) ? v.map(String) : [String(v)]);
  const lookup = (property: string, name: string): ColumnSchema => {
    const c = table.schema.find((s) => s.name === name);
    if (!c) throw new ChartError(`render ${kind}: ${property} names \`${name}\`, which is not a column; the result has ${describe(table.schema)}`);
    return c;
  };
  const x = names(props.xcolumn)?.map((n) => lookup('xcolumn', n))[0];
  const ys = names(props.ycolumns)?.map((n) => lookup('ycolumns', n));
  const bad = ys?.find((c) => c.type !== 'long' && c.type !== 'real');
  if (bad) throw new ChartError(`render ${kind}: ycolumns needs numeric columns; \`${bad.name}\` is ${bad.type}`);
  const series = names(props.series)?.map((n) => lookup('series', n));
  return { ...(x ? { x } : {}), ...(ys ? { ys } : {}), ...(series ? { series } : {}) };
}

/** Chart-friendly value: datetimes as epoch milliseconds, longs as numbers, others as text. */
function plain(v: Value): string | number | null {
  if (v === null) return null;
  if (v instanceof DateTime) return v.toMillis();
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return chartText(v);
}

function describe(schema: readonly ColumnSchema[]): string {
  return schema.map((c) => `${c.name} (${c.type})`).join(', ') || 'no columns';
}
