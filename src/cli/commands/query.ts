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
type Format = (typeof FORMATS)[number];

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
    writeTable(table, format, maxRows);
  } catch (e) {
    if (!isStringTooLong(e)) throw e;
    process.stderr.write(`error: ${STRING_TOO_LONG}: a value in the result cannot be written as text\n`);
    return 1;
  }
  return 0;
}

function writeTable(table: Table, format: Format, maxRows: number): void {
  const out = new ChunkedWriter();
  switch (format) {
    case 'table':
      out.write(renderTextTable(table, Number.isFinite(maxRows) ? maxRows : 100) + '\n');
      break;
    case 'jsonl': {
      const rowJson = rowJsonWriter(table);
      for (let i = 0; i < table.rowCount; i++) out.write(rowJson(i) + '\n');
      break;
    }
    case 'json': {
      const rowJson = rowJsonWriter(table);
      out.write('[');
      for (let i = 0; i < table.rowCount; i++) out.write((i ? ',\n' : '') + rowJson(i));
      out.write(']\n');
      break;
    }
    case 'csv':
      out.write(csvLine(table.schema.map((c) => c.name)) + '\r\n');
      const types = table.schema.map((c) => c.type);
      for (let i = 0; i < table.rowCount; i++) out.write(csvLine(table.columns.map((c) => formatValue(c.get(i))), types) + '\r\n');
      break;
  }
  out.flush();
}

/** Batches small writes: one syscall per ~64 KiB instead of one per row. */
class ChunkedWriter {
  private parts: string[] = [];
  private size = 0;
  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= 65536) this.flush();
  }
  flush(): void {
    // Nothing more once the reader has gone (`| head`).
    if (this.parts.length && !process.stdout.destroyed) process.stdout.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}
