/**
 * Aggregate functions for `summarize`. Groups are known before accumulation starts, so each
 * accumulator keeps per-group state in arrays sized once, and `add` is called row by row.
 */
import type * as A from './ast';
import { buildColumn } from './columns';
import { hashKey, sortCompare } from './compare';
import type { Compiled, RunSettings } from './compiled';
import { requireBool } from './compile';
import { toBoolValue, toRealValue, wrapLong } from './convert';
import { isDynamicArray, toDynamicValue } from './dynamic';
import { ABORT_CHECK_MASK, QueryRuntimeError, throwIfAborted } from './errors';
import { longsFromCounts } from './longWords';
import { inferName, uniqueName } from './naming';
import { isNumericColumn, isStringColumn, longColumnFromArray, type Column, type ColumnSchema, type Table } from './table';
import { DateTime, Timespan, timespanOrNull, type DynamicValue, type ScalarType, type Value } from './values';

export interface AggregateContext {
  readonly table: Table;
  readonly compile: (e: A.Expr) => Compiled;
  readonly run: RunSettings;
  /** Names of the `by` columns, left out of `arg_max(x, *)`. */
  readonly keyNames: ReadonlySet<string>;
  readonly groupCount: number;
}

export interface Accumulator {
  readonly outputs: readonly ColumnSchema[];
  add(group: number, row: number): void;
  /**
   * All rows at once (`groupOf[r]` is row r's group), when the accumulator has a faster way than
   * `add`; `sizes`, when the grouping counted them, holds each group's row count.
   */
  addAll?(groupOf: Int32Array, rowCount: number, signal: AbortSignal, sizes?: Int32Array): void;
  finish(): Column[];
}

/**
 * A set of (group, code) pairs in typed arrays (open addressing), for distinct counts over
 * dictionary codes without a Set per group.
 */
class PairSet {
  private groups: Int32Array;
  private codes: Int32Array;
  private mask: number;
  private size = 0;

  constructor(capacity: number) {
    let n = 1024;
    while (n < capacity * 2) n *= 2;
    this.groups = new Int32Array(n).fill(-1);
    this.codes = new Int32Array(n);
    this.mask = n - 1;
  }

  /** Adds the pair; true when it was not there yet. */
  add(group: number, code: number): boolean {
    let p = (Math.imul(group, 0x9e3779b1) ^ Math.imul(code, 0x85ebca6b)) & this.mask;
    const groups = this.groups, codes = this.codes, mask = this.mask;
    for (;;) {
      const g = groups[p];
      if (g === -1) break;
      if (g === group && codes[p] === code) return false;
      p = (p + 1) & mask;
    }
    groups[p] = group;
    codes[p] = code;
    if (++this.size * 2 > groups.length) this.grow();
    return true;
  }

  private grow(): void {
    const oldGroups = this.groups, oldCodes = this.codes;
    const n = oldGroups.length * 2;
    this.groups = new Int32Array(n).fill(-1);
    this.codes = new Int32Array(n);
    this.mask = n - 1;
    const groups = this.groups, codes = this.codes, mask = this.mask;
    for (let i = 0; i < oldGroups.length; i++) {
      const g = oldGroups[i];
      if (g === -1) continue;
      const c = oldCodes[i];
      let p = (Math.imul(g, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b)) & mask;
      while (groups[p] !== -1) p = (p + 1) & mask;
      groups[p] = g;
      codes[p] = c;
    }
  }
}

export const DEFAULT_SET_LIMIT = 1_048_576;

function fail(node: A.Span, message: string, hint?: string): QueryRuntimeError {
  return new QueryRuntimeError(message, node.start, node.end - node.start, hint);
}

/** The part of a default aggregate column name that comes from its argument (`sum_bytes`). */
export function aggregateArgName(e: A.Expr | undefined): string {
  return e ? (inferName(e) ?? '') : '';
}

