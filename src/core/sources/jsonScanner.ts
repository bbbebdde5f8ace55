/**
 * A lazy reader of one JSON line's top-level fields, straight from the bytes. It validates the
 * whole line (so it rejects exactly what `JSON.parse` rejects) but only materialises the values of
 * wanted keys (objects and arrays of plain fields as their bytes: see jsonTextStore.ts). Anything
 * it does not handle itself (escaped or odd keys, syntax errors, nesting beyond the depth limit)
 * returns `Fallback`, and the caller parses the line with `JSON.parse`, which is the reference
 * behaviour. Reading every field, a key not wanted yet returns `NewKey` (see `setWanted`).
 *
 * Speed matters here (it reads every line of a load): the scanner finds the line's end
 * itself while validating (no separate newline search), string values of wanted fields are
 * interned from their bytes (a repeated value costs a hash and a compare, no decoding), and the
 * time field's ISO text is read from the bytes. Over WebAssembly memory, a line of a shape read
 * before is matched against that shape's template in one pass (see lineTemplate.ts).
 */
import type { Value } from '../query/values';
import { jsonToValue, lastConversionProblem, numberTokenToValue, parseJsonExact } from './jsonValues';
import { MAX_JSON_DEPTH } from './limits';
import { fnvBytes } from './bytesToCode';
import { decodeFlat, EMPTY_BYTES, RawString } from './columnStores';
import { RawJson } from './jsonTextStore';
import { StructLeaves } from './structColumns';
import { isoBytesToMicros } from './timestamps';
import { lineTemplate, type TemplateKeys } from './lineTemplate';
import { addTemplate, BATCH_LINES, batchLimit, countMatches, RECORD_HEADER_WORDS, RECORD_TIME_WORD, scanInstanceOf, VALUE_WORDS, writeWanted, type ScanInstance, type TemplateValues } from './wasmScan';

/** scanTop's outcomes other than a wanted slot (see assembly/jsonScan.ts). */
const CLOSED = -1, KEY_FOR_CALLER = -3;
/**
 * Templates learnt and not yet paid back (see learnTemplate): a line that matches none of the
 * templates costs a learning walk only while this many are outstanding, so lines of ever new
 * shapes cost little extra.
 */
const TEMPLATE_CREDIT = 8;
/** Matched lines that pay back one learnt template. */
const MATCHES_PER_TEMPLATE = 64;
/**
 * Walked lines that pay back one too: after a run of one-off shapes (a file's header lines, say)
 * templates are learnt again, once per this many lines at the least.
 */
const WALKS_PER_TEMPLATE = 256;
/**
 * The credit is counted in whole units, a template being WALKS_PER_TEMPLATE of them: a field
 * that turned from integers to fractions would change the scanner's hidden class mid-read, and
 * V8 would throw away the reading code it had optimized for the old one.
 */
const CREDIT_UNITS = WALKS_PER_TEMPLATE;
const CREDIT_PER_MATCH = CREDIT_UNITS / MATCHES_PER_TEMPLATE;
const CREDIT_LIMIT = TEMPLATE_CREDIT * CREDIT_UNITS;
/**
 * Lines of more shapes than there are templates mostly fail to match, and a failed match costs
 * more than it saves. When more than MISSES_TOLERATED of MATCH_WINDOW lines tried matched no
 * template, two windows in a row (the first may still be learning a new shape), matching and
 * learning pause for PAUSE_LINES lines.
 */
const MATCH_WINDOW = 1024, MISSES_TOLERATED = 256, PAUSE_LINES = 16 * 1024;

/** openingBrace's outcomes other than an index. */
const BLANK = -1, NOT_AN_OBJECT = -2;

/**
 * How the rows of lines that one template matched can be written column by column (see
 * templateRuns.ts): the wanted key of each of the template's values, which value is the time field
 * read from its ISO text (-1: none), and the mask of values that must be strings without escapes.
 */
export interface TemplateRun {
  /** Per value: its wanted key (a struct field's, for a value at one of its paths). */
  readonly keys: readonly string[];
  /** Per value: -1, or the index of the path of its struct field that it ends. */
  readonly leaves: readonly number[];
  readonly timeValue: number;
  readonly plainMask: number;
  /** The struct fields whose objects the template holds (each once), whether or not it reads a path in them. */
  readonly structKeys: readonly string[];
}

/** The records of the lines the last matchBatch matched (see assembly/jsonScan.ts matchLines). */
export interface LineBatch {
  /** The records as words: per line `words` of them, from line k * words on. */
  readonly records: Int32Array;
  /** The same memory as doubles: line k's time at (k * words + RECORD_TIME_WORD) / 2. */
  readonly times: Float64Array;
  readonly words: number;
  /** Subtracted from the addresses in records to give indexes into `buf`. */
  readonly base: number;
  readonly buf: Uint8Array;
}

export const enum ScanResult {
  Row,
  Blank,
  Fallback,
  /** Reading every field (see `setWanted`'s `discover`): the line has a key not wanted yet. */
  NewKey,
}

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a, NEWLINE = 0x0a;
const OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d, PLUS = 0x2b, DOT = 0x2e, ZERO = 0x30, NINE = 0x39;

/** Whitespace inside a line (a newline ends the line). */
function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** `"\/bfnrt` after a backslash. */
function isSimpleEscape(c: number): boolean {
  return c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74;
}

/** 1 for bytes that can stand for themselves inside a JSON string (not `"`, `\\` or a control character). */
const STRING_PLAIN = new Uint8Array(256);
for (let c = 0x20; c < 256; c++) STRING_PLAIN[c] = c === QUOTE || c === BACKSLASH ? 0 : 1;

/** 1 for printable ASCII bytes other than `"` and `\\` (the usual bytes of a key). */
const KEY_PLAIN = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) KEY_PLAIN[c] = c === QUOTE || c === BACKSLASH ? 0 : 1;

/**
 * i is at an opening quote: the index after the closing quote, or -1 when the string is invalid.
 * The common case (no escapes) is one table lookup per byte; reading past the region's end only
 * ever meets a newline, another stop byte or `undefined`, all of which end the loop.
 */
