/**
 * Reading files outside the workspace needs a person's say-so: a notebook from elsewhere could
 * otherwise read (and hash into its verdicts) anything the user can read. Asked once per notebook
 * and folder set while the editor is open; `casebook.sources.allowOutsideWorkspace` turns it off.
 */
import * as vscode from 'vscode';
import { parseFrontMatter } from '../core/notebook/frontMatter';
import { sourcesOutside } from '../core/notebook/sourcePaths';
import type { NotebookSnapshot } from '../worker/protocol';

export class SourceAccess {
  private readonly allowed = new Map<string, Set<string>>();

  /** Undefined when every source may be read; otherwise why not. */
  async check(notebook: vscode.NotebookDocument, snapshot: NotebookSnapshot): Promise<string | undefined> {
    if (vscode.workspace.getConfiguration('casebook', notebook.uri).get<boolean>('sources.allowOutsideWorkspace', false)) return undefined;
    const fm = parseFrontMatter(snapshot.frontMatter);
    if (!fm.ok) return undefined; // the cell run reports the front matter problem
    const roots = vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath) ?? [snapshot.dir];
    const key = notebook.uri.toString();
    const allowed = this.allowed.get(key) ?? new Set<string>();
    const outside = (await sourcesOutside(fm.value.sources, snapshot.dir, roots)).filter((o) => !allowed.has(o.folder));
    if (!outside.length) return undefined;
    const list = outside.map((o) => `${o.source}: ${o.pattern}`).join('\n');
    const choice = await vscode.window.showWarningMessage(
      'This notebook reads files outside the workspace.',
      { modal: true, detail: `${list}\n\nAllow Casebook to read them while this notebook is open?` },
      'Allow',
    );
    if (choice !== 'Allow') {
      return `Casebook did not read sources outside the workspace (${outside.map((o) => o.source).join(', ')}). Run again and choose Allow, or set casebook.sources.allowOutsideWorkspace.`;
    }
    outside.forEach((o) => allowed.add(o.folder));
    this.allowed.set(key, allowed);
    return undefined;
  }
}