/** `count_` for `count()` and `count(*)`, `count_x` for `count(x)`. */
export function countName(call: A.CallExpr): string {
  const arg = call.args[0];
  return arg && arg.kind !== 'Star' ? `count_${aggregateArgName(arg)}` : 'count_';
}

function predicate(c: Compiled): (row: number) => boolean {
  return (row) => {
    const v = c.eval(row);
    return v === true || (v !== false && v !== null && toBoolValue(v) === true);
  };
}

function arity(call: A.CallExpr, min: number, max: number): void {
  if (call.args.length < min || call.args.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw fail(call, `\`${call.name}\` takes ${want} argument${max === 1 ? '' : 's'}, not ${call.args.length}`);
  }
}

/** The item limit of `makeset` and `makelist` without one (Kusto documents it for the deprecated names). */
const LEGACY_COLLECT_LIMIT = 128;

function constantLimit(ctx: AggregateContext, e: A.Expr | undefined, call: A.CallExpr): number {
  if (!e) return ctx.run.makeListMax;
  const c = ctx.compile(e);
  const n = c.constant ? toRealValue(c.constant.value) : null;
  if (n === null || !(n > 0)) throw fail(e, `the size limit of \`${call.name}\` must be a positive constant`);
  return Math.min(n, DEFAULT_SET_LIMIT * 64);
}

// ---------- counting ----------

/** Counts (whole numbers from 0 to 2^53 in doubles) as a long column, without a BigInt each. */
export function countColumn(counts: Float64Array): Column {
  return longColumnFromArray(longsFromCounts(counts));
}

function counter(name: string, include: ((row: number) => boolean) | undefined, groups: number): Accumulator {
  const counts = new Float64Array(groups);
  return {
    outputs: [{ name, type: 'long' }],
    add: include ? (g, r) => { if (include(r)) counts[g]++; } : (g) => { counts[g]++; },
    ...(include ? {} : { addAll: (groupOf: Int32Array, n: number, _signal: AbortSignal, sizes?: Int32Array) => countAll(groupOf, n, counts, sizes) }),
    finish: () => [countColumn(counts)],
  };
}

/** Every row counted in its group: from the grouping's row counts when it has them, else row by row. */
function countAll(groupOf: Int32Array, n: number, counts: Float64Array, sizes: Int32Array | undefined): void {
  if (sizes) addSizes(sizes, counts);
  else countRows(groupOf, n, counts);
}

function addSizes(sizes: Int32Array, counts: Float64Array): void {
  for (let g = 0; g < counts.length; g++) counts[g] += sizes[g];
}

function countRows(groupOf: Int32Array, n: number, counts: Float64Array): void {
  for (let r = 0; r < n; r++) counts[groupOf[r]]++;
}

function distinctCounter(name: string, value: Compiled, include: ((row: number) => boolean) | undefined, groups: number): Accumulator {
  const sets: (Set<unknown> | undefined)[] = new Array(groups);
  const col = value.column;
  // Dictionary codes: one typed pair set for all groups.
  const coded = col && isStringColumn(col) ? col : undefined;
  if (coded) {
    const counts = new Float64Array(groups);
    let pairs: PairSet | undefined;
    const add = (g: number, r: number) => {
      if (include && !include(r)) return;
      if ((pairs ??= new PairSet(1024)).add(g, coded.code(r))) counts[g]++;
    };
    return {
      outputs: [{ name, type: 'long' }],
      add,
      addAll: (groupOf, n, signal, sizes) => {
        // The codes bucketed by group (a counting sort), then per group a stamp per code: linear
        // and cache-friendly, where a hash set of pairs misses the cache on nearly every row.
        const keep = include ? rowsIncluded(include, n, signal) : undefined;
        const starts = keep === undefined && sizes ? startsFromSizes(sizes, groups) : groupStarts(groupOf, n, groups, keep, signal);
        const byGroup = codesByGroup(groupOf, coded.codes, n, starts, groups, keep, coded.dictionarySize);
        throwIfAborted(signal);
        addDistinctPerGroup(byGroup, starts, groups, coded.dictionarySize, counts);
      },
      finish: () => [countColumn(counts)],
    };
  }
  const keyOf: (r: number) => unknown = col && isStringColumn(col) ? (r) => col.code(r) : (r) => { const v = value.eval(r); return v === null ? undefined : hashKey(v); };
  return {
    outputs: [{ name, type: 'long' }],
    add: (g, r) => {
      if (include && !include(r)) return;
      const k = keyOf(r);
      if (k === undefined) return; // nulls are not counted
      (sets[g] ??= new Set()).add(k);
    },
    finish: () => [buildColumn('long', groups, (i) => BigInt(sets[i]?.size ?? 0))],
  };
}

