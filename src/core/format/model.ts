/**
 * The in-memory shape of a `*.casebook.md` file, independent of VS Code.
 *
 * The file is Markdown: optional YAML front matter, Markdown cells, and fenced code cells whose
 * info string names a cell kind (`kql`, `claim`, `timeline`) and an optional stable id (`kql #logins`).
 * A code cell may be followed by records (for example a claim's verdict) that the file keeps for
 * reviewers; records are produced by Casebook and kept verbatim.
 */

export interface MarkdownCell {
  readonly type: 'markdown';
  readonly text: string;
}

export interface CodeCell {
  readonly type: 'code';
  /** The fence's cell kind, e.g. `kql`, `claim`, `timeline`. */
  readonly kind: string;
  /** Stable id from the info string (`kql #logins` -> `logins`), if any. */
  readonly id?: string;
  /** Anything after the kind and id in the info string, kept verbatim for forward compatibility. */
  readonly attrs?: string;
  readonly source: string;
  /** Records stored after the cell (verdicts), verbatim. */
  readonly records: readonly CellRecord[];
}

/** A block Casebook writes after a cell: `<!-- casebook:TAG ... -->` ... `<!-- /casebook:TAG -->`. */
export interface CellRecord {
  readonly tag: string;
  /** The whole block, first line to closing marker, without a trailing newline. */
  readonly text: string;
}

export type Cell = MarkdownCell | CodeCell;

export interface NotebookFile {
  /** YAML text between the `---` lines, verbatim (comments survive), or undefined when absent. */
  readonly frontMatter?: string;
  readonly cells: readonly Cell[];
}

/** Where a file could not be understood; the editor opens it in a safe fallback instead. */
export interface FormatProblem {
  readonly message: string;
  /** 1-based line of the problem. */
  readonly line: number;
}

export type ParseOutcome =
  | { readonly ok: true; readonly notebook: NotebookFile; /** The 1-based line each cell begins on (a code cell's opening fence), by cell index. */ readonly cellLines: readonly number[] }
  | { readonly ok: false; readonly problem: FormatProblem };

/** Cell kinds that are code cells even without an id. Other kinds need an id (`sql #x`). */
export const KNOWN_CELL_KINDS: readonly string[] = ['kql', 'claim', 'timeline', 'claims'];
