/** What operators need from the running query: compiling expressions and evaluating subqueries. */
import type * as A from '../ast';
import type { Compiled, RunSettings } from '../compiled';
import type { Scope } from '../scope';
import type { Table } from '../table';

export interface OperatorContext {
  readonly signal: AbortSignal;
  readonly run: RunSettings;
  readonly scope: Scope;
  /** Compiles a scalar expression against `table` (subqueries inside it are already evaluated). */
  compile(e: A.Expr, table: Table): Compiled;
  /** Evaluates a nested tabular expression (join/union operands). */
  evaluate(query: A.TabularExpr): Promise<Table>;
}
