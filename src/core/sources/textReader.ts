/**
 * Plain text logs: one row per non-empty line, in a string column `line`. With a `time` spec the
 * stamp at the start of each line (for `clf`, the first `[...]`) becomes a `timestamp` column.
 */
import { Table, type Column, type ColumnSchema } from '../query/table';
import { NumberStore, StringStore } from './columnStores';
import { eachDecodedLine, eachMatchingLine, type LineCursor } from './lineIteration';
import { lineEvents, overlongReason, type FormatResult, type ReadContext } from './readContext';
import { TimeFieldPolicy } from './timeField';
import { localFoldWarning } from './timestamps';

export async function readText(files: readonly string[], ctx: ReadContext): Promise<FormatResult> {
  const time = ctx.spec.time ? new TimeFieldPolicy(ctx.spec, ctx.now, 'line') : null;
  if (ctx.spec.time && ctx.spec.time.field && ctx.spec.time.field !== 'line') {
    ctx.warnings.push(`time.field "${ctx.spec.time.field}" ignored: a text source has the one field "line"`);
  }
  const lines = new StringStore(true); // lines are slices of 64 KiB decoded chunks
  const stamps = time ? new NumberStore('datetime') : null;
  let failures = 0;
  let firstFailure = '';
  let repeated = 0;
  let skipped = 0;
  /** The file and line being read (line numbers are exact unless lines are skipped by a prefilter). */
  let reading: { readonly name: string; readonly cursor: LineCursor } | null = null;
  const max = ctx.spec.maxLineBytes;
  const addLine = (text: string) => {
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.length === 0) return;
    if (stamps && time) {
      const us = time.reader.readLineStart(text);
      if (Number.isNaN(us)) {
        if (failures++ === 0) firstFailure = `${reading && ctx.mustContain.length === 0 ? ` at ${reading.name}:${reading.cursor.lineNo}` : ''}: ${JSON.stringify(text.slice(0, 80))}`;
        stamps.pushNull();
      } else {
        stamps.push(us);
        if (time.reader.lastFold === 1) repeated++;
        else if (time.reader.lastFold === 2) skipped++;
      }
    }
    lines.push(text);
  };
  for (const file of files) {
    const name = ctx.displayName(file);
    const cursor: LineCursor = { lineNo: 0 };
    reading = { name, cursor };
    const overlong = (bytes: number) => ctx.malformed.add(name, cursor.lineNo, overlongReason(bytes, max));
    for await (const event of lineEvents(file, ctx)) {
      ctx.signal?.throwIfAborted();
      if (event.kind === 'overlong') {
        cursor.lineNo++;
        overlong(event.bytes);
      } else if (event.kind === 'truncated') ctx.warnings.push(`${name}: ${event.reason}`);
      else if (ctx.mustContain.length > 0) {
        const { buf } = event;
        eachMatchingLine(buf, event.start, event.end, ctx.mustContain, cursor, () => ctx.malformed.wantsSamples, (ls, le) => {
          if (le - ls > max) overlong(le - ls);
          else addLine(buf.toString('utf8', ls, le));
        });
      } else eachDecodedLine(event.buf, event.start, event.end, max, cursor, addLine, overlong);
    }
  }
  if (failures > 0) ctx.warnings.push(`${failures} line(s) have no readable timestamp at their start; their timestamp is null (first${firstFailure})`);
  const yearWarning = time?.yearWarning();
  if (yearWarning) ctx.warnings.push(yearWarning);
  const foldWarning = time ? localFoldWarning(time.reader.zoneName, 'timestamp', repeated, skipped) : null;
  if (foldWarning) ctx.warnings.push(foldWarning);
  const schema: ColumnSchema[] = [];
  const columns: Column[] = [];
  const keep = (name: string) => !ctx.fields || ctx.fields.has(name);
  if (stamps && keep('timestamp')) {
    schema.push({ name: 'timestamp', type: 'datetime' });
    columns.push(stamps.finish());
  }
  if (keep('line')) {
    schema.push({ name: 'line', type: 'string' });
    columns.push(lines.finish());
  }
  return { table: new Table(schema, columns, lines.length), timeField: stamps && keep('timestamp') ? 'timestamp' : null };
}
