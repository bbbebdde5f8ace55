/**
 * Lines matched in batches and written column by column (JsonFieldScanner.matchBatch,
 * templateRuns.ts) must give the very table the line-by-line read gives: random logs of a few
 * shapes in long runs (so templates and batches form), with the values that must leave the column
 * path (escapes, other types, unreadable times, duplicate keys, overlong and broken lines) mixed
 * in, are read both ways and compared.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { setBatchReading } from '../../../src/core/sources/jsonlReader';
import { JsonTableBuilder } from '../../../src/core/sources/jsonTable';
import { isStringColumn } from '../../../src/core/query/table';
import { load, tempDir } from './helpers';
import { snapshot } from './jsonLines';

const DAY = Date.UTC(2026, 5, 9);

const isoTime = fc.integer({ min: 0, max: 3 * 86_400_000 }).map((ms) => JSON.stringify(new Date(DAY + ms).toISOString()));
const tsValue = fc.oneof(
  { weight: 12, arbitrary: isoTime },
  {
    weight: 1,
    arbitrary: fc.constantFrom('"2026-06-09T10:11:12+02:00"', '"2026-06-09 10:11:12.5"', '"2026-06-09T10:11:12.1234567Z"', '"not a time"', '""', '"2026-13-01T00:00:00Z"', '"2026-06-09T10:11:12\\u005a"', '1780999872', 'null', '{"x":1}'),
  },
);
const eventValue = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('login', 'logout', 'send', 'é-event', '', 'x'.repeat(40), 'needle').map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.constantFrom('"a\\"b"', '"\\u00e9"', '7', '-0', 'null', 'true', '["a"]', '{"k":"v"}', '"\\ud800"', '"tab\\there"') },
);
const nValue = fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.constantFrom('1.5', '"7"', 'null', '1e3'));

type Values = [string, string, string, string];
const values: fc.Arbitrary<Values> = fc.tuple(tsValue, eventValue, nValue, eventValue);

/** Line shapes: the usual ones, key orders, extra and missing keys, a repeated key, odd spacing, and lines that are not objects. */
const SHAPES: ((v: Values) => string)[] = [
  ([ts, e, n]) => `{"ts":${ts},"event":${e},"n":${n}}`,
  ([ts, e, n]) => `{"ts":${ts},"event":${e},"n":${n}}`,
  ([ts, e]) => `{"event":${e},"ts":${ts}}`,
  ([ts, e, n]) => `{"ts":${ts},"extra":"x","event":${e},"n":${n}}`,
  ([ts, e, , e2]) => `{"ts":${ts},"event":${e},"event":${e2}}`,
  ([, e]) => `{"event":${e}}`,
  ([ts, e, n]) => ` {"ts": ${ts}, "event": ${e}, "n": ${n}} `,
  ([ts, e]) => `{"ts":${ts},"event":${e},"deep":{"a":[1,{"b":2}]}}`,
  ([ts, e, , e2]) => `{"ts":${ts},"actor":{"user":${e},"ip":"10.0.0.1"},"event":${e2}}`,
  ([ts, e, , e2]) => `{"ts":${ts},"actor":{"user":${e},"ip":"10.0.0.1"},"event":${e2}}`,
  ([ts, e]) => `{"ts":${ts},"actor":{"ip":"10.0.0.2"},"event":${e}}`,
  ([, e, , e2]) => `{"actor":${e},"event":${e2}}`,
  ([ts, e, , e2]) => `{"ts":${ts},"actor":{"user":{"deep":${e}}},"event":${e2}}`,
  ([ts, e, , e2]) => `{"ts":${ts},"actor":{"user":${e}},"actor":{"user":${e2}}}`,
  ([ts, e, , e2]) => `{"ts":${ts},"actor":{"user":${e}},"actor":{"ip":${e2}}}`,
  ([ts, e, n, e2]) => `{"ts":${ts},"actor":{"user":${e2},"ip":${e},"n":${n}},"event":${e2}}`,
  () => '',
  () => 'not json',
  ([ts]) => `{"ts":${ts},"event":"unterminated`,
];

/** Runs of lines of one shape each. */
const log = fc.array(fc.tuple(fc.nat(SHAPES.length - 1), fc.array(values, { minLength: 1, maxLength: 120 })), { minLength: 1, maxLength: 10 }).map((runs) =>
  runs.flatMap(([shape, rows]) => rows.map((v) => SHAPES[shape](v))).join('\n'),
);

