/** The shape of a compiled scalar expression and the context it is compiled in. */
import type { Expr } from './ast';
import type { Scope } from './scope';
import type { Column, Table } from './table';
import type { DateTime, ScalarType, Value } from './values';

export interface Compiled {
  readonly type: ScalarType;
  /** The value for one row of the table the expression was compiled against. */
  readonly eval: (row: number) => Value;
  /** Present when the value does not depend on the row (computed once). */
  readonly constant?: { readonly value: Value };
  /** Set when the expression is a plain column reference, enabling typed fast paths. */
  readonly column?: Column;
}

/** Per-run settings and sinks shared by every operator of one query run. */
export interface RunSettings {
  readonly now: DateTime;
  readonly warnings: string[];
  readonly makeListMax: number;
}

export interface ExprContext {
  readonly table: Table;
  readonly scope: Scope;
  /** Function parameters and function-body lets, which shadow columns. */
  readonly locals: ReadonlyMap<string, Compiled>;
  /** Results of tabular subqueries (`in (T | ...)`, `toscalar(...)`), evaluated before compiling. */
  readonly subqueries: ReadonlyMap<Expr, import('./table').Table>;
  readonly run: RunSettings;
}

export function constant(type: ScalarType, value: Value): Compiled {
  return { type, eval: () => value, constant: { value } };
}