/*
 * The distinct count's passes over all rows, each a function of its own so that V8 optimizes each
 * loop with its own type feedback: in one function, the code optimized for the first loop would
 * deoptimize on reaching the next, which has none yet.
 */

function rowsIncluded(include: (row: number) => boolean, n: number, signal: AbortSignal): Uint8Array {
  const keep = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
    if (include(r)) keep[r] = 1;
  }
  return keep;
}

/** Where each group's rows start in a counting sort by group (`starts[groups]`: the rows kept). */
function groupStarts(groupOf: Int32Array, n: number, groups: number, keep: Uint8Array | undefined, signal: AbortSignal): Int32Array {
  const starts = new Int32Array(groups + 1);
  for (let r = 0; r < n; r++) {
    if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
    if (keep === undefined || keep[r] === 1) starts[groupOf[r] + 1]++;
  }
  for (let g = 0; g < groups; g++) starts[g + 1] += starts[g];
  return starts;
}

/** groupStarts from rows counted per group already. */
function startsFromSizes(sizes: Int32Array, groups: number): Int32Array {
  const starts = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) starts[g + 1] = starts[g] + sizes[g];
  return starts;
}

/** The rows' codes sorted by group (in row order within one). */
function codesByGroup(groupOf: Int32Array, codes: Uint32Array, n: number, starts: Int32Array, groups: number, keep: Uint8Array | undefined, dictionarySize: number): Uint16Array | Uint32Array {
  // Codes of a dictionary of up to 65,536 entries in half the memory (fresh pages are paid for
  // when first written: 2 MB fewer for 1M rows).
  const byGroup = dictionarySize <= 0x1_0000 ? new Uint16Array(starts[groups]) : new Uint32Array(starts[groups]);
  const next = starts.slice(0, groups);
  if (keep) {
    for (let r = 0; r < n; r++) if (keep[r] === 1) byGroup[next[groupOf[r]]++] = codes[r];
  } else {
    for (let r = 0; r < n; r++) byGroup[next[groupOf[r]]++] = codes[r];
  }
  return byGroup;
}

/** Adds each group's distinct codes to its count: a stamp per code says which group saw it last. */
function addDistinctPerGroup(byGroup: Uint16Array | Uint32Array, starts: Int32Array, groups: number, dictionarySize: number, counts: Float64Array): void {
  const stamp = new Int32Array(dictionarySize).fill(-1);
  for (let g = 0; g < groups; g++) {
    let distinct = 0;
    for (let k = starts[g]; k < starts[g + 1]; k++) {
      const code = byGroup[k];
      if (stamp[code] !== g) {
        stamp[code] = g;
        distinct++;
      }
    }
    counts[g] += distinct;
  }
}

// ---------- sums and averages ----------

function sumType(t: ScalarType): ScalarType {
  if (t === 'long' || t === 'bool') return 'long';
  if (t === 'timespan') return 'timespan';
  return 'real';
}

