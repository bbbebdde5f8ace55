/**
 * JSON Lines: one JSON object per line, read from line-aligned regions by the byte scanner, which
 * extracts the wanted top-level fields (`fields`; without them, every field, learnt as lines bring
 * new keys) and leaves to `JSON.parse` the lines it does not handle itself. With `mustContain`,
 * only lines whose raw bytes contain the literals are read. `parseEveryLine` puts every line
 * through `JSON.parse`: the reference the scanner is tested against.
 */
import type { Table } from '../query/table';
import type { Value } from '../query/values';
import type { TimeReadReport } from './columns';
import { JsonFieldScanner, ScanResult } from './jsonScanner';
import { JsonTableBuilder } from './jsonTable';
import { isBlank, JsonDepthError, jsonToValue, lastConversionProblem, nestsDeeperThan, parseJsonExact } from './jsonValues';
import { eachDecodedLine, eachMatchingLine, type LineCursor } from './lineIteration';
import { MAX_JSON_DEPTH } from './limits';
import { isGzipFile, lineStartAtOrAfter } from './lineRegions';
import { columnLimit, lineEvents, overlongReason, type FormatResult, type ReadContext } from './readContext';
import { MalformedLog, resolveLineNumbers } from './malformed';
import { TimeFieldPolicy } from './timeField';
import { localFoldWarning } from './timestamps';
import { allocateReadBuffer } from './wasmScan';
import { writeTemplateRun } from './templateRuns';

let batchReading = true;

/** Turns reading lines in batches (see JsonFieldScanner.matchBatch) on or off; tests compare both. */
export function setBatchReading(on: boolean): void {
  batchReading = on;
}

/** One unit of reading: a whole file, or a line-aligned byte range of a plain file. */
export interface JsonlTask {
  readonly file: string;
  readonly range?: { readonly start: number; readonly end: number };
  /** Stop after about this many bytes (a sample of a file that cannot be entered elsewhere). */
  readonly sampleHead?: number;
  /**
   * A table that holds several ranges (a thread's running table): the bytes of lines it is
   * expected to hold in all, so its columns are sized once for all of them.
   */
  readonly expectBytes?: number;
}

export interface TaskOutcome {
  /** Lines in the task (exact unless a prefilter skipped counting; see ReadContext). */
  readonly lines: number;
}

/** Reads tasks in order into one builder (shared time policy, columns, malformed log); `stop` is checked between regions. */
export async function readJsonlTasks(tasks: readonly JsonlTask[], ctx: ReadContext, builder: JsonTableBuilder, stop?: () => boolean): Promise<TaskOutcome[]> {
  const lines = new JsonLineReader(builder, ctx);
  const outcomes: TaskOutcome[] = [];
  for (const task of tasks) {
    const name = ctx.displayName(task.file);
    const cursor: LineCursor = { lineNo: 0 };
    let seen = 0;
    const head = task.sampleHead;
    const taskCtx: ReadContext = head === undefined ? ctx : { ...ctx, onDiskBytes: (n) => ((seen += n), ctx.onDiskBytes(n)) };
    // The scanner reads bytes: in WebAssembly memory, its loops run as WebAssembly.
    // A range's row count is estimated from its first region, so columns are sized once.
    let sized = task.range === undefined;
    for await (const event of lineEvents(task.file, taskCtx, task.range, ctx.parseEveryLine ? undefined : allocateReadBuffer)) {
      ctx.signal?.throwIfAborted();
      if (event.kind === 'overlong') {
        cursor.lineNo++;
        // Behind a prefilter, lines of plain files are not counted: the line is known by offset.
        if (ctx.mustContain.length > 0 && event.offset !== undefined) ctx.malformed.addAt(name, task.file, event.offset, overlongReason(event.bytes, ctx.spec.maxLineBytes));
        else ctx.malformed.add(name, cursor.lineNo, overlongReason(event.bytes, ctx.spec.maxLineBytes));
      } else if (event.kind === 'truncated') {
        ctx.warnings.push(`${name}: ${event.reason}`);
      } else {
        const rowsBefore = builder.rowCount;
        lines.region(event.buf, event.start, event.end, name, cursor, task.file, event.offset);
        if (!sized && task.range) {
          sized = true;
          const rows = builder.rowCount - rowsBefore, bytes = event.end - event.start;
          if (rows > 0 && bytes > 0) {
            const perByte = rows / bytes;
            builder.expectRows(Math.ceil(Math.max(rowsBefore + (task.range.end - task.range.start) * perByte, (task.expectBytes ?? 0) * perByte)));
          }
        }
      }
      if (stop?.() || (head !== undefined && seen >= head)) break;
    }
    outcomes.push({ lines: cursor.lineNo });
  }
  lines.release();
  return outcomes;
}

