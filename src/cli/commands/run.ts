/** `casebook run NOTEBOOK [--json]` */
import * as path from 'node:path';
import { parseNotebook } from '../../core/format';
import { runNotebook, type CellReport, type NotebookRun } from '../../core/notebook/runner';
import { parse, readUserFile, UsageError } from '../args';
import { Progress, safeText } from '../terminal';

export async function runCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean', default: false } }, { min: 1, max: 1, names: 'one notebook file: casebook run NOTEBOOK' });
  const file = positionals[0];
  const parsed = parseNotebook(readUserFile(file));
  if (!parsed.ok) throw new UsageError(`${file}:${parsed.problem.line}: ${parsed.problem.message}`);
  const progress = new Progress();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const run = await runNotebook(parsed.notebook, {
    baseDir: path.dirname(path.resolve(file)),
    signal: controller.signal,
    onCellStart: (cell, position, total) => progress.show(`[${position + 1}/${total}] ${cell.kind}${cell.id ? ' #' + cell.id : ''}…`),
    progress: (message) => progress.show(message),
    onCellDone: (report) => {
      progress.clear();
      if (!values.json) process.stdout.write(describeCell(report) + '\n');
    },
  });
  progress.clear();
  if (run.problems.length) {
    process.stderr.write(run.problems.map((p) => `${file}: ${safeText(p)}`).join('\n') + '\n');
    if (values.json) process.stdout.write(JSON.stringify(jsonReport(file, run), null, 2) + '\n');
    return 2;
  }
  if (values.json) process.stdout.write(JSON.stringify(jsonReport(file, run), null, 2) + '\n');
  else process.stdout.write(summaryLine(run) + '\n');
  return run.ok ? 0 : 1;
}

function label(report: CellReport): string {
  return `${report.kind}${report.id ? ' #' + report.id : ` (cell ${report.index + 1})`}`;
}

function describeCell(report: CellReport): string {
  const mark = report.result.ok ? '✓' : '✗';
  const time = `${Math.round(report.durationMs)} ms`;
  const lines = [`${mark} ${label(report)}  ${safeText(report.result.summary)}  (${time})`];
  if (report.result.error) {
    lines.push(`    error: ${safeText(report.result.error.message)}`);
    if (report.result.error.detail) lines.push(...report.result.error.detail.split('\n').map((l) => '    ' + safeText(l)));
  }
  for (const w of report.result.warnings) lines.push(`    warning: ${safeText(w)}`);
  return lines.join('\n');
}

function summaryLine(run: NotebookRun): string {
  const failed = run.cells.filter((c) => !c.result.ok).length;
  return failed ? `${failed} of ${run.cells.length} cells failed` : `${run.cells.length} cells ran`;
}

export function jsonReport(file: string, run: NotebookRun) {
  return {
    notebook: file,
    ok: run.ok,
    problems: run.problems,
    cells: run.cells.map((c) => ({
      index: c.index,
      kind: c.kind,
      ...(c.id ? { id: c.id } : {}),
      ok: c.result.ok,
      summary: c.result.summary,
      ...(c.result.error ? { error: c.result.error } : {}),
      warnings: c.result.warnings,
      ...rowsOf(c),
      durationMs: Math.round(c.durationMs),
    })),
  };
}

function rowsOf(report: CellReport): { rows?: number } {
  const table = report.result.outputs.find((o) => o.type === 'table');
  return table?.type === 'table' ? { rows: table.table.rowCount } : {};
}
