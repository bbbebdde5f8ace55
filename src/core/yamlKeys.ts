/**
 * Duplicate keys of a YAML document, found in one pass. The yaml library's own check
 * (`uniqueKeys: true`) compares each key with every key before it: a front matter of 16,000
 * parameters took 2 s to parse (three times per run), 200,000 did not finish. Keys are equal as the
 * library's check has them: scalars of the same value (so `1` and `"1"` differ).
 */
import { isMap, isScalar, visit, type Document, type LineCounter } from 'yaml';

export interface DuplicateKey {
  readonly message: string;
  /** Offset of the repeated key in the text. */
  readonly offset: number;
}

export function duplicateKeys(doc: Document): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        const id = typeof key.value === 'string' ? `s${key.value}` : key.value;
        if (seen.has(id)) found.push({ message: `Map keys must be unique (${JSON.stringify(String(key.value))} is repeated)`, offset: key.range?.[0] ?? 0 });
        else seen.add(id);
      }
    },
  });
  return found;
}

/** The first syntax error or duplicate key of a document, with its line and column. */
export function firstYamlProblem(doc: Document, lineCounter: LineCounter): { message: string; line: number; col: number } | undefined {
  const first = doc.errors.length ? { message: doc.errors[0].message.split('\n')[0], offset: doc.errors[0].pos[0] } : duplicateKeys(doc)[0];
  return first && { message: first.message, ...lineCounter.linePos(first.offset) };
}
