/** Kusto's column-name inference for unnamed expressions. */
import type { Expr } from './ast';

/**
 * Functions named after their first argument, as Kusto names them (`tostring(d.a)` → d_a): the
 * conversions and parsers, and the formatting of datetimes and timespans.
 */
const NAMED_AFTER_FIRST_ARGUMENT = new Set([
  'bin', 'floor', 'bin_at',
  'tostring', 'tohex', 'todynamic', 'toobject', 'tolong', 'toint', 'toreal', 'todouble', 'todecimal',
  'todatetime', 'totimespan', 'totime', 'tobool', 'toboolean', 'toguid',
  'parse_json', 'parsejson', 'parse_xml', 'parse_csv', 'format_datetime', 'format_timespan',
]);

/**
 * `x` → x, `d.a.b` → d_a_b, `d["k"]` → d_k, `bin(t, 1h)` → t, `tostring(d.a)` → d_a (see
 * NAMED_AFTER_FIRST_ARGUMENT); otherwise undefined.
 * `column_ifexists("C", d)` is named after the column used: C when the input has it (`hasColumn`),
 * else after its default (`column_ifexists("Capital", State)` → State, as in Kusto's example).
 */
export function inferName(e: Expr, hasColumn?: (name: string) => boolean): string | undefined {
  switch (e.kind) {
    case 'Name':
      return e.name;
    case 'Member': {
      const base = inferName(e.target, hasColumn);
      return base === undefined ? undefined : `${base}_${e.name}`;
    }
    case 'Index': {
      const base = inferName(e.target, hasColumn);
      if (base === undefined || e.index.kind !== 'Literal') return undefined;
      return `${base}_${String(e.index.value)}`;
    }
    case 'Call':
      if (NAMED_AFTER_FIRST_ARGUMENT.has(e.name) && e.args.length > 0) return inferName(e.args[0], hasColumn);
      if (e.name === 'column_ifexists' && hasColumn && e.args.length === 2) {
        const [named, fallback] = e.args;
        if (named.kind === 'Literal' && typeof named.value === 'string' && hasColumn(named.value)) return named.value;
        return inferName(fallback, hasColumn);
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Makes `name` unique among `taken` with Kusto's numeric suffixes (`name1`, `name2`, ...), and records it. */
export function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 1; taken.has(candidate); i++) candidate = `${name}${i}`;
  taken.add(candidate);
  return candidate;
}

/** `Column1`, `Column2`, ... for expressions without an inferable name. */
export function nextColumnName(taken: Set<string>): string {
  for (let i = 1; ; i++) {
    const n = `Column${i}`;
    if (!taken.has(n)) return n;
  }
}
