/**
 * Compiles scalar expressions into closures `(row) => Value` bound to a table's columns. Typed
 * fast paths avoid boxing where a column exposes raw numbers or dictionary codes.
 */
import type * as A from './ast';
import { arith, arithType, kustoModulo, negate } from './arith';
import { compareValues, hashKey, valuesEqual } from './compare';
import { boxRaw, constant, countFunctionCall, isRawType, type Compiled, type ExprContext } from './compiled';
import { convertTo, isLong, toBoolValue, toDateTimeValue as toDateTime, toRealValue, toStringValue, toTimespanValue } from './convert';
import { dynamicFromNode, getIndex, getProperty, isDynamicArray, parseJson } from './dynamic';
import { fromOtherRun, QueryRuntimeError } from './errors';
import { builtinFunction, functionNames } from './functions';
import { AGGREGATE_NAMES } from './aggregate-names';
import { compileRegex } from './regex';
import { closest } from './suggest';
import { foldCase, hasTerm, stringPredicate } from './text';
import { isNumericColumn, isStringColumn, type CodedStrings, type Column, type Table } from './table';
import { followPath, isStructColumn } from './structColumn';
import { DateTime, Timespan, datetimeMicros, timespanMicrosOrNull, type ScalarType, type Value } from './values';

export function runtimeError(message: string, at: A.Span, hint?: string): QueryRuntimeError {
  return new QueryRuntimeError(message, at.start, at.end - at.start, hint);
}

export function compileExpr(e: A.Expr, ctx: ExprContext): Compiled {
  return compileInner(e, ctx);
}

function isConst(c: Compiled): c is Compiled & { constant: { value: Value } } {
  return c.constant !== undefined;
}

function literalValue(e: A.LiteralNode): Value {
  if (e.value === null) return null;
  switch (e.type) {
    case 'long':
      return BigInt(e.value);
    case 'datetime':
      return new DateTime(e.value);
    case 'timespan':
      return new Timespan(e.value);
    default:
      return e.value;
  }
}

function compileInner(e: A.Expr, ctx: ExprContext): Compiled {
  switch (e.kind) {
    case 'Literal': {
      const value = literalValue(e);
      // A whole number beyond 64 bits is a real, as Kusto reads it, never a long wrapped to another sign.
      if (typeof value === 'bigint' && !isLong(value)) return constant('real', Number(value));
      return constant(e.type === 'null' ? 'dynamic' : e.type === 'string' ? 'string' : e.type, value);
    }
    case 'DynamicLiteral':
      return constant('dynamic', dynamicFromNode(e.value));
    case 'Name':
      return compileName(e, ctx);
    case 'JoinSide':
      throw runtimeError(`\`$${e.side}.${e.name}\` can only be used in a join condition`, e);
    case 'Star':
      throw runtimeError('`*` can only be used as an aggregate argument, as in `arg_max(t, *)`', e);
    case 'Unary': {
      const o = compileExpr(e.operand, ctx);
      if (e.op === '+') return o;
      if (o.type !== 'long' && o.type !== 'real' && o.type !== 'timespan' && o.type !== 'dynamic') throw runtimeError(`cannot negate a ${o.type}`, e);
      if (isConst(o)) return constant(o.type, negate(o.constant.value));
      return { type: o.type, eval: (r) => negate(o.eval(r)) };
    }
    case 'Binary':
      return compileBinary(e, ctx);
    case 'StringOp':
      return compileStringOp(e, ctx);
    case 'List':
      return compileList(e, ctx);
    case 'Between':
      return compileBetween(e, ctx);
    case 'Call':
      return compileCall(e, ctx);
    case 'Member':
    case 'Index':
      return compileAccess(e, ctx);
    case 'ToScalar': {
      const t = ctx.subqueries.get(e);
      if (!t) throw runtimeError('this subquery cannot be used here', e);
      const value = t.rowCount > 0 && t.columns.length > 0 ? t.columns[0].get(0) : null;
      return constant(t.columns.length > 0 ? t.schema[0].type : 'dynamic', value);
    }
  }
}

function compileName(e: A.NameRef, ctx: ExprContext): Compiled {
  const local = ctx.locals.get(e.name);
  if (local) return local;
  const index = ctx.table.columnIndex(e.name);
  if (index >= 0) {
    const column = ctx.table.columns[index];
    if (isNumericColumn(column)) return { type: column.type, eval: (r) => column.get(r), column, evalRaw: (r) => column.raw(r), rawArray: { values: column.values, nulls: column.nulls } };
    return { type: column.type, eval: (r) => column.get(r), column };
  }
  const def = ctx.scope.get(e.name);
  if (def?.kind === 'scalar') return constant(def.type, def.value);
  if (def?.kind === 'tabular') throw runtimeError(`\`${e.name}\` is a table, not a value`, e, `use it as a source (\`${e.name} | ...\`), in \`in (${e.name})\`, or with toscalar(${e.name})`);
  if (def?.kind === 'function') throw runtimeError(`\`${e.name}\` is a function`, e, `call it: ${e.name}(...)`);
  const columns = ctx.table.schema.map((c) => c.name);
  const candidates = [...columns, ...ctx.scope.names(), ...ctx.locals.keys()];
  const near = closest(e.name, candidates);
  const listing = columns.length ? `available columns: ${columns.slice(0, 40).join(', ')}${columns.length > 40 ? ', ...' : ''}` : 'the input has no columns';
  const err = runtimeError(`unknown column or name \`${e.name}\``, e, near ? `did you mean \`${near}\`? (${listing})` : listing);
  err.missingName = e.name;
  throw err;
}