describe('sources/line batches', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());

  /** The file read with and without batches (the same options), and how many rows went column by column. */
  async function bothWays(decl: unknown, options: Parameters<typeof load>[1]) {
    const original = JsonTableBuilder.prototype.addedRows;
    let columnRows = 0;
    JsonTableBuilder.prototype.addedRows = function (this: JsonTableBuilder, rows: number) {
      columnRows += rows;
      original.call(this, rows);
    };
    try {
      const batched = await load(decl, options);
      setBatchReading(false);
      const lineByLine = await load(decl, options);
      return { batched, lineByLine, columnRows };
    } finally {
      setBatchReading(true);
      JsonTableBuilder.prototype.addedRows = original;
    }
  }

  const same = (a: Awaited<ReturnType<typeof load>>, b: Awaited<ReturnType<typeof load>>) => {
    assert.deepEqual(snapshot(a), snapshot(b));
    assert.deepEqual(a.warnings, b.warnings);
    assert.deepEqual(a.malformed.samples, b.malformed.samples);
    // Equal strings must get equal codes: a value looked up with another hash than the one the
    // dictionary keys it by would be added again, and group apart from its twin.
    a.table.columns.forEach((column, i) => {
      const other = b.table.columns[i];
      if (!isStringColumn(column) || !isStringColumn(other)) return;
      assert.equal(column.dictionarySize, other.dictionarySize, `${a.table.schema[i].name}: dictionary size`);
      assert.deepEqual(column.codes, other.codes, `${a.table.schema[i].name}: codes`);
    });
  };

  it('reads random logs of few shapes exactly as line by line, projected or with an explicit time field', async function () {
    this.timeout(120_000);
    let n = 0, columnRows = 0, rows = 0;
    await fc.assert(
      fc.asyncProperty(log, fc.constantFrom(undefined, 80), async (text, maxLineBytes) => {
        const file = join(tmp.path, `log-${n++}.jsonl`);
        writeFileSync(file, text);
        const limit = maxLineBytes ? { maxLineBytes } : {};
        const projected = await bothWays({ path: file, ...limit }, { fields: ['ts', 'event', 'n'] });
        same(projected.batched, projected.lineByLine);
        const timed = await bothWays({ path: file, time: { field: 'ts' }, ...limit }, { fields: ['event', 'ts'] });
        same(timed.batched, timed.lineByLine);
        const structs = await bothWays({ path: file, ...limit }, { fields: ['ts', 'event', 'actor'], fieldPaths: { actor: [['user'], ['ip']] } });
        same(structs.batched, structs.lineByLine);
        columnRows += projected.columnRows + timed.columnRows + structs.columnRows;
        rows += projected.batched.rowCount + timed.batched.rowCount + structs.batched.rowCount;
      }),
      { numRuns: 40, seed: 20261207 },
    );
    // The column path must have run, and not for every row.
    assert.ok(columnRows > rows / 4 && columnRows < rows, `${columnRows} of ${rows} rows written column by column`);
  });

  it('stops a batch at the line that decides the time field: the templates it matched with go with the fields read before', async () => {
    const file = join(tmp.path, 'decides.jsonl');
    writeFileSync(file, ['{"ts":""}', '{"ts":"2026-06-09T00:00:00.000Z"}', '{"ts":{"x":1}}', '{"ts":"2026-06-09T00:00:00.000Z"}', '{"ts":""}'].join('\n'));
    const { batched, lineByLine } = await bothWays(file, { fields: ['k0'] });
    same(batched, lineByLine);
  });

  it('writes runs of usual lines column by column, and only those', async () => {
    const file = join(tmp.path, 'usual.jsonl');
    const lines = Array.from({ length: 5000 }, (_, i) => `{"ts":"${new Date(DAY + i * 1000).toISOString()}","event":"e${i % 7}","n":${i}}`);
    lines[2500] = `{"ts":"${new Date(DAY).toISOString()}","event":"with \\"quotes\\"","n":1}`;
    lines[3000] = `{"ts":"not a time","event":"e1","n":1}`;
    writeFileSync(file, lines.join('\n'));
    const { batched, lineByLine, columnRows } = await bothWays(file, { fields: ['ts', 'event'] });
    same(batched, lineByLine);
    assert.equal(batched.rowCount, 5000);
    // All but the lines before the columns and the template exist, and the two odd ones.
    assert.ok(columnRows > 4900 && columnRows <= 4998, `${columnRows} rows written column by column`);
    assert.equal(batched.table.column('event')!.get(2500), 'with "quotes"');
  });
});