function summer(name: string, value: Compiled, include: ((row: number) => boolean) | undefined, groups: number): Accumulator {
  const type = sumType(value.type);
  if (type === 'long') {
    const sums: (bigint | null)[] = new Array(groups).fill(null);
    return {
      outputs: [{ name, type }],
      add: (g, r) => {
        if (include && !include(r)) return;
        const v = value.eval(r);
        if (v === null) return;
        const b = typeof v === 'bigint' ? v : v === true ? 1n : v === false ? 0n : null;
        if (b === null) return;
        const cur = sums[g];
        sums[g] = cur === null ? b : wrapLong(cur + b);
      },
      finish: () => [buildColumn('long', groups, (i) => sums[i])],
    };
  }
  const sums = new Float64Array(groups);
  const seen = new Uint8Array(groups);
  const col = value.column;
  const raw = col && isNumericColumn(col) ? col : undefined;
  const read: (r: number) => number | null = raw ? (r) => raw.raw(r) : (r) => { const v = value.eval(r); return v instanceof Timespan ? v.us : toRealValue(v); };
  return {
    outputs: [{ name, type }],
    add: (g, r) => {
      if (include && !include(r)) return;
      const x = read(r);
      if (x === null) return;
      sums[g] += x;
      seen[g] = 1;
    },
    // A group without any non-null value sums to null (documented choice, as in SQL).
    finish: () => [buildColumn(type, groups, (i) => (seen[i] ? (type === 'timespan' ? timespanOrNull(sums[i]) : sums[i]) : null))],
  };
}

function averager(name: string, value: Compiled, include: ((row: number) => boolean) | undefined, groups: number): Accumulator {
  const type: ScalarType = value.type === 'timespan' ? 'timespan' : value.type === 'datetime' ? 'datetime' : 'real';
  const sums = new Float64Array(groups);
  const counts = new Float64Array(groups);
  const col = value.column;
  const raw = col && isNumericColumn(col) ? col : undefined;
  const read: (r: number) => number | null = raw ? (r) => raw.raw(r) : (r) => { const v = value.eval(r); return v instanceof Timespan || v instanceof DateTime ? v.us : toRealValue(v); };
  return {
    outputs: [{ name, type }],
    add: (g, r) => {
      if (include && !include(r)) return;
      const x = read(r);
      if (x === null) return;
      sums[g] += x;
      counts[g]++;
    },
    finish: () => [
      buildColumn(type, groups, (i) => {
        if (!counts[i]) return null;
        const avg = sums[i] / counts[i];
        return type === 'timespan' ? new Timespan(avg) : type === 'datetime' ? new DateTime(Math.round(avg)) : avg;
      }),
    ],
  };
}

function variance(name: string, value: Compiled, groups: number, sqrt: boolean): Accumulator {
  const n = new Float64Array(groups);
  const mean = new Float64Array(groups);
  const m2 = new Float64Array(groups);
  return {
    outputs: [{ name, type: 'real' }],
    add: (g, r) => {
      const x = toRealValue(value.eval(r));
      if (x === null) return;
      n[g]++;
      const d = x - mean[g];
      mean[g] += d / n[g];
      m2[g] += d * (x - mean[g]);
    },
    // Sample variance (n - 1), as Kusto's stdev()/variance(); a single value gives 0.
    finish: () => [buildColumn('real', groups, (i) => (n[i] === 0 ? null : n[i] === 1 ? 0 : sqrt ? Math.sqrt(m2[i] / (n[i] - 1)) : m2[i] / (n[i] - 1)))],
  };
}

// ---------- extremes ----------

function extreme(name: string, value: Compiled, include: ((row: number) => boolean) | undefined, groups: number, sign: 1 | -1): Accumulator {
  const best: Value[] = new Array(groups).fill(null);
  return {
    outputs: [{ name, type: value.type }],
    add: (g, r) => {
      if (include && !include(r)) return;
      const v = value.eval(r);
      if (v === null || (typeof v === 'string' && v === '' && value.type === 'string')) return;
      const cur = best[g];
      if (cur === null || sortCompare(v, cur, undefined, sign > 0 ? -1 : 1) < 0) best[g] = v; // what sorting desc (max) or asc (min) puts first
    },
    finish: () => [buildColumn(value.type, groups, (i) => best[i])],
  };
}

