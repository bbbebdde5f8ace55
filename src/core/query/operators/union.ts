/** union: columns matched by name; a name with different types becomes one column per type (`x_long`, `x_string`). */
import { buildColumn } from '../columns';
import { Table, type Column, type ColumnSchema } from '../table';
import type { ScalarType } from '../values';
import { uniqueName } from '../naming';

export interface UnionInput {
  readonly name: string;
  readonly table: Table;
}

export function union(inputs: readonly UnionInput[], kind: 'outer' | 'inner', withSource: string | undefined): Table {
  const typesByName = new Map<string, ScalarType[]>();
  for (const { table } of inputs) {
    for (const c of table.schema) {
      const types = typesByName.get(c.name) ?? [];
      if (!types.includes(c.type)) types.push(c.type);
      typesByName.set(c.name, types);
    }
  }
  let names = [...typesByName.keys()];
  if (kind === 'inner') names = names.filter((n) => inputs.every((i) => i.table.column(n)));
  // A column of one type keeps its name; the type-suffixed names of a mixed one give way to every
  // such name (and the source column), taking Kusto's numeric suffix: with inputs `x:long`,
  // `x:string` and `x_long`, input 1's `x` becomes `x_long1`, so no input's values are lost.
  const mixed = (n: string) => (typesByName.get(n) ?? []).length > 1;
  const taken = new Set(names.filter((n) => !mixed(n)));
  if (withSource) taken.add(withSource);
  const outputs: { name: string; source: string; type: ScalarType }[] = [];
  for (const n of names) {
    const types = typesByName.get(n) ?? [];
    if (!mixed(n)) outputs.push({ name: withSource === n ? uniqueName(n, taken) : n, source: n, type: types[0] });
    else for (const t of types) outputs.push({ name: uniqueName(`${n}_${t}`, taken), source: n, type: t });
  }
  const total = inputs.reduce((s, i) => s + i.table.rowCount, 0);
  const schema: ColumnSchema[] = [];
  const columns: Column[] = [];
  if (withSource) {
    const labels: string[] = [];
    for (const i of inputs) for (let r = 0; r < i.table.rowCount; r++) labels.push(i.name);
    schema.push({ name: withSource, type: 'string' });
    columns.push(buildColumn('string', total, (k) => labels[k]));
  }
  for (const o of outputs) {
    const parts = inputs.map(({ table }) => {
      const c = table.column(o.source);
      return c && c.type === o.type ? c : undefined;
    });
    const values = buildColumn(o.type, total, locate(inputs, parts));
    schema.push({ name: o.name, type: o.type });
    columns.push(values);
  }
  return new Table(schema, columns, total);
}

function locate(inputs: readonly UnionInput[], parts: (Column | undefined)[]) {
  const starts: number[] = [];
  let s = 0;
  for (const i of inputs) {
    starts.push(s);
    s += i.table.rowCount;
  }
  let part = 0;
  return (k: number) => {
    while (part + 1 < starts.length && k >= starts[part + 1]) part++;
    while (part > 0 && k < starts[part]) part--;
    const c = parts[part];
    return c ? c.get(k - starts[part]) : null;
  };
}
