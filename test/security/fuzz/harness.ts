/**
 * Seeded, bounded fuzzing of the whole data path: random JSON Lines (hostile keys and values, odd
 * numbers, deep nesting, lone surrogates, bytes that are not UTF-8, malformed lines) are written to
 * a file and read by the real source loader; random queries built from the query grammar run over
 * them; every result goes through every output (JSON, renderer payload, Markdown, CSV, terminal
 * table, verdict record). A finding is: an exception other than a query error with a position, a
 * changed built-in prototype, an output that does not escape, or a case slower than the budget.
 *
 * Used by test/security/fuzz.test.ts (a few thousand cases) and `npm run fuzz` (longer runs).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Marked } from 'marked';
import { renderTextTable } from '../../../src/cli/terminal';
import { renderSpec } from '../../../src/core/charts/render';
import { compileChart } from '../../../src/core/charts/svg';
import { ChartError, timelineSpec } from '../../../src/core/charts/timeline';
import { formatVerdictRecord, parseVerdictRecord } from '../../../src/core/claims/record';
import { parseNotebook, type CodeCell } from '../../../src/core/format';
import { checkChartSpec } from '../../../src/core/output/chartSafety';
import { csvField } from '../../../src/core/output/csv';
import { tableToMarkdown } from '../../../src/core/output/markdown';
import { formatValue, rowToJson, stringifyJson } from '../../../src/core/output/values';
import { tableToWire } from '../../../src/core/output/wire';
import { parseQuery, QueryRuntimeError, QuerySyntaxError, runQuery, Scope } from '../../../src/core/query';
import type { Table } from '../../../src/core/query/table';
import { DateTime } from '../../../src/core/query/values';
import { loadSource, parseSourceSpec } from '../../../src/core/sources';

export interface FuzzOptions {
  readonly seed: number;
  /** Queries to run in all. */
  readonly cases: number;
  /** Queries per generated data file. */
  readonly queriesPerDataset?: number;
  /** Rows per generated data file (at most). */
  readonly rows?: number;
  /** A case slower than this is a finding. */
  readonly caseBudgetMs?: number;
  /** Also compile every chart spec with Vega-Lite (slow; finds specs Vega cannot draw). */
  readonly charts?: boolean;
  readonly onProgress?: (done: number, report: FuzzReport) => void;
}

export interface FuzzFinding {
  readonly kind: 'crash' | 'unpositioned-error' | 'pollution' | 'output' | 'slow' | 'chart';
  readonly message: string;
  readonly query: string;
  readonly case: number;
  /** The data file (its bytes as latin1 text), to reproduce. */
  readonly data?: string;
  /** The id of the known defect this finding is an instance of (see KNOWN_DEFECTS). */
  readonly known?: string;
}

export interface KnownDefect {
  readonly id: string;
  readonly kind: FuzzFinding['kind'];
  readonly message: RegExp;
  readonly description: string;
}

/**
 * Defects the fuzzer finds in code outside the security tests' reach (the query engine and the
 * sources), recorded in docs/security.md with their reproductions. Each is matched narrowly, by
 * kind and exact message; anything else is a new finding.
 */
export const KNOWN_DEFECTS: readonly KnownDefect[] = [];

function knownDefect(kind: FuzzFinding['kind'], message: string): string | undefined {
  return KNOWN_DEFECTS.find((d) => d.kind === kind && d.message.test(message))?.id;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  datasets: number;
  rows: number;
  results: number;
  syntaxErrors: number;
  runtimeErrors: number;
  malformedLines: number;
  findings: FuzzFinding[];
  seconds: number;
}

// ---------- randomness ----------

