/** Test support: fixture tables built from the JSONL/CSV files, a query runner, and a DuckDB oracle. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parse as parseCsv } from 'csv-parse/sync';
import { runQuery, Scope, type QueryEnvironment, type QueryResult } from '../../../src/core/query';
import { parseJson } from '../../../src/core/query/dynamic';
import { parseDateTimeText } from '../../../src/core/query/time';
import { Table, type ColumnSchema } from '../../../src/core/query/table';
import { DateTime, Timespan, type ScalarType, type Value } from '../../../src/core/query/values';

export const FIXTURES = join(__dirname, '../../fixtures/query');

type Schema = Record<string, ScalarType>;

export const SCHEMAS: Record<string, { file: string; schema: Schema }> = {
  Signins: {
    file: 'signins.jsonl',
    schema: { TimeGenerated: 'datetime', UserPrincipalName: 'string', IPAddress: 'string', ResultType: 'long', ResultDescription: 'string', AppDisplayName: 'string', Country: 'string', LatencyMs: 'long', RiskScore: 'real', DeviceDetail: 'dynamic', Tags: 'dynamic' },
  },
  Audit: {
    file: 'audit.jsonl',
    schema: { TimeGenerated: 'datetime', OperationName: 'string', InitiatedBy: 'string', TargetUser: 'string', Result: 'string', AdditionalDetails: 'dynamic' },
  },
  FileAccess: {
    file: 'file_access.csv',
    schema: { Timestamp: 'datetime', Actor: 'string', Owner: 'string', Space: 'string', Action: 'string', Bytes: 'long', Path: 'string' },
  },
  ProcessEvents: {
    file: 'process_events.jsonl',
    schema: { Timestamp: 'datetime', Host: 'string', Image: 'string', CommandLine: 'string' },
  },
};

function convert(type: ScalarType, v: unknown): Value {
  if (v === null || v === undefined || v === '') return type === 'string' ? '' : null;
  switch (type) {
    case 'string':
      return String(v);
    case 'long':
      return BigInt(v as string | number | bigint);
    case 'real':
      return Number(v);
    case 'bool':
      return v === true || v === 'true';
    case 'datetime': {
      const us = parseDateTimeText(String(v));
      if (us === null) throw new Error(`bad datetime in fixture: ${String(v)}`);
      return new DateTime(us);
    }
    case 'timespan':
      return new Timespan(Number(v));
    case 'dynamic':
      return v as Value;
  }
}

export function loadFixture(name: string): Table {
  const { file, schema } = SCHEMAS[name];
  const text = readFileSync(join(FIXTURES, file), 'utf8');
  const columns: ColumnSchema[] = Object.entries(schema).map(([n, type]) => ({ name: n, type }));
  let records: Record<string, unknown>[];
  if (file.endsWith('.csv')) records = parseCsv(text, { columns: true, skip_empty_lines: true }) as Record<string, unknown>[];
  else records = text.split('\n').filter((l) => l.trim()).map((l) => parseJson(l) as unknown as Record<string, unknown>);
  const rows = records.map((r) => {
    const row: Record<string, Value> = Object.create(null);
    for (const c of columns) row[c.name] = convert(c.type, Object.hasOwn(r, c.name) ? r[c.name] : null);
    return row;
  });
  return Table.fromRows(columns, rows);
}

let cached: Map<string, Table> | undefined;
export function fixtureTables(): Map<string, Table> {
  cached ??= new Map(Object.keys(SCHEMAS).map((n) => [n, loadFixture(n)]));
  return cached;
}

/** The reference "now" for fixture queries: the day after the data ends. */
export const NOW = new DateTime(Date.UTC(2026, 2, 4) * 1000);

export function fixtureEnv(overrides: Partial<QueryEnvironment> = {}): QueryEnvironment {
  const tables = fixtureTables();
  return {
    resolveTable: async (name) => tables.get(name),
    tableNames: () => [...tables.keys()],
    scope: Scope.empty,
    now: NOW,
    ...overrides,
  };
}

export async function run(kql: string, overrides: Partial<QueryEnvironment> = {}): Promise<QueryResult> {
  return runQuery(kql, fixtureEnv(overrides), new AbortController().signal);
}

export async function runTable(kql: string): Promise<Table> {
  const r = await run(kql);
  if (!r.table) throw new Error('query returned no table');
  return r.table;
}

/** Comparable form of a value from either engine. */
export function norm(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? Number(v.toPrecision(12)) : String(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof DateTime) return `dt:${v.us}`;
  if (v instanceof Timespan) return `ts:${v.us}`;
  if (Array.isArray(v)) return v.map(norm);
  const o = v as Record<string, unknown> & { constructor?: { name?: string } };
  const kind = o.constructor?.name ?? '';
  if (kind.startsWith('DuckDBTimestamp')) return `dt:${Number(o.micros as bigint)}`;
  if (kind === 'DuckDBIntervalValue') return `ts:${Number(o.days as number) * 86_400_000_000 + Number(o.micros as bigint)}`;
  if (kind === 'DuckDBDecimalValue') return norm((o as unknown as { toDouble(): number }).toDouble());
  if (kind === 'DuckDBListValue') return (o.items as unknown[]).map(norm);
  if (kind === 'DuckDBDateValue') return `dt:${Number((o as unknown as { days: number }).days) * 86_400_000_000}`;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = norm(o[k]);
  return out;
}

export function tableRows(t: Table): unknown[][] {
  const rows: unknown[][] = [];
  for (let r = 0; r < t.rowCount; r++) rows.push(t.columns.map((c) => norm(c.get(r))));
  return rows;
}

export function sortRows(rows: unknown[][]): unknown[][] {
  return [...rows].sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** DuckDB loaded with the same fixture files, in UTC. */
export class Oracle {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<Oracle> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
    for (const [name, { file, schema }] of Object.entries(SCHEMAS)) {
      const sqlType: Record<ScalarType, string> = { string: 'VARCHAR', long: 'BIGINT', real: 'DOUBLE', bool: 'BOOLEAN', datetime: 'TIMESTAMPTZ', timespan: 'INTERVAL', dynamic: 'JSON' };
      const cols = Object.entries(schema).map(([n, t]) => `${n}: '${sqlType[t]}'`).join(', ');
      const path = join(FIXTURES, file).replace(/'/g, "''");
      const reader = file.endsWith('.csv') ? `read_csv('${path}', header = true, columns = {${cols}})` : `read_json('${path}', format = 'newline_delimited', columns = {${cols}})`;
      // Kusto strings are never null: missing strings read as "".
      const select = Object.entries(schema).map(([n, t]) => (t === 'string' ? `coalesce(${n}, '') AS ${n}` : n)).join(', ');
      await connection.run(`CREATE TABLE ${name} AS SELECT ${select} FROM ${reader}`);
    }
    return new Oracle(instance, connection);
  }

  async rows(sql: string): Promise<unknown[][]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRows().map((r) => r.map(norm));
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