function skipString(buf: Uint8Array, i: number, end: number): number {
  i++;
  // Four bytes per step while all are plain (past the end, `undefined` stops it as well).
  while ((STRING_PLAIN[buf[i]] & STRING_PLAIN[buf[i + 1]] & STRING_PLAIN[buf[i + 2]] & STRING_PLAIN[buf[i + 3]]) === 1) i += 4;
  let c = buf[i];
  while (STRING_PLAIN[c] === 1) c = buf[++i];
  if (c === QUOTE && i < end) return i + 1;
  return skipEscapedString(buf, i, end);
}

/** The rest of a key from `i` (past its plain ASCII start): the index after its closing quote, or -1. */
function skipEscapedOrUtf8Key(buf: Uint8Array, i: number, end: number): number {
  let c = buf[i];
  while (STRING_PLAIN[c] === 1) c = buf[++i];
  if (c === QUOTE && i < end) return i + 1;
  return skipEscapedString(buf, i, end);
}

/** Whether the key `keyEnd` last read was plain ASCII (a second result, kept out of an allocation). */
let keyWasAscii = true;

/**
 * `start` is just past a key's opening quote: the index of its closing quote, or -1 when the scanner
 * leaves the key to JSON.parse (an escape or a control character) or the region ends. UTF-8 is fine.
 */
function keyEnd(buf: Uint8Array, start: number, end: number): number {
  let j = start;
  keyWasAscii = true;
  while ((KEY_PLAIN[buf[j]] & KEY_PLAIN[buf[j + 1]] & KEY_PLAIN[buf[j + 2]] & KEY_PLAIN[buf[j + 3]]) === 1) j += 4;
  let k = buf[j];
  while (KEY_PLAIN[k] === 1) k = buf[++j];
  if (k !== QUOTE) {
    for (; j < end; j++) {
      const c = buf[j];
      if (c === QUOTE) break;
      if (c === BACKSLASH || c < 0x20) return -1;
      if (c >= 0x80) keyWasAscii = false;
    }
  }
  return j < end ? j : -1;
}

/** The rest of a string from `i` (at a backslash or an invalid byte) with full escape checks. */
function skipEscapedString(buf: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = buf[i];
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      const e = buf[i + 1];
      if (e === 0x75) {
        if (i + 5 >= end || !isHex(buf[i + 2]) || !isHex(buf[i + 3]) || !isHex(buf[i + 4]) || !isHex(buf[i + 5])) return -1;
        i += 6;
      } else if (i + 1 < end && isSimpleEscape(e)) i += 2;
      else return -1;
    } else if (c < 0x20) return -1;
    else i++;
  }
  return -1;
}

/** A validated number token of at most 15 digits and no fraction or exponent, or NaN. */
function smallInteger(buf: Uint8Array, start: number, end: number): number {
  const negative = buf[start] === MINUS;
  let i = negative ? start + 1 : start;
  if (end - i > 15) return NaN;
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i] - ZERO;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return negative ? -n : n; // "-0" stays -0, as JSON.parse reads it
}

/** `raw` set to a string without escapes in buf[start, end), with the FNV-1a hash readString gives. */
function rawFromBytes(raw: RawString, buf: Uint8Array, start: number, end: number): RawString {
  raw.buf = buf;
  raw.start = start;
  raw.end = end;
  raw.hash = fnvBytes(buf, start, end);
  return raw;
}

/** Member paths to read inside a struct field's objects, as a tree of keys. */
interface PathNode {
  readonly keys: Buffer[];
  readonly children: PathNode[];
  /** The leaf's index among the field's paths, or -1 for an inner node. */
  readonly leaf: number;
  /** Every leaf at or below this node. */
  readonly leaves: number[];
}

function pathTree(paths: readonly (readonly string[])[]): PathNode {
  const root: PathNode = { keys: [], children: [], leaf: -1, leaves: [] };
  paths.forEach((path, index) => {
    let node = root;
    node.leaves.push(index);
    path.forEach((key, depth) => {
      const bytes = Buffer.from(key, 'utf8');
      let at = node.keys.findIndex((k) => k.equals(bytes));
      if (at < 0) {
        node.keys.push(bytes);
        node.children.push({ keys: [], children: [], leaf: depth === path.length - 1 ? index : -1, leaves: [] });
        at = node.keys.length - 1;
      }
      node = node.children[at];
      node.leaves.push(index);
    });
  });
  return root;
}

function matchChild(node: PathNode, buf: Uint8Array, start: number, end: number, ascii: boolean): PathNode | null {
  const length = end - start;
  if (!ascii) {
    const key = Buffer.from(buf.subarray(start, end)).toString('utf8');
    const at = node.keys.findIndex((k) => k.toString('utf8') === key);
    return at < 0 ? null : node.children[at];
  }
  outer: for (let n = 0; n < node.keys.length; n++) {
    const want = node.keys[n];
    if (want.length !== length) continue;
    for (let k = 0; k < length; k++) if (buf[start + k] !== want[k]) continue outer;
    return node.children[n];
  }
  return null;
}

export class JsonFieldScanner {
  /** The wanted fields met in the last scanned row, in line order (duplicates: last value, first position). */
  readonly keys: string[] = [];
  /**
   * Values; a plain string is a `RawString` (its bytes) and a struct field's object its
   * `StructLeaves`, both reused row after row.
   */
  readonly values: (Value | StructLeaves | RawString | RawJson)[] = [];
  count = 0;
  /**
   * The time field's value in microseconds when it was read from the bytes (else NaN), in an
   * array: a double handed from function to function as a number is boxed each time (an
   * allocation per line, for every query), one read from an array is not.
   */
  readonly time = Float64Array.of(NaN);
  /** Where the last scanned line ends: its newline, or the region's end. */
  lineEnd = 0;
  /** Lines read through a template (see lineTemplate.ts); tests check that templates are used. */
  templateLines = 0;

