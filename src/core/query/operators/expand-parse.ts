/** mv-expand (arrays and bags into rows) and parse (text patterns into columns). */
import type * as A from '../ast';
import { buildColumn } from '../columns';
import { conform, convertTo, toStringValue } from '../convert';
import { isDynamicArray, isDynamicObject, newObject } from '../dynamic';
import { ABORT_CHECK_MASK, QueryRuntimeError, throwIfAborted } from '../errors';
import { inferName } from '../naming';
import { compileRegex, quoteRegex } from '../regex';
import { Table, type Column, type ColumnSchema } from '../table';
import { DateTime, Timespan, typeOfValue, type DynamicValue, type ScalarType, type Value } from '../values';
import { constantCount } from './columns-ops';
import type { OperatorContext } from './context';

const MAX_EXPANDED_ROWS = 50_000_000;

function elementsOf(v: Value, bagExpansion: 'bag' | 'array'): readonly Value[] {
  if (v === null) return [null]; // null expands to one row holding null
  if (isDynamicArray(v)) return v as readonly Value[];
  if (isDynamicObject(v)) {
    return Object.keys(v).map((k) => {
      if (bagExpansion === 'array') return [k, v[k]] as DynamicValue[];
      const bag = newObject();
      bag[k] = v[k];
      return bag;
    });
  }
  return [v];
}

/** `to typeof(T)` only casts: values of another type become null. */
function castElement(type: ScalarType, v: Value): Value {
  if (v === null) return null;
  if (type === 'dynamic') return v;
  const actual = typeOfValue(v);
  if (actual === type) return v;
  if (type === 'real' && actual === 'long') return Number(v);
  if (type === 'string' || type === 'datetime' || type === 'timespan') return typeof v === 'string' ? convertTo(type, v) : null;
  return null;
}

export function mvExpand(table: Table, op: A.MvExpandOp, ctx: OperatorContext): Table {
  const items = op.items.map((item) => {
    const name = item.name ?? inferName(item.expr);
    if (!name) throw new QueryRuntimeError('name the expanded expression: mv-expand Name = expression', item.start, item.end - item.start);
    return { name, compiled: ctx.compile(item.expr, table), type: item.toType ?? ('dynamic' as ScalarType) };
  });
  const limit = op.limit ? constantCount(op.limit, ctx, 'mv-expand limit') : (op.defaultLimit ?? Infinity);
  let cut = 0;
  const sourceRows: number[] = [];
  const indexes: number[] = [];
  const values: Value[][] = items.map(() => []);
  for (let r = 0; r < table.rowCount; r++) {
    if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(ctx.signal);
    const lists = items.map((i) => elementsOf(i.compiled.eval(r), op.bagExpansion));
    // Several expressions expand in parallel; shorter ones are padded with null.
    const longest = Math.max(...lists.map((l) => l.length));
    const n = Math.min(limit, longest);
    if (n < longest) cut++;
    for (let k = 0; k < n; k++) {
      sourceRows.push(r);
      indexes.push(k);
      lists.forEach((l, j) => values[j].push(k < l.length ? castElement(items[j].type, l[k]) : null));
    }
    if (sourceRows.length > MAX_EXPANDED_ROWS) throw new QueryRuntimeError(`mv-expand produces more than ${MAX_EXPANDED_ROWS.toLocaleString('en-US')} rows`, op.start, op.end - op.start, 'use `limit` or filter first');
  }
  // A limit the query did not write is said when it cuts (a written one is the query's own choice).
  if (cut > 0 && !op.limit && op.defaultLimit !== undefined) ctx.run.warnings.push(`mvexpand expanded at most ${op.defaultLimit} items of ${cut.toLocaleString('en-US')} row(s), the default limit of the deprecated name (as Kusto); write mv-expand, or mvexpand ... limit N`);
  const base = table.gather(Uint32Array.from(sourceRows));
  const schema: ColumnSchema[] = [...base.schema];
  const columns: Column[] = [...base.columns];
  items.forEach((item, j) => {
    const column = buildColumn(item.type, sourceRows.length, (k) => values[j][k]);
    const at = schema.findIndex((c) => c.name === item.name);
    if (at >= 0) {
      schema[at] = { name: item.name, type: item.type };
      columns[at] = column;
    } else {
      schema.push({ name: item.name, type: item.type });
      columns.push(column);
    }
  });
  if (op.itemIndex) {
    // Two columns of one name read differently in each output (the JSON row kept the index, a `project` the column).
    if (schema.some((c) => c.name === op.itemIndex)) throw new QueryRuntimeError(`mv-expand with_itemindex would create two columns named \`${op.itemIndex}\``, op.start, op.end - op.start, 'choose another name for the index');
    schema.push({ name: op.itemIndex, type: 'long' });
    columns.push(buildColumn('long', indexes.length, (k) => BigInt(indexes[k])));
  }
  return new Table(schema, columns, sourceRows.length);
}

