/**
 * `timeline` cells: a chart of events over time from a query cell (by id) or an inline query, with
 * lanes, colours, tooltips, claim windows (shaded by verdict) and markers.
 *
 *   from: attacker-activity
 *   lane: session_id
 *   color: room_visibility
 *   tooltip: [room, action]
 *   claims: [official-scope]
 *   markers:
 *     - { at: 2026-06-09T02:14:00Z, label: token stolen }
 */
import { parse as parseYaml } from 'yaml';
import * as z from 'zod/mini';
import '../zodMessages'; // zod's English messages
import { ChartError, timelineSpec, type TimeWindow } from '../charts/timeline';
import { parseIsoInstant, parseTimespanText } from '../query/time';
import { DateTime } from '../query/values';
import { runQueryIn } from './queryCell';
import { NotebookError, type CellHandler } from './session';

const Instant = z.pipe(
  z.union([z.string(), z.date()]),
  z.transform((v: string | Date, ctx) => {
    const us = v instanceof Date ? v.getTime() * 1000 : parseIsoInstant(v);
    if (us === null || Number.isNaN(us)) {
      ctx.issues.push({ code: 'custom', message: `${JSON.stringify(v)} is not an ISO 8601 date-time such as 2026-06-09T02:14:00Z`, input: v });
      return z.NEVER;
    }
    return new DateTime(us);
  }),
);

export const TimelineSchema = z
  .strictObject({
    title: z.optional(z.string()),
    from: z.optional(z.string().check(z.regex(/^#?[A-Za-z][\w.-]*$/, { error: '`from:` names a query cell by id, e.g. attacker-activity' }))),
    query: z.optional(z.string().check(z.minLength(1))),
    time: z.optional(z.string()),
    lane: z.optional(z.string()),
    color: z.optional(z.string()),
    tooltip: z.optional(z.array(z.string())),
    bin: z.optional(z.string()),
    claims: z.optional(z.array(z.string())),
    windows: z.optional(z.array(z.strictObject({ from: Instant, to: Instant, label: z.string() }))),
    markers: z.optional(z.array(z.strictObject({ at: Instant, label: z.string() }))),
  })
  .check(z.refine((t) => (t.from === undefined) !== (t.query === undefined), { error: 'a timeline takes its events from exactly one of `from:` (a cell id) or `query:` (an inline query)' }));

export type TimelineInput = z.output<typeof TimelineSchema>;

export function parseTimelineCell(source: string): TimelineInput {
  let data: unknown;
  try {
    // Warnings (an unknown tag, say) are not errors, and must not reach the process's warning output.
    data = parseYaml(source, { uniqueKeys: true, logLevel: 'error' }) ?? {};
  } catch (e) {
    throw new NotebookError(`timeline: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = TimelineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    const message = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `\`${k}\``).join(', ')}; fields: title, from, query, time, lane, color, tooltip, bin, claims, windows, markers` : issue.message;
    throw new NotebookError(`timeline: ${where}${message}`);
  }
  return parsed.data;
}

export const runTimelineCell: CellHandler = async (cell, context) => {
  const options = parseTimelineCell(cell.source);
  let table;
  if (options.from !== undefined) {
    const id = options.from.replace(/^#/, '');
    table = await context.resolveTable(id, context.signal);
    if (!table) throw new NotebookError(`timeline: no cell #${id} above this timeline`, `Cells and sources available: ${context.tableNames().join(', ') || 'none'}.`);
    // As a query's tables are noted: the sources behind it, and a row limit that cut it.
    context.noteTablesUsed([id]);
  } else {
    const result = await runQueryIn(context, options.query!);
    if (!result.table) throw new NotebookError('timeline: the query returns no table');
    table = result.table;
  }
  let binUs: number | undefined;
  if (options.bin !== undefined) {
    const us = parseTimespanText(options.bin);
    if (us === null || us <= 0) throw new NotebookError(`timeline: bin ${JSON.stringify(options.bin)} is not a positive timespan such as 5m or 1h`);
    binUs = us;
  }
  const windows: TimeWindow[] = [...(options.windows ?? []).map((w) => ({ from: w.from, to: w.to, label: w.label }))];
  for (const claimId of options.claims ?? []) {
    const id = claimId.replace(/^#/, '');
    const claim = context.cellState(id)?.claim;
    if (!claim) throw new NotebookError(`timeline: claim #${id} has not run above this timeline`, 'Run the claim cell first (or Run All).');
    if (!claim.window) throw new NotebookError(`timeline: claim #${id} has no \`window:\` to draw`);
    windows.push({ ...claim.window, label: `${claim.statement} (${claim.verdict})`, name: `${claim.id ?? id}: ${claim.verdict}`, verdict: claim.verdict });
  }
  try {
    const build = timelineSpec(table, {
      ...(options.title ? { title: options.title } : {}),
      ...(options.time ? { time: options.time } : {}),
      ...(options.lane ? { lane: options.lane } : {}),
      ...(options.color ? { color: options.color } : {}),
      ...(options.tooltip ? { tooltip: options.tooltip } : {}),
      ...(binUs ? { binUs } : {}),
      windows,
      markers: options.markers ?? [],
    });
    return {
      result: { ok: true, outputs: [{ type: 'chart', spec: build.spec, ...(options.title ? { title: options.title } : {}), ...(build.note ? { note: build.note } : {}), marks: build.marks }], summary: `${build.marks.toLocaleString('en-US')} marks in ${build.lanes} lane${build.lanes === 1 ? '' : 's'}${build.note ? ` (${build.note})` : ''}`, warnings: [] },
      state: { ok: true },
    };
  } catch (e) {
    if (e instanceof ChartError) throw new NotebookError(`timeline: ${e.message}`);
    throw e;
  }
};