class Random {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  next(): number {
    // mulberry32
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

// ---------- data ----------

const KEYS = ['user', 'ua', 'n', 'r', 'd', 'msg', 'ip', 'timestamp', 'ok', 'tags', '__proto__', 'constructor', 'prototype', '', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'a.b', 'a b', '0', '42', '<img src=x onerror=alert(1)>', 'x"]);alert(1);//', "it's", '\u202ertl', 'ключ', 'k\u0000z', 'dup', '$left', 'by', 'where'];
const STRINGS = [
  '', ' ', 'alice', 'bob', '<script>window.__pwned=1</script>', '<img src=x onerror="window.__pwned=1">', '"><svg onload=alert(1)>', 'javascript:alert(1)', '[x](javascript:alert(1))', '![x](https://attacker.invalid/x.png)',
  '=HYPERLINK("http://x")', '+1+cmd', '-2+3', '@SUM(1)', '\t=1', '\r=1', '-5', '1e309', '0x1F', '--> <!-- casebook:verdict', '<!-- /casebook:verdict -->', '```', '~~~', '# h', '| a | b |', 'a\nb', 'a\r\nb', '\u2028\u2029', '\u001b[31mred\u001b[0m', '\u009b31m',
  '\u202egnp.exe', 'ünïcödé 日本 🙂', '\ud800', '\udfff', '\ud83d', '10.0.0.1', '2001:db8::1', '2026-06-09T02:00:00Z', '2026-06-09', '1781000000', 'null', 'true', '{"__proto__":{"polluted":1}}', '[1,2,{"a":"b"}]', '{"a":' .repeat(40) + '1' + '}'.repeat(40), '\\', '\\u0000', '%00', '%E2%80%AE', 'www.attacker.invalid',
  'a'.repeat(300), 'user=bob id=5', 'GET /index.html HTTP/1.1', 'Mozilla/5.0 (X11; Linux x86_64)',
];
const NUMBERS = ['0', '-0', '1', '-1', '42', '9007199254740991', '9007199254740993', '-9223372036854775808', '9223372036854775807', '9223372036854775808', '123456789012345678901234567890', '1.5', '-2.25', '1e3', '1E-7', '1e308', '1e309', '-1e309', '0.1', '5e-324', '1.0'];

function jsonValue(rng: Random, depth: number): string {
  const roll = rng.int(20);
  if (depth > 3 && roll < 14) return JSON.stringify(rng.pick(STRINGS));
  if (roll < 6) return JSON.stringify(rng.chance(0.8) ? rng.pick(STRINGS) : randomText(rng));
  if (roll < 9) return rng.pick(NUMBERS);
  if (roll < 10) return rng.pick(['true', 'false', 'null']);
  if (roll < 11) return JSON.stringify(new Date(Date.UTC(2026, 5, 9) + rng.int(86_400_000) - 43_200_000).toISOString());
  if (roll < 14) return '[' + Array.from({ length: rng.int(4) }, () => jsonValue(rng, depth + 1)).join(',') + ']';
  if (roll < 16 && rng.chance(0.05)) return '['.repeat(70) + ']'.repeat(70);
  return jsonObject(rng, depth + 1, 4);
}

function jsonObject(rng: Random, depth: number, maxKeys: number): string {
  const n = rng.int(maxKeys + 1);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(`${JSON.stringify(rng.chance(0.7) ? rng.pick(KEYS) : randomText(rng))}:${jsonValue(rng, depth + 1)}`);
  return '{' + parts.join(',') + '}';
}

function randomText(rng: Random): string {
  const n = rng.int(8);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rng.int(10);
    s += r < 5 ? String.fromCharCode(32 + rng.int(95)) : r < 7 ? String.fromCharCode(rng.int(0x20)) : r < 8 ? String.fromCharCode(0x7f + rng.int(0x30)) : String.fromCharCode(rng.int(0x10000));
  }
  return s;
}

/** One data file: mostly objects with a time field, some odd lines. */
function dataset(rng: Random, rows: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < rows; i++) {
    const roll = rng.int(40);
    let line: string;
    if (roll === 0) line = rng.pick(['[1,2,3]', '"just a string"', '42', 'not json', '{"unclosed": ', '{"a":1}{"b":2}', '{"a":1,}', '']);
    else if (roll === 1) {
      // Duplicate keys: the last one wins.
      line = `{"timestamp":"2026-06-09T02:00:00Z","dup":${jsonValue(rng, 1)},"dup":${jsonValue(rng, 1)}}`;
    } else {
      const base = `"timestamp":${JSON.stringify(new Date(Date.UTC(2026, 5, 9) + rng.int(86_400_000)).toISOString())},"user":${JSON.stringify(rng.pick(STRINGS))},"n":${rng.pick(NUMBERS)}`;
      const extra = jsonObject(rng, 1, 6).slice(1, -1);
      line = `{${base}${extra ? ',' + extra : ''}}`;
    }
    let bytes = Buffer.from(line + (rng.chance(0.05) ? '\r\n' : '\n'));
    if (rng.chance(0.03)) {
      // Bytes that are not UTF-8, inside a string when there is one.
      const at = bytes.indexOf('"', 2);
      const bad = Buffer.from(rng.pick([[0xff], [0xfe, 0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x28, 0x8c, 0x28]]));
      if (at > 0) bytes = Buffer.concat([bytes.subarray(0, at + 1), bad, bytes.subarray(at + 1)]);
    }
    parts.push(bytes);
  }
  if (rng.chance(0.2)) parts.unshift(Buffer.from([0xef, 0xbb, 0xbf]));
  return Buffer.concat(parts);
}

