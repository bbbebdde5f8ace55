/**
 * Problems of a parsed YAML document: its syntax errors, or else its duplicate keys, found in one
 * pass. The yaml library's own check (`uniqueKeys: true`) compares each key with every key before
 * it: a front matter of 16,000 parameters took 2 s to parse (three times per run), 200,000 did not
 * finish. Keys are compared as the property names they become (`true` and `"true"` are one key:
 * the second would silently replace the first).
 */
import { isMap, isScalar, visit, type Document } from 'yaml';

export interface YamlProblem {
  readonly message: string;
  /** Offset in the text. */
  readonly offset: number;
}

export function yamlProblems(doc: Document): YamlProblem[] {
  if (doc.errors.length) return doc.errors.map((e) => ({ message: e.message.split('\n')[0], offset: e.pos[0] }));
  const found: YamlProblem[] = [];
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<string>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        const name = String(key.value);
        if (seen.has(name)) found.push({ message: `Map keys must be unique (${JSON.stringify(name)} is repeated)`, offset: key.range?.[0] ?? 0 });
        else seen.add(name);
      }
    },
  });
  return found;
}