function argExtreme(call: A.CallExpr, name: string | undefined, ctx: AggregateContext, sign: 1 | -1): Accumulator {
  if (call.args.length < 1) throw fail(call, `\`${call.name}\` needs the expression to ${sign > 0 ? 'maximize' : 'minimize'}`);
  const [target, ...rest] = call.args;
  const value = ctx.compile(target);
  const groups = ctx.groupCount;
  const best: Value[] = new Array(groups).fill(null);
  const bestRow = new Int32Array(groups).fill(-1);
  // A group whose values are all null still gives a row: its first, as in Kusto's example.
  const firstRow = new Int32Array(groups).fill(-1);
  const outputs: ColumnSchema[] = [{ name: name ?? (aggregateArgName(target) || `${sign > 0 ? 'max' : 'min'}_`), type: value.type }];
  const carried: { name: string; compiled: Compiled }[] = [];
  // `*` leaves out the keys and the column maximized, even when the result is named otherwise
  // (`m = arg_max(x, *)` gives `m` and the other columns, as Kusto's `arg_max_x = arg_max(x, *)`).
  const taken = new Set([outputs[0].name, ...ctx.keyNames, ...(target.kind === 'Name' ? [target.name] : [])]);
  const star = rest.some((e) => e.kind === 'Star');
  const primary = aggregateArgName(target);
  for (const [index, e] of rest.entries()) {
    if (e.kind === 'Star') {
      ctx.table.schema.forEach((c, i) => {
        if (taken.has(c.name)) return;
        taken.add(c.name);
        const column = ctx.table.columns[i];
        carried.push({ name: c.name, compiled: { type: c.type, eval: (r) => column.get(r), column } });
      });
    } else {
      // Named as Kusto names them: an unnamed expression `max_x_arg1` (after the maximized `x`);
      // a column asked for again, or a `by` key, comes again as `x1` unless `*` brought it.
      const inferred = inferName(e);
      if (inferred !== undefined && taken.has(inferred) && e.kind === 'Name' && star) continue;
      const n = inferred === undefined ? `${sign > 0 ? 'max' : 'min'}_${primary ? `${primary}_` : ''}arg${index + 1}` : inferred;
      carried.push({ name: uniqueName(n, taken), compiled: ctx.compile(e) });
    }
  }
  for (const c of carried) outputs.push({ name: c.name, type: c.compiled.type });
  return {
    outputs,
    add: (g, r) => {
      if (firstRow[g] < 0) firstRow[g] = r;
      const v = value.eval(r);
      if (v === null) return;
      const cur = best[g];
      if (bestRow[g] < 0 || sortCompare(v, cur, undefined, sign > 0 ? -1 : 1) < 0) {
        best[g] = v;
        bestRow[g] = r;
      }
    },
    finish: () => {
      const rowOf = (i: number) => (bestRow[i] >= 0 ? bestRow[i] : firstRow[i]);
      return [
        buildColumn(value.type, groups, (i) => best[i]),
        ...carried.map((c) => buildColumn(c.compiled.type, groups, (i) => (rowOf(i) < 0 ? null : c.compiled.eval(rowOf(i))))),
      ];
    },
  };
}