// ---------- queries ----------

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const WORDS = new Set(['and', 'or', 'not', 'by', 'on', 'with', 'to', 'in', 'has', 'where', 'project', 'extend', 'summarize', 'true', 'false', 'null', 'let', 'asc', 'desc', 'kind', 'contains', 'between', 'typeof', 'dynamic', 'datetime', 'timespan', 'limit', 'nulls', 'first', 'last', 'of']);

function ref(name: string): string {
  return IDENT.test(name) && !WORDS.has(name.toLowerCase()) ? name : `[${JSON.stringify(name)}]`;
}

class QueryBuilder {
  constructor(
    readonly rng: Random,
    private columns: string[],
  ) {}

  private col(): string {
    return this.columns.length && this.rng.chance(0.9) ? ref(this.rng.pick(this.columns)) : this.rng.pick(['missing', 'user', "['__proto__']", 'n']);
  }

  literal(): string {
    const r = this.rng.int(12);
    if (r < 4) return JSON.stringify(this.rng.pick(STRINGS));
    if (r < 6) return this.rng.pick(NUMBERS.filter((n) => !/e309|^-0$/.test(n)));
    if (r < 7) return this.rng.pick(['true', 'false', 'long(null)', 'real(null)', 'dynamic(null)']);
    if (r < 8) return this.rng.pick(['datetime(2026-06-09)', 'datetime(2026-06-09T02:00:00Z)', 'now()', 'ago(1d)', '1h', '30m', 'time(1.02:03:04)']);
    if (r < 9) return this.rng.pick(['dynamic({"__proto__":{"polluted":1}})', 'dynamic([1,"a",null,{"constructor":{"prototype":{"x":1}}}])', 'dynamic({"a":{"b":[1,2]}})', 'dynamic([])', 'dynamic({})']);
    if (r < 10) return '@' + JSON.stringify(this.rng.pick(['(a+)+$', '(a|aa)+b', '[a-z]+', '\\d+', '(\\w+)=(\\w+)', '.*', '(.*a){20}']));
    return JSON.stringify(randomText(this.rng));
  }