export async function readJsonl(files: readonly string[], ctx: ReadContext): Promise<FormatResult> {
  const time = new TimeFieldPolicy(ctx.spec, ctx.now);
  const builder = new JsonTableBuilder(time, ctx.fieldPaths, columnLimit(ctx));
  await readJsonlTasks(files.map((file) => ({ file })), ctx, builder);
  await resolveLineNumbers(ctx.malformed.samples, ctx.signal);
  await resolveLineNumbers(ctx.timeFailures.samples, ctx.signal);
  const { table, timeColumn } = builder.finish(ctx.fields);
  return finishJsonl(table, time, timeColumn, ctx);
}

/** Pieces a sample is read in (spread evenly over the plain files' bytes). */
const SAMPLE_PIECES = 8;

/**
 * A sample of the source: about `sampleBytes` read in line-aligned pieces spread evenly over the
 * files (a gzip file, which cannot be entered in the middle, from its start). Only for learning
 * which columns and types the data has.
 */
export async function readJsonlSample(files: readonly { path: string; size: number }[], ctx: ReadContext, sampleBytes: number): Promise<FormatResult> {
  const time = new TimeFieldPolicy(ctx.spec, ctx.now);
  const builder = new JsonTableBuilder(time, undefined, columnLimit(ctx));
  const total = files.reduce((a, f) => a + f.size, 0);
  const piece = Math.max(4096, Math.ceil(sampleBytes / SAMPLE_PIECES));
  const tasks: JsonlTask[] = [];
  const stride = Math.max(piece, Math.floor(total / SAMPLE_PIECES));
  let base = 0;
  for (const f of files) {
    if (f.size === 0) continue;
    if (total <= sampleBytes) tasks.push({ file: f.path });
    else if (await isGzipFile(f.path)) {
      if (base === 0) tasks.push({ file: f.path, sampleHead: sampleBytes });
    } else {
      for (let at = Math.ceil(base / stride) * stride - base; at < f.size; at += stride) {
        const start = await lineStartAtOrAfter(f.path, at, f.size);
        if (start >= f.size) break; // no line starts after `at`, so none after the later points either
        const end = await lineStartAtOrAfter(f.path, Math.min(f.size, start + piece), f.size);
        if (end > start && !(tasks.length && tasks[tasks.length - 1].file === f.path && tasks[tasks.length - 1].range!.end > start)) tasks.push({ file: f.path, range: { start, end } });
      }
    }
    base += f.size;
  }
  // Line numbers in pieces are not the file's: a sample says only what failed, not where.
  const sampleCtx: ReadContext = { ...ctx, timeFailures: new MalformedLog() };
  await readJsonlTasks(tasks, sampleCtx, builder);
  const { table, timeColumn } = builder.finish(ctx.fields);
  return finishJsonl(table, time, timeColumn, ctx);
}