function takeAny(call: A.CallExpr, name: string | undefined, ctx: AggregateContext, legacy: boolean): Accumulator {
  const groups = ctx.groupCount;
  const items: { name: string; compiled: Compiled }[] = [];
  // With `*`, a column comes once, however often it is asked for (as Kusto does).
  const star = call.args.some((e) => e.kind === 'Star');
  const columnsTaken = new Set<string>();
  for (const e of call.args) {
    if (star && e.kind === 'Name') {
      if (columnsTaken.has(e.name)) continue;
      columnsTaken.add(e.name);
    }
    if (e.kind === 'Star') {
      ctx.table.schema.forEach((c, i) => {
        if (ctx.keyNames.has(c.name) || columnsTaken.has(c.name)) return;
        columnsTaken.add(c.name);
        const column = ctx.table.columns[i];
        items.push({ name: c.name, compiled: { type: c.type, eval: (r) => column.get(r), column } });
      });
    } else {
      // As Kusto names them: `any(x)` is any_x; otherwise a column keeps its name and an unnamed
      // expression is arg0, arg1, ... (take_any: any_arg0).
      const base = aggregateArgName(e);
      const name = legacy && call.args.length === 1 ? `any_${base}` : base || `${legacy ? '' : 'any_'}arg${items.length}`;
      items.push({ name, compiled: ctx.compile(e) });
    }
  }
  if (items.length === 0) throw fail(call, `\`${call.name}\` needs at least one argument`);
  if (name) items[0] = { ...items[0], name };
  const chosen = new Int32Array(groups).fill(-1);
  const first = items[0].compiled;
  return {
    outputs: items.map((i) => ({ name: i.name, type: i.compiled.type })),
    // The first row whose first argument is not empty, else the first row of the group.
    add: (g, r) => {
      if (chosen[g] >= 0 && !isBlank(first.eval(chosen[g]))) return;
      if (chosen[g] < 0 || !isBlank(first.eval(r))) chosen[g] = r;
    },
    finish: () => items.map((i) => buildColumn(i.compiled.type, groups, (g) => (chosen[g] < 0 ? null : i.compiled.eval(chosen[g])))),
  };
}

function isBlank(v: Value): boolean {
  return v === null || v === '';
}

// ---------- collections ----------

/** Adds a value to a set's list unless seen (or null); false when the list is full. */
function addDistinct(seen: Set<unknown>, list: DynamicValue[], item: Value, limit: number): boolean {
  if (item === null) return true;
  const k = hashKey(item);
  if (seen.has(k)) return true;
  if (list.length >= limit) return false;
  seen.add(k);
  list.push(toDynamicValue(item));
  return true;
}

function collector(name: string, value: Compiled, include: ((row: number) => boolean) | undefined, groups: number, limit: number, distinct: boolean, run: RunSettings, fn: string): Accumulator {
  const lists: (DynamicValue[] | undefined)[] = new Array(groups);
  const seen: (Set<unknown> | undefined)[] = distinct ? new Array(groups) : [];
  let truncated = false;
  return {
    outputs: [{ name, type: 'dynamic' }],
    add: (g, r) => {
      if (include && !include(r)) return;
      const v = value.eval(r);
      if (v === null) return; // null values are skipped, as in Kusto
      const list = (lists[g] ??= []);
      if (!distinct) {
        if (list.length >= limit) truncated = true;
        else list.push(toDynamicValue(v));
        return;
      }
      // A set gathers an array's elements, not the array (Kusto's "set from array column" example).
      const s = (seen[g] ??= new Set());
      if (!isDynamicArray(v)) {
        if (!addDistinct(s, list, v, limit)) truncated = true;
        return;
      }
      for (const item of v as readonly Value[]) {
        if (!addDistinct(s, list, item, limit)) {
          truncated = true;
          return;
        }
      }
    },
    finish: () => {
      if (truncated) run.warnings.push(`${fn}() reached its limit of ${limit} items for at least one group; extra values were dropped`);
      return [buildColumn('dynamic', groups, (i) => lists[i] ?? [])];
    },
  };
}

/** `make_bag`: the bags' keys merged (the first value of a key stays), up to `limit` keys a group. */
function bagMerger(name: string, value: Compiled, groups: number, limit: number, run: RunSettings): Accumulator {
  const bags: (Record<string, DynamicValue> | undefined)[] = new Array(groups);
  const sizes = new Int32Array(groups);
  let truncated = false;
  return {
    outputs: [{ name, type: 'dynamic' }],
    add: (g, r) => {
      const v = value.eval(r);
      if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof DateTime || v instanceof Timespan) return;
      const bag = (bags[g] ??= Object.create(null) as Record<string, DynamicValue>);
      for (const k of Object.keys(v)) {
        if (Object.hasOwn(bag, k)) continue;
        if (sizes[g] >= limit) {
          truncated = true;
          break;
        }
        bag[k] = (v as Record<string, DynamicValue>)[k];
        sizes[g]++;
      }
    },
    finish: () => {
      if (truncated) run.warnings.push(`make_bag() reached its limit of ${limit} keys for at least one group; extra keys were dropped`);
      return [buildColumn('dynamic', groups, (i) => bags[i] ?? (Object.create(null) as Record<string, DynamicValue>))];
    },
  };
}

