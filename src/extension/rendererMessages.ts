/**
 * Talking with the output renderer. From it: run an evidence cell by id (from a claim card), save a
 * chart as SVG or PNG (webviews cannot write files themselves). To it: which claims are stale, so
 * their cards say so.
 */
import * as vscode from 'vscode';
import { cellMeta } from './serializer';
import type { StaleTracker } from './staleness';

type RendererMessage = { type: 'runCell'; id: string } | { type: 'saveChart'; format: 'svg' | 'png'; content: string; title: string } | { type: 'hello' };

function isMessage(m: unknown): m is RendererMessage {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'hello') return true;
  if (t === 'runCell') return typeof (m as { id?: unknown }).id === 'string';
  if (t === 'saveChart') {
    const c = m as { format?: unknown; content?: unknown; title?: unknown };
    return (c.format === 'svg' || c.format === 'png') && typeof c.content === 'string' && typeof c.title === 'string';
  }
  return false;
}

export function registerRendererMessaging(stale: StaleTracker): vscode.Disposable {
  const messaging = vscode.notebooks.createRendererMessaging('casebook.renderer');
  const tellStale = (editor: vscode.NotebookEditor) => void messaging.postMessage({ type: 'stale', ids: stale.staleIds(editor.notebook) }, editor);
  const onStale = stale.onDidChange((notebook) => vscode.window.visibleNotebookEditors.filter((e) => e.notebook === notebook).forEach(tellStale));
  const onMessage = messaging.onDidReceiveMessage(async ({ editor, message }) => {
    if (!isMessage(message)) return;
    if (message.type === 'hello') {
      tellStale(editor);
      return;
    }
    if (message.type === 'runCell') {
      const cell = editor.notebook.getCells().find((c) => cellMeta(c).id === message.id);
      if (!cell) {
        void vscode.window.showWarningMessage(`Casebook: there is no cell #${message.id} in this notebook.`);
        return;
      }
      await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: editor.notebook.uri });
      return;
    }
    const safeName = message.title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'chart';
    const folder = editor.notebook.uri.scheme === 'file' ? vscode.Uri.joinPath(editor.notebook.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `${safeName}.${message.format}`) } : {}),
      filters: message.format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    });
    if (!target) return;
    const bytes = message.format === 'svg' ? new TextEncoder().encode(message.content) : Buffer.from(message.content.replace(/^data:image\/png;base64,/, ''), 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
  });
  return vscode.Disposable.from(onStale, onMessage);
}
