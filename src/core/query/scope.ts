/**
 * Names visible to a query: scalar lets, tabular lets and user functions. Immutable: `extend`
 * returns a new scope, so a notebook can hand each cell the scope left by the cells before it.
 */
import type { FunctionDef } from './ast';
import { Table } from './table';
import { typeOfValue, type ScalarType, type Value } from './values';

export type Definition =
  | { readonly kind: 'scalar'; readonly type: ScalarType; readonly value: Value }
  /**
   * Evaluated on first use and then remembered (lets are lazy, as in Kusto). `tablesUsed` and
   * `warnings` fill in as it evaluates, so a later query using it can report them as its own.
   */
  | { readonly kind: 'tabular'; readonly table: (signal: AbortSignal) => Promise<Table>; readonly tablesUsed?: readonly string[]; readonly warnings?: readonly string[]; readonly origin?: object }
  | { readonly kind: 'function'; readonly def: FunctionDef; readonly scope: Scope; readonly origin?: object };

export class Scope {
  static readonly empty = new Scope(new Map());

  private constructor(private readonly defs: ReadonlyMap<string, Definition>) {}

  /** A scope from plain values: tables become tabular definitions, everything else a scalar. */
  static of(values: Readonly<Record<string, Value | Table>>): Scope {
    const defs = new Map<string, Definition>();
    for (const [name, v] of Object.entries(values)) defs.set(name, v instanceof Table ? tabularDefinition(v) : scalarDefinition(v));
    return new Scope(defs);
  }

  get(name: string): Definition | undefined {
    return this.defs.get(name);
  }

  has(name: string): boolean {
    return this.defs.has(name);
  }

  names(): string[] {
    return [...this.defs.keys()];
  }

  extend(defs: Iterable<readonly [string, Definition]> | Readonly<Record<string, Definition>>): Scope {
    const next = new Map(this.defs);
    const entries: Iterable<readonly [string, Definition]> = Symbol.iterator in defs ? (defs as Iterable<readonly [string, Definition]>) : Object.entries(defs);
    for (const [k, v] of entries) next.set(k, v);
    return new Scope(next);
  }
}

export function scalarDefinition(value: Value, type?: ScalarType): Definition {
  const t = typeOfValue(value);
  return { kind: 'scalar', value, type: type ?? (t === 'null' ? 'dynamic' : t) };
}

/** `origin`: the query run that made it (see `RunSettings.origin`). */
export function tabularDefinition(table: Table | ((signal: AbortSignal) => Promise<Table>), provenance?: { tablesUsed: readonly string[]; warnings: readonly string[] }, origin?: object): Definition {
  if (table instanceof Table) {
    const t = table;
    return { kind: 'tabular', table: async () => t };
  }
  let memo: Promise<Table> | undefined;
  const compute = table;
  return {
    kind: 'tabular',
    ...provenance,
    origin,
    table: (signal) => {
      if (!memo) {
        memo = compute(signal);
        // A failed or cancelled evaluation is not remembered.
        memo.catch(() => (memo = undefined));
      }
      return memo;
    },
  };
}
