/** `casebook check NOTEBOOK [--json]`: re-run headlessly and compare with the verdicts in the file. */
import * as path from 'node:path';
import { checkNotebook } from '../../core/notebook/check';
import { runNotebook } from '../../core/notebook/runner';
import { parse } from '../args';
import { readNotebookFile, warnAboutFrontMatter } from '../notebookFile';
import { Progress, safeJson, safeText } from '../terminal';

export async function checkCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean', default: false } }, { min: 1, max: 1, names: 'one notebook file: casebook check NOTEBOOK [--json]' });
  const file = positionals[0];
  const { notebook, where } = readNotebookFile(file);
  warnAboutFrontMatter(file, notebook);
  const baseDir = path.dirname(path.resolve(file));
  const progress = new Progress();
  const run = await runNotebook(notebook, {
    baseDir,
    onCellStart: (cell, position, total) => progress.show(`checking [${position + 1}/${total}] ${cell.kind}${cell.id ? ' #' + cell.id : ''}…`),
    progress: (m) => progress.show(m),
  });
  progress.clear();
  if (run.problems.length) {
    // The notebook cannot run at all (its front matter): a file problem, exit 2 as `run` does.
    process.stderr.write(run.problems.map((p) => `${file}: ${safeText(p)}`).join('\n') + '\n');
    // Nothing ran, so there is nothing to compare: the problem, in the shape of other file errors.
    if (values.json) process.stdout.write(safeJson({ notebook: file, ok: false, error: { kind: 'front-matter', message: run.problems.join('\n') } }) + '\n');
    return 2;
  }
  const report = checkNotebook(notebook, run, baseDir);
  if (values.json) {
    process.stdout.write(safeJson({ notebook: file, ...report }) + '\n');
  } else {
    for (const c of report.claims) {
      const same = c.stored && c.computed && c.stored.verdict === c.computed.verdict;
      // ✓ only for a claim with nothing to report: its verdict may hold while a source changed.
      const clean = same && !report.differences.some((d) => d.claim === c.id);
      process.stdout.write(`${clean ? '✓' : '✗'} ${safeText(c.id)}: ${c.stored?.verdict ?? '(none recorded)'}${same ? '' : ` → ${c.computed?.verdict ?? 'error'}`}${clean ? '' : `  (${safeText(where(c.index))})`}\n`);
    }
    for (const d of report.differences) process.stdout.write(`  ${safeText(d.message)}\n`);
    for (const j of report.judgements) process.stdout.write(`  note: ${safeText(j.claim)}: judgement by ${safeText(j.by)} (${j.judgement}) disagrees with the computed verdict (${j.computed})\n`);
    if (report.clock.length) process.stdout.write(`  note: ${safeText(report.clock.join(', '))} read${report.clock.length === 1 ? 's' : ''} the clock (now, ago) and the front matter sets no now:, so what they find, and the verdicts that rest on it, change as time passes; set now: to re-verify them later\n`);
    process.stdout.write(report.ok ? `${file}: all ${report.claims.length} verdicts and their sources match\n` : `${file}: ${report.differences.length} difference${report.differences.length === 1 ? '' : 's'}\n`);
  }
  return report.ok ? 0 : 1;
}
