/**
 * Markdown → HTML for reports, safe to open anywhere: raw HTML in the Markdown is shown as text,
 * links keep only harmless schemes, and images become text (a report needs no network at view time).
 */
import type { Marked, Tokens } from 'marked';
import { showInvisible } from '../output/invisible';

/** Text for HTML: markup characters escaped, invisible controls made visible. */
export function escapeHtml(text: string): string {
  return showInvisible(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const SAFE_LINK = /^(https?:|mailto:|#|\.{0,2}\/|[\w.-]+(\/|$))/i;

/**
 * The Markdown parser, made on first use. It is required there rather than imported: marked builds
 * its grammar when loaded, which commands that write no report (and the editor, until it exports
 * one) would otherwise pay for at every start.
 */
let parser: Marked | undefined;
function markdownParser(): Marked {
  if (parser) return parser;
  const { Marked } = require('marked') as typeof import('marked');
  parser = new Marked({
    gfm: true,
    renderer: {
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(text);
      },
      link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, { href, title, tokens }: Tokens.Link): string {
        const inner = this.parser.parseInline(tokens);
        if (!SAFE_LINK.test(href) || /^\s*(javascript|data|vbscript):/i.test(href)) return inner;
        return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ''} rel="noopener noreferrer">${inner}</a>`;
      },
      image({ text, href }: Tokens.Image): string {
        return `<span class="image-ref">[image: ${escapeHtml(text || href)}]</span>`;
      },
    },
  });
  return parser;
}

export function markdownToHtml(markdown: string): string {
  return markdownParser().parse(markdown, { async: false }) as string;
}