  private wanted: string[] = [];
  private wantedBytes: Uint8Array[] = [];
  private byLength: number[][] = [];
  private wantedIndex = new Map<string, number>();
  /** Per slot: its RawString, or null when its strings must be decoded (time field candidates). */
  private raws: (RawString | null)[] = [];
  private trees: (PathNode | null)[] = [];
  private holders: (StructLeaves | null)[] = [];
  private leafRaws: RawString[][] = [];
  /** Per slot: its RawJson for objects and arrays kept as text, or null when they must be values (struct fields, time fields). */
  private jsons: (RawJson | null)[] = [];
  private timeIndex = -1;
  private timeFromBytes = false;
  private slotRow: Int32Array = new Int32Array(0);
  private slotPos: Int32Array = new Int32Array(0);
  private rowSerial = 0;
  private readonly stack = new Uint8Array(MAX_JSON_DEPTH + 2);
  /** Bumped by setWanted, so WebAssembly instances know when to take the wanted keys again. */
  private wantedVersion = 0;
  /** setWanted's arguments as they were last (a call with the same ones changes nothing). */
  private wantedKey = '';
  /**
   * The buffer last scanned, the WebAssembly instance scanning it (null: scan in JavaScript) and
   * the buffer's address in that instance's memory.
   */
  private lastBuf: Uint8Array | null = null;
  private wasm: ScanInstance | null = null;
  private wasmBase = 0;
  private buf: Uint8Array = EMPTY_BYTES;
  private end = 0;
  /** Templates this scanner may still learn before matches pay them back, in CREDIT_UNITS (see TEMPLATE_CREDIT). */
  private templateCredit = CREDIT_LIMIT;
  /** Lines tried against templates in this window, those none matched, and lines left to pause for. */
  private templateTries = 0;
  private templateMisses = 0;
  private templateBadWindows = 0;
  private templatePause = 0;
  /** Every top-level key is wanted: a line with a key not wanted yet is a `NewKey`, not skipped. */
  private discover = false;
  private metNewKey = false;
  /** Set by string scanning: whether the last string had an escape, and its FNV-1a hash. */
  private sawEscape = false;
  private hash = 0;

  /**
   * Sets the fields to extract; `timeField` (if wanted) gets its numbers as plain doubles, and
   * with `timeFromBytes` its plain ISO 8601 UTC text is read into `time` directly.
   */
  setWanted(
    fields: readonly string[],
    timeField: string | null,
    timeFromBytes = false,
    fieldPaths?: Readonly<Record<string, readonly (readonly string[])[]>>,
    /** Fields whose strings are needed as strings while the row is added (time field candidates). */
    decoded?: ReadonlySet<string>,
    /**
     * The caller reads every field and learns them as it goes: a line with a key not among
     * `fields` is not read (`ScanResult.NewKey`), and lines are walked in JavaScript, which sees
     * each key (the WebAssembly walk skips unwanted ones); templates, learnt only from lines of
     * known keys, still match in WebAssembly.
     */
    discover = false,
  ): void {
    // The same again (a scanner taken over by a thread's next range): the line templates learnt
    // so far stay valid, so nothing is rebuilt.
    const key = JSON.stringify([fields, timeField, timeFromBytes, fieldPaths ?? null, decoded ? [...decoded] : null, discover]);
    if (key === this.wantedKey) return;
    this.wantedKey = key;
    this.discover = discover;
    this.wanted = [...new Set(fields)];
    // Struct fields: only the values at their paths are read (never for the time field).
    const pathsOf = (f: string) => (f !== timeField && fieldPaths && Object.hasOwn(fieldPaths, f) ? fieldPaths[f] : undefined);
    this.trees = this.wanted.map((f) => (pathsOf(f) ? pathTree(pathsOf(f)!) : null));
    this.holders = this.wanted.map((f) => (pathsOf(f) ? new StructLeaves(new Array(pathsOf(f)!.length).fill(undefined)) : null));
    this.leafRaws = this.wanted.map((f) => (pathsOf(f) ?? []).map(() => new RawString()));
    this.raws = this.wanted.map((f) => (f === timeField || decoded?.has(f) ? null : new RawString()));
    this.jsons = this.wanted.map((f) => (f === timeField || decoded?.has(f) || pathsOf(f) ? null : new RawJson()));
    this.wantedBytes = this.wanted.map((f) => Buffer.from(f, 'utf8'));
    this.byLength = [];
    this.wantedIndex = new Map(this.wanted.map((f, i) => [f, i]));
    this.wantedBytes.forEach((b, i) => (this.byLength[b.length] ??= []).push(i));
    this.timeIndex = timeField === null ? -1 : (this.wantedIndex.get(timeField) ?? -1);
    this.timeFromBytes = timeFromBytes;
    this.slotRow = new Int32Array(this.wanted.length).fill(-1);
    this.slotPos = new Int32Array(this.wanted.length);
    this.wantedVersion++;
    this.missAt = -1;
    // The buffer is looked at again: one left to JavaScript because the old keys did not fit its
    // instance may take the new ones.
    this.lastBuf = null;
  }

  constructor() {
    // Every field park() writes is written once more now, so V8 knows them as fields that change
    // from the start: one that first changed when a thread's next range takes the scanner over
    // would make V8 throw away the reading code it optimized while the field seemed constant.
    this.park();
  }

  /**
   * Lets go of the bytes last read and starts template learning afresh, for a scanner kept while
   * unused (see jsonlReader.ts): its wanted keys, and the templates that go with them, stay.
   */
  park(): void {
    this.lastBuf = null;
    this.missAt = -1;
    this.missBuf = null;
    this.wasm = null;
    this.buf = EMPTY_BYTES;
    for (const raw of this.raws) if (raw !== null) raw.buf = EMPTY_BYTES;
    for (const json of this.jsons) json?.set(EMPTY_BYTES, 0, 0);
    for (const raws of this.leafRaws) for (const raw of raws) raw.buf = EMPTY_BYTES;
    for (const holder of this.holders) holder?.values.fill(undefined);
    this.values.fill(null);
    this.count = 0;
    this.rowSerial = 0;
    this.slotRow.fill(-1);
    this.templateCredit = CREDIT_LIMIT;
    this.templateTries = this.templateMisses = this.templateBadWindows = this.templatePause = 0;
  }

  /** Scans the one line in buf[start, end) (it must not contain a newline). */
  scan(buf: Uint8Array, start: number, end: number): ScanResult {
    return this.scanLine(buf, start, end);
  }

  /**
   * Scans the line starting at `start`: it ends at the first newline at or after `start`, or at
   * `end`. Sets `lineEnd` whatever the result.
   */
  scanLine(buf: Uint8Array, start: number, end: number): ScanResult {
    this.buf = buf;
    this.end = end;
    this.startRow();
    const instance = this.instanceFor(buf);
    const result = instance !== null ? this.lineBodyWasm(start, instance) : this.lineBody(start);
    if (result !== ScanResult.Row || this.lineEnd < 0) {
      // Find the end of a line the scanner gave up on (or that ended after its object).
      const from = this.lineEnd < 0 ? start : this.lineEnd;
      const nl = buf.indexOf(NEWLINE, from);
      this.lineEnd = nl < 0 || nl >= end ? end : nl;
      if (result === ScanResult.Row) return ScanResult.Fallback;
    }
    return result === ScanResult.Fallback && this.metNewKey ? ScanResult.NewKey : result;
  }

