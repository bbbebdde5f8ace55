/**
 * Timeline charts as Vega-Lite specs, built by pure functions from a result table and options.
 *
 * Events go on a UTC time axis, in lanes (user, session, source...), coloured by a field; claim
 * windows are shaded bands coloured by verdict; markers are labelled rules. Dense data is binned
 * before it reaches the chart (the chart says so), so the marks sent to a webview stay bounded.
 */
import { isNumericColumn, isStringColumn, type Column, type Table } from '../query/table';
import { DateTime, type Value } from '../query/values';
import { chartText, distinctChartText } from './chartText';
import { labelLines } from './labelLines';
import { withExpressionSafeTitles } from './titles';
import { zoomParam } from './zoom';

/** Most event marks a chart carries before events are binned. */
export const MAX_EVENT_MARKS = 5_000;
/** Bins across the time axis when binning (before lanes and colours multiply them). */
const TARGET_BINS = 240;
/** Most distinct lanes drawn; the rest are folded into one, "(N other values)". */
export const MAX_LANES = 40;
/** Most distinct colours; the rest are folded into one, "(N other values)". */
export const MAX_COLORS = 12;

export interface TimeWindow {
  readonly from: DateTime;
  readonly to: DateTime;
  readonly label: string;
  /** Drawn on the chart (default: the label, which the tooltip shows in full). */
  readonly name?: string;
  /** A claim's verdict colours its window. */
  readonly verdict?: 'supported' | 'contradicted' | 'inconclusive' | 'error';
}

export interface TimeMarker {
  readonly at: DateTime;
  readonly label: string;
}

export interface TimelineOptions {
  readonly title?: string;
  /** Time column; default: the first datetime column. */
  readonly time?: string;
  readonly lane?: string;
  readonly color?: string;
  readonly tooltip?: readonly string[];
  /** Bin size in microseconds; default: automatic when the events exceed MAX_EVENT_MARKS. */
  readonly binUs?: number;
  readonly windows?: readonly TimeWindow[];
  readonly markers?: readonly TimeMarker[];
  readonly maxEventMarks?: number;
}

export type VegaLiteSpec = Record<string, unknown>;

export interface ChartBuild {
  readonly spec: VegaLiteSpec;
  /** Marks in the event layer (events, or bins when binned). */
  readonly marks: number;
  readonly lanes: number;
  /** What was done to the data, shown under the chart ("binned to 5 min: 200,000 events → 1,440 bins"). */
  readonly note?: string;
}

export class ChartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChartError';
  }
}

const VERDICT_COLORS: Record<string, string> = { supported: '#388a34', contradicted: '#c72e0f', inconclusive: '#bf8803', error: '#888888' };
/** Average widths of a character of window names (10 px bold) and marker labels (11 px bold). */
const WINDOW_CHAR_PX = 6.2;
const MARKER_CHAR_PX = 6.8;
/** A window that is not a claim's (a gap in the logs, say). */
const WINDOW = 'noted';
const WINDOW_COLORS: Record<string, string> = { ...VERDICT_COLORS, [WINDOW]: '#6b6b9a' };