// ---------- comparisons and logic ----------

/**
 * As in Kusto, `and`, `or` and `where` take bools (or dynamic values, which may hold one): a long
 * or string there is a mistake that would otherwise filter silently.
 */
export function requireBool(context: string, c: Compiled, at: A.Span): void {
  if (c.type === 'bool' || c.type === 'dynamic') return;
  throw runtimeError(`${context} needs a bool condition; this one is ${c.type}`, at, c.type === 'string' ? 'compare it, e.g. Flag == "true" or isnotempty(Flag)' : 'compare it, e.g. Flag == 1 or isnotnull(Flag)');
}

function truth(v: Value): boolean | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  return toBoolValue(v);
}

function compileBinary(e: A.BinaryExpr, ctx: ExprContext): Compiled {
  const l = compileExpr(e.left, ctx);
  const r = compileExpr(e.right, ctx);
  switch (e.op) {
    case 'and':
    case 'or':
      requireBool(e.op, l, e.left);
      requireBool(e.op, r, e.right);
      return compileLogic(e.op, l, r);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      const op = e.op;
      const t = arithType(op, l.type, r.type);
      if (typeof t !== 'string') throw runtimeError(t.error, e);
      if (isConst(l) && isConst(r)) return constant(t, arith(op, l.constant.value, r.constant.value));
      return rawArithmetic(op, t, l, r) ?? { type: t, eval: (row) => arith(op, l.eval(row), r.eval(row)) };
    }
    case '==':
    case '!=':
    case '=~':
    case '!~':
      return compileEquality(e.op, l, r, e);
    default:
      return compileOrdering(e.op, l, r, e);
  }
}

/** Arithmetic among reals, datetimes and timespans on raw numbers, boxing only when a value is asked for. */
function rawArithmetic(op: '+' | '-' | '*' | '/' | '%', type: ScalarType, l: Compiled, r: Compiled): Compiled | undefined {
  const a = l.evalRaw;
  const b = r.evalRaw;
  if (!a || !b || !isRawType(type)) return undefined;
  // Dividing a timespan by zero is null (a real divided by zero stays infinite).
  const nullOnZero = type === 'timespan' && (op === '/' || op === '%');
  let f: (x: number, y: number) => number | null;
  switch (op) {
    case '+':
      f = (x, y) => x + y;
      break;
    case '-':
      f = (x, y) => x - y;
      break;
    case '*':
      f = (x, y) => x * y;
      break;
    case '/':
      f = nullOnZero ? (x, y) => (y === 0 ? null : x / y) : (x, y) => x / y;
      break;
    case '%':
      f = nullOnZero ? (x, y) => (y === 0 ? null : kustoModulo(x, y)) : kustoModulo;
      break;
  }
  // Datetimes and timespans keep whole microseconds, and a datetime beyond Kusto's range is null.
  const settle = type === 'datetime' ? datetimeMicros : type === 'timespan' ? timespanMicrosOrNull : undefined;
  const evalRaw = settle
    ? (row: number) => {
        const x = a(row);
        if (x === null) return null;
        const y = b(row);
        if (y === null) return null;
        const n = f(x, y);
        return n === null ? null : settle(n);
      }
    : (row: number) => {
        const x = a(row);
        if (x === null) return null;
        const y = b(row);
        return y === null ? null : f(x, y);
      };
  return {
    type,
    evalRaw,
    eval: (row) => {
      const n = evalRaw(row);
      return n === null ? null : boxRaw(type, n);
    },
  };
}

function compileLogic(op: 'and' | 'or', l: Compiled, r: Compiled): Compiled {
  if (op === 'and') {
    return {
      type: 'bool',
      eval: (row) => {
        const a = truth(l.eval(row));
        if (a === false) return false;
        const b = truth(r.eval(row));
        if (b === false) return false;
        return a === null || b === null ? null : true;
      },
    };
  }
  return {
    type: 'bool',
    eval: (row) => {
      const a = truth(l.eval(row));
      if (a === true) return true;
      const b = truth(r.eval(row));
      if (b === true) return true;
      return a === null || b === null ? null : false;
    },
  };
}

/** Per-dictionary-code memo of a string predicate: each distinct string is tested once. */
function onStringCodes(column: Column & CodedStrings, test: (s: string) => boolean): (row: number) => boolean {
  const memo = new Uint8Array(column.dictionarySize);
  return (row) => {
    const code = column.code(row);
    let m = memo[code];
    if (m === 0) {
      m = test(column.entry(code)) ? 2 : 1;
      memo[code] = m;
    }
    return m === 2;
  };
}