/** Warnings about the time field, and which column holds it. */
export function finishJsonl(table: Table, time: TimeFieldPolicy, timeColumn: TimeReadReport | null, ctx: ReadContext): FormatResult {
  if (timeColumn && timeColumn.failures > 0) {
    const at = ctx.timeFailures.samples[0];
    ctx.warnings.push(`${timeColumn.failures} value(s) of time field "${time.field}" could not be read as times and are null (first${at ? ` at ${at.file}:${at.line}` : ''}: ${JSON.stringify(timeColumn.firstFailure)})`);
  }
  const explicitField = ctx.spec.time ? ctx.spec.time.field : undefined;
  if (explicitField && !timeColumn && (!ctx.fields || ctx.fields.has(explicitField))) ctx.warnings.push(`time field "${explicitField}" does not occur in any row`);
  const yearWarning = time.yearWarning();
  if (yearWarning) ctx.warnings.push(yearWarning);
  // Only when every row's time was read: a load that leaves the field out reads it in one row.
  const readAll = time.field !== null && (!ctx.fields || ctx.fields.has(time.field));
  const foldWarning = timeColumn && readAll ? localFoldWarning(time.reader.zoneName, time.field!, timeColumn.repeated, timeColumn.skipped) : null;
  if (foldWarning) ctx.warnings.push(foldWarning);
  const timeField = timeColumn && time.field !== null && table.columnIndex(time.field) >= 0 ? time.field : null;
  return { table, timeField };
}

/**
 * Scanners of reads finished on this thread, for the next to take over: a thread reads its ranges
 * one after another, and a scanner taken over keeps the line templates it learnt, where a new one
 * for each range learnt them again and ran its first lines slower while V8 reoptimized (see
 * bench/README.md). The last one left is taken first, as the read buffers are (lineRegions.ts),
 * so a scanner usually meets the buffer that holds its templates.
 */
const spareScanners: JsonFieldScanner[] = [];
/** Lines longer than this are checked for depth before JSON.parse builds them (1 MiB of text). */
const DEPTH_CHECK_MIN_CHARS = 1024 * 1024;
const MAX_SPARE_SCANNERS = 4;
/**
 * Reading every field, the scanner stops wanting more than this many (the read goes on through
 * JSON.parse): it matches a key against the wanted ones of its length byte by byte, and line
 * templates hold at most 48 values, so on wide logs (hundreds of fields) it was several times
 * slower than JSON.parse.
 */
const MAX_LEARNT_FIELDS = 48;

class JsonLineReader {
  /** Set while a line known only by its file offset is read (see `region`). */
  private atPath: string | null = null;
  private atOffset = 0;
  private readonly keys: string[] = [];
  private readonly values: Value[] = [];
  private readonly scanner: JsonFieldScanner | null;
  private released = false;
  private scannerVersion = -1;
  /**
   * What the line loop reads of the context, copied: each task's context is a new object, whose
   * hidden class V8 may see change from task to task, and the optimized loop would be thrown away
   * each time it did if it read these through the context.
   */
  private readonly maxLineBytes: number;
  /** The fields to read: those asked for, or (reading every field) those met so far. */
  private readonly fields: ReadonlySet<string>;
  /** Every field is read (no `fields` asked for): the fields met so far, which grow as lines bring new keys. */
  private readonly learnt: Set<string> | null;
  private readonly discover: boolean;
  private fieldsWanted = -1;
  /** Lines go through the scanner (else through JSON.parse: see parseEveryLine, MAX_LEARNT_FIELDS). */
  private scanning: boolean;
  private readonly fieldPaths: ReadContext['fieldPaths'];

  constructor(
    private readonly builder: JsonTableBuilder,
    private readonly ctx: ReadContext,
  ) {
    this.maxLineBytes = ctx.spec.maxLineBytes;
    this.discover = ctx.fields === undefined;
    this.learnt = ctx.fields === undefined ? new Set() : null;
    this.fields = ctx.fields ?? this.learnt!;
    this.fieldPaths = ctx.fieldPaths;
    this.scanner = ctx.parseEveryLine ? null : (spareScanners.pop() ?? new JsonFieldScanner());
    this.scanning = this.scanner !== null;
    // Written once more so that V8 knows the field changes (see JsonFieldScanner's constructor).
    this.released = false;
  }

