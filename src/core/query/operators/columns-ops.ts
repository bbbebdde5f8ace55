/** Row-preserving operators: where, project, extend, project-away/keep/rename/reorder, take, count, getschema. */
import type * as A from '../ast';
import { buildColumn } from '../columns';
import { QueryRuntimeError } from '../errors';
import { ABORT_CHECK_MASK, throwIfAborted } from '../errors';
import { inferName, nextColumnName, uniqueName } from '../naming';
import { closest } from '../suggest';
import { Table, columnFromValues, numberColumnFromArray, type Column, type ColumnSchema } from '../table';
import { isRawType } from '../compiled';
import { requireBool } from '../compile';
import { compareValues } from '../compare';
import { toRealValue } from '../convert';
import type { OperatorContext } from './context';

export function unknownColumn(name: string, table: Table, at: A.Span): QueryRuntimeError {
  const names = table.schema.map((c) => c.name);
  const near = closest(name, names);
  const listing = names.length ? `available columns: ${names.slice(0, 40).join(', ')}${names.length > 40 ? ', ...' : ''}` : 'the input has no columns';
  const err = new QueryRuntimeError(`unknown column \`${name}\``, at.start, at.end - at.start, near ? `did you mean \`${near}\`? (${listing})` : listing);
  err.missingName = name;
  return err;
}

export function where(table: Table, op: A.WhereOp, ctx: OperatorContext): Table {
  const pred = ctx.compile(op.predicate, table);
  // `where Flag` on a long column would otherwise keep no row, silently.
  requireBool('where', pred, op.predicate);
  if (pred.constant) return pred.constant.value === true ? table : table.slice(0, 0);
  const n = table.rowCount;
  let selected = new Uint32Array(Math.min(n, 1024));
  let count = 0;
  const test = pred.eval;
  for (let r = 0; r < n; r++) {
    if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(ctx.signal);
    if (test(r) === true) {
      if (count === selected.length) {
        const bigger = new Uint32Array(Math.min(n, selected.length * 2));
        bigger.set(selected);
        selected = bigger;
      }
      selected[count++] = r;
    }
  }
  if (count === n) return table;
  return table.gather(selected.subarray(0, count));
}

/** Evaluates an expression for every row into a column (reusing the column for plain references). */
export function materialize(expr: A.Expr, table: Table, ctx: OperatorContext): Column {
  const c = ctx.compile(expr, table);
  if (c.column && c.column.length === table.rowCount) return c.column;
  if (c.constant) {
    const v = c.constant.value;
    return buildColumn(c.type, table.rowCount, () => v);
  }
  const signal = ctx.signal;
  const raw = c.evalRaw;
  if (raw && isRawType(c.type)) {
    const n = table.rowCount;
    const values = new Float64Array(n);
    let nulls: Uint8Array | undefined;
    for (let r = 0; r < n; r++) {
      if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
      const v = raw(r);
      if (v === null) (nulls ??= new Uint8Array(n))[r] = 1;
      else values[r] = v;
    }
    return numberColumnFromArray(c.type, values, nulls);
  }
  return buildColumn(c.type, table.rowCount, (r) => {
    if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
    return c.eval(r);
  });
}

function nameFor(a: A.ColumnAssignment, taken: Set<string>, table: Table): string {
  return a.name ?? inferName(a.expr, (n) => table.column(n) !== undefined) ?? nextColumnName(taken);
}

export function project(table: Table, op: A.ProjectOp, ctx: OperatorContext): Table {
  const schema: ColumnSchema[] = [];
  const columns: Column[] = [];
  const taken = new Set<string>();
  for (const a of op.columns) {
    let name = nameFor(a, taken, table);
    // A name given twice, or a column listed twice, is a mistake; a name inferred from an
    // expression (`project x, tostring(x)`) is numbered, as Kusto does.
    if (taken.has(name) && (a.name !== undefined || a.expr.kind === 'Name')) throw new QueryRuntimeError(`column \`${name}\` appears twice in project`, a.start, a.end - a.start, 'give one of them another name: `project Other = ...`');
    name = uniqueName(name, taken);
    const column = materialize(a.expr, table, ctx);
    schema.push({ name, type: column.type });
    columns.push(column);
  }
  return new Table(schema, columns, table.rowCount);
}

export function extend(table: Table, op: A.ProjectOp, ctx: OperatorContext): Table {
  let current = table;
  for (const a of op.columns) {
    const taken = new Set(current.schema.map((c) => c.name));
    const name = nameFor(a, taken, current);
    const column = materialize(a.expr, current, ctx);
    const schema = [...current.schema];
    const columns = [...current.columns];
    const at = current.columnIndex(name);
    // Extending an existing name replaces that column in place, as in Kusto.
    if (at >= 0) {
      schema[at] = { name, type: column.type };
      columns[at] = column;
    } else {
      schema.push({ name, type: column.type });
      columns.push(column);
    }
    current = new Table(schema, columns, current.rowCount);
  }
  return current;
}