/** A boolean test over the string form of a value; strings are never null in Kusto, so null reads as "". */
function stringTest(c: Compiled, test: (s: string) => boolean): Compiled {
  const col = c.column;
  if (col && isStringColumn(col)) return { type: 'bool', eval: onStringCodes(col, test) };
  if (isConst(c)) return constant('bool', test(toStringValue(c.constant.value)));
  // A string-typed expression can still yield a dynamic value (iff/coalesce over dynamic): convert, never assume.
  if (c.type === 'string') return { type: 'bool', eval: (row) => { const v = c.eval(row); return test(typeof v === 'string' ? v : toStringValue(v)); } };
  return { type: 'bool', eval: (row) => test(toStringValue(c.eval(row))) };
}

/** Text read as a number for `in`: integer text exactly (beyond 2^53 too), other text as a real. */
function numberOfText(text: string): number | bigint | null {
  const t = text.trim();
  const n = /^-?\d{1,19}$/.test(t) ? BigInt(t) : undefined;
  return n !== undefined && n >= -(2n ** 63n) && n < 2n ** 63n ? n : toRealValue(t);
}

/**
 * A string against a number, datetime or timespan is an error, as in Kusto: read as numbers,
 * `"1" == 1` held where `"1" in (1)` did not, and `"10" > 9` depended on which side was text; a
 * text time against a datetime compared as JSON text (`"2026-03-01 11:00:00" > datetime(2026-03-01
 * 10:00)` was false). A string literal against a datetime is read as one (`coerceDateLiteral`).
 */
function refuseTextAgainstNumber(op: string, l: Compiled, r: Compiled, e: A.Span): void {
  const numeric = (t: ScalarType) => t === 'long' || t === 'real';
  if ((l.type === 'string' && numeric(r.type)) || (numeric(l.type) && r.type === 'string')) {
    const textOnLeft = l.type === 'string';
    throw runtimeError(`cannot compare a ${l.type} with a ${r.type} using \`${op}\``, e, `convert one side: ${writtenAs(op, 'tolong(x)', '200', '300', textOnLeft)}, or compare the text: ${writtenAs(op, 'x', '"200"', '"300"', textOnLeft)}`);
  }
  refuseMixedMeasures(op, l, r, e);
  const [text, time] = l.type === 'string' ? [l, r] : [r, l];
  if (text.type !== 'string' || (time.type !== 'datetime' && time.type !== 'timespan')) return;
  if (time.type === 'datetime' && isConst(text)) return;
  const [convert, low, high] = time.type === 'datetime' ? ['todatetime', 'datetime(2026-01-31)', 'datetime(2026-02-01)'] : ['totimespan', '1h', '2h'];
  throw runtimeError(`cannot compare a ${l.type} with a ${r.type} using \`${op}\``, e, `read the text as a ${time.type}: ${writtenAs(op, `${convert}(x)`, low, high, text === l)}`);
}

/**
 * A number, a datetime and a timespan measure different things, and Kusto refuses to compare
 * them: `t > 1h` (meant: `t > ago(1h)`) was null on every row, so `where` silently kept none.
 */
function refuseMixedMeasures(op: string, l: Compiled, r: Compiled, e: A.Span): void {
  const measure = (t: ScalarType) => (t === 'long' || t === 'real' ? 'number' : t === 'datetime' || t === 'timespan' ? t : null);
  const a = measure(l.type), b = measure(r.type);
  if (a === null || b === null || a === b) return;
  const kinds = new Set([a, b]);
  const hint = !kinds.has('number')
    ? 'a datetime is a point in time and a timespan a length: for the time an hour ago write ago(1h) (t > ago(1h)), for an hour after t write t + 1h'
    : kinds.has('datetime')
      ? 'read the number as a time: unixtime_seconds_todatetime(x) (or unixtime_milliseconds_todatetime)'
      : 'give the number a unit: 5s, or x * 1s';
  throw runtimeError(`cannot compare a ${l.type} with a ${r.type} using \`${op}\``, e, hint);
}

/** The comparison as written, with the text side converted (`totimespan(x) > 1h`, `1h < totimespan(x)`). */
function writtenAs(op: string, converted: string, value: string, other: string, textOnLeft: boolean): string {
  if (op === 'between') return `${converted} between (${value} .. ${other})`;
  if (op === 'in' || op === '!in') return `${converted} ${op} (${value})`;
  return textOnLeft ? `${converted} ${op} ${value}` : `${value} ${op} ${converted}`;
}

