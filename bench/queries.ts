/**
 * The five canonical benchmark queries, each written for Casebook (KQL), DuckDB (SQL over
 * `read_ndjson`) and jq, with one canonical form of the answer so the tools can be compared, and
 * W1, beyond those five: the shape analysts write most, a filter whose rows come back whole.
 */
import { createHash } from 'node:crypto';

export type Answer = string;

export interface BenchQuery {
  readonly id: string;
  readonly title: string;
  readonly kql: string;
  sql(file: string): string;
  /** jq arguments after the program name (the program reads the file given last). */
  readonly jq: readonly string[];
  /** Canonical answer from each tool's rows. */
  fromCasebook(rows: readonly Record<string, unknown>[]): Answer;
  fromDuckdb(rows: readonly Record<string, unknown>[]): Answer;
  fromJq(stdout: string): Answer;
}

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number(v));
/** Epoch milliseconds of an ISO text or a DuckDB timestamp value ({ micros }). */
const ms = (v: unknown): number => {
  if (typeof v === 'string') return Date.parse(v);
  if (v && typeof v === 'object' && 'micros' in v) return Number((v as { micros: bigint }).micros / 1000n);
  if (v instanceof Date) return v.getTime();
  throw new Error(`not a time: ${String(v)}`);
};
const sorted = <T>(rows: T[]): T[] => rows.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : JSON.stringify(a) > JSON.stringify(b) ? 1 : 0));
const canonical = (v: unknown): Answer => JSON.stringify(v);
const digest = (lines: string[]): string => createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 16);
const jsonLines = (text: string): Record<string, unknown>[] => text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
const sqlPath = (file: string) => `'${file.replace(/'/g, "''")}'`;