  /** Leaves the scanner to the next read on this thread; this reader reads no more. */
  release(): void {
    // The field stays set (a field that turned null would send the code that reads it back to
    // the interpreter); a flag keeps a second call from leaving the scanner twice.
    if (this.scanner === null || this.released || spareScanners.length >= MAX_SPARE_SCANNERS) return;
    this.released = true;
    this.scanner.park();
    spareScanners.push(this.scanner);
  }

  /**
   * `path` and `offset` (the file offset of `start`, plain files only): behind a prefilter such a
   * region's skipped lines are not counted; malformed lines are recorded by offset instead and
   * numbered when the read is done (see `resolveLineNumbers`).
   */
  region(buf: Buffer, start: number, end: number, file: string, cursor: LineCursor, path?: string, offset?: number): void {
    const { ctx } = this;
    const max = ctx.spec.maxLineBytes;
    const byOffset = path !== undefined && offset !== undefined;
    const onLine = (ls: number, le: number) => {
      if (byOffset) {
        this.atPath = path;
        this.atOffset = offset + (ls - start);
      }
      if (le - ls > max) this.bad(file, cursor.lineNo, overlongReason(le - ls, max));
      else if (this.scanning) this.scanLine(buf, ls, le, file, cursor.lineNo);
      else this.parseText(buf.toString('utf8', ls, le), file, cursor.lineNo);
      this.atPath = null;
    };
    if (ctx.mustContain.length > 0) eachMatchingLine(buf, start, end, ctx.mustContain, cursor, byOffset ? () => false : () => ctx.exactLineNumbers || ctx.malformed.wantsSamples || ctx.timeFailures.samples.length === 0, onLine, ctx.keepEscapedLines);
    else if (this.scanning) this.scanRegion(buf, start, end, file, cursor);
    else this.parseRegion(buf, start, end, file, cursor);
  }

  /** Every line of a region through JSON.parse, decoded in slices. */
  private parseRegion(buf: Buffer, start: number, end: number, file: string, cursor: LineCursor): void {
    const max = this.maxLineBytes;
    eachDecodedLine(buf, start, end, max, cursor, (text) => this.parseText(text, file, cursor.lineNo), (bytes) => this.ctx.malformed.add(file, cursor.lineNo, overlongReason(bytes, max)));
  }

  /** Keeps the scanner's wanted fields in step with the time policy (candidates until it decides). */
  private refreshScanner(): JsonFieldScanner {
    const scanner = this.scanner!;
    const time = this.builder.time;
    if (this.scannerVersion !== time.version || this.fieldsWanted !== this.fields.size) {
      this.scannerVersion = time.version;
      this.fieldsWanted = this.fields.size;
      const fields = this.fields;
      // Once decided, the time field is read only when asked for.
      const extra = time.field === null ? time.candidates : [];
      scanner.setWanted([...fields, ...extra], time.field, time.field !== null && time.readsIsoText, this.fieldPaths, time.field === null ? new Set(time.candidates) : undefined, this.discover);
    }
    return scanner;
  }

  /** Every line of a region through the scanner, which finds the line ends itself. */
  private scanRegion(buf: Buffer, start: number, end: number, file: string, cursor: LineCursor): void {
    let ls = start;
    while (ls < end) {
      // Too many fields learnt (see MAX_LEARNT_FIELDS): the rest through JSON.parse.
      if (!this.scanning) return this.parseRegion(buf, ls, end, file, cursor);
      const scanner = this.refreshScanner();
      const matched = batchReading ? scanner.matchBatch(buf, ls, end) : 0;
      if (matched > 0) {
        ls = this.readBatch(scanner, matched, buf, ls, file, cursor);
        continue;
      }
      const result = scanner.scanLine(buf, ls, end);
      const le = scanner.lineEnd;
      this.lineScanned(result, buf, ls, le, file, cursor);
      ls = le + 1;
    }
  }