function compileEquality(op: '==' | '!=' | '=~' | '!~', l: Compiled, r: Compiled, e: A.Span): Compiled {
  if (op === '==' || op === '!=') refuseTextAgainstNumber(op, l, r, e);
  const negated = op === '!=' || op === '!~';
  const insensitive = op === '=~' || op === '!~';
  if (insensitive && l.type !== 'string' && l.type !== 'dynamic' && r.type !== 'string' && r.type !== 'dynamic') {
    throw runtimeError(`\`${op}\` compares strings; ${l.type} and ${r.type} are not strings`, e, 'use == or != for other types');
  }
  // A string literal against a datetime is read as a datetime, as in an ordering (`t == "2026-01-01"`).
  if (!insensitive) {
    if (l.type === 'datetime' && isConst(r) && typeof r.constant.value === 'string') r = coerceDateLiteral(r, e);
    if (r.type === 'datetime' && isConst(l) && typeof l.constant.value === 'string') l = coerceDateLiteral(l, e);
  }
  if (l.type === 'string' || r.type === 'string' || insensitive) {
    // String equality: constant side first for the dictionary fast path.
    const [v, k] = isConst(r) ? [l, r] : isConst(l) ? [r, l] : [undefined, undefined];
    if (v && k && (v.type === 'string' || insensitive)) {
      const needle = toStringValue(k.constant.value);
      const want = insensitive ? foldCase(needle) : needle;
      const test = insensitive ? (s: string) => (foldCase(s) === want) !== negated : (s: string) => (s === want) !== negated;
      return stringTest(v, test);
    }
    if (l.type === 'string' && r.type === 'string') {
      return {
        type: 'bool',
        eval: insensitive
          ? (row) => (foldCase(toStringValue(l.eval(row))) === foldCase(toStringValue(r.eval(row)))) !== negated
          : (row) => (l.eval(row) === r.eval(row)) !== negated,
      };
    }
    if (insensitive) {
      return { type: 'bool', eval: (row) => (foldCase(toStringValue(l.eval(row))) === foldCase(toStringValue(r.eval(row)))) !== negated };
    }
  }
  const fast = numericComparison(negated ? '!=' : '==', l, r);
  if (fast) return fast;
  return {
    type: 'bool',
    eval: (row) => {
      const a = l.eval(row);
      const b = r.eval(row);
      if (a === null || b === null) return withNull(a === null && b === null, negated ? '!=' : '==');
      const eq = valuesEqual(a, b);
      return eq === null ? null : eq !== negated;
    },
  };
}

type OrderOp = '<' | '<=' | '>' | '>=' | '==' | '!=';

/**
 * A comparison with a null side, as Kusto defines it: null against a value is false for `==` and
 * true for `!=` (so `where x != 5` keeps rows without an x); null against null, and any ordering
 * with a null, is null.
 */
function withNull(bothNull: boolean, op: OrderOp): boolean | null {
  if (bothNull) return null;
  return op === '==' ? false : op === '!=' ? true : null;
}

function orderTest(op: OrderOp): (c: number) => boolean {
  switch (op) {
    case '<':
      return (c) => c < 0;
    case '<=':
      return (c) => c <= 0;
    case '>':
      return (c) => c > 0;
    case '>=':
      return (c) => c >= 0;
    case '==':
      return (c) => c === 0;
    case '!=':
      return (c) => c !== 0;
  }
}

/** Column-versus-constant comparisons on raw numbers, without boxing. */
function numericComparison(op: OrderOp, l: Compiled, r: Compiled): Compiled | undefined {
  let col = l.column;
  let k = r;
  let flipped = false;
  if (!col || !isConst(r)) {
    if (r.column && isConst(l)) {
      col = r.column;
      k = l;
      flipped = true;
    } else if (l.evalRaw && isConst(r) && !isConst(l)) return rawComparison(op, l, r.constant.value);
    else if (r.evalRaw && isConst(l) && !isConst(r)) {
      const swapped = ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as const)[op];
      return rawComparison(swapped, r, l.constant.value);
    } else return undefined;
  }
  const kv = (k as Compiled & { constant: { value: Value } }).constant.value;
  const effective: OrderOp = flipped ? ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' } as const)[op] : op;
  if (kv === null) {
    if (effective !== '==' && effective !== '!=') return constant('bool', null);
    const c = col;
    return { type: 'bool', eval: (row) => withNull(c.get(row) === null, effective) };
  }
  if (isNumericColumn(col)) {
    let n: number | undefined;
    if (col.type === 'real' && (typeof kv === 'number' || typeof kv === 'bigint')) n = Number(kv);
    else if (col.type === 'datetime' && kv instanceof DateTime) n = kv.us;
    else if (col.type === 'timespan' && kv instanceof Timespan) n = kv.us;
    if (n === undefined) return undefined;
    const c = col;
    const target = n;
    switch (effective) {
      case '<':
        return { type: 'bool', eval: (row) => { const x = c.raw(row); return x === null ? null : x < target; } };
      case '<=':
        return { type: 'bool', eval: (row) => { const x = c.raw(row); return x === null ? null : x <= target; } };
      case '>':
        return { type: 'bool', eval: (row) => { const x = c.raw(row); return x === null ? null : x > target; } };
      case '>=':
        return { type: 'bool', eval: (row) => { const x = c.raw(row); return x === null ? null : x >= target; } };
      case '==':
        return { type: 'bool', eval: (row) => { const x = c.raw(row); return x === null ? false : x === target; } };
      case '!=':
        return { type: 'bool', eval: (row) => { const x = c.raw(row); return x === null ? true : x !== target; } };
    }
  }
  if (col.type === 'long' && typeof kv === 'bigint') {
    const c = col;
    const test = orderTest(effective);
    return {
      type: 'bool',
      eval: (row) => {
        const x = c.get(row) as bigint | null;
        return x === null ? withNull(false, effective) : test(x < kv ? -1 : x > kv ? 1 : 0);
      },
    };
  }
  return undefined;
}

