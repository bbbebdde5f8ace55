/** How cell kinds in the file map to editor languages, shared by the extension and its tests. */

const LANGUAGE_BY_KIND: Readonly<Record<string, string>> = {
  kql: 'kql',
  claim: 'casebook-claim',
  timeline: 'casebook-timeline',
  claims: 'casebook-claims',
};

const KIND_BY_LANGUAGE: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(LANGUAGE_BY_KIND).map(([k, l]) => [l, k]));

export function languageForKind(kind: string): string {
  return LANGUAGE_BY_KIND[kind] ?? kind;
}

export function kindForLanguage(language: string): string {
  return KIND_BY_LANGUAGE[language] ?? language;
}

/** Cell kinds Casebook can execute. */
export const RUNNABLE_KINDS: readonly string[] = Object.keys(LANGUAGE_BY_KIND);
