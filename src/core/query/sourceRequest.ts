/**
 * What a query needs from a source table, so a host can load less than the whole table: the
 * top-level fields it reads (and, for fields read only through fixed member paths, those paths),
 * and literals that every row it can use contains verbatim in its raw JSON text.
 *
 * The engine computes requests from the syntax tree (see `pushdown.ts`) and passes them to
 * `resolveTable` as an argument. Hosts forward it explicitly: an `AsyncLocalStorage` would switch
 * on Node.js's promise hooks for the whole process (the extension host included), a cost on
 * every promise of every extension.
 */

export interface SourceRequest {
  /** Top-level fields the query may read; undefined: every field. */
  readonly fields?: readonly string[];
  /**
   * Fields the query reads only through fixed member paths (`actor.user`, `room["id"]`): those
   * paths. A field listed here needs only the values at these paths (its other keys are unused).
   */
  readonly paths?: Readonly<Record<string, readonly (readonly string[])[]>>;
  /**
   * Literals that occur verbatim in the raw text of every line whose row the query can use,
   * provided the line has no JSON escape (a backslash); lines with escapes must always be read.
   */
  readonly mustContain?: readonly string[];
  /** Fields the query refers to that must exist in the source for the query to read them as columns. */
  readonly required?: readonly string[];
}
