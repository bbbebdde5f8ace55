/** `casebook query --source NAME=PATH|NAME={settings} ... 'KQL' [--format table|json|jsonl|csv]` */
import { csvLine } from '../../core/output/csv';
import { formatValue, rowJsonWriter } from '../../core/output/values';
import { parseQuery, QueryRuntimeError, QuerySyntaxError, runQuery } from '../../core/query';
import { isStringTooLong, STRING_TOO_LONG } from '../../core/query/errors';
import { Scope } from '../../core/query/scope';
import type { Table } from '../../core/query/table';
import { DateTime } from '../../core/query/values';
import { isSourceFileError, sourcesProvider } from '../../core/notebook/sourceProvider';
import { FileError, parse, UsageError } from '../args';
import { sourceArguments, unclosedSettingsHint } from '../sourceArguments';
import { Progress, renderTextTable, safeText } from '../terminal';

const FORMATS = ['table', 'json', 'jsonl', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export async function queryCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      source: { type: 'string', multiple: true, default: [] },
      format: { type: 'string', default: 'table' },
      'max-rows': { type: 'string', default: '100' },
    },
    { min: 1, max: 1, names: "one query: casebook query --source NAME=PATH 'KQL'" },
  );
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const maxRows = Number(values['max-rows']);
  if (!/^\d+$/.test(String(values['max-rows'])) || maxRows < 1) throw new UsageError(`--max-rows takes a whole number of rows (1 or more), got ${JSON.stringify(values['max-rows'])}`);
  const sources = sourcesProvider(sourceArguments(values.source ?? []), process.cwd());
  const text = positionals[0];
  const progress = new Progress();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const warn = (w: string) => {
    progress.clear();
    process.stderr.write(`warning: ${safeText(w)}\n`);
  };
  const report = (m: string) => progress.show(m);
  let table: Table | undefined;
  try {
    const ast = parseQuery(text);
    if (ast.statements.length === 0 && !ast.query) throw new UsageError('the query is empty');
    const result = await runQuery(
      ast,
      {
        resolveTable: (name, signal, request) => sources.load(name, { signal, progress: report, warn, request }),
        // One query per run, so a source read for an aggregation is not kept: the reader threads
        // aggregate what they read instead of sending their rows back.
        aggregateTable: (name, plan, signal, request) => sources.aggregate(name, plan, { signal, progress: report, warn, request }),
        tableNames: () => sources.names(),
        sourceColumns: async (name, signal) => sources.columns?.(name, signal),
        scope: Scope.empty,
        now: DateTime.fromMillis(Date.now()),
      },
      controller.signal,
    );
    progress.clear();
    for (const w of result.warnings) process.stderr.write(`warning: ${safeText(w)}\n`);
    table = result.table;
  } catch (e) {
    progress.clear();
    if (e instanceof UsageError) throw e;
    if (isSourceFileError(e)) throw new FileError(e.message + unclosedSettingsHint(values.source ?? [], e));
    if (e instanceof QuerySyntaxError) {
      process.stderr.write(`error: ${e.format(text).split('\n').map(safeText).join('\n')}\n`);
      return 1;
    }
    if (e instanceof QueryRuntimeError) {
      process.stderr.write(`error: ${e.format().split('\n').map(safeText).join('\n')}\n`);
      return 1;
    }
    if (e instanceof Error && e.name === 'AbortError') {
      process.stderr.write('cancelled\n');
      return 1;
    }
    // Anything else is a defect in Casebook, not a usage error: the query failed (exit 1), say so plainly.
    process.stderr.write(`error: the query failed inside Casebook: ${safeText(e instanceof Error ? e.message : String(e))}\n`);
    return 1;
  }
  if (!table) {
    process.stderr.write('the query defines names but returns no table\n');
    return 0;
  }
  try {
    // Whether or not the reader stayed for all of it (`| head`): what it wanted was written.
    await writeTable(table, format, maxRows);
  } catch (e) {
    if (!isStringTooLong(e)) throw e;
    process.stderr.write(`error: ${STRING_TOO_LONG}: a value in the result cannot be written as text\n`);
    return 1;
  }
  return 0;
}

/** Writes the result to `stdout`; false when its reader went away before all of it was written. */
export async function writeTable(table: Table, format: Format, maxRows: number, stdout: NodeJS.WritableStream = process.stdout): Promise<boolean> {
  const out = new ChunkedWriter(stdout);
  try {
    await writeRows(table, format, maxRows, out);
    return true;
  } catch (e) {
    if (e instanceof OutputClosed) return false;
    throw e;
  } finally {
    out.done();
  }
}

async function writeRows(table: Table, format: Format, maxRows: number, out: ChunkedWriter): Promise<void> {
  switch (format) {
    case 'table':
      out.add(renderTextTable(table, Number.isFinite(maxRows) ? maxRows : 100) + '\n');
      break;
    case 'jsonl': {
      const rowJson = rowJsonWriter(table);
      for (let i = 0; i < table.rowCount; i++) if (out.add(rowJson(i) + '\n')) await out.flush();
      break;
    }
    case 'json': {
      const rowJson = rowJsonWriter(table);
      out.add('[');
      for (let i = 0; i < table.rowCount; i++) if (out.add((i ? ',\n' : '') + rowJson(i))) await out.flush();
      out.add(']\n');
      break;
    }
    case 'csv': {
      out.add(csvLine(table.schema.map((c) => c.name)) + '\r\n');
      const types = table.schema.map((c) => c.type);
      for (let i = 0; i < table.rowCount; i++) if (out.add(csvLine(table.columns.map((c) => formatValue(c.get(i))), types) + '\r\n')) await out.flush();
      break;
    }
  }
  await out.flush();
}

/** Thrown when stdout closes before the result is written (its reader stopped early). */
class OutputClosed extends Error {}

/**
 * Batches small writes: one syscall per ~64 KiB instead of one per row. Each batch waits for the
 * stream to take it when it is behind (a slow reader), so a large result is not queued in memory
 * whole, and a reader that goes away (`| head`) stops the writing instead of letting it run on
 * into the closed pipe: stdout reports the EPIPE on a later turn of the event loop (and stays
 * open: process.stdout is never destroyed), so each batch gives it that turn.
 */
class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;
  private closed = false;
  private readonly onError = () => {
    this.closed = true;
  };

  constructor(private readonly stdout: NodeJS.WritableStream) {
    stdout.on('error', this.onError);
  }

  /** Adds text; true when a batch is full and should be flushed. */
  add(s: string): boolean {
    this.parts.push(s);
    this.size += s.length;
    return this.size >= 65536;
  }

  async flush(): Promise<void> {
    if (this.parts.length > 0 && !this.closed) {
      const text = this.parts.join('');
      this.parts = [];
      this.size = 0;
      if (!this.stdout.write(text)) await drainedOrClosed(this.stdout);
      else await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.closed) throw new OutputClosed();
  }

  /** Stops listening for the reader going away. */
  done(): void {
    this.stdout.off('error', this.onError);
  }
}

function drainedOrClosed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done).off('error', done).off('close', done);
      resolve();
    };
    stream.on('drain', done).on('error', done).on('close', done);
  });
}