  /** Forgets the last row's values (a line is about to be read). */
  private startRow(): void {
    this.count = 0;
    this.time[0] = NaN;
    this.metNewKey = false;
    this.rowSerial = (this.rowSerial + 1) | 0;
  }

  /**
   * Counts `lines` lines tried against the templates; at the end of each window of MATCH_WINDOW,
   * a second bad window in a row pauses matching (see PAUSE_LINES).
   */
  private countTries(lines: number): void {
    this.templateTries += lines;
    if (this.templateTries < MATCH_WINDOW) return;
    this.templateBadWindows = this.templateMisses > MISSES_TOLERATED ? this.templateBadWindows + 1 : 0;
    if (this.templateBadWindows === 2) this.templatePause = PAUSE_LINES;
    if (this.templatePause > 0) this.templateBadWindows = 0;
    this.templateTries -= MATCH_WINDOW;
    this.templateMisses = 0;
  }

  /**
   * The WebAssembly instance whose memory holds `buf`, with this scanner's wanted keys in it, or
   * null to scan in JavaScript.
   */
  private instanceFor(buf: Uint8Array): ScanInstance | null {
    if (buf !== this.lastBuf) {
      this.lastBuf = buf;
      this.wasm = scanInstanceOf(buf) ?? null;
      this.wasmBase = buf.byteOffset;
    }
    const instance = this.wasm;
    if (instance !== null && (instance.wantedBy !== this || instance.wantedVersion !== this.wantedVersion)) {
      if (!writeWanted(instance, this.wantedBytes)) return (this.wasm = null);
      instance.wantedBy = this;
      instance.wantedVersion = this.wantedVersion;
    }
    return instance;
  }

  /**
   * lineBody in WebAssembly, with the same results: the line is matched against the templates of
   * lines read before, else walked key by key (and its template learnt).
   */
  private lineBodyWasm(start: number, instance: ScanInstance): ScanResult {
    const end = this.end, base = this.wasmBase;
    const brace = this.openingBrace(start);
    if (brace < 0) return brace === BLANK ? ScanResult.Blank : ScanResult.Fallback;
    const { scanTop, matchLine } = instance.exports, result = instance.result;
    // The line a batch stopped at has been matched against these templates already (see matchBatch).
    const knownMiss = brace === this.missAt && this.buf === this.missBuf;
    this.missAt = -1;
    let learn = true;
    if (this.templatePause > 0) {
      this.templatePause--;
      learn = false;
    } else if (instance.templateBlocks.length > 0) {
      const matched = knownMiss ? -1 : matchLine(base + brace, base + end);
      this.countTries(1);
      if (matched >= 0) return this.fromTemplate(instance, matched);
      this.templateMisses++;
    }
    if (this.discover) {
      const row = this.lineBody(start);
      if (this.templateCredit < CREDIT_LIMIT) this.templateCredit++;
      if (row === ScanResult.Row && learn && this.templateCredit >= CREDIT_UNITS) this.learnTemplate(instance, brace);
      return row;
    }
    let i = brace;
    let code = scanTop(base + i + 1, base + end, true);
    for (;;) {
      if (code >= 0) i = this.readValue(result[0] - base, code);
      else if (code === KEY_FOR_CALLER) i = this.keyAndValue(result[0] - base);
      else if (code === CLOSED) {
        const row = this.afterObject(result[0] - base);
        if (this.templateCredit < CREDIT_LIMIT) this.templateCredit++;
        if (row === ScanResult.Row && learn && this.templateCredit >= CREDIT_UNITS) this.learnTemplate(instance, brace);
        return row;
      }
      else return ScanResult.Fallback;
      if (i < 0) return ScanResult.Fallback;
      code = scanTop(base + i, base + end, false);
    }
  }

  /** The templates as they were when the last batch was matched (its records name them by position). */
  private readonly batchTemplates: TemplateValues[] = [];
  private batchInstance: ScanInstance | null = null;
  /** The last batch (see matchBatch); its arrays are the instance's. */
  readonly batch: { -readonly [K in keyof LineBatch]: LineBatch[K] } = { records: new Int32Array(0), times: new Float64Array(0), words: 0, base: 0, buf: EMPTY_BYTES };
  /** The run runEnd found. */
  run: TemplateRun | null = null;
  /** Where the last batch stopped at a line no template matched (-1: nowhere), and in which buffer. */
  private missAt = -1;
  private missBuf: Uint8Array | null = null;
  private runs = new WeakMap<TemplateValues, TemplateRun | null>();

  /**
   * Matches the lines from `start` (a line's first byte) on against the line templates in one call,
   * as many as match in a row (at most BATCH_LINES), and returns how many; 0 when templates are not
   * in use here. Each is then read with `batchRow`, or runs of them written column by column (see
   * runEnd); `endBatch` closes the batch.
   */
  matchBatch(buf: Uint8Array, start: number, end: number): number {
    if (this.discover || this.templatePause > 0 || (start === this.missAt && buf === this.missBuf)) return 0;
    const instance = this.instanceFor(buf);
    if (instance === null || instance.templateBlocks.length === 0) return 0;
    const templates = instance.templateValues, saved = this.batchTemplates;
    let values = 0;
    saved.length = templates.length;
    for (let t = 0; t < templates.length; t++) {
      saved[t] = templates[t];
      if (templates[t].slots.length > values) values = templates[t].slots.length;
    }
    const words = RECORD_HEADER_WORDS + VALUE_WORDS * values;
    const base = this.wasmBase;
    this.batchInstance = instance;
    this.buf = buf;
    this.end = end;
    const batch = this.batch;
    batch.records = instance.batch;
    batch.times = instance.batchTimes;
    batch.words = words;
    batch.base = base;
    batch.buf = buf;
    const limit = Math.min(BATCH_LINES, batchLimit(values));
    const lines = instance.exports.matchLines(base + start, base + end, instance.batchAt, values, limit);
    // A batch that stopped at a line of `{` stopped because no template matches it: scanLine then
    // walks it without matching it again (and the next batch starts after it).
    const stop = lines === 0 ? start : this.batchLineEnd(lines - 1) + 1;
    if (lines < limit && stop < end && buf[stop] === OPEN_OBJECT) {
      this.missAt = stop;
      this.missBuf = buf;
    }
    return lines;
  }

