/**
 * The Casebook notebook renderer: result tables, claim cards and charts. Loaded by VS Code as an
 * ES module inside the notebook's output webview; heavy chart code loads only when a chart shows.
 */
import { CHART_MIME, CLAIM_MIME, TABLE_MIME, type WireTable } from '../core/output/wire';
import type { ActivationFunction, OutputItem } from './api';
import { el, ensureStyles } from './dom';
import css from './styles.css';
import { renderClaimCard, setStaleClaims } from './claimCard';
import { renderTable } from './table';

type Disposer = () => void;
const disposers = new Map<string, Disposer>();

export const activate: ActivationFunction = (context) => {
  ensureStyles(css);
  const post = context.postMessage ? (m: unknown) => context.postMessage!(m) : undefined;
  context.onDidReceiveMessage?.((m) => {
    const message = m as { type?: unknown; ids?: unknown };
    if (message.type === 'stale' && Array.isArray(message.ids)) setStaleClaims(message.ids.filter((x): x is string => typeof x === 'string'));
  });
  post?.({ type: 'hello' });
  return {
    async renderOutputItem(item: OutputItem, element: HTMLElement, signal: AbortSignal) {
      disposers.get(item.id)?.();
      disposers.delete(item.id);
      try {
        switch (item.mime) {
          case TABLE_MIME:
            renderTable(item.json() as WireTable, element);
            break;
          case CLAIM_MIME:
            renderClaimCard(item.json(), element, post);
            break;
          case CHART_MIME: {
            const { renderChart } = await import('./chart');
            const dispose = await renderChart(item.json(), element, signal, post);
            if (dispose) disposers.set(item.id, dispose);
            break;
          }
          default:
            element.replaceChildren(el('div', { class: 'cb-error' }, `Casebook cannot show output of type ${item.mime}.`));
        }
      } catch (e) {
        element.replaceChildren(el('div', { class: 'cb-error' }, `Casebook could not show this output: ${e instanceof Error ? e.message : String(e)}`));
      }
    },
    disposeOutputItem(id?: string) {
      if (id === undefined) {
        disposers.forEach((d) => d());
        disposers.clear();
        return;
      }
      disposers.get(id)?.();
      disposers.delete(id);
    },
  };
};
