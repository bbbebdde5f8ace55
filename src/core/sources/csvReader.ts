/**
 * CSV and TSV with a header row, parsed by csv-parse (quoting, embedded newlines). Cells are kept
 * as text while reading; each column's type is inferred at the end from its distinct values:
 * long, else real, else bool, else datetime (ISO 8601), else string; dynamic (all null) when it
 * has no values. Empty cells are null (strings: ""). Numbers with a leading zero (`007`) stay strings, as they are usually codes.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { columnFromValues, Table, type Column, type ColumnSchema } from '../query/table';
import { StringStore, withRoom } from './columnStores';
import { RAISE_MAX_COLUMNS, SourceLoadError } from './errors';
import { DateTime, type ScalarType, type Value } from '../query/values';
import { eachLine, type LineCursor } from './lineIteration';
import { lineEvents, overlongReason, type FormatResult, type ReadContext } from './readContext';
import { TIME_FIELD_CANDIDATES } from './spec';
import { TimeFieldPolicy } from './timeField';
import { localFoldWarning, readIsoText } from './timestamps';
import { resolveTimeZone, type LocalFold, type TimeZone } from './timezone';

/** Cells of one column as dictionary-encoded text, padded with "" for rows that lack it. */
class CellColumn {
  readonly store = new StringStore();
  set(row: number, text: string): void {
    this.padTo(row);
    this.store.push(text);
  }
  padTo(rows: number): void {
    for (let i = this.store.length; i < rows; i++) this.store.push('');
  }
}

/**
 * Where each row was read: the file it came from and its first line, so a value found bad only
 * once the whole source is read (a time) can be reported by line, as the other readers do.
 */
class RowOrigins {
  private lines = new Uint32Array(1024);
  private readonly files: { readonly firstRow: number; readonly name: string }[] = [];
  private rows = 0;
  startFile(name: string): void {
    this.files.push({ firstRow: this.rows, name });
  }
  add(line: number): void {
    this.lines = withRoom(this.lines, this.rows, this.rows + 1);
    this.lines[this.rows++] = line;
  }
  /** `file:line` of a row. */
  of(row: number): string {
    let f = this.files.length - 1;
    while (this.files[f].firstRow > row) f--;
    return `${this.files[f].name}:${this.lines[row]}`;
  }
}

