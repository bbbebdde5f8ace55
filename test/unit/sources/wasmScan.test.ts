/**
 * The scanner's WebAssembly loops (assembly/jsonScan.ts) must accept, reject and extract exactly
 * what its JavaScript loops do: random and mutated lines are scanned both ways and compared, and
 * the committed module must be what the source compiles to.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { RawString } from '../../../src/core/sources/columnStores';
import { JsonFieldScanner, ScanResult } from '../../../src/core/sources/jsonScanner';
import { MAX_JSON_DEPTH } from '../../../src/core/sources/limits';
import { StructLeaves } from '../../../src/core/sources/structColumns';
import { isoBytesToMicros } from '../../../src/core/sources/timestamps';
import { allocateReadBuffer, literalSearch, scanInstanceOf, setWasmScanning } from '../../../src/core/sources/wasmScan';
import { load, tempDir } from './helpers';
import { KEYS, line, snapshot } from './jsonLines';

const root = join(__dirname, '..', '..', '..');

/** What a scan found, with reused objects (RawString, StructLeaves) turned into plain data. */
function plain(v: unknown): unknown {
  if (v instanceof RawString) return { raw: v.decode(), hash: v.hash };
  if (v instanceof StructLeaves) return { leaves: v.values.map(plain) };
  return v;
}

interface Wanted {
  readonly fields: string[];
  readonly timeField: string | null;
  readonly paths: Record<string, string[][]>;
}

/** Scans every line of `text` with a scanner over `buf` (which holds the bytes at its start). */
function scanAll(buf: Buffer, length: number, wanted: Wanted, stats?: { templateLines: number }) {
  const scanner = new JsonFieldScanner();
  scanner.setWanted(wanted.fields, wanted.timeField, wanted.timeField !== null, wanted.paths);
  const out: unknown[] = [];
  for (let ls = 0; ls < length; ) {
    const result = scanner.scanLine(buf, ls, length);
    const entry: Record<string, unknown> = { result, lineEnd: scanner.lineEnd };
    if (result === ScanResult.Row) {
      entry.keys = scanner.keys.slice(0, scanner.count);
      entry.values = scanner.values.slice(0, scanner.count).map(plain);
      entry.time = scanner.time[0];
    }
    out.push(entry);
    ls = scanner.lineEnd + 1;
  }
  if (stats) stats.templateLines = scanner.templateLines;
  return out;
}

/**
 * Both ways over the same bytes; garbage after the region's end must not matter. Returns how many
 * lines the WebAssembly scan read through a line template.
 */
function compare(bytes: Buffer, wanted: Wanted, filler = 'a'): number {
  const size = bytes.length + 100;
  const wasm = allocateReadBuffer(size);
  assert.ok(scanInstanceOf(wasm), 'the buffer should live in WebAssembly memory');
  const js = Buffer.alloc(size);
  for (const b of [wasm, js]) {
    b.fill(filler);
    bytes.copy(b, 0);
  }
  const stats = { templateLines: 0 };
  assert.deepEqual(scanAll(wasm, bytes.length, wanted, stats), scanAll(js, bytes.length, wanted));
  return stats.templateLines;
}

const longText = fc.oneof(
  fc.string({ minLength: 10, maxLength: 60 }),
  fc.string({ unit: 'binary', minLength: 10, maxLength: 60 }),
  fc.constantFrom('Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0', 'a'.repeat(47) + '\\"' + 'b'.repeat(20), 'x'.repeat(31) + '\\u00e9' + 'y'.repeat(15), '2026-03-01T00:00:01.026Z'),
);

const member: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    longText,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('user', 'ip', 'id', 'visibility', 'ua', 'a somewhat longer key name', 'clé'), tie('v'), { maxKeys: 4 }),
  ),
})).v;

const topKeys = ['ts', 'event', 'actor', 'room', 'bytes', 'a', 'é', 'a key longer than sixteen bytes', 'tab\\tkey'];

type Pairs = [string, unknown][];
type Mutation = ['insert' | 'delete' | 'cut', number, number] | null;
const mutation: fc.Arbitrary<Mutation> = fc.option(fc.tuple(fc.constantFrom('insert' as const, 'delete' as const, 'cut' as const), fc.nat(), fc.integer({ min: 0, max: 255 })));