  /** Where line k of the batch ends (its newline, or the region's end). */
  batchLineEnd(k: number): number {
    return this.batch.records[k * this.batch.words] - this.batch.base;
  }

  /**
   * The end (exclusive) of the run of batch lines from `k` (below `n`) that one template matched
   * and whose values are all as a TemplateRun writes them (sets `run`): strings without escapes,
   * times read, lines no longer than `maxLineBytes` (`ls`: where line k starts). `k` when line k is
   * not such a line.
   */
  runEnd(k: number, n: number, ls: number, maxLineBytes: number): number {
    const { records, times, words, base } = this.batch;
    const position = records[k * words + 1];
    const run = this.runOf(this.batchTemplates[position]);
    this.run = run;
    if (run === null) return k;
    const mask = run.plainMask, timed = run.timeValue >= 0;
    let r = k;
    for (let at = k * words; r < n; r++, at += words) {
      const lineEnd = records[at] - base;
      const time = times[(at + RECORD_TIME_WORD) >> 1];
      if (records[at + 1] !== position || (records[at + 2] & mask) !== mask || (timed && time !== time) || lineEnd - ls > maxLineBytes) break;
      ls = lineEnd + 1;
    }
    return r;
  }

  /** The TemplateRun of a template, or null when its values are not all plain fields read raw or the time. */
  private runOf(values: TemplateValues): TemplateRun | null {
    let run = this.runs.get(values);
    if (run !== undefined) return run;
    run = null;
    const { slots, leaves, structs } = values;
    const structSlots: number[] = [];
    for (let s = 0; s < structs.length; s += 2) structSlots.push(structs[s]);
    // A key met twice in a line (its last value is kept) is left to fromTemplate.
    let eligible = slots.length <= 32 && new Set(structSlots).size === structSlots.length;
    const keys: string[] = [], seen = new Set<string>();
    let timeValue = -1, plainMask = 0;
    for (let v = 0; eligible && v < slots.length; v++) {
      const slot = slots[v], leaf = leaves[v];
      const at = `${slot}/${leaf}`;
      if (seen.has(at) || leaf < -1 || (leaf >= 0) !== structSlots.includes(slot)) eligible = false;
      else if (leaf >= 0) plainMask |= 1 << v;
      else if (slot === this.timeIndex && this.timeFromBytes) timeValue = v;
      else if (this.raws[slot] !== null) plainMask |= 1 << v;
      else eligible = false;
      seen.add(at);
      keys.push(this.wanted[slot]);
    }
    if (eligible) run = { keys, leaves: Array.from(leaves), timeValue, plainMask, structKeys: structSlots.map((slot) => this.wanted[slot]) };
    this.runs.set(values, run);
    return run;
  }

  /** Counts `rows` lines written column by column from the batch, as fromTemplate counts each line it reads. */
  wroteRun(rows: number): void {
    this.templateLines += rows;
    this.templateCredit = Math.min(CREDIT_LIMIT, this.templateCredit + rows * CREDIT_PER_MATCH);
  }

  /** Reads line k of the batch as scanLine reads a line; sets lineEnd. */
  batchRow(k: number): ScanResult {
    this.startRow();
    const { records, words } = this.batch;
    const at = k * words;
    const lineEnd = this.batchLineEnd(k);
    const result = this.fromTemplateAt(this.batchInstance!, this.batchTemplates[records[at + 1]], records, at + RECORD_HEADER_WORDS, lineEnd);
    this.lineEnd = lineEnd;
    return result;
  }

  /**
   * Closes the batch after its first `lines` lines were read: counts them as tried and matched, per
   * template, as lineBodyWasm counts the lines it matches one by one.
   */
  endBatch(lines: number): void {
    const instance = this.batchInstance!, { records, words } = this.batch, saved = this.batchTemplates;
    this.countTries(lines);
    if (instance.templateBlocks.length > 1) {
      // Counted by template, not by position: counting reorders the directory now and then.
      for (let k = 0; k < lines; ) {
        const position = records[k * words + 1];
        let r = k + 1;
        while (r < lines && records[r * words + 1] === position) r++;
        countMatches(instance, saved[position], r - k);
        k = r;
      }
    }
    this.batchInstance = null;
  }

  /**
   * Reads the wanted values of a line that matched the template at `position` of the directory,
   * as readValue would: plain strings and ISO time stamps from what the match left at OUT.
   */
  private fromTemplate(instance: ScanInstance, position: number): ScanResult {
    const template = instance.templateValues[position];
    if (instance.templateBlocks.length > 1) countMatches(instance, template, 1);
    return this.fromTemplateAt(instance, template, instance.out, 0, instance.result[0] - this.wasmBase);
  }