/** Exact percentiles by nearest rank: the smallest value with at least p% of values at or below it. */
function percentiles(call: A.CallExpr, name: string | undefined, ctx: AggregateContext): Accumulator {
  if (call.args.length < 2) throw fail(call, `\`${call.name}\` needs a value and at least one percentage`);
  const value = ctx.compile(call.args[0]);
  if (value.type === 'string') throw fail(call.args[0], `\`${call.name}\` needs numbers, and this is a string`, `convert it first: ${call.name}(todouble(...), ...)`);
  const ps = call.args.slice(1).map((e) => {
    const c = ctx.compile(e);
    const p = c.constant ? toRealValue(c.constant.value) : null;
    if (p === null || p < 0 || p > 100) throw fail(e, 'percentiles must be constants between 0 and 100');
    return { p, text: e.kind === 'Literal' ? String(e.value).replace('.', '_') : String(p).replace('.', '_') };
  });
  if (call.name === 'percentile' && ps.length !== 1) throw fail(call, 'percentile() takes one percentage; use percentiles() for several');
  const groups = ctx.groupCount;
  const type = value.type === 'datetime' || value.type === 'timespan' || value.type === 'long' ? value.type : 'real';
  // Longs are ranked as themselves: through a double, 2^63 - 1 came back as -2^63, and a value
  // past 2^53 as one not in the data. Nearest rank picks a value of the data, so it stays exact.
  const values: ((number | bigint)[] | undefined)[] = new Array(groups);
  const order = type === 'long' ? (a: number | bigint, b: number | bigint) => (a < b ? -1 : a > b ? 1 : 0) : (a: number | bigint, b: number | bigint) => (a as number) - (b as number);
  const base = aggregateArgName(call.args[0]);
  return {
    outputs: ps.map((p, i) => ({ name: i === 0 && name ? name : `percentile_${base}_${p.text}`, type })),
    add: (g, r) => {
      const v = value.eval(r);
      const x = type === 'long' && typeof v === 'bigint' ? v : v instanceof DateTime || v instanceof Timespan ? v.us : toRealValue(v);
      if (x === null || Number.isNaN(x)) return;
      (values[g] ??= []).push(x);
    },
    finish: () => {
      for (const list of values) list?.sort(order);
      return ps.map(({ p }) =>
        buildColumn(type, groups, (i) => {
          const list = values[i];
          if (!list || list.length === 0) return null;
          const rank = Math.max(1, Math.ceil((p / 100) * list.length));
          const x = list[Math.min(rank, list.length) - 1];
          if (typeof x === 'bigint') return x;
          return type === 'datetime' ? new DateTime(x) : type === 'timespan' ? new Timespan(x) : type === 'long' ? BigInt(Math.round(x)) : x;
        }),
      );
    },
  };
}

// ---------- dispatch ----------