function patternMatcher(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (n) => n === pattern;
  const parts = pattern.split('*');
  return (n) => {
    if (!n.startsWith(parts[0]) || !n.endsWith(parts[parts.length - 1])) return false;
    let at = parts[0].length;
    for (let i = 1; i < parts.length - 1; i++) {
      const found = n.indexOf(parts[i], at);
      if (found < 0) return false;
      at = found + parts[i].length;
    }
    return at <= n.length - parts[parts.length - 1].length;
  };
}

function matchingColumns(table: Table, patterns: readonly string[], op: A.Span): number[][] {
  return patterns.map((p) => {
    const m = patternMatcher(p);
    const hits = table.schema.flatMap((c, i) => (m(c.name) ? [i] : []));
    if (hits.length === 0 && !p.includes('*')) throw unknownColumn(p, table, op);
    return hits;
  });
}

export function projectNames(table: Table, op: A.ProjectNamesOp): Table {
  const groups = matchingColumns(table, op.patterns, op);
  let order: number[];
  if (op.kind === 'project-away') {
    const away = new Set(groups.flat());
    order = table.schema.map((_, i) => i).filter((i) => !away.has(i));
  } else if (op.kind === 'project-keep') {
    const keep = new Set(groups.flat());
    order = table.schema.map((_, i) => i).filter((i) => keep.has(i));
  } else {
    const first: number[] = [];
    groups.forEach((g, k) => {
      const byNameOrder = op.orders?.[k];
      const byName = (a: number, b: number) => (compareValues(table.schema[a].name, table.schema[b].name) ?? 0) * (byNameOrder === 'desc' ? -1 : 1);
      for (const i of byNameOrder ? [...g].sort(byName) : g) if (!first.includes(i)) first.push(i);
    });
    order = [...first, ...table.schema.map((_, i) => i).filter((i) => !first.includes(i))];
  }
  return new Table(order.map((i) => table.schema[i]), order.map((i) => table.columns[i]), table.rowCount);
}

export function projectRename(table: Table, op: A.ProjectRenameOp): Table {
  const schema = [...table.schema];
  const renamed = new Set<number>();
  for (const r of op.renames) {
    const i = table.columnIndex(r.from);
    if (i < 0) throw unknownColumn(r.from, table, r);
    // A second name for the same column replaced the first without a word (`x = a, y = a` kept y).
    if (renamed.has(i)) throw new QueryRuntimeError(`project-rename renames \`${r.from}\` twice`, r.start, r.end - r.start, 'to keep both names, copy it: extend y = a');
    renamed.add(i);
    schema[i] = { name: r.to, type: schema[i].type };
  }
  const names = new Set<string>();
  for (const c of schema) {
    if (names.has(c.name)) throw new QueryRuntimeError(`project-rename would create two columns named \`${c.name}\``, op.start, op.end - op.start);
    names.add(c.name);
  }
  return new Table(schema, table.columns, table.rowCount);
}

/** A row count given as a constant expression (`take 10`, `top 5 by ...`). */
export function constantCount(e: A.Expr, ctx: OperatorContext, what: string): number {
  const c = ctx.compile(e, Table.empty());
  // A count of rows: a whole number (`take 1.5` took one row, `take "2"` two).
  const v = c.constant?.value;
  const n = typeof v === 'bigint' || typeof v === 'number' ? toRealValue(v) : null;
  if (n === null || n < 0 || !Number.isFinite(n)) throw new QueryRuntimeError(`${what} needs a non-negative whole number`, e.start, e.end - e.start, typeof v === 'string' ? `write the number without quotes: ${what} ${v.trim()}` : undefined);
  if (!Number.isInteger(n)) throw new QueryRuntimeError(`${what} needs a whole number of rows, not ${n}`, e.start, e.end - e.start, `${what} ${Math.ceil(n)}`);
  return n;
}

export function take(table: Table, op: A.TakeOp, ctx: OperatorContext): Table {
  const n = constantCount(op.count, ctx, 'take');
  return n >= table.rowCount ? table : table.slice(0, n);
}

export function count(table: Table): Table {
  return new Table([{ name: 'Count', type: 'long' }], [columnFromValues('long', [BigInt(table.rowCount)])], 1);
}

export function getSchema(table: Table): Table {
  const names = table.schema.map((c) => c.name);
  return new Table(
    [
      { name: 'ColumnName', type: 'string' },
      { name: 'ColumnOrdinal', type: 'long' },
      { name: 'DataType', type: 'string' },
      { name: 'ColumnType', type: 'string' },
    ],
    [
      columnFromValues('string', names),
      columnFromValues('long', names.map((_, i) => BigInt(i))),
      columnFromValues('string', table.schema.map((c) => `System.${({ string: 'String', long: 'Int64', real: 'Double', bool: 'Boolean', datetime: 'DateTime', timespan: 'TimeSpan', dynamic: 'Object' } as const)[c.type]}`)),
      columnFromValues('string', table.schema.map((c) => c.type)),
    ],
    names.length,
  );
}