  /**
   * fromTemplate over the OUT entries of a line that `template` matched, copied to `out` from
   * `first` on; `lineEnd`: where the line ends.
   */
  private fromTemplateAt(instance: ScanInstance, template: TemplateValues, out: Int32Array, first: number, lineEnd: number): ScanResult {
    const base = this.wasmBase, buf = this.buf;
    const { slots, leaves, depths, nodes, structs } = template;
    this.templateLines++;
    if (this.templateCredit < CREDIT_LIMIT) this.templateCredit += CREDIT_PER_MATCH;
    let struct = 0;
    for (let k = 0, at = first; k < slots.length; k++, at += VALUE_WORDS) {
      // Struct fields whose objects come before this value: stored where the walk stores them.
      for (; struct < structs.length && structs[struct + 1] === k; struct += 2) this.storeStruct(structs[struct]);
      const slot = slots[k], leaf = leaves[k], start = out[at] - base;
      const plain = out[at + 2] === 1;
      if (leaf >= 0) {
        // The value at a path of a struct field (stored above).
        const holder = this.holders[slot]!;
        const raw = this.leafRaws[slot][leaf];
        if (plain) holder.values[leaf] = rawFromBytes(raw, buf, start + 1, out[at + 1] - base - 1);
        else if (this.readLeaf(start, depths[k], holder, leaf, raw) < 0) return ScanResult.Fallback;
        continue;
      }
      if (leaf < -1) {
        // A node above paths' ends, read as readPaths reads a repeated key's value.
        const node = nodes[-2 - leaf] as PathNode, holder = this.holders[slot]!;
        for (const n of node.leaves) holder.values[n] = undefined;
        if (buf[start] === OPEN_OBJECT && this.readPaths(start, node, depths[k], holder, this.leafRaws[slot]) < 0) return ScanResult.Fallback;
        continue;
      }
      const raw = this.raws[slot];
      if (plain && raw !== null) {
        this.store(slot, rawFromBytes(raw, buf, start + 1, out[at + 1] - base - 1));
        continue;
      }
      if (slot === this.timeIndex && this.timeFromBytes && buf[start] === QUOTE && instance.exports.isoMicrosAt(out[at] + 1, out[at + 1] - 1) === 1) {
        this.time[0] = instance.time[0];
        this.store(slot, '');
        continue;
      }
      if (this.readValue(start, slot) < 0) return ScanResult.Fallback;
    }
    for (; struct < structs.length; struct += 2) this.storeStruct(structs[struct]);
    this.lineEnd = lineEnd;
    return ScanResult.Row;
  }

  /** Stores struct field `slot` with no values at its paths yet (a template fills them). */
  private storeStruct(slot: number): void {
    const holder = this.holders[slot]!;
    const values = holder.values;
    // A loop, not fill(): a struct holds a few paths, and the builtin's call costs more than they.
    for (let k = 0; k < values.length; k++) values[k] = undefined;
    this.store(slot, holder);
  }

  private readonly templateKeys: TemplateKeys<PathNode> = {
    slotOf: (keyStart, keyStop, ascii) => this.matchKey(keyStart, keyStop, ascii),
    pathsOf: (slot) => this.trees[slot],
    childOf: (node, keyStart, keyStop, ascii) => matchChild(node, this.buf, keyStart, keyStop, ascii),
    skipValue: (i, depth) => this.skipValueAt(i, depth),
  };

  /** Learns the template of the line just read (its object starts at `brace`). */
  private learnTemplate(instance: ScanInstance, brace: number): void {
    this.templateCredit -= CREDIT_UNITS;
    const template = lineTemplate(this.buf, brace, this.lineEnd, this.templateKeys);
    if (template !== null) addTemplate(instance, template, this.timeFromBytes ? this.timeIndex : -1);
  }

  /**
   * The index of the line's opening brace after any whitespace; BLANK for a blank line (lineEnd
   * set) or NOT_AN_OBJECT. Sets lineEnd to -1 otherwise (it is set when the line is read).
   */
  private openingBrace(start: number): number {
    const buf = this.buf, end = this.end;
    this.lineEnd = -1;
    const i = skipWs(buf, start, end);
    if (i === end || buf[i] === NEWLINE) {
      this.lineEnd = i;
      return BLANK;
    }
    return buf[i] === OPEN_OBJECT ? i : NOT_AN_OBJECT;
  }

  /** Returns the result; sets lineEnd to the line's end when known, else -1. */
  private lineBody(start: number): ScanResult {
    const buf = this.buf, end = this.end;
    let i = this.openingBrace(start);
    if (i < 0) return i === BLANK ? ScanResult.Blank : ScanResult.Fallback;
    i = skipWs(buf, i + 1, end);
    if (i < end && buf[i] === CLOSE_OBJECT) return this.afterObject(i + 1);
    for (;;) {
      if (i >= end || buf[i] !== QUOTE) return ScanResult.Fallback;
      i = this.keyAndValue(i);
      if (i < 0) return ScanResult.Fallback;
      let c = buf[i];
      if (isWs(c)) {
        i = skipWs(buf, i, end);
        c = buf[i];
      }
      if (i >= end) return ScanResult.Fallback;
      if (c === COMMA) {
        i++;
        if (isWs(buf[i])) i = skipWs(buf, i, end);
        continue;
      }
      if (c === CLOSE_OBJECT) return this.afterObject(i + 1);
      return ScanResult.Fallback;
    }
  }

  /** The bytes of the key `keyThenColon` last read: [keyStart, keyStop), plain ASCII or not. */
  private keyStart = 0;
  private keyStop = 0;
  private keyAscii = true;

  /**
   * `i` at a key's opening quote: reads the key (see keyStart) and the colon after it; the index
   * of the value, or -1.
   */
  private keyThenColon(i: number): number {
    const buf = this.buf, end = this.end;
    this.keyStart = i + 1;
    const j = keyEnd(buf, this.keyStart, end);
    if (j < 0) return -1;
    this.keyStop = j;
    this.keyAscii = keyWasAscii;
    i = j + 1;
    if (buf[i] !== COLON) {
      i = skipWs(buf, i, end);
      if (i >= end || buf[i] !== COLON) return -1;
    }
    i++;
    if (i < end && isWs(buf[i])) i = skipWs(buf, i, end);
    return i < end ? i : -1;
  }

  /** `i` at a key's opening quote: reads the key and its value; the index after the value, or -1. */
  private keyAndValue(i: number): number {
    const value = this.keyThenColon(i);
    if (value < 0) return -1;
    const slot = this.matchKey(this.keyStart, this.keyStop, this.keyAscii);
    if (slot >= 0) return this.readValue(value, slot);
    if (this.discover) {
      this.metNewKey = true;
      return -1;
    }
    return this.skipValueAt(value, 2);
  }

  /** After the closing brace only whitespace may follow on the line. */
  private afterObject(i: number): ScanResult {
    const buf = this.buf, end = this.end;
    i = skipWs(buf, i, end);
    if (i < end && buf[i] !== NEWLINE) return ScanResult.Fallback;
    this.lineEnd = i;
    return ScanResult.Row;
  }

  private matchKey(start: number, end: number, ascii: boolean): number {
    if (!ascii) return this.wantedIndex.get(Buffer.prototype.toString.call(this.buf, 'utf8', start, end) as string) ?? -1;
    const candidates = this.byLength[end - start];
    if (candidates === undefined) return -1;
    const buf = this.buf;
    outer: for (let n = 0; n < candidates.length; n++) {
      const idx = candidates[n];
      const want = this.wantedBytes[idx];
      for (let k = 0; k < want.length; k++) if (buf[start + k] !== want[k]) continue outer;
      return idx;
    }
    return -1;
  }