  expr(depth = 0): string {
    const r = this.rng.int(depth > 2 ? 6 : 22);
    if (r < 3) return this.col();
    if (r < 5) return this.literal();
    if (r < 6) return `${this.col()}${this.rng.pick(['.a', '["__proto__"]', '.constructor.prototype', '[0]', '["polluted"]', "['']", '.b[1]'])}`;
    if (r < 13) {
      const f = this.rng.pick(FUNCTIONS);
      return f(this, depth + 1);
    }
    if (r < 18) return `(${this.expr(depth + 1)} ${this.rng.pick(['==', '!=', '<', '>=', '=~', '!~', 'contains', '!contains', 'has', '!has', 'startswith', 'endswith', 'matches regex', '+', '-', '*', '/', '%', 'and', 'or', 'has_any', 'in', '!in', 'in~'])} ${this.rng.chance(0.3) ? `(${this.literal()}, ${this.literal()})` : this.expr(depth + 1)})`;
    if (r < 19) return `not(${this.expr(depth + 1)})`;
    if (r < 20) return `${this.expr(depth + 1)} between (${this.literal()} .. ${this.literal()})`;
    if (r < 21) return `iff(${this.expr(depth + 1)}, ${this.expr(depth + 1)}, ${this.expr(depth + 1)})`;
    return `case(${this.expr(depth + 1)}, ${this.expr(depth + 1)}, ${this.expr(depth + 1)})`;
  }

  name(): string {
    return this.rng.chance(0.8) ? this.rng.pick(['x', 'y', 'k', 'v', 'e']) + this.rng.int(3) : ref(this.rng.pick(KEYS));
  }

