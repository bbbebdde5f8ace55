/** `casebook run NOTEBOOK [--json]` */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printNotebook } from '../../core/format';
import { withFreshRecords } from '../../core/notebook/writeBack';
import { runNotebook, type CellReport, type NotebookRun } from '../../core/notebook/runner';
import { parse } from '../args';
import { readNotebookFile, warnAboutFrontMatter } from '../notebookFile';
import { Progress, safeJson, safeText } from '../terminal';
import { chartToSvg } from '../../core/charts/svg';
import { drawChart } from '../../core/report/drawnChart';

export async function runCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { json: { type: 'boolean', default: false }, write: { type: 'boolean', default: false }, charts: { type: 'string' } },
    { min: 1, max: 1, names: 'one notebook file: casebook run NOTEBOOK [--json] [--write] [--charts DIR]' },
  );
  const file = positionals[0];
  const { text: original, notebook, where } = readNotebookFile(file);
  warnAboutFrontMatter(file, notebook);
  const progress = new Progress();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const run = await runNotebook(notebook, {
    baseDir: path.dirname(path.resolve(file)),
    signal: controller.signal,
    onCellStart: (cell, position, total) => progress.show(`[${position + 1}/${total}] ${cell.kind}${cell.id ? ' #' + cell.id : ''}…`),
    progress: (message) => progress.show(message),
    onCellDone: (report) => {
      progress.clear();
      if (!values.json) process.stdout.write(describeCell(report, where(report.index)) + '\n');
    },
  });
  progress.clear();
  if (run.problems.length) {
    process.stderr.write(run.problems.map((p) => `${file}: ${safeText(p)}`).join('\n') + '\n');
    if (values.json) process.stdout.write(safeJson(jsonReport(file, run)) + '\n');
    return 2;
  }
  if (values.write) {
    const updated = printNotebook(withFreshRecords(notebook, run));
    // Against the file in canonical form: a file with CRLF line ends (or a BOM) whose records did
    // not change is left as it is, byte for byte.
    const changed = updated !== original && updated !== printNotebook(notebook);
    if (changed) fs.writeFileSync(file, updated);
    process.stderr.write(changed ? `wrote verdict records to ${file}\n` : `${file} is up to date\n`);
    // A failed claim keeps its last record (see withFreshRecords): say so, it is not up to date.
    const hasRecord = (index: number) => {
      const cell = notebook.cells[index];
      return cell?.type === 'code' && cell.records.length > 0;
    };
    const kept = run.cells.filter((c) => c.kind === 'claim' && !c.result.ok && hasRecord(c.index)).map((c) => (c.id ? `#${c.id}` : `cell ${c.index + 1}`));
    if (kept.length) process.stderr.write(`kept the earlier verdict record of ${kept.join(', ')}: the claim failed this time\n`);
  }
  if (values.charts) {
    const written = await writeCharts(run, values.charts);
    process.stderr.write(`wrote ${written.length} chart${written.length === 1 ? '' : 's'} to ${values.charts}\n`);
  }
  if (values.json) process.stdout.write(safeJson(jsonReport(file, run)) + '\n');
  else process.stdout.write(summaryLine(run) + '\n');
  return run.ok ? 0 : 1;
}

async function writeCharts(run: NotebookRun, dir: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const report of run.cells) {
    let n = 0;
    for (const output of report.result.outputs) {
      if (output.type !== 'chart') continue;
      const name = `${report.id ?? `cell-${report.index + 1}`}${n++ ? `-${n}` : ''}.svg`;
      // As the reports draw them: checked, drawn, inert. One chart that cannot be drawn stops no other.
      const drawn = await drawChart(output.spec, chartToSvg);
      if ('problem' in drawn) {
        process.stderr.write(`casebook: chart ${name}: ${safeText(drawn.problem)}\n`);
        continue;
      }
      fs.writeFileSync(path.join(dir, name), drawn.svg);
      written.push(name);
    }
  }
  return written;
}

function label(report: CellReport): string {
  return `${report.kind}${report.id ? ' #' + report.id : ` (cell ${report.index + 1})`}`;
}

/** A cell's line of the summary; a failed cell says where it is (`FILE:LINE` of its fence), its error's position being within the cell. */
function describeCell(report: CellReport, where: string): string {
  const mark = report.result.ok ? '✓' : '✗';
  const time = `${Math.round(report.durationMs)} ms`;
  const verdict = report.result.verdict;
  const summary = verdict ? verdict.verdict.toUpperCase() : report.result.summary;
  const lines = [`${mark} ${label(report)}  ${safeText(summary)}  (${time})`];
  const card = report.result.outputs.find((o) => o.type === 'claim');
  if (card?.type === 'claim') {
    const c = card.card as { statement: string; by: string; reason: string };
    lines.push(`    ${safeText(c.statement)} — ${safeText(c.by)}`, `    ${safeText(c.reason)}`);
  }
  if (report.result.error) {
    lines.push(`    error: ${safeText(report.result.error.message)}`);
    if (report.result.error.detail) lines.push(...report.result.error.detail.split('\n').map((l) => '    ' + safeText(l)));
    lines.push(`    in ${safeText(where)}`);
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
    // A notebook that could not run at all says so as check does.
    ...(run.problems.length ? { error: { kind: 'front-matter', message: run.problems.join('\n') } } : {}),
    cells: run.cells.map((c) => ({
      index: c.index,
      kind: c.kind,
      ...(c.id ? { id: c.id } : {}),
      ok: c.result.ok,
      summary: c.result.summary,
      ...(c.result.error ? { error: c.result.error } : {}),
      warnings: c.result.warnings,
      ...rowsOf(c),
      ...(c.result.verdict ? { verdict: c.result.verdict } : {}),
      durationMs: Math.round(c.durationMs),
    })),
  };
}

function rowsOf(report: CellReport): { rows?: number } {
  const table = report.result.outputs.find((o) => o.type === 'table');
  return table?.type === 'table' ? { rows: table.table.rowCount } : {};
}