  /** Reads a wanted value into the row; returns the index after it, or -1 for Fallback. */
  private readValue(i: number, slot: number): number {
    const buf = this.buf;
    const c = buf[i];
    const tree = this.trees[slot];
    if (tree !== null && c === OPEN_OBJECT) {
      const holder = this.holders[slot]!;
      holder.values.fill(undefined);
      const next = this.readPaths(i, tree, 2, holder, this.leafRaws[slot]);
      if (next < 0) return -1;
      this.store(slot, holder);
      return next;
    }
    let value: Value;
    let next: number;
    if (c === QUOTE && slot === this.timeIndex && this.timeFromBytes) {
      // The time field: ISO text read from the bytes (no hash needed; text with an escape is no ISO).
      next = skipString(buf, i, this.end);
      if (next < 0) return -1;
      const time = this.time, wasm = this.wasm;
      if (wasm === null) time[0] = isoBytesToMicros(buf, i + 1, next - 1);
      else time[0] = wasm.exports.isoMicrosAt(this.wasmBase + i + 1, this.wasmBase + next - 1) === 1 ? wasm.time[0] : NaN;
      if (time[0] === time[0]) {
        this.store(slot, '');
        return next;
      }
    }
    if (c === QUOTE) {
      next = this.readString(i);
      if (next < 0) return -1;
      if (this.sawEscape) value = JSON.parse(Buffer.prototype.toString.call(buf, 'utf8', i, next) as string) as string;
      else {
        const raw = this.raws[slot];
        if (raw !== null) {
          raw.buf = buf;
          raw.start = i + 1;
          raw.end = next - 1;
          raw.hash = this.hash;
          this.store(slot, raw);
          return next;
        }
        value = decodeFlat(buf, i + 1, next - 1);
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      next = this.skipContainer(i);
      if (next < 0) return -1;
      const json = this.jsons[slot];
      if (json !== null) {
        this.store(slot, json.set(buf, i, next));
        return next;
      }
      const text = Buffer.prototype.toString.call(buf, 'utf8', i, next) as string;
      const converted = jsonToValue(JSON.parse(text), 2);
      if (converted !== undefined) value = converted;
      else if (lastConversionProblem() === 'inexact') value = parseJsonExact(text, 2);
      else return -1;
    } else if (c === MINUS || isDigit(c)) {
      next = skipNumber(buf, i, this.end);
      if (next < 0) return -1;
      const small = smallInteger(buf, i, next);
      if (!Number.isNaN(small)) value = slot === this.timeIndex ? small : BigInt(small);
      else {
        const token = Buffer.prototype.toString.call(buf, 'latin1', i, next) as string;
        value = slot === this.timeIndex ? Number(token) : numberTokenToValue(token);
      }
    } else {
      next = skipLiteral(buf, i, this.end);
      if (next < 0) return -1;
      value = c === 0x74 ? true : c === 0x66 ? false : null;
    }
    if (slot === this.timeIndex) this.time[0] = NaN;
    this.store(slot, value);
    return next;
  }

  /**
   * i is at the `{` of an object at nesting depth `depth`: reads the values at the paths below
   * `node` into `holder`, validating everything else; returns the index after the object or -1.
   */
  private readPaths(i: number, node: PathNode, depth: number, holder: StructLeaves, raws: RawString[]): number {
    const buf = this.buf, end = this.end;
    if (depth > MAX_JSON_DEPTH) return -1;
    i = skipWs(buf, i + 1, end);
    if (i < end && buf[i] === CLOSE_OBJECT) return i + 1;
    for (;;) {
      if (i >= end || buf[i] !== QUOTE) return -1;
      i = this.keyThenColon(i);
      if (i < 0) return -1;
      const child = matchChild(node, buf, this.keyStart, this.keyStop, this.keyAscii);
      if (child === null) i = this.skipValueAt(i, depth + 1);
      else if (child.leaf >= 0) i = this.readLeaf(i, depth + 1, holder, child.leaf, raws[child.leaf]);
      else {
        // A repeated key replaces what an earlier one held, as in JSON.parse.
        for (const k of child.leaves) holder.values[k] = undefined;
        i = buf[i] === OPEN_OBJECT ? this.readPaths(i, child, depth + 1, holder, raws) : this.skipValueAt(i, depth + 1);
      }
      if (i < 0) return -1;
      let c = buf[i];
      if (isWs(c)) {
        i = skipWs(buf, i, end);
        c = buf[i];
      }
      if (i >= end) return -1;
      if (c === COMMA) {
        i++;
        if (isWs(buf[i])) i = skipWs(buf, i, end);
        continue;
      }
      if (c === CLOSE_OBJECT) return i + 1;
      return -1;
    }
  }

  /** The value at a path (at nesting depth `depth`) as a dynamic value. */
  private readLeaf(i: number, depth: number, holder: StructLeaves, leaf: number, raw: RawString): number {
    const buf = this.buf, end = this.end;
    const c = buf[i];
    let value: Value;
    let next: number;
    if (c === QUOTE) {
      next = this.readString(i);
      if (next < 0) return -1;
      if (!this.sawEscape) {
        raw.buf = buf;
        raw.start = i + 1;
        raw.end = next - 1;
        raw.hash = this.hash;
        holder.values[leaf] = raw;
        return next;
      }
      value = JSON.parse(Buffer.prototype.toString.call(buf, 'utf8', i, next) as string) as string;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      next = this.skipContainer(i, depth);
      if (next < 0) return -1;
      const text = Buffer.prototype.toString.call(buf, 'utf8', i, next) as string;
      const converted = jsonToValue(JSON.parse(text), depth);
      if (converted !== undefined) value = converted;
      else if (lastConversionProblem() === 'inexact') value = parseJsonExact(text, depth);
      else return -1;
    } else if (c === MINUS || isDigit(c)) {
      next = skipNumber(buf, i, end);
      if (next < 0) return -1;
      const small = smallInteger(buf, i, next);
      value = Number.isNaN(small) ? numberTokenToValue(Buffer.prototype.toString.call(buf, 'latin1', i, next) as string) : BigInt(small);
    } else {
      next = skipLiteral(buf, i, end);
      if (next < 0) return -1;
      value = c === 0x74 ? true : c === 0x66 ? false : null;
    }
    holder.values[leaf] = value;
    return next;
  }

  /** Skips the value at `i`, at nesting depth `depth` (a top-level field's value is at 2). */
  private skipValueAt(i: number, depth: number): number {
    if (this.wasm !== null) {
      const base = this.wasmBase;
      const next = this.wasm.exports.skipValue(base + i, base + this.end, depth);
      return next < 0 ? -1 : next - base;
    }
    const c = this.buf[i];
    if (c === QUOTE) return skipString(this.buf, i, this.end);
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) return this.skipContainer(i, depth);
    if (c === MINUS || isDigit(c)) return skipNumber(this.buf, i, this.end);
    return skipLiteral(this.buf, i, this.end);
  }