export function timelineSpec(table: Table, options: TimelineOptions = {}): ChartBuild {
  const timeName = options.time ?? table.schema.find((c) => c.type === 'datetime')?.name;
  if (!timeName) throw new ChartError(`a timeline needs a datetime column; the result has ${describeColumns(table)}`);
  const timeCol = requireColumn(table, timeName, 'time');
  if (table.schema[table.columnIndex(timeName)].type !== 'datetime') throw new ChartError(`column \`${timeName}\` is ${table.schema[table.columnIndex(timeName)].type}, not datetime; convert it with todatetime()`);
  const laneCol = options.lane ? requireColumn(table, options.lane, 'lane') : undefined;
  const colorCol = options.color ? requireColumn(table, options.color, 'color') : undefined;
  const tooltipCols = (options.tooltip ?? []).map((t) => ({ name: t, col: requireColumn(table, t, 'tooltip') }));

  const laneOf = topValues(table, laneCol, MAX_LANES);
  const colorOf = topValues(table, colorCol, MAX_COLORS);
  // Microseconds straight from the column, without boxing a DateTime per row (this runs on 100k+ rows).
  const usOf = isNumericColumn(timeCol) ? (r: number) => timeCol.raw(r) : (r: number) => (timeCol.get(r) as DateTime | null)?.us ?? null;
  const rows: number[] = [];
  for (let i = 0; i < table.rowCount; i++) if (usOf(i) !== null) rows.push(i);
  const skipped = table.rowCount - rows.length;
  const maxMarks = options.maxEventMarks ?? MAX_EVENT_MARKS;

  // Data fields have fixed internal names (column names may contain anything); column names are titles only.
  const timeTitle = `${timeName} (UTC)`;
  const laneEncoding = laneCol ? { y: { field: 'lane', type: 'nominal', title: options.lane, sort: 'ascending' } } : {};
  const colorEncoding = colorCol ? { color: { field: 'color', type: 'nominal', title: options.color, scale: { scheme: 'tableau10' } } } : {};
  const laneTip = laneCol ? [{ field: 'lane', type: 'nominal', title: options.lane }] : [];
  const colorTip = colorCol ? [{ field: 'color', type: 'nominal', title: options.color }] : [];
  let values: Record<string, string | number>[];
  let note: string | undefined;
  let eventLayer: VegaLiteSpec;
  if (options.binUs === undefined && rows.length <= maxMarks) {
    values = rows.map((r) => {
      const v: Record<string, string | number> = { t: Math.floor(usOf(r)! / 1000) };
      if (laneCol) v.lane = laneOf(r);
      if (colorCol) v.color = colorOf(r);
      tooltipCols.forEach((t, i) => (v[`tip${i}`] = text(t.col.get(r))));
      return v;
    });
    eventLayer = {
      mark: { type: 'tick', thickness: 2, orient: 'vertical' },
      encoding: {
        x: { field: 't', type: 'temporal', title: timeTitle, scale: { type: 'utc' }, axis: { format: '%Y-%m-%d %H:%M', labelOverlap: true } },
        ...laneEncoding,
        ...colorEncoding,
        tooltip: [{ field: 't', type: 'temporal', title: timeTitle, format: '%Y-%m-%d %H:%M:%S', scale: { type: 'utc' } }, ...laneTip, ...colorTip, ...tooltipCols.map((t, i) => ({ field: `tip${i}`, type: 'nominal', title: t.name }))],
      },
      params: [zoomParam()],
    };
  } else {
    // Coarser bins until the marks fit; past the round sizes colour gives way to the event count,
    // then bins keep doubling. That ends: once a bin spans the data, each lane holds at most two.
    let binUs = options.binUs ?? autoBin(rows.map((r) => usOf(r)!));
    let useColor = colorCol !== undefined;
    let bins = binEvents(rows, usOf, binUs, laneOf, useColor ? colorOf : undefined);
    while (bins.size > maxMarks) {
      const coarser = NICE_BINS_US.find((b) => b > binUs);
      if (coarser !== undefined) binUs = coarser;
      else if (useColor) useColor = false;
      else binUs *= 2;
      bins = binEvents(rows, usOf, binUs, laneOf, useColor ? colorOf : undefined);
    }
    values = [...bins.values()].map((b) => {
      const v: Record<string, string | number> = { t: b.t / 1000, t2: (b.t + binUs) / 1000, events: b.n };
      if (laneCol) v.lane = b.lane;
      if (useColor) v.color = b.color;
      return v;
    });
    note = `binned to ${describeSpan(binUs)}: ${rows.length.toLocaleString('en-US')} events → ${values.length.toLocaleString('en-US')} bins${colorCol && !useColor ? ` (too many to colour by ${options.color}; shaded by count)` : ''}`;
    eventLayer = {
      mark: { type: 'rect', opacity: 0.85 },
      encoding: {
        x: { field: 't', type: 'temporal', title: `${timeName} (UTC, ${describeSpan(binUs)} bins)`, scale: { type: 'utc' }, axis: { format: '%Y-%m-%d %H:%M', labelOverlap: true } },
        x2: { field: 't2' },
        ...laneEncoding,
        ...(useColor ? colorEncoding : { color: { field: 'events', type: 'quantitative', title: 'events', scale: { scheme: 'blues' } } }),
        tooltip: [{ field: 't', type: 'temporal', title: 'bin start (UTC)', format: '%Y-%m-%d %H:%M:%S', scale: { type: 'utc' } }, { field: 'events', type: 'quantitative' }, ...laneTip, ...(useColor ? colorTip : [])],
      },
      params: [zoomParam()],
    };
  }
  if (skipped) note = [note, `${skipped.toLocaleString('en-US')} rows without a time were left out`].filter(Boolean).join('; ');

  const layers: VegaLiteSpec[] = [];
  const windows = options.windows ?? [];
  if (windows.length) {
    // A light band over the plot, a strip of full colour along its foot and the window's name on
    // it, so overlapping windows stay apart; the legend lists only the kinds present.
    const extent = timeExtent(values, options.markers ?? [], windows);
    const rightFrom = extent.max - (extent.max - extent.min) * 0.2;
    // Names go on two lines so that close ones do not overlap; one starting near the right end
    // reads leftwards from its end.
    const placed = [...windows]
      .sort((a, b) => a.from.toMillis() - b.from.toMillis())
      .map((w) => {
        const right = w.from.toMillis() > rightFrom;
        return { from: w.from.toMillis(), to: w.to.toMillis(), label: w.label, name: w.name ?? w.label, verdict: w.verdict ?? WINDOW, at: right ? w.to.toMillis() : w.from.toMillis(), align: right ? ('right' as const) : ('left' as const) };
      });
    const lines = labelLines(placed.map((w) => ({ at: w.at, text: w.name, align: w.align })), 2, extent.max - extent.min, WINDOW_CHAR_PX);
    const data = { values: placed.map((w, i) => ({ ...w, line: lines[i] })) };
    const present = Object.keys(WINDOW_COLORS).filter((k) => data.values.some((v) => v.verdict === k));
    const fill = { field: 'verdict', type: 'nominal', title: 'window', scale: { domain: present, range: present.map((k) => WINDOW_COLORS[k]) }, legend: { symbolOpacity: 0.85, symbolType: 'square' } };
    const x = { field: 'from', type: 'temporal', scale: { type: 'utc' } };
    const tooltip = [{ field: 'label', type: 'nominal', title: 'window' }];
    layers.push({ data, mark: { type: 'rect', opacity: 0.1 }, encoding: { x, x2: { field: 'to' }, fill, tooltip } });
    layers.push({ data, mark: { type: 'rect', opacity: 0.85, y: { expr: 'height - 4' }, y2: { expr: 'height' } }, encoding: { x, x2: { field: 'to' }, fill, tooltip } });
    for (const align of ['left', 'right'] as const) {
      for (const line of [0, 1]) {
        if (!data.values.some((v) => v.align === align && v.line === line)) continue;
        layers.push({
          data,
          transform: [{ filter: `datum.align === '${align}' && datum.line === ${line}` }],
          mark: { type: 'text', align, baseline: 'bottom', dx: align === 'left' ? 3 : -3, y: { expr: `height - ${6 + 12 * line}` }, fontSize: 10, fontWeight: 'bold' },
          encoding: { x: { field: 'at', type: 'temporal', scale: { type: 'utc' } }, text: { field: 'name', type: 'nominal' }, fill },
        });
      }
    }
  }
  layers.push({ data: { values }, ...eventLayer });
  const markers = options.markers ?? [];
  if (markers.length) {
    const data = { values: markers.map((m) => ({ at: m.at.toMillis(), label: m.label })) };
    layers.push({ data, mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5, color: '#d62728' }, encoding: { x: { field: 'at', type: 'temporal', scale: { type: 'utc' } }, tooltip: [{ field: 'label', type: 'nominal', title: 'marker' }] } });
    for (const side of markerLabelSides(markers, values, windows)) {
      // Labels sit just inside the top of the plot, so the plot's clipping never hides them; close
      // markers go on three lines (see markerLabelSides), and labels near the right end read leftwards.
      layers.push({
        data: { values: side.labels },
        mark: { type: 'text', align: side.align, dx: side.align === 'left' ? 4 : -4, baseline: 'top', color: '#d62728', fontWeight: 'bold' },
        encoding: { x: { field: 'at', type: 'temporal', scale: { type: 'utc' } }, y: { field: 'top', type: 'quantitative', scale: null }, text: { field: 'label', type: 'nominal' } },
      });
    }
  }
  const laneCount = laneCol ? new Set(rows.map((r) => laneOf(r))).size : 1;
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    width: 'container',
    height: Math.min(640, Math.max(90, laneCount * 22 + 40)),
    autosize: { type: 'fit-x', contains: 'padding' },
    layer: layers,
    resolve: { scale: { color: 'independent' } },
  };
  return { spec: withExpressionSafeTitles(spec), marks: values.length, lanes: laneCount, ...(note ? { note } : {}) };
}