/** An object line of `pairs` (keys may repeat), `ws` around its punctuation, damaged by `mutation`. */
function objectLine(pairs: Pairs, ws: string, damage: Mutation): Buffer {
  const text = `{${pairs.map(([k, v]) => `${ws}${JSON.stringify(k)}${ws}:${ws}${JSON.stringify(v)}`).join(`${ws},`)}}`;
  let bytes = Buffer.from(text, 'utf8');
  if (damage) {
    const [kind, at, byte] = damage;
    const p = at % (bytes.length + 1);
    const b = byte === 10 ? 32 : byte; // a newline would only split the line
    if (kind === 'insert') bytes = Buffer.concat([bytes.subarray(0, p), Buffer.from([b]), bytes.subarray(p)]);
    else if (kind === 'delete') bytes = Buffer.concat([bytes.subarray(0, p), bytes.subarray(p + 1)]);
    else bytes = bytes.subarray(0, p);
  }
  return bytes;
}

const spacing = fc.constantFrom('', ' ', '\t', ' \r');

/** Object lines, sometimes with spaces, sometimes mutated (a byte inserted, removed or the line cut short). */
const mutatedLine = fc.tuple(fc.array(fc.tuple(fc.constantFrom(...topKeys), member), { maxLength: 7 }), spacing, mutation).map(([pairs, ws, damage]) => objectLine(pairs, ws, damage));

/** `value` with the member at `path` (keys of nested objects) replaced by `by`. */
function replaced(value: unknown, path: readonly string[], by: unknown): unknown {
  if (path.length === 0) return by;
  const object = value as Record<string, unknown>;
  return { ...object, [path[0]]: replaced(object[path[0]], path.slice(1), by) };
}

/** Paths to every member of the nested objects in `pairs`' values (arrays are leaves). */
function memberPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.keys(value).flatMap((k) => [[...prefix, k], ...memberPaths((value as Record<string, unknown>)[k], [...prefix, k])]);
}

/**
 * Lines of one shape, as logs mostly are, so later lines match the template learnt from earlier
 * ones: each has some values (top-level or nested) replaced by values of any kind, and some are
 * damaged or spaced differently.
 */
const sameShapeLines = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...topKeys), member), { minLength: 1, maxLength: 7 }),
    spacing,
    fc.array(fc.tuple(fc.array(fc.tuple(fc.nat(), member), { maxLength: 2 }), fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: mutation }), fc.option(spacing, { freq: 8 })), { minLength: 2, maxLength: 14 }),
  )
  .map(([pairs, ws, variants]) =>
    variants.map(([changes, damage, otherWs]) => {
      let line: Pairs = pairs.map(([k, v]) => [k, v]);
      for (const [at, by] of changes) {
        const n = at % line.length;
        const paths = [[], ...memberPaths(line[n][1])];
        line[n] = [line[n][0], replaced(line[n][1], paths[at % paths.length], by)];
      }
      return objectLine(line, otherWs ?? ws, damage);
    }),
  );

const wanted: fc.Arbitrary<Wanted> = fc
  .tuple(fc.subarray([...topKeys, ...KEYS]), fc.constantFrom(null, 'ts'), fc.boolean())
  .map(([fields, timeField, withPaths]): Wanted => ({
    fields: timeField ? [...new Set([...fields, timeField])] : fields,
    timeField,
    paths: withPaths ? { actor: [['user'], ['ip']], room: [['id'], ['a somewhat longer key name', 'clé']] } : {},
  }));