export async function readCsv(files: readonly string[], ctx: ReadContext, delimiter: ',' | '\t'): Promise<FormatResult> {
  const columns = new Map<string, CellColumn>();
  let rowCount = 0;
  const origins = new RowOrigins();
  const literals = ctx.mustContain.map((b) => b.toString('utf8'));
  for (const file of files) {
    const name = ctx.displayName(file);
    origins.startFile(name);
    let header: string[] | null = null;
    let targets: CellColumn[] = [];
    // A quoted field that never closes would swallow the rest of the file: the line it opens on is
    // malformed, and the file is read again from the line after it (earlier lines blanked).
    let recovery: QuoteRecovery | null = null;
    const samplesBefore = ctx.malformed.samples.length;
    for (let pass = 0; ; pass++) {
      let unclosed = false;
      let lastLine: number = recovery?.blankThrough ?? 0;
      // csv-parse counts each \r in a field as a line too (so \r\n in a quoted field as two);
      // lines here are counted by \n, as everywhere else.
      let carriageReturns = 0;
      const parser = parse({
        delimiter,
        // Lines end in \r\n or \n, mixed in one file too (csv-parse would take the first line's
        // ending for the whole file: after a \r\n header, \n rows ran into one record).
        record_delimiter: ['\r\n', '\n'],
        // TSV has no quoting (text/tab-separated-values): a quote is text. With quoting, one field
        // that starts with a quote (a user agent, a message) would take the lines after it with it.
        quote: delimiter === '\t' ? false : '"',
        bom: true,
        relax_quotes: true,
        relax_column_count: true,
        skip_empty_lines: true,
        skip_records_with_error: true,
        info: true,
        raw: literals.length > 0,
        on_skip: (err) => {
          if (err && (err as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED') unclosed = true;
          else if (err) ctx.malformed.add(name, Number((err as { lines?: number }).lines ?? 0) - carriageReturns, err.message);
        },
      });
      const input = Readable.from(csvInput(file, ctx, name, recovery));
      input.on('error', (e) => parser.destroy(e));
      input.pipe(parser);
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number }; raw?: string }>) {
        const { record, info } = item;
        const breaks = lineBreaksIn(record);
        carriageReturns += breaks.carriageReturns;
        lastLine = info.lines - carriageReturns;
        const firstLine = lastLine - breaks.newlines;
        if (!header) {
          // Every column is kept (CSV is read whole): a header of 600,000 names took gigabytes.
          // The source's files together, as for JSON Lines: a glob of wide files adds up.
          if (record.length > ctx.spec.maxColumns) throw tooManyCsvColumns(ctx, `${name} has ${record.length} columns`);
          header = uniqueNames(record);
          const total = columns.size + header.filter((h) => !columns.has(h)).length;
          if (total > ctx.spec.maxColumns) throw tooManyCsvColumns(ctx, `its files up to ${name} have ${total} columns in all`);
          targets = header.map((h) => {
            let c = columns.get(h);
            if (!c) columns.set(h, (c = new CellColumn()));
            return c;
          });
          continue;
        }
        if (record.length !== header.length) {
          ctx.malformed.add(name, firstLine, `expected ${header.length} fields, got ${record.length}`);
          continue;
        }
        if (item.raw !== undefined && !literals.every((l) => item.raw!.includes(l))) continue;
        for (let i = 0; i < record.length; i++) targets[i].set(rowCount, record[i]);
        origins.add(firstLine);
        rowCount++;
      }
      // Read again, unless there is no line left to skip (a quote csv-parse saw open must be on one).
      if (!unclosed || (recovery && recovery.openedOn === undefined)) break;
      if (pass + 1 >= MAX_QUOTE_RECOVERIES) {
        ctx.warnings.push(`${name}: more than ${MAX_QUOTE_RECOVERIES} quoted fields never close; the rest of the file after line ${lastLine} was not read`);
        break;
      }
      recovery = { blankThrough: lastLine };
    }
    // Reads again find lines before those found already: the file's samples go in line order.
    if (recovery) ctx.malformed.samples.push(...ctx.malformed.samples.splice(samplesBefore).sort((a, b) => a.line - b.line));
  }
  return finishColumns(columns, rowCount, ctx, origins);
}

function tooManyCsvColumns(ctx: ReadContext, how: string): SourceLoadError {
  return new SourceLoadError(`source "${ctx.spec.name}": ${how}, more than maxColumns (${ctx.spec.maxColumns}), which is unusual for a log (it may be hostile). To read it, ${RAISE_MAX_COLUMNS}.`);
}

/** The \n and \r characters in a record's fields (quoted line breaks). */
function lineBreaksIn(record: readonly string[]): { newlines: number; carriageReturns: number } {
  let newlines = 0;
  let carriageReturns = 0;
  for (const field of record) {
    for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) newlines++;
    for (let at = field.indexOf('\r'); at >= 0; at = field.indexOf('\r', at + 1)) carriageReturns++;
  }
  return { newlines, carriageReturns };
}

/** Times a file is read again after a quoted field that never closes (each read starts further on). */
const MAX_QUOTE_RECOVERIES = 20;

/**
 * A read again after a quoted field that never closed: lines through `blankThrough` were read
 * before, and the first line after them that is not blank is where the field opened (`openedOn`,
 * set when the read meets it).
 */
interface QuoteRecovery {
  readonly blankThrough: number;
  openedOn?: number;
}

const LF = Buffer.from('\n');

/**
 * The file's bytes for csv-parse, with overlong lines replaced by empty ones (and reported). Read
 * again (`recovery`), the lines read before and the one an unclosed quote opens on are empty too,
 * and nothing is reported twice; line numbers stay the same.
 */
