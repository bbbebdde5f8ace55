/**
 * Requests from the output renderer: run an evidence cell by id (from a claim card) and save a chart
 * as SVG or PNG (webviews cannot write files themselves).
 */
import * as vscode from 'vscode';
import { cellMeta } from './serializer';

type RendererMessage = { type: 'runCell'; id: string } | { type: 'saveChart'; format: 'svg' | 'png'; content: string; title: string };

function isMessage(m: unknown): m is RendererMessage {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  if (t === 'runCell') return typeof (m as { id?: unknown }).id === 'string';
  if (t === 'saveChart') {
    const c = m as { format?: unknown; content?: unknown; title?: unknown };
    return (c.format === 'svg' || c.format === 'png') && typeof c.content === 'string' && typeof c.title === 'string';
  }
  return false;
}

export function registerRendererMessaging(): vscode.Disposable {
  const messaging = vscode.notebooks.createRendererMessaging('casebook.renderer');
  return messaging.onDidReceiveMessage(async ({ editor, message }) => {
    if (!isMessage(message)) return;
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
}
