/** join and lookup: hash the right side on its keys, probe with the left. */
import type * as A from '../ast';
import { gatherNullable } from '../columns';
import { hashKey } from '../compare';
import { ABORT_CHECK_MASK, QueryRuntimeError, throwIfAborted } from '../errors';
import { uniqueName } from '../naming';
import { Table, type Column, type ColumnSchema } from '../table';
import type { Value } from '../values';
import { unknownColumn } from './columns-ops';

/** Joins that multiply rows beyond this are stopped: the result would not fit in memory anyway. */
const MAX_JOIN_ROWS = 50_000_000;

type Key = string | number | bigint | boolean;

/** Row keys; undefined when any key value is null (null keys never match, as in SQL). */
function keysOf(table: Table, names: readonly string[], conditions: readonly A.JoinCondition[], signal: AbortSignal): (Key | undefined)[] {
  const columns = names.map((n, i) => {
    const c = table.column(n);
    if (!c) throw unknownColumn(n, table, conditions[i]);
    return c;
  });
  const out: (Key | undefined)[] = new Array(table.rowCount);
  for (let r = 0; r < table.rowCount; r++) {
    if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
    if (columns.length === 1) {
      const k = hashKey(columns[0].get(r));
      out[r] = k === null ? undefined : k;
      continue;
    }
    let composite = '';
    let missing = false;
    for (const c of columns) {
      const v: Value = c.get(r);
      const k = hashKey(v);
      if (k === null) {
        missing = true;
        break;
      }
      composite += typeof k + ':' + String(k) + '\u0001';
    }
    out[r] = missing ? undefined : composite;
  }
  return out;
}

function checkKeyTypes(left: Table, right: Table, on: readonly A.JoinCondition[]): void {
  for (const c of on) {
    const l = left.column(c.left);
    const r = right.column(c.right);
    if (!l || !r) continue;
    const numeric = (t: string) => t === 'long' || t === 'real';
    if (l.type !== r.type && !(numeric(l.type) && numeric(r.type)) && l.type !== 'dynamic' && r.type !== 'dynamic') {
      throw new QueryRuntimeError(`join keys \`${c.left}\` (${l.type}) and \`${c.right}\` (${r.type}) have different types`, c.start, c.end - c.start, `convert one side first, e.g. extend ${c.right} = to${l.type}(${c.right})`);
    }
  }
}

