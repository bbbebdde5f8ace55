/** `casebook export NOTEBOOK --html OUT.html [--md OUT.md]`: run headlessly and write a report. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chartToSvg } from '../../core/charts/svg';
import { parseFrontMatter } from '../../core/notebook/frontMatter';
import { runNotebook } from '../../core/notebook/runner';
import { renderHtmlReport } from '../../core/report/html';
import { renderMarkdownReport } from '../../core/report/markdownReport';
import { parse, UsageError } from '../args';
import { readNotebookFile } from '../notebookFile';
import { Progress, safeText } from '../terminal';

export async function exportCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parse(argv, { html: { type: 'string' }, md: { type: 'string' } }, { min: 1, max: 1, names: 'one notebook file: casebook export NOTEBOOK --html OUT.html [--md OUT.md]' });
  if (!values.html && !values.md) throw new UsageError('say where to write the report: --html OUT.html and/or --md OUT.md');
  const file = positionals[0];
  const { notebook } = readNotebookFile(file);
  const progress = new Progress();
  const run = await runNotebook(notebook, {
    baseDir: path.dirname(path.resolve(file)),
    onCellStart: (cell, position, total) => progress.show(`[${position + 1}/${total}] ${cell.kind}${cell.id ? ' #' + cell.id : ''}…`),
    progress: (m) => progress.show(m),
  });
  progress.clear();
  if (run.problems.length) {
    process.stderr.write(run.problems.map((p) => `${file}: ${safeText(p)}`).join('\n') + '\n');
    return 2;
  }
  const fm = parseFrontMatter(notebook.frontMatter);
  const title = fm.ok ? fm.value.title : undefined;
  const source = path.relative(process.cwd(), path.resolve(file)) || file;
  if (values.html) {
    fs.mkdirSync(path.dirname(path.resolve(values.html)), { recursive: true });
    fs.writeFileSync(values.html, await renderHtmlReport({ file: notebook, run, source, ...(title ? { title } : {}), chartToSvg }));
    process.stdout.write(`wrote ${values.html}\n`);
  }
  if (values.md) {
    const mdPath = path.resolve(values.md);
    const chartDir = mdPath.replace(/\.md$/i, '') + '-charts';
    fs.mkdirSync(path.dirname(mdPath), { recursive: true });
    const markdown = await renderMarkdownReport({
      file: notebook,
      run,
      source,
      ...(title ? { title } : {}),
      chartToSvg,
      writeChart: async (svg, name) => {
        fs.mkdirSync(chartDir, { recursive: true });
        const target = path.join(chartDir, `${name.replace(/[^\w.-]+/g, '-')}.svg`);
        fs.writeFileSync(target, svg);
        return path.relative(path.dirname(mdPath), target).split(path.sep).join('/');
      },
    });
    fs.writeFileSync(mdPath, markdown);
    process.stdout.write(`wrote ${values.md}\n`);
  }
  const failed = run.cells.filter((c) => !c.result.ok).length;
  if (failed) process.stderr.write(`${failed} cell${failed === 1 ? '' : 's'} failed; the report shows their errors\n`);
  return failed ? 1 : 0;
}