/** A computed real/datetime/timespan expression against a constant of the same kind. */
function rawComparison(op: OrderOp, x: Compiled, k: Value): Compiled | undefined {
  const evalRaw = x.evalRaw;
  if (!evalRaw) return undefined;
  let target: number | undefined;
  if (x.type === 'real' && (typeof k === 'number' || typeof k === 'bigint')) target = Number(k);
  else if (x.type === 'datetime' && k instanceof DateTime) target = k.us;
  else if (x.type === 'timespan' && k instanceof Timespan) target = k.us;
  if (target === undefined) return undefined;
  const t = target;
  const test = orderTest(op);
  return {
    type: 'bool',
    eval: (row) => {
      const v = evalRaw(row);
      return v === null ? withNull(false, op) : test(v < t ? -1 : v > t ? 1 : v === t ? 0 : NaN);
    },
  };
}

function compileOrdering(op: '<' | '<=' | '>' | '>=', l: Compiled, r: Compiled, e: A.Span): Compiled {
  const comparable = (t: ScalarType) => t !== 'bool';
  if (!comparable(l.type) || !comparable(r.type)) throw runtimeError(`cannot compare ${l.type} with ${r.type} using \`${op}\``, e);
  refuseTextAgainstNumber(op, l, r, e);
  const fast = numericComparison(op, l, r);
  if (fast) return fast;
  const test = orderTest(op);
  // A string literal against a datetime column is read as a datetime.
  if (l.type === 'datetime' && isConst(r) && typeof r.constant.value === 'string') r = coerceDateLiteral(r, e);
  if (r.type === 'datetime' && isConst(l) && typeof l.constant.value === 'string') l = coerceDateLiteral(l, e);
  const again = numericComparison(op, l, r);
  if (again) return again;
  return {
    type: 'bool',
    eval: (row) => {
      const c = compareValues(l.eval(row), r.eval(row));
      return c === null ? null : test(c);
    },
  };
}

function coerceDateLiteral(c: Compiled & { constant: { value: Value } }, e: A.Span): Compiled {
  return constant('datetime', dateFromLiteral(c.constant.value as string, e));
}

/** A string literal compared with a datetime, read as one; a positioned error when it is none. */
function dateFromLiteral(text: string, e: A.Span): DateTime {
  const parsed = toDateTime(text);
  if (!parsed) throw runtimeError(`cannot compare a datetime with the string "${text}"`, e, 'write datetime(2026-01-31 10:00)');
  return parsed;
}


// ---------- string operators ----------

function compileStringOp(e: A.StringOpExpr, ctx: ExprContext): Compiled {
  const l = compileExpr(e.left, ctx);
  const r = compileExpr(e.right, ctx);
  if (e.op === 'matches regex') {
    if (isConst(r)) {
      const re = compileRegex(toStringValue(r.constant.value), '', e.right);
      return stringTest(l, (s) => re.test(s));
    }
    return { type: 'bool', eval: (row) => compileRegex(toStringValue(r.eval(row)), '', e.right).test(toStringValue(l.eval(row))) };
  }
  const op = e.op;
  if (isConst(r)) return stringTest(l, stringPredicate(op, toStringValue(r.constant.value)));
  return { type: 'bool', eval: (row) => stringPredicate(op, toStringValue(r.eval(row)))(toStringValue(l.eval(row))) };
}

// ---------- in, has_any, between ----------

function listValues(e: A.ListExpr, ctx: ExprContext): Value[] | undefined {
  if (e.subquery) {
    const t = ctx.subqueries.get(e);
    if (!t) throw runtimeError('this subquery cannot be used here', e);
    if (t.columns.length === 0) return [];
    const col = t.columns[0];
    const out: Value[] = [];
    // Arrays in the column contribute their elements, as a tabular let's do (see pushFlattened).
    for (let i = 0; i < t.rowCount; i++) pushFlattened(out, col.get(i));
    return out;
  }
  const compiled = e.items.map((i) => compileItem(i, ctx));
  if (!compiled.every(isConst)) return undefined;
  const out: Value[] = [];
  for (const c of compiled) pushFlattened(out, c.constant.value);
  return out;
}

/**
 * Adds a list item: an array contributes its elements, and nested arrays theirs (Kusto flattens
 * `x in (dynamic([1, [2, 3]]))` to `x in (1, 2, 3)`; a `make_list` of array values is such a
 * list). A loop over each array, not a spread: an array from the logs may hold millions of items.
 */
function pushFlattened(out: Value[], v: Value): void {
  if (!isDynamicArray(v)) {
    out.push(v);
    return;
  }
  for (const item of v) {
    if (isDynamicArray(item)) pushFlattened(out, item);
    else out.push(item);
  }
}

/** A list item that names a tabular let or table is a single-column subquery. */
function compileItem(item: A.Expr, ctx: ExprContext): Compiled {
  const t = ctx.subqueries.get(item);
  if (t) {
    const values: Value[] = [];
    if (t.columns.length > 0) for (let i = 0; i < t.rowCount; i++) values.push(t.columns[0].get(i));
    // The subquery's first column, as a list the `in` operator flattens.
    return constant('dynamic', values as unknown as Value);
  }
  return compileExpr(item, ctx);
}