// ---------- parse ----------

// ASCII digits: `\d` is any Unicode digit (as in Kusto), which no number conversion reads.
const TYPE_PATTERNS: Partial<Record<ScalarType, string>> = {
  long: '[+-]?[0-9]+',
  real: '[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?',
  bool: '(?i:true|false|0|1)',
};

/**
 * Builds one regex from the pattern: text is literal (or a regex fragment for kind=regex), `*`
 * skips, string columns capture (the last one takes the rest of the text), and long, real and bool
 * columns capture what their type looks like. Each column's capture group is numbered past the
 * groups of the text before it, so a fragment's own groups (`"(i)d="`) shift nothing.
 * - simple and relaxed: anchored at the start; `*` and string columns are lazy. A relaxed typed
 *   column that does not look like its type skips lazily to the next text and is null.
 * - regex: not anchored; greedy, as in Kusto (`flags=U` makes it lazy), and `.` matches a newline
 *   only with `flags=s`.
 */
function patternRegex(op: A.ParseOp): { source: string; columns: { name: string; type: ScalarType; group: number }[] } {
  const parts = op.pattern;
  const regex = op.parseKind === 'regex';
  const any = (last: boolean) => (regex || last ? '.*' : '.*?');
  let source = '';
  let groups = 0;
  const columns: { name: string; type: ScalarType; group: number }[] = [];
  parts.forEach((p, i) => {
    const last = i === parts.length - 1;
    if (p.kind === 'text') {
      if (!regex) source += quoteRegex(p.text);
      else {
        source += `(?:${p.text})`;
        groups += compileRegex(p.text, '', op).groupCount();
      }
    } else if (p.kind === 'star') {
      // Kusto refuses it: nothing says where the column ends and `*` starts (a lazy column always
      // gave `*` everything, a greedy one took it all).
      const before = parts[i - 1];
      if (before?.kind === 'column' && before.type === 'string') {
        throw new QueryRuntimeError(`\`*\` cannot follow the string column \`${before.name}\` in a parse pattern: nothing says where one ends and the other starts`, p.start, p.end - p.start, `put the text that ends ${before.name} between them (${before.name} " " *), or drop the *`);
      }
      source += any(last);
    }
    else {
      columns.push({ name: p.name, type: p.type, group: ++groups });
      // A typed column takes all its type looks like, also under flags=U (which makes `\d+` lazy: 1 of 123).
      const typed = TYPE_PATTERNS[p.type] && `(?-U:${TYPE_PATTERNS[p.type]})`;
      if (!typed) source += `(${any(last)})`;
      else if (op.parseKind === 'relaxed') source += `(?:(${typed})|${any(last)})`;
      else source += `(${typed})`;
    }
  });
  return { source: (regex ? '' : '^') + source + (op.parseKind === 'simple' ? '$' : ''), columns };
}

export function parse(table: Table, op: A.ParseOp, ctx: OperatorContext): Table {
  const value = ctx.compile(op.source, table);
  const { source, columns } = patternRegex(op);
  // The simple pattern is anchored at both ends, except that text may follow a final literal.
  const relaxedEnd = op.parseKind === 'simple' && op.pattern[op.pattern.length - 1]?.kind === 'text' ? source.slice(0, -1) : source;
  const re = compileRegex(relaxedEnd, op.parseKind === 'regex' ? op.flags : 's', op);
  const extracted: Value[][] = columns.map(() => new Array<Value>(table.rowCount));
  const matcher = re.matcher('');
  for (let r = 0; r < table.rowCount; r++) {
    if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(ctx.signal);
    const text = toStringValue(value.eval(r));
    matcher.resetMatcherInput(text);
    const ok = matcher.find();
    const converted = columns.map((c) => (ok ? convertCapture(c.type, matcher.group(c.group) ?? '') : null));
    // kind=simple/regex: a row whose values do not all convert gets no values; relaxed keeps what converts.
    const allOk = ok && (op.parseKind === 'relaxed' || converted.every((v, j) => v !== null || columns[j].type === 'string'));
    columns.forEach((_c, j) => (extracted[j][r] = allOk || op.parseKind === 'relaxed' ? converted[j] : null));
  }
  const schema: ColumnSchema[] = [...table.schema];
  const out: Column[] = [...table.columns];
  columns.forEach((c, j) => {
    const column = buildColumn(c.type, table.rowCount, (r) => extracted[j][r]);
    const at = schema.findIndex((s) => s.name === c.name);
    if (at >= 0) {
      schema[at] = { name: c.name, type: c.type };
      out[at] = column;
    } else {
      schema.push({ name: c.name, type: c.type });
      out.push(column);
    }
  });
  return new Table(schema, out, table.rowCount);
}

function convertCapture(type: ScalarType, text: string): Value {
  if (type === 'string') return text;
  const v = convertTo(type, text);
  if (v instanceof DateTime || v instanceof Timespan) return v;
  return conform(type, v);
}
