/**
 * The value of a parsed YAML document written by a user. Aliases expand at most 100 times: nested
 * aliases (a "billion laughs") would otherwise expand a few lines into gigabytes. Past the limit
 * the yaml library throws; here that is an error message like any other problem with the text.
 */
export function yamlValue(doc: { toJS(options: { maxAliasCount: number }): unknown }): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

const MAX_ALIAS_COUNT = 100;