function compileList(e: A.ListExpr, ctx: ExprContext): Compiled {
  const l = compileExpr(e.left, ctx);
  if (l.type !== 'dynamic' && (e.op === 'in' || e.op === '!in')) refuseTextInList(e, l, ctx);
  let values = listValues(e, ctx);
  if (!values) {
    // Row-dependent items: evaluate each row (rare).
    const items = e.items.map((i) => compileItem(i, ctx));
    return {
      type: 'bool',
      eval: (row) => {
        const vals: Value[] = [];
        for (const c of items) pushFlattened(vals, c.eval(row));
        return listTest(e.op, vals)(l.eval(row));
      },
    };
  }
  // String literals in a list against a datetime are read as datetimes, as with == (`t in ("2026-01-01")`).
  if (l.type === 'datetime' && (e.op === 'in' || e.op === '!in')) {
    values = values.map((v) => (typeof v === 'string' ? dateFromLiteral(v, e) : v));
  }
  const test = listTest(e.op, values);
  if (e.op === 'has_any' || e.op === 'has_all' || e.op === 'in~' || e.op === '!in~' || l.type === 'string') {
    return stringTest(l, (s) => test(s) === true);
  }
  return { type: 'bool', eval: (row) => test(l.eval(row)) };
}

/**
 * A string against numbers or times in an `in` list is refused as == refuses it (it was silently
 * false), and so are a number against text and a number, a datetime and a timespan against each
 * other: items typed so, and a subquery or tabular let whose column is. Values of a dynamic array
 * or a dynamic column compare as == compares them with a dynamic value (see listTest): the query
 * fails or runs by its types, never by what rows the data has.
 */
function refuseTextInList(e: A.ListExpr, l: Compiled, ctx: ExprContext): void {
  // A subquery's first column, as a value of its type (only the type is compared).
  const columnOf = (t: Table | undefined): Compiled => ({ type: t && t.schema.length > 0 ? t.schema[0].type : 'dynamic', eval: () => null });
  if (e.subquery) return refuseTextAgainstNumber(e.op, l, columnOf(ctx.subqueries.get(e)), e);
  for (const item of e.items) refuseTextAgainstNumber(e.op, l, ctx.subqueries.has(item) ? columnOf(ctx.subqueries.get(item)) : compileExpr(item, ctx), e);
}

function listTest(op: A.ListOp, values: readonly Value[]): (v: Value) => boolean | null {
  switch (op) {
    case 'has_any': {
      const needles = values.map((v) => foldCase(toStringValue(v)));
      return (v) => {
        const s = foldCase(toStringValue(v));
        return needles.some((n) => hasTerm(s, n));
      };
    }
    case 'has_all': {
      const needles = values.map((v) => foldCase(toStringValue(v)));
      return (v) => {
        const s = foldCase(toStringValue(v));
        return needles.every((n) => hasTerm(s, n));
      };
    }
    case 'in~':
    case '!in~': {
      const set = new Set(values.map((v) => foldCase(toStringValue(v))));
      const negated = op === '!in~';
      return (v) => set.has(foldCase(toStringValue(v))) !== negated;
    }
    case 'in':
    case '!in': {
      const set = new Set<unknown>();
      let listHasNull = false;
      let dates = false;
      let spans = false;
      let numbers = false;
      // Text items by the number they read as, for numbers (of a dynamic value) in the list.
      const textNumbers = new Set<unknown>();
      for (const v of values) {
        if (v === null) listHasNull = true;
        // NaN equals nothing, itself included.
        else if (typeof v !== 'number' || !Number.isNaN(v)) set.add(hashKey(v));
        dates ||= v instanceof DateTime;
        spans ||= v instanceof Timespan;
        numbers ||= typeof v === 'bigint' || typeof v === 'number';
        const read = typeof v === 'string' ? numberOfText(v) : null;
        if (read !== null && (typeof read !== 'number' || !Number.isNaN(read))) textNumbers.add(hashKey(read));
      }
      const negated = op === '!in';
      // `in` is an `or` of `==` and `!in` an `and` of `!=` (Kusto): null == value is false and
      // null != value is true, so a null is not in the list and is !in it (null == null is null).
      // Text (from a dynamic value) against numbers or times in the list compares by the number or
      // time it reads as, as == does, and a number against text by the number the text reads as.
      const readsAs = numbers || dates || spans;
      return (v) => {
        if (v === null) return listHasNull ? null : negated;
        if (set.has(hashKey(v))) return !negated;
        if (readsAs && typeof v === 'string') {
          const read = numbers ? numberOfText(v) : null;
          if (read !== null && set.has(hashKey(read))) return !negated;
          const time = (dates && toDateTime(v)) || (spans && toTimespanValue(v));
          if (time && set.has(hashKey(time))) return !negated;
        }
        // A number against text in the list: by the number the text reads as, as == compares.
        if (textNumbers.size > 0 && (typeof v === 'bigint' || typeof v === 'number') && textNumbers.has(hashKey(v))) return !negated;
        return negated;
      };
    }
  }
}

