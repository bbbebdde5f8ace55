/** `kql` cells: parse, run against the notebook's scope and tables, show the result. */
import { analyzeQuery, parseQuery, runQuery, type QueryAst, type QueryEnvironment, type QueryResult } from '../query';
import type { Definition, Scope } from '../query/scope';
import { renderSpec } from '../charts/render';
import { ChartError } from '../charts/timeline';
import type { CellContext, CellHandler, CellOutput } from './session';

function environment(context: CellContext, scope: Scope): QueryEnvironment {
  return { resolveTable: context.resolveTable, tableNames: context.tableNames, sourceColumns: context.sourceColumns, scope, now: context.now, limits: { maxRows: context.limits.maxResultRows } };
}

/**
 * Runs a query with the cell's tables (also used for claims' inline evidence and predicates, and
 * timelines' queries). Its warnings (a source's skipped lines, a truncated result) go to the cell.
 */
export async function runQueryIn(context: CellContext, query: string | QueryAst, scope: Scope = context.scope): Promise<QueryResult> {
  const result = await runQuery(typeof query === 'string' ? parseQuery(query) : query, environment(context, scope), context.signal);
  context.noteTablesUsed(result.tablesUsed);
  for (const w of result.warnings) context.warn(w);
  return result;
}

/** Rows a result had before the row limit cut it, when it did. */
export function cutFrom(result: QueryResult): number | undefined {
  return result.table && result.totalRows !== undefined && result.totalRows > result.table.rowCount ? result.totalRows : undefined;
}

export const runQueryCell: CellHandler = async (cell, context) => {
  const ast = parseQuery(cell.source);
  const result = await runQueryIn(context, ast);
  const definitions = new Map<string, Definition>();
  for (const name of analyzeQuery(ast).defines) {
    const def = result.definitions.get(name);
    if (def) definitions.set(name, def);
  }
  const outputs: CellOutput[] = [];
  const warnings: string[] = []; // the query's own went to the cell (runQueryIn)
  if (result.table) {
    outputs.push({ type: 'table', table: result.table });
    if (result.render) {
      try {
        const chart = renderSpec(result.table, result.render);
        if (chart) outputs.unshift({ type: 'chart', spec: chart.spec, marks: chart.marks, ...(chart.note ? { note: chart.note } : {}) });
      } catch (e) {
        // The table is still right; say why there is no chart.
        if (e instanceof ChartError) warnings.push(`render: ${e.message}`);
        else throw e;
      }
    }
  }
  const rows = result.table?.rowCount;
  const cut = cutFrom(result);
  const summary = rows !== undefined ? `${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'}` : definitions.size ? `defines ${[...definitions.keys()].join(', ')}` : 'no result';
  return {
    result: { ok: true, outputs, summary, warnings },
    state: { ok: true, ...(result.table ? { table: result.table } : {}), ...(cut !== undefined ? { cutFrom: cut } : {}), definitions },
  };
};