export function join(left: Table, right: Table, op: A.JoinOp, signal: AbortSignal): Table {
  checkKeyTypes(left, right, op.on);
  const leftKeys = keysOf(left, op.on.map((c) => c.left), op.on, signal);
  const rightKeys = keysOf(right, op.on.map((c) => c.right), op.on, signal);
  const kind = op.joinKind;
  const leftCandidates = kind === 'innerunique' ? firstRowPerKey(leftKeys) : undefined;
  const leftSize = leftCandidates ? leftCandidates.length : left.rowCount;
  // Inner joins hash whichever side is smaller; other kinds need the right side hashed.
  if ((kind === 'inner' || kind === 'innerunique') && leftSize < right.rowCount) {
    const pairs = innerBuildingLeft(leftKeys, rightKeys, leftCandidates ?? [...Array(left.rowCount).keys()], op, signal);
    return combine(left, right, pairs.left, pairs.right, op);
  }

  // Right rows per key, chained in row order.
  const head = new Map<Key, number>();
  const tail = new Map<Key, number>();
  const next = new Int32Array(right.rowCount).fill(-1);
  for (let r = 0; r < right.rowCount; r++) {
    const k = rightKeys[r];
    if (k === undefined) continue;
    const t = tail.get(k);
    if (t === undefined) head.set(k, r);
    else next[t] = r;
    tail.set(k, r);
  }

  const leftRows = leftCandidates;

  const outLeft: number[] = [];
  const outRight: number[] = [];
  const rightMatched = new Uint8Array(right.rowCount);
  const probe = (l: number) => {
    const k = leftKeys[l];
    let r = k === undefined ? -1 : (head.get(k) ?? -1);
    let matched = false;
    while (r >= 0) {
      matched = true;
      rightMatched[r] = 1;
      if (kind !== 'leftsemi' && kind !== 'leftanti' && kind !== 'rightsemi' && kind !== 'rightanti') {
        outLeft.push(l);
        outRight.push(r);
        if (outLeft.length > MAX_JOIN_ROWS) throw new QueryRuntimeError(`the join produces more than ${MAX_JOIN_ROWS.toLocaleString('en-US')} rows`, op.start, op.end - op.start, 'filter both sides or summarize before joining; check that the join keys are selective');
      }
      r = next[r];
    }
    return matched;
  };
  const rows = leftRows ?? [...Array(left.rowCount).keys()];
  const leftOnly: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    if ((i & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
    const l = rows[i];
    const matched = probe(l);
    if (kind === 'leftsemi' && matched) leftOnly.push(l);
    if ((kind === 'leftanti' || ((kind === 'leftouter' || kind === 'fullouter') && !matched)) && !matched) {
      if (kind === 'leftanti') leftOnly.push(l);
      else {
        outLeft.push(l);
        outRight.push(-1);
      }
    }
  }
  if (kind === 'leftsemi' || kind === 'leftanti') return left.gather(Uint32Array.from(leftOnly));
  if (kind === 'rightsemi' || kind === 'rightanti') {
    const keep: number[] = [];
    for (let r = 0; r < right.rowCount; r++) if ((rightMatched[r] === 1) === (kind === 'rightsemi')) keep.push(r);
    return right.gather(Uint32Array.from(keep));
  }
  if (kind === 'rightouter' || kind === 'fullouter') {
    for (let r = 0; r < right.rowCount; r++) {
      if (!rightMatched[r]) {
        outLeft.push(-1);
        outRight.push(r);
      }
    }
  }
  return combine(left, right, Int32Array.from(outLeft), Int32Array.from(outRight), op);
}

/** innerunique keeps only the first left row of each key. */
function firstRowPerKey(keys: readonly (Key | undefined)[]): number[] {
  const seen = new Set<Key>();
  const rows: number[] = [];
  for (let r = 0; r < keys.length; r++) {
    const k = keys[r];
    if (k === undefined || seen.has(k)) continue;
    seen.add(k);
    rows.push(r);
  }
  return rows;
}

/** Inner join hashing the (smaller) left rows and probing with every right row; pairs come out in right-row order. */
function innerBuildingLeft(leftKeys: readonly (Key | undefined)[], rightKeys: readonly (Key | undefined)[], leftRows: readonly number[], op: A.JoinOp, signal: AbortSignal): { left: Int32Array; right: Int32Array } {
  const head = new Map<Key, number>();
  const tail = new Map<Key, number>();
  const next = new Int32Array(leftKeys.length).fill(-1);
  for (const l of leftRows) {
    const k = leftKeys[l];
    if (k === undefined) continue;
    const t = tail.get(k);
    if (t === undefined) head.set(k, l);
    else next[t] = l;
    tail.set(k, l);
  }
  const outLeft: number[] = [];
  const outRight: number[] = [];
  for (let r = 0; r < rightKeys.length; r++) {
    if ((r & ABORT_CHECK_MASK) === 0) throwIfAborted(signal);
    const k = rightKeys[r];
    for (let l = k === undefined ? -1 : (head.get(k) ?? -1); l >= 0; l = next[l]) {
      outLeft.push(l);
      outRight.push(r);
      if (outLeft.length > MAX_JOIN_ROWS) throw new QueryRuntimeError(`the join produces more than ${MAX_JOIN_ROWS.toLocaleString('en-US')} rows`, op.start, op.end - op.start, 'filter both sides or summarize before joining; check that the join keys are selective');
    }
  }
  return { left: Int32Array.from(outLeft), right: Int32Array.from(outRight) };
}

/** Left columns, then right columns; clashing right names get Kusto's numeric suffix (`Name1`). */
function combine(left: Table, right: Table, l: Int32Array, r: Int32Array, op: A.JoinOp): Table {
  const taken = new Set(left.schema.map((c) => c.name));
  const schema: ColumnSchema[] = [...left.schema];
  const columns: Column[] = left.columns.map((c) => gatherNullable(c, l));
  // lookup drops the right key columns (their values equal the left ones).
  const skip = op.kind === 'lookup' ? new Set(op.on.map((c) => c.right)) : new Set<string>();
  right.schema.forEach((c, i) => {
    if (skip.has(c.name)) return;
    schema.push({ name: uniqueName(c.name, taken), type: c.type });
    columns.push(gatherNullable(right.columns[i], r));
  });
  return new Table(schema, columns, l.length);
}