function compileBetween(e: A.BetweenExpr, ctx: ExprContext): Compiled {
  const x = compileExpr(e.left, ctx);
  let lo = compileExpr(e.low, ctx);
  let hi = compileExpr(e.high, ctx);
  refuseTextAgainstNumber('between', x, lo, e);
  // String literals bounding a datetime are read as datetimes, as `>=` and `<=` read them.
  if (x.type === 'datetime') {
    if (isConst(lo) && typeof lo.constant.value === 'string') lo = coerceDateLiteral(lo, e.low);
    if (isConst(hi) && typeof hi.constant.value === 'string') hi = coerceDateLiteral(hi, e.high);
  }
  // `t between (start .. 1h)` means start .. start + 1h (for a dynamic t too).
  if (lo.type === 'datetime' && hi.type === 'timespan') {
    const span = hi;
    hi = { type: 'datetime', eval: (r) => arith('+', lo.eval(r), span.eval(r)) };
  }
  refuseTextAgainstNumber('between', x, hi, e);
  const negated = e.negated;
  return {
    type: 'bool',
    eval: (row) => {
      const v = x.eval(row);
      const a = compareValues(v, lo.eval(row));
      const b = compareValues(v, hi.eval(row));
      if (a === null || b === null) return null;
      return (a >= 0 && b <= 0) !== negated;
    },
  };
}

// ---------- dynamic access ----------

/** `col.a["b"]` with constant keys: the keys and the root column name, or undefined. */
function constantPath(e: A.Expr): { root: string; keys: string[] } | undefined {
  const keys: string[] = [];
  let x = e;
  for (;;) {
    if (x.kind === 'Member') keys.unshift(x.name);
    else if (x.kind === 'Index' && x.index.kind === 'Literal' && x.index.type === 'string') keys.unshift(x.index.value);
    else break;
    x = x.target;
  }
  return x.kind === 'Name' && keys.length > 0 ? { root: x.name, keys } : undefined;
}

/** A constant path on a column loaded with only some paths kept: read the path's own column. */
function structAccess(e: A.MemberExpr | A.IndexExpr, ctx: ExprContext): Compiled | undefined {
  const path = constantPath(e);
  if (!path || ctx.locals.has(path.root)) return undefined;
  const column = ctx.table.column(path.root);
  if (!isStructColumn(column)) return undefined;
  const found = column.at(path.keys);
  // The source pushdown keeps every path a query reads; anything else is a bug, not a null.
  if (!found) throw runtimeError(`internal error: \`${path.root}.${path.keys.join('.')}\` was not loaded`, e, 'run the query again; if it persists, please report it');
  const leaf = found.column;
  const rest = found.rest;
  if (rest.length === 0) return { type: 'dynamic', eval: (r) => leaf.get(r), column: leaf };
  return { type: 'dynamic', eval: (r) => followPath(leaf.get(r), rest) };
}

function compileAccess(e: A.MemberExpr | A.IndexExpr, ctx: ExprContext): Compiled {
  const fromStruct = structAccess(e, ctx);
  if (fromStruct) return fromStruct;
  let target = compileExpr(e.target, ctx);
  if (target.type === 'string') {
    // JSON kept in a string column (common in CSV exports) is read as dynamic.
    const s = target;
    target = { type: 'dynamic', eval: (r) => { const v = s.eval(r) as string; const p = parseJson(v); return p === undefined ? null : p; } };
  } else if (target.type !== 'dynamic') {
    throw runtimeError(`cannot read a property of a ${target.type}`, e, 'property access works on dynamic values');
  }
  const t = target;
  if (e.kind === 'Member') {
    const key = e.name;
    return { type: 'dynamic', eval: (r) => getProperty(t.eval(r), key) };
  }
  const index = compileExpr(e.index, ctx);
  return {
    type: 'dynamic',
    eval: (r) => {
      const i = index.eval(r);
      const v = t.eval(r);
      if (typeof i === 'string') return getProperty(v, i);
      if (typeof i === 'bigint' || typeof i === 'number') return getIndex(v, Number(i));
      return null;
    },
  };
}

// ---------- calls ----------

function compileCall(e: A.CallExpr, ctx: ExprContext): Compiled {
  const user = ctx.scope.get(e.name);
  if (!ctx.table.column(e.name) && user?.kind === 'function') return compileUserFunction(e, user, ctx);
  if (e.name === 'column_ifexists' && !user) return compileColumnIfExists(e, ctx);
  const fn = builtinFunction(e.name);
  if (!fn) {
    if (AGGREGATE_NAMES.has(e.name)) throw runtimeError(`\`${e.name}()\` is an aggregate and can only be used in summarize`, { start: e.nameStart, end: e.nameStart + e.name.length }, `for example: summarize ${e.name}(...) by ...`);
    const near = closest(e.name, [...functionNames(), ...ctx.scope.names().filter((n) => ctx.scope.get(n)?.kind === 'function')]);
    throw runtimeError(`unknown function \`${e.name}\``, { start: e.nameStart, end: e.nameStart + e.name.length }, near ? `did you mean \`${near}\`?` : undefined);
  }
  if (e.args.length < fn.min || e.args.length > fn.max) {
    const range = fn.min === fn.max ? `${fn.min}` : fn.max === Infinity ? `at least ${fn.min}` : `${fn.min} to ${fn.max}`;
    throw runtimeError(`\`${e.name}\` takes ${range} argument${fn.max === 1 ? '' : 's'}, not ${e.args.length}`, e);
  }
  // typeof(long) names a type; its argument is not an expression.
  const args = e.name === 'typeof' ? [] : e.args.map((a) => compileExpr(a, ctx));
  let compiled: Compiled;
  try {
    compiled = fn.compile(args, { run: ctx.run, node: e }); // folds constant arguments, so it can fail too
  } catch (err) {
    throw atCall(err, e);
  }
  return ROW_FAILING_FUNCTIONS.has(e.name) ? mapErrors(compiled, (err) => atCall(err, e)) : compiled;
}