  /**
   * Reads the `lines` lines the scanner matched as a batch from `ls` on (see matchBatch): runs of
   * them column by column where the table allows (see templateRuns.ts), the others one by one as
   * scanRegion reads a line. Returns where the next line starts: after the batch, or after a line
   * that changed the fields the scanner reads (the time field was decided), since the batch's
   * templates went with the old ones.
   */
  private readBatch(scanner: JsonFieldScanner, lines: number, buf: Buffer, ls: number, file: string, cursor: LineCursor): number {
    const max = this.maxLineBytes, builder = this.builder, version = this.scannerVersion, wanted = this.fieldsWanted;
    for (let k = 0; k < lines; ) {
      const r = scanner.runEnd(k, lines, ls, max);
      const columns = r > k ? builder.templateColumns(scanner.run!) : null;
      if (columns !== null) {
        writeTemplateRun(scanner.batch, scanner.run!, columns, k, r, builder.rowCount);
        builder.addedRows(r - k);
        scanner.wroteRun(r - k);
        cursor.lineNo += r - k;
        ls = scanner.batchLineEnd(r - 1) + 1;
        k = r;
        continue;
      }
      for (const stop = Math.max(r, k + 1); k < stop; k++) {
        const result = scanner.batchRow(k);
        const le = scanner.lineEnd;
        this.lineScanned(result, buf, ls, le, file, cursor);
        ls = le + 1;
        if (builder.time.version !== version || this.fields.size !== wanted || !this.scanning) {
          scanner.endBatch(k + 1);
          return ls;
        }
      }
    }
    scanner.endBatch(lines);
    return ls;
  }

  /** The next line of a region, [ls, le), scanned with `result`: counted, then added, or recorded as too long. */
  private lineScanned(result: ScanResult, buf: Buffer, ls: number, le: number, file: string, cursor: LineCursor): void {
    cursor.lineNo++;
    if (le - ls > this.maxLineBytes) this.ctx.malformed.add(file, cursor.lineNo, overlongReason(le - ls, this.maxLineBytes));
    else this.scanned(result, buf, ls, le, file, cursor.lineNo);
  }

  private scanLine(buf: Buffer, ls: number, le: number, file: string, lineNo: number): void {
    this.scanned(this.refreshScanner().scanLine(buf, ls, le), buf, ls, le, file, lineNo);
  }

  /** Adds the line [ls, le) the scanner has just scanned, as its result says. */
  private scanned(result: ScanResult, buf: Buffer, ls: number, le: number, file: string, lineNo: number): void {
    if (result === ScanResult.Row) {
      const scanner = this.scanner!;
      this.builder.addRow(scanner.keys, scanner.values, scanner.count, scanner.time);
      if (this.builder.timeFailurePending) this.timeFailed(file, lineNo);
    } else if (result === ScanResult.Fallback) this.parseText(buf.toString('utf8', ls, le), file, lineNo);
    else if (result === ScanResult.NewKey) this.withNewKeys(buf, ls, le, file, lineNo);
  }

  /**
   * Reading every field, the line [ls, le) has keys not met before: they are learnt (from the line
   * parsed once) and the line is scanned again. A line the scanner cannot read goes to JSON.parse,
   * and so does the rest of the read once it has learnt too many fields (MAX_LEARNT_FIELDS).
   */
  private withNewKeys(buf: Buffer, ls: number, le: number, file: string, lineNo: number): void {
    const text = buf.toString('utf8', ls, le);
    const keys = this.keysOf(text);
    if (keys !== null) {
      for (const key of keys) this.learnt!.add(key);
      this.scanning = this.learnt!.size <= MAX_LEARNT_FIELDS;
      if (this.scanning && this.refreshScanner().scanLine(buf, ls, le) === ScanResult.Row) return this.scanned(ScanResult.Row, buf, ls, le, file, lineNo);
    }
    this.parseText(text, file, lineNo);
  }