  private store(slot: number, value: Value | StructLeaves | RawString | RawJson): void {
    if (this.slotRow[slot] === this.rowSerial) {
      this.values[this.slotPos[slot]] = value; // a repeated key: the last value wins, like JSON.parse
      return;
    }
    this.slotRow[slot] = this.rowSerial;
    this.slotPos[slot] = this.count;
    this.keys[this.count] = this.wanted[slot];
    this.values[this.count++] = value;
  }

  /**
   * A wanted string: i is at the opening quote; returns the index after the closing quote, or -1.
   * Leaves whether it had escapes in `sawEscape` and the FNV-1a hash of its bytes in `hash`.
   */
  private readString(i: number): number {
    const buf = this.buf, end = this.end;
    i++;
    let h = 0x811c9dc5 | 0;
    let c = buf[i];
    while (STRING_PLAIN[c] === 1) {
      h = Math.imul(h ^ c, 0x01000193);
      c = buf[++i];
    }
    if (c === QUOTE && i < end) {
      this.sawEscape = false;
      this.hash = h;
      return i + 1;
    }
    this.sawEscape = true; // or invalid, which the careful loop rejects
    return skipEscapedString(buf, i, end);
  }

  /**
   * i is at `{` or `[` of a top-level field's value (depth 2). Validates the whole container and
   * returns the index after it; -1 on bad syntax or nesting beyond MAX_JSON_DEPTH.
   */
  private skipContainer(i: number, base = 2): number {
    const buf = this.buf, end = this.end, stack = this.stack;
    if (base > MAX_JSON_DEPTH) return -1;
    let depth = 0; // containers open; the value's own container is at nesting depth `base` overall
    stack[depth++] = buf[i] === OPEN_OBJECT ? 1 : 0;
    i++;
    let first = true;
    let c = 0;
    for (;;) {
      while ((c = buf[i]) === 0x20 || c === 0x09 || c === 0x0d) i++;
      if (i >= end) return -1;
      const inObject = stack[depth - 1] === 1;
      if (first && c === (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        i++;
        depth--;
      } else {
        if (inObject) {
          if (c !== QUOTE) return -1;
          // A key: plain ASCII in the common case.
          i++;
          while ((KEY_PLAIN[buf[i]] & KEY_PLAIN[buf[i + 1]] & KEY_PLAIN[buf[i + 2]] & KEY_PLAIN[buf[i + 3]]) === 1) i += 4;
          c = buf[i];
          while (KEY_PLAIN[c] === 1) c = buf[++i];
          i = c === QUOTE && i < end ? i + 1 : skipEscapedOrUtf8Key(buf, i, end);
          if (i < 0) return -1;
          while ((c = buf[i]) === 0x20 || c === 0x09 || c === 0x0d) i++;
          if (i >= end || c !== COLON) return -1;
          i++;
          while ((c = buf[i]) === 0x20 || c === 0x09 || c === 0x0d) i++;
          if (i >= end) return -1;
        }
        if (c === QUOTE) i = skipString(buf, i, end);
        else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
          if (base + depth > MAX_JSON_DEPTH) return -1;
          stack[depth++] = c === OPEN_OBJECT ? 1 : 0;
          i++;
          first = true;
          continue;
        } else if (c === MINUS || isDigit(c)) i = skipNumber(buf, i, end);
        else i = skipLiteral(buf, i, end);
        if (i < 0) return -1;
      }
      // After a value (or a closed container): a comma, or the end of the enclosing container.
      for (;;) {
        if (depth === 0) return i;
        while ((c = buf[i]) === 0x20 || c === 0x09 || c === 0x0d) i++;
        if (i >= end) return -1;
        if (c === COMMA) {
          i++;
          first = false;
          break;
        }
        if (c !== (stack[depth - 1] === 1 ? CLOSE_OBJECT : CLOSE_ARRAY)) return -1;
        i++;
        depth--;
      }
    }
  }
}

function skipWs(buf: Uint8Array, i: number, end: number): number {
  while (i < end && isWs(buf[i])) i++;
  return i;
}

/** JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function skipNumber(buf: Uint8Array, i: number, end: number): number {
  if (buf[i] === MINUS) i++;
  if (i >= end) return -1;
  if (buf[i] === ZERO) i++;
  else if (isDigit(buf[i])) while (i < end && isDigit(buf[i])) i++;
  else return -1;
  if (i < end && buf[i] === DOT) {
    i++;
    if (i >= end || !isDigit(buf[i])) return -1;
    while (i < end && isDigit(buf[i])) i++;
  }
  if (i < end && (buf[i] === 0x65 || buf[i] === 0x45)) {
    i++;
    if (i < end && (buf[i] === PLUS || buf[i] === MINUS)) i++;
    if (i >= end || !isDigit(buf[i])) return -1;
    while (i < end && isDigit(buf[i])) i++;
  }
  return i;
}

function skipLiteral(buf: Uint8Array, i: number, end: number): number {
  const c = buf[i];
  if (c === 0x74) return i + 3 < end && buf[i + 1] === 0x72 && buf[i + 2] === 0x75 && buf[i + 3] === 0x65 ? i + 4 : -1; // true
  if (c === 0x6e) return i + 3 < end && buf[i + 1] === 0x75 && buf[i + 2] === 0x6c && buf[i + 3] === 0x6c ? i + 4 : -1; // null
  if (c === 0x66) return i + 4 < end && buf[i + 1] === 0x61 && buf[i + 2] === 0x6c && buf[i + 3] === 0x73 && buf[i + 4] === 0x65 ? i + 5 : -1; // false
  return -1;
}
