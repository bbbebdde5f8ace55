/** The notebook file a command names: read, parsed, its front matter's warnings told. */
import { parseNotebook, type NotebookFile } from '../core/format';
import { describeProblem, frontMatterWarnings } from '../core/notebook/frontMatter';
import { FileError, readUserFile } from './args';
import { safeText } from './terminal';

/**
 * The file's text, notebook, and `where` each cell is (`FILE:LINE` of its first line, which editors
 * and terminals open); a file that cannot be read or parsed is a file error (exit 2).
 */
export function readNotebookFile(file: string): { text: string; notebook: NotebookFile; where: (cellIndex: number) => string } {
  const text = readUserFile(file);
  const parsed = parseNotebook(text);
  if (!parsed.ok) throw new FileError(`${file}:${parsed.problem.line}: ${parsed.problem.message}`, file);
  const { cellLines } = parsed;
  return { text, notebook: parsed.notebook, where: (index) => `${file}:${cellLines[index] ?? 1}` };
}

/** Front matter keys that look misspelt, as warnings on stderr. */
export function warnAboutFrontMatter(file: string, notebook: NotebookFile): void {
  for (const w of frontMatterWarnings(notebook.frontMatter)) process.stderr.write(`warning: ${file}: ${safeText(describeProblem(w))}\n`);
}