/** Functions that can fail on a row's values (a pattern taken from the data, a size limit). */
const ROW_FAILING_FUNCTIONS = new Set(['extract', 'extract_all', 'replace_regex', 'replace', 'trim', 'trim_start', 'trim_end', 'countof', 'strrep']);

/** A runtime error raised without a position points at the call that raised it. */
function atCall(err: unknown, at: A.Span): unknown {
  return err instanceof QueryRuntimeError && err.offset === undefined ? new QueryRuntimeError(err.message, at.start, at.end - at.start, err.hint) : err;
}

/** The compiled expression with the errors it raises per row passed through `map` (constants raise none). */
function mapErrors(c: Compiled, map: (err: unknown) => unknown): Compiled {
  if (c.constant) return c;
  const guard =
    <T>(read: (row: number) => T) =>
    (row: number): T => {
      try {
        return read(row);
      } catch (err) {
        throw map(err);
      }
    };
  return { ...c, eval: guard(c.eval), ...(c.evalRaw ? { evalRaw: guard(c.evalRaw) } : {}) };
}

/** `column_ifexists("Name", default)`: the column when the input has it, else the default. */
function compileColumnIfExists(e: A.CallExpr, ctx: ExprContext): Compiled {
  const [nameArg, fallback] = e.args;
  if (e.args.length !== 2 || nameArg.kind !== 'Literal' || nameArg.type !== 'string') throw runtimeError('column_ifexists takes a column name as a string literal and a default value', e);
  if (ctx.table.column(nameArg.value)) return compileName({ kind: 'Name', name: nameArg.value, start: nameArg.start, end: nameArg.end }, ctx);
  return compileExpr(fallback, ctx);
}

function compileUserFunction(e: A.CallExpr, def: { def: A.FunctionDef; scope: import('./scope').Scope; origin?: object }, ctx: ExprContext): Compiled {
  const current = ctx.run.origin;
  if (def.origin === undefined || def.origin === current) return compileUserFunctionBody(e, def, ctx);
  // Defined by an earlier cell: its errors, when compiling and per row, are reported at this call.
  const relocate = (err: unknown) => fromOtherRun(err, e.name, def.origin, current, e);
  let c: Compiled;
  try {
    c = compileUserFunctionBody(e, def, ctx);
  } catch (err) {
    throw relocate(err);
  }
  return mapErrors(c, relocate);
}

/**
 * An argument of a user-defined function as its parameter declares it, as Kusto checks them: a
 * long may stand for a real (and is one inside), anything for a dynamic, and a dynamic value for
 * any type (converted as `tolong`, `tostring`, ... would); another type is an error at the
 * argument rather than a surprise inside the body.
 */
export function argumentOfType(c: Compiled, p: A.FunctionParam, fn: string, at: A.Span): Compiled {
  if (p.type === 'tabular' || p.type === c.type || p.type === 'dynamic') return c;
  const type = p.type;
  if ((type === 'real' && c.type === 'long') || c.type === 'dynamic' || c.constant?.value === null) {
    const convert = (v: Value) => (v === null ? null : convertTo(type, v));
    return { type, eval: (r) => convert(c.eval(r)), ...(c.constant ? { constant: { value: convert(c.constant.value) } } : {}) };
  }
  throw runtimeError(`argument \`${p.name}\` of \`${fn}\` is declared ${type}, and this is a ${c.type}`, at, `convert it: ${fn}(to${type === 'real' ? 'double' : type}(...))`);
}

function compileUserFunctionBody(e: A.CallExpr, def: { def: A.FunctionDef; scope: import('./scope').Scope }, ctx: ExprContext): Compiled {
  countFunctionCall(ctx.run, e.name, e);
  const { params, body } = def.def;
  if (e.args.length > params.length) throw runtimeError(`\`${e.name}\` takes ${params.length} arguments, not ${e.args.length}`, e);
  const locals = new Map<string, Compiled>();
  params.forEach((p, i) => {
    if (p.type === 'tabular') throw runtimeError(`\`${e.name}\` has a tabular parameter and can only be used as a source`, e);
    const arg = e.args[i] ?? p.defaultValue;
    if (!arg) throw runtimeError(`missing argument \`${p.name}\` for \`${e.name}\``, e);
    locals.set(p.name, argumentOfType(compileExpr(arg, ctx), p, e.name, arg));
  });
  if (body.result.kind === 'Pipeline') throw runtimeError(`\`${e.name}\` returns a table and cannot be used as a value`, e, `use it as a source: ${e.name}(...) | ...`);
  const inner: ExprContext = { ...ctx, scope: def.scope, locals };
  for (const s of body.statements) {
    if (s.value.kind === 'Pipeline' || s.value.kind === 'Function') throw runtimeError('only scalar lets are supported inside scalar functions', s);
    locals.set(s.name, compileExpr(s.value, inner));
  }
  return compileExpr(body.result, inner);
}
