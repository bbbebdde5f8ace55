/**
 * Cell ids: what makes one valid, and where a cell's id is referenced (so renaming it can update
 * every reference). References are found structurally — table names in the query syntax tree,
 * cell ids in claim conditions and timeline `from:`/`claims:` — never by searching the text.
 */
import { parseDocument, isScalar, isSeq, type Scalar } from 'yaml';
import { tokenizeCondition } from '../claims/conditions';
import { parseQuery } from '../query';

export const CELL_ID = /^[A-Za-z][\w.-]*$/;
const PLAIN_KQL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface IdReferences {
  readonly edits: readonly TextEdit[];
  /** True when the cell may refer to the id in a form that could not be located exactly. */
  readonly unsure: boolean;
}

/** How a KQL query names a table: bare when it is an identifier, `['...']` otherwise. */
export function kqlTableName(id: string): string {
  return PLAIN_KQL_NAME.test(id) ? id : `['${id.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** A fresh id based on `base` that is not in `taken`: `base-2`, `base-3`, ... */
export function freshId(base: string, taken: ReadonlySet<string>): string {
  const stem = base.replace(/-\d+$/, '');
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Edits that rename references to `oldId` in one cell's text. */
export function idReferences(kind: string, source: string, oldId: string, newId: string): IdReferences {
  switch (kind) {
    case 'kql':
      return kqlReferences(source, 0, oldId, newId);
    case 'claim':
      return yamlReferences(source, oldId, newId, ['supported-if', 'contradicted-if', 'inconclusive-if'], [], ['evidence']);
    case 'timeline':
      return yamlReferences(source, oldId, newId, [], ['from', 'claims'], ['query']);
    default:
      return { edits: [], unsure: false };
  }
}

function kqlReferences(text: string, offset: number, oldId: string, newId: string): IdReferences {
  let ast: unknown;
  try {
    ast = parseQuery(text);
  } catch {
    return { edits: [], unsure: text.includes(oldId) };
  }
  const edits: TextEdit[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const n = node as { kind?: unknown; name?: unknown; start?: unknown; end?: unknown };
    if (n.kind === 'TableRef' && n.name === oldId && typeof n.start === 'number' && typeof n.end === 'number') {
      // The span covers the name only when the source is a plain reference (not a call).
      const nameEnd = n.start + kqlLength(text, n.start);
      edits.push({ start: offset + n.start, end: offset + nameEnd, text: kqlTableName(newId) });
    }
    Object.values(node).forEach(visit);
  };
  visit(ast);
  return { edits, unsure: false };
}

/** Length of the table name written at `start`: an identifier or a bracketed `['...']`. */
function kqlLength(text: string, start: number): number {
  if (text[start] === '[') {
    const close = text.indexOf(']', start);
    return close < 0 ? 1 : close - start + 1;
  }
  const m = /^[A-Za-z_][\w]*/.exec(text.slice(start));
  return m ? m[0].length : 0;
}

/**
 * References inside YAML cells: condition texts (`conditionKeys`), plain id values or lists of ids
 * (`idKeys`), and embedded KQL (`queryKeys`, maps of queries or single queries).
 */
function yamlReferences(source: string, oldId: string, newId: string, conditionKeys: string[], idKeys: string[], queryKeys: string[]): IdReferences {
  const doc = parseDocument(source, { keepSourceTokens: true });
  if (doc.errors.length) return { edits: [], unsure: source.includes(oldId) };
  const edits: TextEdit[] = [];
  let unsure = false;
  /** Where a scalar's value sits in the source, when it is written verbatim (plain, or quoted without escapes). */
  const plainValue = (node: Scalar): number | undefined => {
    if (!node.range || typeof node.value !== 'string') return undefined;
    const [start, end] = node.range;
    const written = source.slice(start, end);
    if (written === node.value) return start;
    if (written === `"${node.value}"` || written === `'${node.value}'`) return start + 1;
    return undefined;
  };
  const scalars = (value: unknown): Scalar[] => (isScalar(value) ? [value] : isSeq(value) ? value.items.filter(isScalar) : []);
  for (const key of conditionKeys) {
    for (const node of scalars(doc.get(key, true))) {
      const at = plainValue(node);
      if (at === undefined) {
        unsure ||= String(node.value).includes(oldId);
        continue;
      }
      const tokens = tokenizeCondition(node.value as string);
      tokens.forEach((t, i) => {
        // `some row of …`: the quantifier, not a cell named `some`.
        const quantifier = ['every', 'no', 'some'].includes(t.text.toLowerCase()) && tokens[i + 1]?.kind === 'word' && tokens[i + 1].text.toLowerCase() === 'row';
        if (t.kind === 'word' && !quantifier && (t.text === oldId || t.text === '#' + oldId)) edits.push({ start: at + t.at + (t.text.startsWith('#') ? 1 : 0), end: at + t.at + t.text.length, text: newId });
        // A predicate may name the cell too (`ip in (attackers)`), or a column of that name: not renamed, said so.
        if (t.kind === 'code' && new RegExp(`(^|[^\\w.-])${oldId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`).test(t.text)) unsure = true;
      });
    }
  }
  for (const key of idKeys) {
    for (const node of scalars(doc.get(key, true))) {
      const at = plainValue(node);
      const value = String(node.value);
      if (value === oldId || value === '#' + oldId) {
        if (at === undefined) unsure = true;
        else edits.push({ start: at + (value.startsWith('#') ? 1 : 0), end: at + value.length, text: newId });
      }
    }
  }
  for (const key of queryKeys) {
    const value = doc.get(key, true);
    const queries = isScalar(value) ? [value] : value && typeof value === 'object' && 'items' in value ? (value as { items: { value?: unknown }[] }).items.map((p) => p.value).filter(isScalar) : [];
    for (const q of queries) {
      const at = plainValue(q);
      if (at === undefined) {
        unsure ||= String(q.value).includes(oldId);
        continue;
      }
      const found = kqlReferences(q.value as string, at, oldId, newId);
      edits.push(...found.edits);
      unsure ||= found.unsure;
    }
  }
  return { edits, unsure };
}

/** Applies non-overlapping edits to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