export const QUERIES: readonly BenchQuery[] = [
  {
    id: 'Q1',
    title: 'selective filter + count',
    kql: 'logs | where event == "login.failed" | count',
    sql: (f) => `SELECT count(*) AS n FROM read_ndjson(${sqlPath(f)}) WHERE event = 'login.failed'`,
    jq: ['-n', 'reduce (inputs | select(.event == "login.failed")) as $r (0; . + 1)'],
    fromCasebook: (rows) => canonical({ count: num(rows[0]?.Count) }),
    fromDuckdb: (rows) => canonical({ count: num(rows[0]?.n) }),
    fromJq: (out) => canonical({ count: Number(out.trim()) }),
  },
  {
    id: 'Q2',
    title: 'count by a low-cardinality field',
    kql: 'logs | summarize count() by event',
    sql: (f) => `SELECT event, count(*) AS n FROM read_ndjson(${sqlPath(f)}) GROUP BY event`,
    jq: ['-n', 'reduce inputs as $r ({}; .[$r.event] += 1)'],
    fromCasebook: (rows) => canonical(sorted(rows.map((r) => [String(r.event), num(r.count_)]))),
    fromDuckdb: (rows) => canonical(sorted(rows.map((r) => [String(r.event), num(r.n)]))),
    fromJq: (out) => canonical(sorted(Object.entries(JSON.parse(out) as Record<string, number>).map(([k, v]) => [k, v]))),
  },
  {
    id: 'Q3',
    title: 'count by 1-hour bin and category',
    kql: 'logs | summarize count() by bin(ts, 1h), event',
    sql: (f) => `SELECT time_bucket(INTERVAL 1 hour, ts) AS h, event, count(*) AS n FROM read_ndjson(${sqlPath(f)}) GROUP BY 1, 2`,
    jq: ['-n', 'reduce inputs as $r ({}; .[$r.ts[0:13] + "|" + $r.event] += 1)'],
    fromCasebook: (rows) => canonical(sorted(rows.map((r) => [ms(r.ts), String(r.event), num(r.count_)]))),
    fromDuckdb: (rows) => canonical(sorted(rows.map((r) => [ms(r.h), String(r.event), num(r.n)]))),
    fromJq: (out) =>
      canonical(
        sorted(
          Object.entries(JSON.parse(out) as Record<string, number>).map(([k, v]) => {
            const [hour, event] = [k.slice(0, k.indexOf('|')), k.slice(k.indexOf('|') + 1)];
            return [Date.parse(`${hour}:00:00Z`), event, v];
          }),
        ),
      ),
  },
  {
    id: 'Q4',
    title: 'dcount of rooms by user, top 10',
    kql: 'logs | summarize rooms = dcount(tostring(room.id)) by user = tostring(actor.user) | top 10 by rooms desc, user asc',
    sql: (f) => `SELECT actor.user AS user, count(DISTINCT room.id) AS rooms FROM read_ndjson(${sqlPath(f)}) GROUP BY 1 ORDER BY rooms DESC, user ASC LIMIT 10`,
    jq: ['-n', 'reduce inputs as $r ({}; .[$r.actor.user][$r.room.id] = 1) | [to_entries[] | {user: .key, rooms: (.value | length)}] | sort_by(-.rooms, .user) | .[:10]'],
    fromCasebook: (rows) => canonical(rows.map((r) => [String(r.user), num(r.rooms)])),
    fromDuckdb: (rows) => canonical(rows.map((r) => [String(r.user), num(r.rooms)])),
    fromJq: (out) => canonical((JSON.parse(out) as { user: string; rooms: number }[]).map((r) => [r.user, r.rooms])),
  },
  {
    id: 'Q5',
    title: 'filter + projection of all matching rows',
    kql: 'logs | where event == "file.upload" and room.visibility == "public" | project ts, user = tostring(actor.user), room = tostring(room.id), bytes',
    sql: (f) =>
      `SELECT ts, actor.user AS user, room.id AS room, bytes FROM read_ndjson(${sqlPath(f)}) WHERE event = 'file.upload' AND room.visibility = 'public'`,
    jq: ['-c', 'select(.event == "file.upload" and .room.visibility == "public") | {ts, user: .actor.user, room: .room.id, bytes}'],
    fromCasebook: (rows) => canonical({ rows: rows.length, digest: digest(rows.map((r) => `${ms(r.ts)}|${r.user}|${r.room}|${num(r.bytes)}`)) }),
    fromDuckdb: (rows) => canonical({ rows: rows.length, digest: digest(rows.map((r) => `${ms(r.ts)}|${r.user}|${r.room}|${num(r.bytes)}`)) }),
    fromJq: (out) => {
      const rows = jsonLines(out);
      return canonical({ rows: rows.length, digest: digest(rows.map((r) => `${ms(r.ts)}|${r.user}|${r.room}|${num(r.bytes)}`)) });
    },
  },
  {
    id: 'W1',
    title: 'filter returning whole rows (beyond the five)',
    kql: 'logs | where status == 500',
    sql: (f) => `SELECT * FROM read_ndjson(${sqlPath(f)}) WHERE status = 500`,
    jq: ['-c', 'select(.status == 500)'],
    fromCasebook: (rows) => wholeRows(rows),
    fromDuckdb: (rows) => wholeRows(rows),
    fromJq: (out) => wholeRows(jsonLines(out)),
  },
];

/** Whole rows, by what identifies them and two of their nested values, in any order. */
function wholeRows(rows: readonly Record<string, unknown>[]): Answer {
  // DuckDB gives a struct as a value holding its `entries`.
  const member = (v: unknown, key: string) => {
    const o = v !== null && typeof v === 'object' && 'entries' in v ? (v as { entries: Record<string, unknown> }).entries : (v as Record<string, unknown> | null);
    return String(o?.[key]);
  };
  return canonical({ rows: rows.length, digest: digest(rows.map((r) => `${ms(r.ts)}|${r.request_id}|${num(r.status)}|${member(r.actor, 'user')}|${member(r.room, 'id')}`)) });
}

export function parseJsonLines(text: string): Record<string, unknown>[] {
  return jsonLines(text);
}