async function* csvInput(file: string, ctx: ReadContext, name: string, recovery: QuoteRecovery | null): AsyncGenerator<Buffer> {
  const cursor: LineCursor = { lineNo: 0 };
  const max = ctx.spec.maxLineBytes;
  for await (const event of lineEvents(file, ctx)) {
    ctx.signal?.throwIfAborted();
    if (event.kind === 'truncated') {
      if (!recovery) ctx.warnings.push(`${name}: ${event.reason}`);
    } else if (event.kind === 'overlong') {
      cursor.lineNo++;
      if (!recovery) ctx.malformed.add(name, cursor.lineNo, overlongReason(event.bytes, max));
      yield LF;
    } else {
      const parts: Buffer[] = [];
      let from = event.start;
      const { buf } = event;
      eachLine(buf, event.start, event.end, cursor, (ls, le) => {
        const overlong = le - ls > max;
        let blank = false;
        if (recovery && cursor.lineNo <= recovery.blankThrough) blank = true;
        else if (recovery && recovery.openedOn === undefined && !overlong && le - ls > (buf[le - 1] === 13 ? 1 : 0)) {
          blank = true;
          recovery.openedOn = cursor.lineNo;
          ctx.malformed.add(name, cursor.lineNo, 'a quoted field opens on this line and is never closed');
        }
        if (!blank && !overlong) return;
        parts.push(Buffer.from(buf.subarray(from, ls)), LF);
        if (overlong && !recovery) ctx.malformed.add(name, cursor.lineNo, overlongReason(le - ls, max));
        from = Math.min(le + 1, event.end);
      });
      parts.push(Buffer.from(event.buf.subarray(from, event.end))); // copied: the region's buffer is reused
      yield Buffer.concat(parts);
    }
  }
}

function uniqueNames(header: readonly string[]): string[] {
  // Each name the header gives keeps it (its first time), so a repeated or blank name's new name
  // cannot take another column's: `id,id,id_1` is id, id_2, id_1.
  const seen = new Set<string>();
  const kept = header.map((raw) => {
    const name = raw.trim();
    if (name === '' || seen.has(name)) return false;
    seen.add(name);
    return true;
  });
  // The next suffix to try per name: a header of 40,000 equal names took minutes trying each from 1.
  const nextSuffix = new Map<string, number>();
  return header.map((raw, i) => {
    if (kept[i]) return raw.trim();
    const base = raw.trim() || `column${i + 1}`;
    let name = base;
    let n = nextSuffix.get(base) ?? 1;
    for (; seen.has(name); n++) name = `${base}_${n}`;
    nextSuffix.set(base, n);
    seen.add(name);
    return name;
  });
}