  /** The top-level keys of a line that is one JSON object, or null. */
  private keysOf(text: string): string[] | null {
    if (text.length > DEPTH_CHECK_MIN_CHARS && nestsDeeperThan(text, MAX_JSON_DEPTH)) return null;
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : null;
    } catch {
      return null;
    }
  }

  /** Records a malformed line: by number, or by offset while the line number is not known. */
  private bad(file: string, lineNo: number, reason: string): void {
    if (this.atPath !== null) this.ctx.malformed.addAt(file, this.atPath, this.atOffset, reason);
    else this.ctx.malformed.add(file, lineNo, reason);
  }

  /** Notes where the time column's first unreadable value is, as `bad` notes a line. */
  private timeFailed(file: string, lineNo: number): void {
    this.builder.timeFailurePending = false;
    if (this.atPath !== null) this.ctx.timeFailures.addAt(file, this.atPath, this.atOffset, '');
    else this.ctx.timeFailures.add(file, lineNo, '');
  }

  /** The reference path: JSON.parse, then conversion of every value (exact re-parse if needed). */
  parseText(text: string, file: string, lineNo: number): void {
    if (isBlank(text)) return;
    // A long line is checked for depth before it is built (shorter ones cannot nest to cost much).
    if (text.length > DEPTH_CHECK_MIN_CHARS && nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      this.bad(file, lineNo, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      this.bad(file, lineNo, `invalid JSON: ${(e as Error).message}`);
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      this.bad(file, lineNo, `not a JSON object (a line must hold one {...})`);
      return;
    }
    const obj = parsed as Record<string, unknown>;
    const timeField = this.builder.time.field;
    let n = 0;
    for (const key in obj) {
      const raw = obj[key];
      // Time values go to the time reader as doubles; a bigint would only be converted back.
      const v = key === timeField && typeof raw === 'number' ? raw : jsonToValue(raw, 2);
      if (v === undefined) {
        if (lastConversionProblem() === 'too-deep') this.bad(file, lineNo, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
        else this.parseExact(text, file, lineNo);
        return;
      }
      this.keys[n] = key;
      this.values[n++] = v;
    }
    this.addRow(n, file, lineNo);
  }

  private parseExact(text: string, file: string, lineNo: number): void {
    let obj: Record<string, Value>;
    try {
      obj = parseJsonExact(text) as Record<string, Value>;
    } catch (e) {
      this.bad(file, lineNo, e instanceof JsonDepthError ? e.message : `invalid JSON: ${(e as Error).message}`);
      return;
    }
    let n = 0;
    for (const key in obj) {
      this.keys[n] = key;
      this.values[n++] = obj[key];
    }
    this.addRow(n, file, lineNo);
  }

  /** Adds the parsed row; in a projected read only the wanted keys are kept, reading every field its keys are learnt. */
  private addRow(n: number, file: string, lineNo: number): void {
    if (this.learnt !== null) {
      for (let i = 0; i < n; i++) this.learnt.add(this.keys[i]);
      this.scanning &&= this.learnt.size <= MAX_LEARNT_FIELDS;
    } else {
      const wanted = this.fields;
      const time = this.builder.time;
      const timeFields = time.field === null ? time.candidates : [];
      let m = 0;
      for (let i = 0; i < n; i++) {
        const key = this.keys[i];
        if (wanted.has(key) || timeFields.includes(key)) {
          this.keys[m] = key;
          this.values[m++] = this.values[i];
        }
      }
      n = m;
    }
    this.builder.addRow(this.keys, this.values, n);
    if (this.builder.timeFailurePending) this.timeFailed(file, lineNo);
  }
}