/** The time span the chart covers, in milliseconds: events (or bins), markers and windows. */
function timeExtent(values: readonly Record<string, string | number>[], markers: readonly TimeMarker[], windows: readonly { from: DateTime; to: DateTime }[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  const see = (t: unknown) => {
    if (typeof t !== 'number') return;
    if (t < min) min = t;
    if (t > max) max = t;
  };
  for (const v of values) (see(v.t), see(v.t2));
  for (const m of markers) see(m.at.toMillis());
  for (const w of windows) (see(w.from.toMillis()), see(w.to.toMillis()));
  return { min, max };
}

/** Marker labels in two groups (left- and right-aligned), each on one of three lines so that close ones do not overlap, in time order. */
function markerLabelSides(markers: readonly TimeMarker[], values: readonly Record<string, string | number>[], windows: readonly { from: DateTime; to: DateTime }[]) {
  const { min, max } = timeExtent(values, markers, windows);
  const rightFrom = max - (max - min) * 0.2;
  const sorted = [...markers].sort((a, b) => a.at.toMillis() - b.at.toMillis());
  const placed = sorted.map((m) => ({ at: m.at.toMillis(), text: m.label, align: m.at.toMillis() > rightFrom && max > min ? ('right' as const) : ('left' as const) }));
  const lines = labelLines(placed, 3, max - min, MARKER_CHAR_PX);
  const left: { at: number; label: string; top: number }[] = [];
  const right: { at: number; label: string; top: number }[] = [];
  placed.forEach((m, i) => {
    const label = { at: m.at, label: m.text, top: 2 + lines[i] * 13 };
    (m.align === 'right' ? right : left).push(label);
  });
  return [
    ...(left.length ? [{ align: 'left' as const, labels: left }] : []),
    ...(right.length ? [{ align: 'right' as const, labels: right }] : []),
  ];
}

/** A row's text in a column; string columns are read through their dictionary entries. */
function textOf(col: Column | undefined): (row: number) => string {
  if (!col) return () => '';
  const label = distinctChartText();
  if (isStringColumn(col)) {
    const labels: (string | undefined)[] = []; // by dictionary code: each text made once
    return (row) => {
      const code = col.code(row);
      return (labels[code] ??= label(col.entry(code)));
    };
  }
  return (row) => label(col.get(row));
}

/**
 * A row's text in a column, keeping the `max - 1` most frequent values and folding the rest into
 * one lane or colour, "(N other values)". That label is unlike every value of the column: a value
 * written "(other)" would otherwise have shared it, and hidden among the folded ones.
 */
function topValues(table: Table, col: Column | undefined, max: number): (row: number) => string {
  if (!col) return () => '';
  const read = textOf(col);
  const counts = new Map<string, number>();
  for (let i = 0; i < table.rowCount; i++) {
    const l = read(i);
    counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  if (counts.size <= max) return read;
  const kept = new Set([...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, max - 1).map(([l]) => l));
  const base = `(${(counts.size - kept.size).toLocaleString('en-US')} other values)`;
  let other = base;
  for (let n = 2; counts.has(other); n++) other = `${base} #${n}`;
  return (row) => {
    const l = read(row);
    return kept.has(l) ? l : other;
  };
}

function binEvents(rows: readonly number[], usOf: (row: number) => number | null, binUs: number, laneOf: (row: number) => string, colorOf?: (row: number) => string) {
  const bins = new Map<string, { t: number; lane: string; color: string; n: number }>();
  for (const r of rows) {
    const start = Math.floor(usOf(r)! / binUs) * binUs;
    const lane = laneOf(r);
    const color = colorOf ? colorOf(r) : '';
    const key = `${start}\u0000${lane}\u0000${color}`;
    const bin = bins.get(key);
    if (bin) bin.n++;
    else bins.set(key, { t: start, lane, color, n: 1 });
  }
  return bins;
}

function requireColumn(table: Table, name: string, role: string) {
  const col = table.column(name);
  if (!col) throw new ChartError(`${role} column \`${name}\` is not in the result; it has ${describeColumns(table)}`);
  return col;
}

function describeColumns(table: Table): string {
  return table.schema.length ? table.schema.map((c) => `${c.name} (${c.type})`).join(', ') : 'no columns';
}

function text(v: Value): string {
  return v === null ? '(null)' : chartText(v);
}

const NICE_BINS_US = [1, 5, 10, 30].map((s) => s * 1e6).concat([1, 2, 5, 10, 15, 30].map((m) => m * 60e6), [1, 2, 3, 6, 12].map((h) => h * 3600e6), [1, 2, 7, 30, 91, 365].map((d) => d * 86400e6));

/** A round bin size giving about TARGET_BINS bins over the data's extent. */
export function autoBin(times: readonly number[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of times) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  const ideal = Math.max(1, (hi - lo) / TARGET_BINS);
  return NICE_BINS_US.find((b) => b >= ideal) ?? NICE_BINS_US[NICE_BINS_US.length - 1];
}

export function describeSpan(us: number): string {
  if (us % 86400e6 === 0) return `${us / 86400e6} d`;
  if (us % 3600e6 === 0) return `${us / 3600e6} h`;
  if (us % 60e6 === 0) return `${us / 60e6} min`;
  if (us % 1e6 === 0) return `${us / 1e6} s`;
  return `${us / 1000} ms`;
}