/** `name` is the user-given column name (`Total = count()`), if any. */
export function createAccumulator(call: A.CallExpr, name: string | undefined, ctx: AggregateContext): Accumulator {
  const groups = ctx.groupCount;
  const arg = (i: number) => ctx.compile(call.args[i]);
  // Numbers, timespans, datetimes or dynamic values; text is refused, as Kusto refuses it: a sum
  // of strings would quietly read "12" as 12 and anything else as nothing.
  const number = (i: number) => {
    const c = arg(i);
    if (c.type === 'string') throw fail(call.args[i], `\`${call.name}\` needs numbers, and this is a string`, `convert it first: ${call.name}(todouble(...)) or ${call.name}(tolong(...))`);
    return c;
  };
  // A condition is a bool, as for `where`: countif(ResultType) would count the non-zero values.
  const condition = (i: number) => {
    const c = arg(i);
    requireBool(`\`${call.name}\``, c, call.args[i]);
    return predicate(c);
  };
  const base = aggregateArgName(call.args[0]);
  const named = (fallback: string) => name ?? fallback;
  switch (call.name) {
    case 'count':
      arity(call, 0, 1);
      // `count(x)` counts rows, nulls included, and is named `count_x`, as Kusto documents ("the
      // regular count will count nulls"); `x` is compiled only so a wrong name is reported.
      if (call.args.length === 1 && call.args[0].kind !== 'Star') arg(0);
      return counter(named(countName(call)), undefined, groups);
    case 'countif':
      arity(call, 1, 1);
      return counter(named('countif_'), condition(0), groups);
    case 'dcount':
    case 'count_distinct':
      arity(call, 1, 2);
      return distinctCounter(named(`${call.name === 'dcount' ? 'dcount' : 'count_distinct'}_${base}`), arg(0), undefined, groups);
    case 'dcountif':
      arity(call, 2, 3);
      return distinctCounter(named(`dcountif_${base}`), arg(0), condition(1), groups);
    case 'sum':
      arity(call, 1, 1);
      return summer(named(`sum_${base}`), number(0), undefined, groups);
    case 'sumif':
      arity(call, 2, 2);
      return summer(named(`sumif_${base}`), number(0), condition(1), groups);
    case 'avg':
      arity(call, 1, 1);
      return averager(named(`avg_${base}`), number(0), undefined, groups);
    case 'avgif':
      arity(call, 2, 2);
      return averager(named(`avgif_${base}`), number(0), condition(1), groups);
    case 'min':
    case 'max':
      arity(call, 1, 1);
      return extreme(named(`${call.name}_${base}`), arg(0), undefined, groups, call.name === 'max' ? 1 : -1);
    case 'minif':
    case 'maxif':
      arity(call, 2, 2);
      return extreme(named(`${call.name}_${base}`), arg(0), condition(1), groups, call.name === 'maxif' ? 1 : -1);
    case 'stdev':
    case 'variance':
      arity(call, 1, 1);
      return variance(named(`${call.name}_${base}`), number(0), groups, call.name === 'stdev');
    case 'make_set':
    case 'makeset':
    case 'make_list':
    case 'makelist': {
      arity(call, 1, 2);
      const distinct = call.name.includes('set');
      // The deprecated names keep their documented default of 128 items.
      const legacy = call.name === 'makeset' || call.name === 'makelist';
      const limit = legacy && call.args[1] === undefined ? LEGACY_COLLECT_LIMIT : constantLimit(ctx, call.args[1], call);
      return collector(named(`${distinct ? 'set' : 'list'}_${base}`), arg(0), undefined, groups, limit, distinct, ctx.run, call.name);
    }
    case 'make_set_if':
    case 'make_list_if': {
      arity(call, 2, 3);
      const distinct = call.name === 'make_set_if';
      return collector(named(`${distinct ? 'set' : 'list'}_${base}`), arg(0), condition(1), groups, constantLimit(ctx, call.args[2], call), distinct, ctx.run, call.name);
    }
    case 'make_bag':
      arity(call, 1, 2);
      return bagMerger(named(`bag_${base}`), arg(0), groups, constantLimit(ctx, call.args[1], call), ctx.run);
    case 'arg_max':
      return argExtreme(call, name, ctx, 1);
    case 'arg_min':
      return argExtreme(call, name, ctx, -1);
    case 'take_any':
      return takeAny(call, name, ctx, false);
    case 'any':
      return takeAny(call, name, ctx, true);
    case 'percentile':
    case 'percentiles':
      return percentiles(call, name, ctx);
  }
  throw fail(call, `\`${call.name}\` is not an aggregate`);
}