const LONG_TEXT = /^[+-]?(?:0|[1-9]\d*)$/;
const REAL_TEXT = /^[+-]?(?:0|[1-9]\d*)?(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function readLong(s: string): bigint | undefined {
  if (!LONG_TEXT.test(s)) return undefined;
  const v = BigInt(s);
  return v > INT64_MAX || v < INT64_MIN ? undefined : v;
}

function readReal(s: string): number | undefined {
  if (!REAL_TEXT.test(s) || !/\d/.test(s)) return undefined;
  if (/^[+-]?0\d/.test(s)) return undefined;
  const n = Number(s);
  // Integers a double cannot hold exactly stay text rather than silently rounding.
  if (LONG_TEXT.test(s) && !Number.isSafeInteger(n)) return undefined;
  return Number.isFinite(n) ? n : undefined;
}

function readBool(s: string): boolean | undefined {
  const l = s.toLowerCase();
  return l === 'true' ? true : l === 'false' ? false : undefined;
}

function readIso(zone: TimeZone): (s: string) => DateTime | undefined {
  return (s) => {
    const us = readIsoText(s, zone);
    return Number.isNaN(us) ? undefined : new DateTime(us);
  };
}

type CellReader = (s: string) => Value | undefined;

/**
 * Warnings about the time field's values: those not empty and not times (how many, and where the
 * first is), and those the zone's clock changes made ambiguous (`folds`, by dictionary code).
 */
function reportTimeReading(name: string, text: { dict: readonly string[]; code: (row: number) => number }, values: readonly Value[], folds: readonly LocalFold[], origins: RowOrigins, zone: string, ctx: ReadContext): void {
  let failures = 0;
  let first = -1;
  const byFold = [0, 0, 0];
  for (let r = 0; r < values.length; r++) {
    const code = text.code(r);
    byFold[folds[code]]++;
    if (values[r] !== null || text.dict[code] === '') continue;
    failures++;
    if (first < 0) first = r;
  }
  if (failures) ctx.warnings.push(`${failures} value(s) of time field "${name}" could not be read as times and are null (first at ${origins.of(first)}: ${JSON.stringify(text.dict[text.code(first)].slice(0, 80))})`);
  const foldWarning = localFoldWarning(zone, name, byFold[1], byFold[2]);
  if (foldWarning) ctx.warnings.push(foldWarning);
}

/**
 * The first type every non-empty value reads as. A column without any (a header-only file, a
 * column left empty) is dynamic and null, as a JSON field without values is: typed long, every
 * comparison with text (`where user == "x"`) was an error.
 */
function inferType(distinct: readonly string[], readers: readonly [ScalarType, CellReader][]): [ScalarType, CellReader] | null {
  if (distinct.every((s) => s === '')) return NO_VALUES;
  for (const candidate of readers) if (distinct.every((s) => s === '' || candidate[1](s) !== undefined)) return candidate;
  return null;
}
const NO_VALUES: [ScalarType, CellReader] = ['dynamic', () => undefined];

function finishColumns(cells: Map<string, CellColumn>, rowCount: number, ctx: ReadContext, origins: RowOrigins): FormatResult {
  const time = new TimeFieldPolicy(ctx.spec, ctx.now);
  const zone = resolveTimeZone(ctx.spec.timezone);
  const timeReader: CellReader = (s) => {
    const us = time.reader.readValue(s);
    return Number.isNaN(us) ? undefined : new DateTime(us);
  };
  const readers: [ScalarType, CellReader][] = [
    ['long', readLong],
    ['real', readReal],
    ['bool', readBool],
    ['datetime', readIso(zone)],
  ];
  const texts = new Map<string, { dict: readonly string[]; code: (row: number) => number; column: () => Column }>();
  for (const [name, cell] of cells) {
    cell.padTo(rowCount);
    const store = cell.store;
    texts.set(name, { dict: store.dictionary, code: (r) => store.code(r), column: () => store.finish() });
  }
  // The time field: the declared one, else the first candidate whose every value reads as a time.
  let timeField: string | null = null;
  if (time.field !== null) timeField = cells.has(time.field) ? time.field : null;
  else if (time.undecided) {
    // Every non-empty value reads as a time, and at least one surely is one (not only small epochs).
    const isTimeColumn = (dict: readonly string[]) => {
      const judged = dict.filter((s) => s !== '').map((s) => time.judgeCandidateValue(s));
      return judged.includes('time') && !judged.includes('not');
    };
    timeField = TIME_FIELD_CANDIDATES.find((c) => texts.has(c) && isTimeColumn(texts.get(c)!.dict)) ?? null;
  }
  if (ctx.spec.time && ctx.spec.time.field && timeField === null) ctx.warnings.push(`time field "${ctx.spec.time.field}" is not a column`);

  const schema: ColumnSchema[] = [];
  const columns: Column[] = [];
  for (const [name, text] of texts) {
    if (ctx.fields && !ctx.fields.has(name)) continue;
    const chosen: [ScalarType, CellReader] | null = name === timeField ? ['datetime', timeReader] : inferType(text.dict, readers);
    if (!chosen) {
      schema.push({ name, type: 'string' });
      columns.push(text.column());
      continue;
    }
    const [type, reader] = chosen;
    // For the time field, where each distinct value lay on the zone's clock (see LocalFold).
    const folds: LocalFold[] | null = name === timeField ? new Array<LocalFold>(text.dict.length).fill(0) : null;
    const parsed = text.dict.map((s, i) => {
      if (s === '') return null;
      const v = reader(s) ?? null;
      if (folds) folds[i] = time.reader.lastFold;
      return v;
    });
    const values = new Array<Value>(rowCount);
    for (let r = 0; r < rowCount; r++) values[r] = parsed[text.code(r)];
    if (folds) reportTimeReading(name, text, values, folds, origins, time.reader.zoneName, ctx);
    schema.push({ name, type });
    columns.push(columnFromValues(type, values));
  }
  const yearWarning = time.yearWarning();
  if (yearWarning) ctx.warnings.push(yearWarning);
  return { table: new Table(schema, columns, rowCount), timeField: timeField !== null && schema.some((c) => c.name === timeField) ? timeField : null };
}
