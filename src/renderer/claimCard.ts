/**
 * The claim card: verdict badge, the claim and who makes it, the rule that decided, the evidence
 * rows, every rule's outcome, the analyst's judgement (visibly distinct from the computed verdict)
 * and the provenance. Text only, through `textContent`.
 */
import type { ClaimCard } from '../core/notebook/claimCell';
import { el } from './dom';
import { renderTable } from './table';

export type PostMessage = (message: unknown) => void;

/** Claim cards on screen by claim id, and which claims the extension says are stale. */
const cards = new Map<string, Set<HTMLElement>>();
let staleIds = new Set<string>();

const STALE_TEXT = 'Stale: a cell this claim depends on (or a source file) changed since this verdict was computed. Run the claim to update it; the file keeps this last consistent verdict until then.';

function applyStale(root: HTMLElement, id: string): void {
  const stale = staleIds.has(id);
  root.classList.toggle('cb-stale', stale);
  const banner = root.querySelector<HTMLElement>('.cb-stale-banner');
  if (banner) banner.hidden = !stale;
}

/** Marks the cards of these claims as stale (and every other card as current). */
export function setStaleClaims(ids: readonly string[]): void {
  staleIds = new Set(ids);
  for (const [id, roots] of cards) {
    for (const root of [...roots]) {
      if (!root.isConnected) roots.delete(root);
      else applyStale(root, id);
    }
  }
}

export function renderClaimCard(data: unknown, host: HTMLElement, post?: PostMessage): void {
  const card = data as ClaimCard;
  const root = el('section', { class: `cb-claim cb-verdict-${card.verdict}`, 'aria-label': `claim ${card.id ?? ''}: ${card.verdict}` });

  const head = el('div', { class: 'cb-claim-head' });
  head.append(el('span', { class: 'cb-badge', title: 'computed verdict' }, card.verdict.toUpperCase()));
  const title = el('div', { class: 'cb-claim-title' });
  title.append(el('div', { class: 'cb-claim-statement' }, card.statement));
  title.append(el('div', { class: 'cb-claim-by' }, `claimed by ${card.by}${card.stated ? `, ${card.stated}` : ''}${card.id ? ` · #${card.id}` : ''}`));
  head.append(title);
  root.append(head);

  const banner = el('p', { class: 'cb-stale-banner', role: 'status' }, STALE_TEXT);
  banner.hidden = true;
  root.append(banner);
  root.append(el('p', { class: 'cb-claim-reason' }, card.reason));
  if (card.rule) {
    const rule = el('p', { class: 'cb-claim-rule' });
    rule.append(el('span', { class: 'cb-label' }, 'decided by '), el('code', {}, card.rule));
    root.append(rule);
  }

  if (card.judgement) {
    const j = card.judgement;
    const box = el('div', { class: `cb-judgement ${j.agrees ? 'cb-agrees' : 'cb-disagrees'}`, role: 'note' });
    box.append(el('div', { class: 'cb-judgement-head' }, `Analyst judgement: ${j.verdict.toUpperCase()} — ${j.by}${j.date ? `, ${j.date}` : ''}`));
    box.append(el('div', {}, j.rationale));
    if (!j.agrees) box.append(el('div', { class: 'cb-warning' }, `This judgement disagrees with the computed verdict (${card.verdict}).`));
    root.append(box);
  }

  if (card.evidence) {
    const ev = card.evidence;
    const section = el('div', { class: 'cb-evidence' });
    const caption = el('div', { class: 'cb-evidence-caption' });
    caption.append(el('span', {}, `Evidence: ${ev.caption}`));
    if (post) {
      const run = el('button', { type: 'button', title: `Run cell #${ev.ref} again` }, `Run #${ev.ref}`);
      run.addEventListener('click', () => post({ type: 'runCell', id: ev.ref }));
      caption.append(run);
    }
    section.append(caption);
    const tableHost = el('div');
    section.append(tableHost);
    // The card carries the first rows only, whatever casebook.results.maxRows says.
    renderTable(ev.table, tableHost, `a claim card shows the first ${ev.table.rows.length}`);
    root.append(section);
  }

  if (card.rules.length) {
    const list = el('ul', { class: 'cb-rules' });
    for (const r of card.rules) {
      const li = el('li', { class: r.holds === null ? 'cb-undecided' : r.holds ? 'cb-holds' : 'cb-fails' });
      li.append(el('span', { class: 'cb-mark', 'aria-label': r.holds === null ? 'cannot decide' : r.holds ? 'holds' : 'does not hold' }, r.holds === null ? '?' : r.holds ? '✓' : '✗'), el('code', {}, `${r.role}: ${r.text}`), el('span', { class: 'cb-measured' }, ` — ${r.measured}`));
      list.append(li);
    }
    root.append(list);
  }

  const prov = el('details', { class: 'cb-provenance' });
  prov.append(el('summary', {}, 'Provenance'));
  if (card.provenance.evidenceSha256) prov.append(el('div', {}, `evidence rows sha256 ${card.provenance.evidenceSha256}`));
  for (const [name, files] of Object.entries(card.provenance.sources)) {
    for (const f of files) prov.append(el('div', {}, `${name}: ${f.path} — sha256 ${f.sha256}, ${f.bytes.toLocaleString('en-US')} bytes`));
  }
  if (prov.childElementCount === 1) prov.append(el('div', {}, 'no sources were read'));
  root.append(prov);
  host.replaceChildren(root);
  if (card.id) {
    const set = cards.get(card.id) ?? new Set<HTMLElement>();
    set.add(root);
    cards.set(card.id, set);
    applyStale(root, card.id);
  }
}
