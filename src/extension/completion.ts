/** Completion in query cells: tables (cell ids, sources, lets above), operators, functions. */
import * as vscode from 'vscode';
import { querySuggestions, type SuggestionKind } from '../core/notebook/completion';
import { parseFrontMatter } from '../core/notebook/frontMatter';
import { cellUses } from '../core/notebook/graph';
import { kindForLanguage } from '../core/notebook/cellKinds';
import { frontMatterText, isRunnable, NOTEBOOK_TYPE } from './controller';
import { cellMeta } from './serializer';

const KINDS: Record<SuggestionKind, vscode.CompletionItemKind> = {
  table: vscode.CompletionItemKind.Class,
  operator: vscode.CompletionItemKind.Keyword,
  function: vscode.CompletionItemKind.Function,
  aggregate: vscode.CompletionItemKind.Method,
};

export function registerQueryCompletion(): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider(
    { language: 'kql', notebookType: NOTEBOOK_TYPE },
    {
      provideCompletionItems(document, position) {
        const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === document));
        if (!notebook) return undefined;
        const self = notebook.getCells().find((c) => c.document === document)!;
        const fm = parseFrontMatter(frontMatterText(notebook));
        const cells = notebook.getCells().filter(isRunnable);
        const names = {
          cellIds: cells.filter((c) => c !== self && cellMeta(c).id).map((c) => cellMeta(c).id!),
          sources: fm.ok ? Object.keys(fm.value.sources) : [],
          lets: cells.filter((c) => c.index < self.index).flatMap((c) => cellUses(kindForLanguage(c.document.languageId), c.document.getText()).lets),
        };
        const before = document.getText(new vscode.Range(new vscode.Position(0, 0), position));
        return querySuggestions(before, names).map((s) => {
          const item = new vscode.CompletionItem(s.label, KINDS[s.kind]);
          item.detail = s.detail;
          if (s.insert) item.insertText = s.insert;
          return item;
        });
      },
    },
    '|',
    '(',
  );
}