  operator(): string {
    const r = this.rng.int(26);
    const e = () => this.expr();
    switch (r) {
      case 0:
      case 1:
      case 2:
        return `where ${e()}`;
      case 3:
      case 4: {
        const n = this.name();
        this.columns.push(n.replace(/^\[("|')(.*)\1\]$/, '$2'));
        return `extend ${n} = ${e()}`;
      }
      case 5: {
        const cols = Array.from({ length: 1 + this.rng.int(3) }, () => this.col());
        this.columns = cols.map((c) => c.replace(/^\[("|')(.*)\1\]$/, (_m, _q, inner: string) => { try { return JSON.parse(`"${inner}"`) as string; } catch { return inner; } }));
        return `project ${cols.join(', ')}`;
      }
      case 6: {
        const by = this.col();
        const agg = this.rng.pick(['count()', 'dcount(%)', 'make_set(%)', 'make_list(%, 5)', 'make_bag(%)', 'max(%)', 'min(%)', 'sum(%)', 'avg(%)', 'take_any(%)', 'arg_max(%, *)', 'countif(%)', 'percentile(%, 50)', 'stdev(%)']).replace('%', this.col());
        this.columns = ['c', by];
        return `summarize c = ${agg} by ${by}`;
      }
      case 7:
        return `summarize ${this.rng.pick(['count()', `dcount(${this.col()})`, `make_bag(bag_pack(tostring(${this.col()}), ${this.col()}))`])} by bin(timestamp, ${this.rng.pick(['1h', '1m', '0s', '-1h', '1d'])})`;
      case 8:
        return `${this.rng.pick(['order', 'sort'])} by ${this.col()} ${this.rng.pick(['asc', 'desc', ''])}${this.rng.chance(0.3) ? ` nulls ${this.rng.pick(['first', 'last'])}` : ''}`;
      case 9:
        return `top ${this.rng.int(5)} by ${this.col()}`;
      case 10:
        return `take ${this.rng.pick(['0', '1', '5', '100', '-1'])}`;
      case 11:
        return `distinct ${this.col()}`;
      case 12: {
        const n = this.name();
        return `mv-expand ${this.rng.chance(0.3) ? 'kind=array ' : ''}${n} = ${this.col()}${this.rng.chance(0.3) ? ` to typeof(${this.rng.pick(['long', 'string', 'dynamic', 'datetime'])})` : ''} limit ${this.rng.int(5)}`;
      }
      case 13:
        return `parse ${this.rng.chance(0.3) ? 'kind=regex ' : ''}${this.col()} with ${this.rng.pick(['* "=" v:string *', '"user=" u " id=" id:long', '* @"(a+)+$" w', 'x "<" y ">" *', '* "__proto__" p:dynamic'])}`;
      case 14:
        return `join kind=${this.rng.pick(['inner', 'leftouter', 'innerunique', 'leftanti', 'rightanti', 'fullouter', 'leftsemi'])} (T | take 5) on ${this.col()}`;
      case 15:
        return `union (T | take 3)`;
      case 16:
        return 'count';
      case 17:
        return `project-away ${this.col()}`;
      case 18:
        return `project-rename ${this.name()} = ${this.col()}`;
      case 19:
        return `render ${this.rng.pick(['timechart', 'columnchart', 'barchart', 'piechart', 'scatterchart', 'timeline', 'areachart', 'table', 'linechart'])}${this.rng.chance(0.3) ? ` with (title=${JSON.stringify(this.rng.pick(STRINGS))})` : ''}`;
      case 20:
        return `extend j = parse_json(tostring(${this.col()})) | mv-expand j limit 3`;
      case 21:
        return `where isnotnull(${this.col()}) | extend b = bag_keys(${this.col()}), t = gettype(${this.col()})`;
      case 22:
        return `summarize by ${this.col()}, ${this.col()}`;
      case 23:
        return `extend s = strcat(${this.col()}, ${this.literal()}) | where s has ${this.literal()}`;
      case 24:
        return `as T2 | join (T2) on ${this.col()}`;
      default:
        return `project-keep ${this.col()}`;
    }
  }

  query(): string {
    const ops = Array.from({ length: 1 + this.rng.int(5) }, () => this.operator());
    let text = ['T', ...ops].join('\n| ');
    if (this.rng.chance(0.15)) text = `let threshold = ${this.literal()};\n${text}`;
    if (this.rng.chance(0.08)) {
      // A mutation: a token dropped, doubled or swapped in; mostly syntax errors with positions.
      const tokens = text.split(/(\s+)/);
      const at = this.rng.int(tokens.length);
      const r = this.rng.int(3);
      if (r === 0) tokens.splice(at, 1);
      else if (r === 1) tokens.splice(at, 0, tokens[this.rng.int(tokens.length)]);
      else tokens.splice(at, 0, this.rng.pick(['|', '(', ')', '"', "'", '[', ']', '{', '}', '..', '=', ',', ';', '$left', '```', '//', '\u0000', '\ud800', '@"']));
      text = tokens.join('');
    }
    return text;
  }
}

type FunctionGen = (q: QueryBuilder, depth: number) => string;
const one = (name: string): FunctionGen => (q, d) => `${name}(${q.expr(d)})`;
const FUNCTIONS: FunctionGen[] = [
  one('tostring'), one('toint'), one('tolong'), one('todouble'), one('tobool'), one('todatetime'), one('totimespan'), one('todynamic'), one('parse_json'), one('strlen'), one('tolower'), one('toupper'), one('isnull'), one('isempty'), one('isnotempty'),
  one('bag_keys'), one('array_length'), one('gettype'), one('base64_encode_tostring'), one('base64_decode_tostring'), one('url_decode'), one('url_encode'), one('parse_url'), one('hash_sha256'), one('reverse'), one('trim_start_whitespace'),
  (q, d) => `strcat(${q.expr(d)}, ${q.expr(d)})`,
  (q, d) => `substring(${q.expr(d)}, ${q.literal()}, ${q.literal()})`,
  (q, d) => `split(${q.expr(d)}, ${q.literal()})`,
  (q, d) => `extract(${q.literal()}, ${q.literal()}, ${q.expr(d)})`,
  (q, d) => `extract_all(${q.literal()}, ${q.expr(d)})`,
  (q, d) => `replace_regex(${q.expr(d)}, ${q.literal()}, ${q.literal()})`,
  (q, d) => `replace_string(${q.expr(d)}, ${q.literal()}, ${q.literal()})`,
  (q, d) => `countof(${q.expr(d)}, ${q.literal()}${q.literal().startsWith('@') ? ', "regex"' : ''})`,
  (q, d) => `trim(${q.literal()}, ${q.expr(d)})`,
  (q, d) => `indexof(${q.expr(d)}, ${q.literal()})`,
  (q, d) => `bin(${q.expr(d)}, ${q.literal()})`,
  (q, d) => `format_datetime(${q.expr(d)}, ${q.literal()})`,
  (q, d) => `datetime_diff("hour", ${q.expr(d)}, ${q.expr(d)})`,
  (q, d) => `bag_pack(${q.literal()}, ${q.expr(d)}, "__proto__", ${q.expr(d)})`,
  (q, d) => `pack_array(${q.expr(d)}, ${q.expr(d)})`,
  (q, d) => `array_concat(${q.expr(d)}, ${q.expr(d)})`,
  (q, d) => `set_has_element(${q.expr(d)}, ${q.expr(d)})`,
  (q, d) => `array_index_of(${q.expr(d)}, ${q.expr(d)})`,
  (q, d) => `coalesce(${q.expr(d)}, ${q.expr(d)})`,
  (q, d) => `strrep(${q.expr(d)}, ${q.rng.pick([0, 1, 3, 100, 1000, -1])})`,
  (q, d) => `ipv4_is_private(${q.expr(d)})`,
  (q, d) => `ipv4_is_in_range(${q.expr(d)}, ${q.literal()})`,
  (q, d) => `round(${q.expr(d)}, ${q.literal()})`,
  (q, d) => `tostring(${q.expr(d)}[${q.literal()}])`,
];

// ---------- checks ----------

const marked = new Marked({ gfm: true });
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const MARKDOWN_TAGS = new Set(['table', 'thead', 'tbody', 'tr', 'th', 'td', 'p', 'em']);

function prototypeFingerprint(): string {
  return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((o) => Reflect.ownKeys(o).map(String).sort().join(',')).join('|');
}

/** Problems with the outputs of one result; empty when every output escapes and reads back. */
function checkOutputs(table: Table, caseIndex: number): string[] {
  const problems: string[] = [];
  const rows = Math.min(table.rowCount, 30);
  const names = table.schema.map((c) => c.name);
  for (let i = 0; i < rows; i++) {
    const json = stringifyJson(rowToJson(table, i));
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(json)) problems.push(`JSON output holds a raw control or separator character: ${json.slice(0, 120)}`);
    let back: Record<string, unknown>;
    try {
      back = JSON.parse(json) as Record<string, unknown>;
    } catch (e) {
      problems.push(`JSON output does not parse: ${(e as Error).message}: ${json.slice(0, 120)}`);
      continue;
    }
    if (Object.keys(back).sort().join('\u0000') !== [...names].sort().join('\u0000')) problems.push(`JSON keys ${JSON.stringify(Object.keys(back))} are not the columns ${JSON.stringify(names)}`);
    for (let j = 0; j < table.columns.length; j++) {
      const text = formatValue(table.columns[j].get(i));
      let field = csvField(text);
      if (field.startsWith('"')) field = field.slice(1, -1).replace(/""/g, '"');
      if ((/^\s*[=+\-@]/.test(field) || /^[\t\r]/.test(field)) && !PLAIN_NUMBER.test(field)) problems.push(`CSV field starts a formula: ${JSON.stringify(field.slice(0, 60))}`);
      if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(field)) problems.push(`CSV field holds a control character: ${JSON.stringify(field.slice(0, 60))}`);
    }
  }
  try {
    const wire = JSON.parse(JSON.stringify(tableToWire(table, 30))) as ReturnType<typeof tableToWire>;
    for (const row of wire.rows) for (const cell of row) if (!(cell === null || ['string', 'number', 'boolean'].includes(typeof cell))) problems.push(`wire cell of type ${typeof cell}`);
  } catch (e) {
    problems.push(`renderer payload is not JSON: ${(e as Error).message}`);
  }
  if (table.schema.length) {
    const html = marked.parse(tableToMarkdown(table, 30), { async: false }) as string;
    const plain = html.replace(/<a href="mailto:[^"]*">([^<]*)<\/a>/g, '$1');
    const tags = [...new Set([...plain.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()))].filter((t) => !MARKDOWN_TAGS.has(t));
    if (tags.length) problems.push(`Markdown table renders as ${tags.join(', ')}`);
    const trs = (plain.match(/<tr>/g) ?? []).length;
    if (trs !== rows + 1) problems.push(`Markdown table has ${trs} rows for ${rows} result rows`);
  }
  const text = renderTextTable(table, 30);
  if (TERMINAL_CONTROL.test(text.replace(/\n/g, ''))) problems.push(`terminal table holds a control character: ${JSON.stringify(text.slice(0, 120))}`);
  if (caseIndex % 10 === 0 && table.schema.length) {
    const rec = formatVerdictRecord({ claim: 'c', verdict: 'contradicted', rule: 'contradicted-if: q has rows', evidence: 'q', rows: table.rowCount, sources: {} }, { statement: 's', by: 'b', reason: 'r', evidenceTable: table, evidenceCaption: 'rows of q' });
    const parsed = parseNotebook(['```claim #c', 'claim: s', 'by: b', '```', rec.text, '', 'after', ''].join('\n'));
    if (!parsed.ok) problems.push(`a verdict record breaks the notebook: ${parsed.problem.message}`);
    else {
      const cell = parsed.notebook.cells[0] as CodeCell;
      if (parsed.notebook.cells.length !== 2 || cell.records.length !== 1 || cell.records[0].text !== rec.text) problems.push('a verdict record changes the notebook structure');
      else if (!parseVerdictRecord(cell.records[0])) problems.push('a verdict record does not read back');
    }
  }
  return problems;
}

async function checkCharts(table: Table, render: { kind: string; properties: Record<string, unknown> } | undefined, compile: boolean): Promise<string[]> {
  const problems: string[] = [];
  const specs: Record<string, unknown>[] = [];
  try {
    if (render) {
      const build = renderSpec(table, render as never);
      if (build) specs.push(build.spec);
    }
    const strings = table.schema.filter((c) => c.type === 'string' || c.type === 'dynamic').map((c) => c.name);
    if (table.schema.some((c) => c.type === 'datetime') && strings.length) {
      specs.push(timelineSpec(table, { lane: strings[0], color: strings[strings.length - 1], tooltip: strings.slice(0, 3) }).spec);
    }
  } catch (e) {
    if (!(e instanceof ChartError)) problems.push(`chart spec: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  for (const spec of specs) {
    const check = checkChartSpec(spec);
    if (check.problem && !/data points/.test(check.problem)) problems.push(`chart spec refused: ${check.problem}`);
    if (compile) {
      try {
        const compiled = await compileChart(spec);
        const errors = compiled.warnings.filter((w) => /error|invalid|cannot/i.test(w));
        if (errors.length) problems.push(`Vega-Lite: ${errors[0].slice(0, 200)}`);
      } catch (e) {
        problems.push(`Vega-Lite cannot compile the chart: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
      }
    }
  }
  return problems;
}

// ---------- the run ----------

export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const rng = new Random(options.seed);
  const perDataset = options.queriesPerDataset ?? 25;
  const maxRows = options.rows ?? 40;
  const budget = options.caseBudgetMs ?? 5_000;
  const report: FuzzReport = { seed: options.seed, cases: 0, datasets: 0, rows: 0, results: 0, syntaxErrors: 0, runtimeErrors: 0, malformedLines: 0, findings: [], seconds: 0 };
  const seen = new Set<string>();
  const fingerprint = prototypeFingerprint();
  const dir = mkdtempSync(join(tmpdir(), 'casebook-fuzz-'));
  const add = (finding: FuzzFinding) => {
    const known = knownDefect(finding.kind, finding.message);
    // One finding per known defect, one per distinct message otherwise.
    const key = known ?? `${finding.kind}:${finding.message.replace(/\d+/g, 'N').slice(0, 120)}`;
    if (seen.has(key)) return;
    seen.add(key);
    report.findings.push(known ? { ...finding, known } : finding);
  };
  try {
    while (report.cases < options.cases) {
      const data = dataset(rng, 1 + rng.int(maxRows));
      const file = join(dir, `data-${report.datasets}.jsonl`);
      writeFileSync(file, data);
      report.datasets++;
      let table: Table;
      try {
        const fields = rng.chance(0.25) ? ['timestamp', 'user', 'n', rng.pick(KEYS)] : undefined;
        const source = await loadSource(parseSourceSpec('T', { path: file }), { baseDir: dir, ...(fields ? { fields } : {}) });
        table = source.table;
        report.rows += table.rowCount;
        report.malformedLines += source.malformed.count;
      } catch (e) {
        add({ kind: 'crash', message: `loading: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, query: '', case: report.cases, data: data.toString('latin1') });
        continue;
      }
      const columns = table.schema.map((c) => c.name);
      for (let q = 0; q < perDataset && report.cases < options.cases; q++) {
        const caseIndex = report.cases++;
        const text = new QueryBuilder(rng, [...columns]).query();
        const t0 = performance.now();
        let result: Awaited<ReturnType<typeof runQuery>> | undefined;
        try {
          result = await runQuery(parseQuery(text), { resolveTable: async (n) => (n === 'T' ? table : undefined), scope: Scope.empty, now: DateTime.fromMillis(Date.UTC(2026, 5, 10)), limits: { maxRows: 5_000 } }, new AbortController().signal);
        } catch (e) {
          if (e instanceof QuerySyntaxError) {
            report.syntaxErrors++;
            const valid = e.offset >= 0 && e.offset <= text.length && e.line >= 1 && e.column >= 1 && e.format(text).includes('^');
            if (!valid) add({ kind: 'unpositioned-error', message: `syntax error without a valid position: ${e.message}`, query: text, case: caseIndex });
          } else if (e instanceof QueryRuntimeError) {
            report.runtimeErrors++;
            if (e.offset === undefined || e.offset < 0 || e.offset > text.length) add({ kind: 'unpositioned-error', message: `runtime error without a position: ${e.message}`, query: text, case: caseIndex });
          } else {
            add({ kind: 'crash', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), query: text, case: caseIndex, data: data.toString('latin1') });
          }
        }
        const took = performance.now() - t0;
        if (took > budget) add({ kind: 'slow', message: `query took ${Math.round(took)} ms`, query: text, case: caseIndex, data: data.toString('latin1') });
        if (result?.table) {
          report.results++;
          try {
            for (const p of checkOutputs(result.table, caseIndex)) add({ kind: 'output', message: p, query: text, case: caseIndex, data: data.toString('latin1') });
            for (const p of await checkCharts(result.table, result.render as never, options.charts === true)) add({ kind: 'chart', message: p, query: text, case: caseIndex, data: data.toString('latin1') });
          } catch (e) {
            add({ kind: 'crash', message: `outputs: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, query: text, case: caseIndex, data: data.toString('latin1') });
          }
        }
        if (({} as Record<string, unknown>).polluted !== undefined || prototypeFingerprint() !== fingerprint) {
          add({ kind: 'pollution', message: 'a built-in prototype changed', query: text, case: caseIndex, data: data.toString('latin1') });
          return report;
        }
        if (caseIndex % 250 === 0) options.onProgress?.(report.cases, report);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    report.seconds = (performance.now() - started) / 1000;
  }
  return report;
}