describe('sources/WebAssembly scanning', () => {
  const tmp = tempDir();
  after(() => {
    setWasmScanning(true);
    tmp.cleanup();
  });

  it('the committed module is what assembly/jsonScan.ts compiles to', async function () {
    this.timeout(60_000);
    const build = (await import(pathToFileURL(join(root, 'scripts', 'build-wasm.mjs')).href)) as { compiledModuleText(): Promise<string> };
    assert.equal(readFileSync(join(root, 'src', 'core', 'sources', 'jsonScanWasm.ts'), 'utf8'), await build.compiledModuleText(), 'run node scripts/build-wasm.mjs');
  });

  it('lays out memory as assembly/jsonScan.ts does, with no region overlapping the next', () => {
    // The layout is written down twice (the module's constants, and the ones this side writes
    // with): every address both sides name must agree, and each region end before the next.
    const constants = (file: string) => {
      const text = readFileSync(join(root, file), 'utf8');
      return new Map([...text.matchAll(/^const ([A-Z_]+)(?:: \w+)? = (\d+);/gm)].map((m) => [m[1], Number(m[2])]));
    };
    const module = constants('assembly/jsonScan.ts'), host = constants('src/core/sources/wasmScan.ts');
    const shared = ['TIME', 'WANTED', 'OUT', 'DIRECTORY', 'SHARED', 'NEEDLE', 'TEMPLATES', 'TEMPLATE_BYTES', 'TEMPLATE_LIMIT', 'TEMPLATE_TIME_OUT', 'TEMPLATE_VALUES', 'RECORD_HEADER'];
    for (const name of shared) assert.equal(module.get(name), host.get(name), name);
    // A template block's header words come before its first step; a record's time is a double after its three words.
    assert.ok(host.get('TEMPLATE_VALUES')! + 4 <= host.get('STEPS')!);
    assert.ok(host.get('RECORD_HEADER')! >= 24 && host.get('OUT_ENTRY_BYTES') === 16);
    const regions: [string, number, number][] = [
      ['RESULT', 0, 4],
      ['TIME', host.get('TIME')!, host.get('TIME')! + 8],
      ['WANTED', host.get('WANTED')!, host.get('WANTED')! + 4 + (host.get('WANTED_LIMIT')! + 1) * 8],
      ['STACK', module.get('STACK')!, module.get('STACK')! + module.get('MAX_DEPTH')!],
      ['OUT', host.get('OUT')!, host.get('OUT')! + host.get('OUT_LIMIT')! * 16],
      ['KEY_BYTES', host.get('KEY_BYTES')!, host.get('KEY_BYTES_END')!],
      ['DIRECTORY', host.get('DIRECTORY')!, host.get('DIRECTORY')! + 4 + host.get('TEMPLATE_LIMIT')! * 4],
      ['SHARED', host.get('SHARED')!, host.get('SHARED')! + host.get('TEMPLATE_LIMIT')! ** 2],
      ['POSITIONS', module.get('POSITIONS')!, module.get('POSITIONS')! + (host.get('STEP_LIMIT')! + 1) * 4],
      ['NEEDLE', host.get('NEEDLE')!, host.get('NEEDLE')! + host.get('NEEDLE_LIMIT')!],
      ['TEMPLATES', host.get('TEMPLATES')!, host.get('TEMPLATES')! + host.get('TEMPLATE_LIMIT')! * host.get('TEMPLATE_BYTES')!],
    ];
    for (let i = 1; i < regions.length; i++) assert.ok(regions[i - 1][2] <= regions[i][1], `${regions[i - 1][0]} ends at ${regions[i - 1][2]}, after ${regions[i][0]} starts at ${regions[i][1]}`);
    // matchLines' records go after the read buffer and the bytes vector loads may read past it.
    for (const size of [1, 4096, 65_536, 1_000_003]) {
      const buf = allocateReadBuffer(size);
      const instance = scanInstanceOf(buf)!;
      assert.ok(instance.batchAt >= buf.byteOffset + size + host.get('PADDING')!, `records of a ${size}-byte buffer start after it`);
      assert.ok(instance.batchAt + instance.batch.byteLength <= instance.bytes.byteLength, 'the records fit the memory');
      assert.equal(instance.batchTimes.byteOffset, instance.batchAt);
    }
  });

  it('has the same depth limit as the JavaScript scanner', () => {
    const buf = allocateReadBuffer(16);
    assert.equal(scanInstanceOf(buf)!.exports.maxDepth(), MAX_JSON_DEPTH);
    for (const depth of [MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1]) {
      const nested = `{"a":1,"deep":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)},"b":"x"}`;
      compare(Buffer.from(nested), { fields: ['b'], timeField: null, paths: {} });
      compare(Buffer.from(`{"actor":{"user":"u","x":${'{"k":'.repeat(depth - 2)}1${'}'.repeat(depth - 2)}}}`), { fields: ['actor'], timeField: null, paths: { actor: [['user']] } });
    }
  });

  it('scans random and damaged lines exactly as the JavaScript loops do', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(mutatedLine, line.map((l) => Buffer.from(l, 'latin1'))), { minLength: 1, maxLength: 12 }), fc.boolean(), wanted, (lines, trailingNewline, want) => {
        const bytes = Buffer.concat(lines.flatMap((l, i) => (i < lines.length - 1 || trailingNewline ? [l, Buffer.from('\n')] : [l])));
        compare(bytes, want);
      }),
      { seed: 5122026, numRuns: 3000 },
    );
  });

  it('reads lines through learnt line templates exactly as the JavaScript loops read them', () => {
    let templateLines = 0, lines = 0;
    fc.assert(
      fc.property(fc.array(sameShapeLines, { minLength: 1, maxLength: 3 }), wanted, (groups, want) => {
        const bytes = Buffer.concat(groups.flat().flatMap((l) => [l, Buffer.from('\n')]));
        templateLines += compare(bytes, want);
        lines += groups.flat().length;
      }),
      { seed: 27112026, numRuns: 3000 },
    );
    // The property holds whether or not templates are used; make sure many lines went through one
    // (not all can: first lines of a shape, damaged lines, changed shapes, keys with escapes).
    assert.ok(templateLines > lines / 5, `only ${templateLines} of ${lines} lines matched a template`);
  });

  it('reads number-like tokens of any length, valid or not, exactly as the JavaScript loops do (in templates, nested, at the end)', () => {
    // Digit runs are read 16 bytes at a time: runs shorter and longer than that, fractions,
    // exponents, leading zeros, lone signs and dots, and runs cut by the end of the region.
    const token = fc.oneof(
      fc.stringMatching(/^-?(0|[1-9][0-9]{0,40})(\.[0-9]{1,20})?([eE][+-]?[0-9]{1,5})?$/),
      fc.string({ unit: fc.constantFrom(...'0123456789-+.eE'.split('')), maxLength: 40 }),
    );
    const lines = fc.array(fc.tuple(token, token), { minLength: 2, maxLength: 12 });
    let templateLines = 0, scanned = 0;
    fc.assert(
      fc.property(lines, fc.boolean(), fc.constantFrom(['n', 'm'], ['s'], ['n', 'deep']), fc.constantFrom('a', '7'), (pairs, trailingNewline, fields, filler) => {
        // A region that ends inside a number, with digits after its end (which must not count).
        const text = pairs.map(([a, b]) => `{"n":${a},"s":"x","m":[${b}],"deep":{"k":${b}},"t":${a}}`).join('\n') + (trailingNewline ? '\n' : '');
        const cut = trailingNewline ? text : text.slice(0, text.lastIndexOf(':') + 1) + pairs[pairs.length - 1][0];
        templateLines += compare(Buffer.from(cut, 'latin1'), { fields: [...fields], timeField: null, paths: {} }, filler);
        scanned += pairs.length;
      }),
      { seed: 6122026, numRuns: 2000 },
    );
    // Valid lines after the first of a run go through the template, where numbers are read inline.
    assert.ok(templateLines > scanned / 10, `only ${templateLines} of ${scanned} lines matched a template`);
  });

  it('reads struct fields through templates that descend into their objects, as the walk reads them', () => {
    const want = { fields: ['ts', 'actor', 'room'], timeField: 'ts', paths: { actor: [['user'], ['geo', 'city'], ['geo', 'a', 'b', 'c']], room: [['id']] } };
    // Each shape repeats, so its template is learnt from the first line and used for the rest.
    const shapes: ((n: number) => string)[] = [
      // plain descents, then a shape with fewer paths (a value of the line before must not linger)
      (n) => `{"ts":"2026-03-01T00:00:0${n % 10}Z","actor":{"user":"u${n}","ip":"1.2.3.${n % 9}","geo":{"city":"c${n % 4}"}},"room":{"id":"r${n % 7}","v":"x"}}`,
      (n) => `{"ts":"2026-03-01T00:00:0${n % 10}Z","actor":{"geo":{"city":"c${n}"}},"room":{"id":${n}}}`,
      // values of every kind at a path
      (n) => `{"ts":"2026-03-01T00:00:0${n % 10}Z","actor":{"user":${n % 3 === 0 ? 'null' : n % 3 === 1 ? `[${n}]` : `{"k":"\\u00e9${n}"}`}},"room":{"id":"r\\"${n}"}}`,
      // no value at a path: the object stays one value
      (n) => `{"ts":"2026-03-01T00:00:0${n % 10}Z","actor":{"ip":"${n}","other":{"user":"not this"}},"room":{}}`,
      // a repeated key inside, whose second object holds no path value: it empties the first's
      (n) => `{"ts":"2026-03-01T00:00:0${n % 10}Z","actor":{"geo":{"city":"c${n}"},"geo":{"zip":${n}}}}`,
      // a repeated field: the second object replaces the first, and a string before an object
      (n) => `{"ts":"2026-03-01T00:00:0${n % 10}Z","actor":{"user":"u${n}"},"actor":{"ip":"${n}"},"room":"r${n}","room":{"id":"r${n}"}}`,
      // a path deeper than templates descend
      (n) => `{"ts":"2026-03-01T00:00:0${n % 10}Z","actor":{"user":"u${n}","geo":{"a":{"b":{"c":${n}}}}}}`,
      (n) => `{"ts":"2026-03-01T00:00:0${n % 10}Z","actor":"u${n}","room":{"id":"r${n}"}}`,
    ];
    const lines = Array.from({ length: 4000 }, (_, n) => shapes[Math.floor(n / 5) % shapes.length](n));
    const matched = compare(Buffer.from(lines.join('\n')), want);
    assert.ok(matched > 2500, `${matched} of ${lines.length} lines matched a template`);
  });

  it('keeps templates for lines of alternating shapes, pauses when there are too many shapes, and reads wide lines without one', () => {
    const shapes = Array.from({ length: 40 }, (_, s) => (n: number) => JSON.stringify({ ts: `2026-03-01T00:00:0${n % 10}Z`, [`k${s}`]: n, event: `e${n % 3}`, actor: { user: `u${n}`, [`x${s}`]: [n] } }));
    // Shapes in turn: 3 of them, then 12 (they share a prefix: a failed match resumes where they
    // part), then 40 (more than the directory holds: matching pauses after two bad windows), then
    // 3 again. Every line is read exactly as the JavaScript loops read it.
    const phases = [[3, 3000], [12, 3000], [40, 6000], [3, 20_000]] as const;
    const lines = phases.flatMap(([count, length], p) => Array.from({ length }, (_, n) => shapes[(n % count + p) % shapes.length](n)));
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 120 }, (_, k) => [`key${k}`, k])));
    const bytes = Buffer.from([...lines, wide, wide, wide].join('\n'));
    const want = { fields: ['ts', 'event', 'actor', 'key7'], timeField: 'ts', paths: { actor: [['user']] } };
    const matched = compare(bytes, want);
    // All but the first lines of the first two phases, few of the third, and the last phase only
    // once the pause (16,384 lines from late in the third) is over: about 14,000 in all; without
    // the pause more than 25,000, and without resuming after it fewer than 9,000.
    assert.ok(matched > 12_000 && matched < 20_000, `${matched} of ${lines.length} lines matched`);
  });

  it('learns templates again after a run of one-off shapes (a header, lines with escaped keys)', () => {
    const head = [...Array.from({ length: 10 }, (_, n) => JSON.stringify({ a: 'x', [`k${n}`]: 1 })), ...Array.from({ length: 8 }, (_, n) => `{"we\\u0069rd":${n},"a":"h"}`)];
    const body = Array.from({ length: 3000 }, (_, n) => JSON.stringify({ ts: '2024-01-01T00:00:00Z', a: `v${n}`, b: n }));
    const matched = compare(Buffer.from([...head, ...body].join('\n')), { fields: ['a'], timeField: null, paths: {} });
    assert.ok(matched > 2000, `${matched} of ${body.length} lines matched a template`);
  });

  it('keeps its line templates when given the same fields again, and learns afresh for other fields', () => {
    const text = Array.from({ length: 200 }, (_, n) => JSON.stringify({ a: `v${n}`, b: n })).join('\n');
    const buf = allocateReadBuffer(text.length + 64);
    Buffer.from(text).copy(buf);
    const reused = new JsonFieldScanner();
    // Lines read through a template, and the values of the last line.
    const pass = (fields: string[], scanner = reused) => {
      scanner.setWanted(fields, null);
      const before = scanner.templateLines;
      let last: unknown[] = [];
      for (let ls = 0; ls < text.length; ) {
        assert.equal(scanner.scanLine(buf, ls, text.length), ScanResult.Row);
        last = scanner.values.slice(0, scanner.count).map(plain);
        ls = scanner.lineEnd + 1;
      }
      return { templated: scanner.templateLines - before, last };
    };
    const first = pass(['a']);
    assert.ok(first.templated > 150 && first.templated < 200, `${first.templated} of 200 lines templated while learning`);
    const again = pass(['a']);
    assert.equal(again.templated, 200, 'the templates learnt are kept');
    assert.deepEqual(again.last, first.last);
    // Parked while unused (it lets go of the bytes), then taken over: the templates are still there.
    reused.park();
    const taken = pass(['a']);
    assert.equal(taken.templated, 200, 'the templates outlast parking');
    assert.deepEqual(taken.last, first.last);
    const other = pass(['b']);
    assert.ok(other.templated < 200, 'templates of other fields are learnt again');
    assert.deepEqual(other.last, pass(['b'], new JsonFieldScanner()).last);
  });

  it('keeps the text of a template after its line is written over: a match that resumes in another template reads the right keys', () => {
    // Templates kept their literals as views of the read buffer. Written over by later lines,
    // they made two templates look alike for longer than they are, and a line that failed one
    // resumed in the other: the `b` of {"b":7,...} was read as its `a` (seen in parallel reads).
    const buf = allocateReadBuffer(128);
    const scanner = new JsonFieldScanner();
    scanner.setWanted(['a', 'b'], null);
    const scan = (text: string) => {
      buf.fill(0x20);
      Buffer.from(text).copy(buf);
      assert.equal(scanner.scanLine(buf, 0, text.length), ScanResult.Row, text);
      return { keys: scanner.keys.slice(0, scanner.count), values: scanner.values.slice(0, scanner.count).map(plain) };
    };
    scan('{"a":5,"c":2,"d":3,"t":4}');
    scan('{"b":1,"c":2,"d":{"x":1}}');
    // Fails the second template after `{"b":` and `,"c":`, then matches the first from `,"d":`.
    assert.deepEqual(scan('{"b":7,"c":null,"d":null,"t":4}'), { keys: ['b'], values: [7n] });
  });

  it("a scanner whose keys do not fit leaves another scanner's keys and templates alone", () => {
    const bytes = Buffer.from(['{"a":1}', '{"a":2,"z":0}', '{"a":3,"y":0}', '{"a":1}', '{"a":4,"x":0}', '{"a":5}'].join('\n'));
    const many = Array.from({ length: 101 }, (_, k) => `q${k}`);
    const read = (buf: Buffer) => {
      const a = new JsonFieldScanner(), b = new JsonFieldScanner();
      a.setWanted(['a'], null);
      b.setWanted(many, null);
      const out: unknown[] = [];
      for (let ls = 0, n = 0; ls < bytes.length; n++) {
        const s = n === 1 || n === 4 ? b : a; // two scanners take turns on one buffer
        const result = s.scanLine(buf, ls, bytes.length);
        out.push(result === ScanResult.Row ? s.values.slice(0, s.count).map(plain) : result);
        ls = s.lineEnd + 1;
      }
      return out;
    };
    const wasm = allocateReadBuffer(bytes.length + 64);
    bytes.copy(wasm);
    assert.deepEqual(read(wasm), read(Buffer.concat([bytes, Buffer.alloc(64)])));
  });

  it('reads ISO time stamps from bytes exactly as the JavaScript reader does', () => {
    // Mostly in range, sometimes just out of it.
    const two = (min: number, max: number, out: number[]) =>
      fc.oneof({ weight: 9, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(...out) }).map((n) => String(n).padStart(2, '0'));
    const stamp = fc
      .tuple(
        fc.oneof(fc.integer({ min: 1960, max: 2100 }), fc.integer({ min: 0, max: 9999 })).map((n) => String(n).padStart(4, '0')),
        two(1, 12, [0, 13]),
        two(1, 31, [0, 32]),
        fc.constantFrom('T', 'T', 'T', 't', ' ', '_'),
        two(0, 23, [24, 25]),
        two(0, 59, [60, 61]),
        fc.option(two(0, 60, [61, 99])),
        fc.option(fc.tuple(fc.constantFrom('.', ','), fc.stringMatching(/^[0-9]{0,9}$/))),
        fc.constantFrom('Z', 'Z', 'Z', 'z', '', '+02:00', '-05:30', '-0530', '+18', '+19:00', '-00:00', '+02:60', '+2', '+02:0', '+0200x'),
      )
      .map(([y, mo, d, sep, h, mi, s, frac, zone]) => `${y}-${mo}-${d}${sep}${h}:${mi}${s === null ? '' : `:${s}`}${frac === null ? '' : frac[0] + frac[1]}${zone}`);
    const damaged = fc.tuple(stamp, fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: mutation })).map(([text, damage]) => {
      if (!damage) return text;
      const [kind, at, byte] = damage;
      const p = at % (text.length + 1);
      const c = String.fromCharCode(0x20 + (byte % 0x5e));
      return kind === 'insert' ? text.slice(0, p) + c + text.slice(p) : kind === 'delete' ? text.slice(0, p) + text.slice(p + 1) : text.slice(0, p);
    });
    const buf = allocateReadBuffer(128);
    const { exports, time } = scanInstanceOf(buf)!;
    let read = 0;
    fc.assert(
      fc.property(damaged, (text) => {
        // As in a line: the closing quote at `end`, then digits the readers must not look at.
        buf.fill(0x31);
        const length = buf.write(`"${text}"`, 0, 'latin1');
        const js = isoBytesToMicros(buf, 1, length - 1);
        const wasm = exports.isoMicros(buf.byteOffset + 1, buf.byteOffset + length - 1);
        assert.ok(Object.is(js, wasm), `${text}: ${js} in JavaScript, ${wasm} in WebAssembly`);
        // The scanner's call leaves the same time in memory (and says whether it read one).
        time[0] = 12345;
        const at = exports.isoMicrosAt(buf.byteOffset + 1, buf.byteOffset + length - 1);
        assert.equal(at, Number.isNaN(js) ? 0 : 1, text);
        assert.ok(Object.is(time[0], js), `${text}: ${js} in JavaScript, ${time[0]} left by isoMicrosAt`);
        if (!Number.isNaN(js)) read++;
      }),
      { seed: 5122026, numRuns: 20_000 },
    );
    assert.ok(read > 2000, `only ${read} stamps were read`);
    // The ends of the range, which random stamps hardly reach: the last 16 µs of 9999 round up
    // to its end as a double and are kept as the last time held.
    const ends: [string, number][] = [
      ['9999-12-31T23:59:59.9999999Z', 253402300799999968],
      ['9999-12-31T23:59:59.999984Z', 253402300799999968],
      ['9999-12-31T22:59:59.999999-01:00', 253402300799999968],
      ['9999-12-31T23:59:59.999936Z', 253402300799999936],
      ['9999-12-31T23:59:59.9999999-00:01', NaN],
      ['9999-12-31T23:59:60Z', NaN],
      ['0001-01-01T00:00:00Z', -62135596800000000],
      ['0001-01-01T00:59:59.9999999+01:00', NaN],
    ];
    for (const [text, expected] of ends) {
      const length = buf.write(`"${text}"`, 0, 'latin1');
      assert.ok(Object.is(isoBytesToMicros(buf, 1, length - 1), expected), `${text} in JavaScript`);
      assert.ok(Object.is(exports.isoMicros(buf.byteOffset + 1, buf.byteOffset + length - 1), expected), `${text} in WebAssembly`);
    }
  });

  it('reads stamps that repeat the last minute exactly as the JavaScript reader does (the minute it remembers)', () => {
    // Runs of stamps in a few minutes, valid and not, with every kind of rest after the minute:
    // a remembered minute must never vouch for text it did not read, nor skip checks of the rest.
    const minutes = ['2026-03-01T00:00', '2026-03-01T00:01', '2024-02-29T23:59', '2023-02-29T10:00', '2026-13-01T00:00', '2026-03-01T24:00', '2026-03-01T10:60', '2026-03-01 10:00', '2026-03-01_10:00'];
    const rest = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 61 }), fc.constantFrom('', '.5', '.123456', '.1234567', ',25', '.'), fc.constantFrom('Z', 'z', '', '+02:00', '-0530', '+19:00', '+02:60', 'x')).map(([s, f, z]) => `:${String(s).padStart(2, '0')}${f}${z}`),
      fc.constantFrom('Z', '+01:00', '', ':5Z', 'Zx'),
    );
    const run = fc.array(fc.tuple(fc.constantFrom(...minutes), rest), { minLength: 1, maxLength: 40 });
    const buf = allocateReadBuffer(128);
    const { exports } = scanInstanceOf(buf)!;
    let read = 0, total = 0;
    fc.assert(
      fc.property(run, (stamps) => {
        for (const [minute, tail] of stamps) {
          const text = minute + tail;
          buf.fill(0x31);
          const length = buf.write(`"${text}"`, 0, 'latin1');
          const js = isoBytesToMicros(buf, 1, length - 1);
          const wasm = exports.isoMicros(buf.byteOffset + 1, buf.byteOffset + length - 1);
          assert.ok(Object.is(js, wasm), `${text}: ${js} in JavaScript, ${wasm} in WebAssembly`);
          total++;
          if (!Number.isNaN(js)) read++;
        }
      }),
      { seed: 27112026, numRuns: 2_000 },
    );
    assert.ok(read > total / 10 && read < total, `${read} of ${total} stamps were read`);
  });

  it('finds literals where Buffer.indexOf does, at every offset and near the end of the range', () => {
    // Few distinct bytes, so literals occur often, overlap, and fit only partly before the end.
    const alphabet = fc.constantFrom(...'ab":, {}x'.split('').map((c) => c.charCodeAt(0)));
    const text = fc.array(alphabet, { maxLength: 300, size: 'max' });
    const literal = fc.oneof(fc.array(alphabet, { minLength: 1, maxLength: 40, size: 'max' }), fc.constantFrom([...Buffer.from('"public"')], [...Buffer.from('""')], [...Buffer.from('x')]));
    const buf = allocateReadBuffer(512);
    fc.assert(
      fc.property(text, literal, fc.nat(), fc.nat(), (bytes, lit, a, b) => {
        buf.fill(0x61); // the bytes past the range could complete a literal: they must not count
        buf.set(bytes, 0);
        const needle = Buffer.from(lit);
        const search = literalSearch(buf, needle)!;
        const from = a % (bytes.length + 1);
        const to = from + (b % (bytes.length - from + 1));
        const found = buf.subarray(0, to).indexOf(needle, from);
        assert.equal(search(from, to), found, `${JSON.stringify(Buffer.from(bytes).toString('latin1'))} [${from}, ${to}) for ${JSON.stringify(needle.toString('latin1'))}`);
      }),
      { seed: 27112026, numRuns: 3000 },
    );
    // Near misses: the literal with one byte changed (anywhere, the filtered bytes included).
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 60, size: 'max' }), fc.nat(), fc.nat({ max: 40 }), fc.boolean(), (lit, at, lead, keep) => {
        const needle = Buffer.from(lit);
        const text = Buffer.from(needle);
        if (!keep) text[at % text.length] ^= 0x01;
        buf.fill(0x20);
        text.copy(buf, lead);
        const search = literalSearch(buf, needle)!;
        const found = buf.subarray(0, lead + text.length).indexOf(needle);
        assert.equal(search(0, lead + text.length), found);
      }),
      { seed: 5122026, numRuns: 3000 },
    );
    assert.equal(literalSearch(Buffer.alloc(16), Buffer.from('x')), null, 'a plain buffer has no WebAssembly search');
    assert.equal(literalSearch(buf, Buffer.alloc(0)), null);
  });

  it('reads lines longer than the read buffer (it grows, in WebAssembly memory too)', async () => {
    const file = join(tmp.path, 'long.jsonl');
    const long = `{"a":"${'x'.repeat(5 * 1024 * 1024)}","event":"e1"}`;
    writeFileSync(file, ['{"event":"e0"}', long, '{"event":"e2","a":"y"}'].join('\n'));
    const s = await load(file, { fields: ['event'] });
    assert.deepEqual(snapshot(s).rows, [['e0'], ['e1'], ['e2']]);
  });

  it('is used by projected reads, and can be turned off with the same result', async () => {
    const file = join(tmp.path, 'lines.jsonl');
    const lines = fc.sample(fc.oneof(mutatedLine, line.map((l) => Buffer.from(l, 'latin1'))), { seed: 77, numRuns: 2000 });
    writeFileSync(file, Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])));
    const fields = ['ts', 'event', 'actor', 'a', 'é'];
    const withWasm = await load(file, { fields, fieldPaths: { actor: [['user']] } });
    setWasmScanning(false);
    try {
      assert.equal(scanInstanceOf(allocateReadBuffer(16)), undefined);
      const withoutWasm = await load(file, { fields, fieldPaths: { actor: [['user']] } });
      assert.deepEqual(snapshot(withWasm), snapshot(withoutWasm));
      assert.ok(withWasm.rowCount > 100 && withWasm.malformed.count > 100);
    } finally {
      setWasmScanning(true);
    }
  });
});
