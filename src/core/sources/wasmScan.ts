/**
 * Read buffers that live in WebAssembly memory, so the JSON Lines scanner can run its byte loops
 * as WebAssembly SIMD (assembly/jsonScan.ts) over the very bytes a read puts there: no copy.
 * Each buffer gets a memory and an instance of its own (instances are cheap; a read keeps one or
 * two buffers), which also holds the line templates learnt over it; the scanner finds the
 * instance from the buffer. Where WebAssembly SIMD is not
 * available, or scanning with it is turned off, buffers are plain and the scanner runs in
 * JavaScript: both accept exactly the same lines.
 */
import { JSON_SCAN_WASM } from './jsonScanWasm';

/** The instance's exports (see assembly/jsonScan.ts). */
export interface ScanExports {
  scanTop(i: number, end: number, first: boolean): number;
  skipValue(i: number, end: number, depth: number): number;
  skipStringBody(i: number, end: number): number;
  matchLine(i: number, end: number): number;
  isoMicros(start: number, end: number): number;
  /** isoMicros, its time left at TIME (see `time`): 1 when it read one, else 0. */
  isoMicrosAt(start: number, end: number): number;
  findBytes(i: number, end: number, length: number, p: number, q: number): number;
  maxDepth(): number;
  /** matchLine over consecutive lines, a record per line at `area` (see LineBatch). */
  matchLines(i: number, end: number, area: number, values: number, maxLines: number): number;
}

/**
 * The shape of a line as literal bytes between values: a line matches when it holds
 * `literals[0]`, a value, `literals[1]`, a value, ... and the last literal. See lineTemplate.ts.
 */
export interface LineTemplate {
  /** One more than there are values. */
  readonly literals: readonly Uint8Array[];
  /**
   * Per value: its nesting depth (the line's object is 1), negative when the value must not be an
   * object (a struct field that held none when the template was learnt).
   */
  readonly depths: readonly number[];
  /** Per value: its wanted slot (-1: skipped). */
  readonly slots: readonly number[];
  /**
   * Per value of a struct field: the index of the path it ends (>= 0), or -2 - n for the node
   * `nodes[n]` above paths' ends, read with its paths; -1 for a field's whole value.
   */
  readonly leaves: readonly number[];
  readonly nodes: readonly unknown[];
  /**
   * Struct fields whose objects the template descends, as pairs: the slot, and how many wanted
   * values come before its object (where a match stores the field).
   */
  readonly structs: readonly number[];
}

/** The wanted values of a template, in the order of OUT (see LineTemplate). */
export interface TemplateValues {
  readonly slots: Int32Array;
  readonly leaves: Int32Array;
  readonly depths: Int32Array;
  readonly nodes: readonly unknown[];
  readonly structs: Int32Array;
}

export interface ScanInstance {
  readonly exports: ScanExports;
  /** The whole memory, for writing the wanted keys. */
  readonly bytes: Uint8Array;
  /** RESULT (a position left by scanTop). */
  readonly result: Int32Array;
  /** TIME (the time isoMicrosAt read). */
  readonly time: Float64Array;
  /** Which configuration of wanted keys the memory holds (the scanner that wrote it, and its version). */
  wantedBy: object | null;
  wantedVersion: number;
  /**
   * OUT: per wanted value of a matched template, four numbers: where the value starts and ends
   * (addresses), and 1 when it is a string without escapes (else 0).
   */
  readonly out: Int32Array;
  /** The records matchLines writes (BATCH_BYTES from `batchAt`, after the read buffer), as words and as doubles. */
  readonly batch: Int32Array;
  readonly batchTimes: Float64Array;
  readonly batchAt: number;
  /** Per template in the directory's order: its memory block and its wanted values. */
  readonly templateBlocks: number[];
  readonly templateValues: TemplateValues[];
  /** Per memory block: the steps of the template it holds (to tell how many two templates share). */
  readonly templateSteps: (TemplateStep[] | undefined)[];
  /** Per template in the directory's order: lines it matched lately (see countMatches). */
  readonly templateHits: number[];
  matchesSinceOrdered: number;
}

/** A step as matchLine sees it: a literal, then a value at `depth` (0: none; negative: no object) read into OUT index `out`. */
interface TemplateStep {
  readonly literal: Uint8Array;
  readonly depth: number;
  readonly out: number;
}

/** Layout shared with assembly/jsonScan.ts. */
const TIME = 8;
const WANTED = 16;
const WANTED_LIMIT = 100; // keys
const OUT = 1280;
const OUT_LIMIT = 48; // wanted values in one template
/** An OUT entry: a value's start, end, whether it is a string without escapes, and (matchLines) its hash. */
const OUT_ENTRY_BYTES = 16;
export const VALUE_WORDS = OUT_ENTRY_BYTES / 4;
const KEY_BYTES = 2048;
const KEY_BYTES_END = 4096;
const DIRECTORY = 4096;
const SHARED = 4224;
const NEEDLE = 6144;
const NEEDLE_LIMIT = 2048;
const TEMPLATES = 8192;
const TEMPLATE_BYTES = 7168;
const TEMPLATE_LIMIT = 16;
const STEP_LIMIT = 96;
const STEPS = 16;
const LITERALS = STEPS + STEP_LIMIT * 16;
const DATA = TEMPLATES + TEMPLATE_LIMIT * TEMPLATE_BYTES;
/** Readable bytes after a buffer's end (vector loads look up to 15 bytes past it). */
const PADDING = 64;
const PAGE = 65536;
/** A template block's header: its time value's OUT index (-1: none) and its number of wanted values. */
const TEMPLATE_TIME_OUT = 4;
const TEMPLATE_VALUES = 8;
/** Bytes of a matchLines record before its OUT entries: line end, template position, plain mask, padding, time. */
const RECORD_HEADER = 24;
export const RECORD_HEADER_WORDS = RECORD_HEADER / 4;
/** The word of a record where its time (a double) starts. */
export const RECORD_TIME_WORD = 4;
/** Room for matchLines records: a page after the read buffer. */
const BATCH_BYTES = PAGE;
/** Lines one matchLines call reads at most: a batch is read before the next is matched, so its records stay few and in cache. */
export const BATCH_LINES = 256;

/** The lines whose records fit the batch area when templates have at most `values` wanted values. */
export function batchLimit(values: number): number {
  return Math.floor(BATCH_BYTES / (RECORD_HEADER + values * OUT_ENTRY_BYTES));
}

let compiled: WebAssembly.Module | null | undefined;
let enabled = true;
const instances = new WeakMap<ArrayBufferLike, ScanInstance>();

function module(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = Buffer.from(JSON_SCAN_WASM, 'base64');
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}

/** Turns scanning with WebAssembly on or off for buffers allocated from now on (tests run both). */
export function setWasmScanning(on: boolean): void {
  enabled = on;
}

/**
 * Buffers beyond this (only a `maxLineBytes` raised far above its default makes them) stay plain:
 * WebAssembly addresses are 32-bit, and the JavaScript loops do the same work.
 */
const MAX_WASM_BUFFER = 1024 * 1024 * 1024;

/** A buffer of `size` bytes for a read: in WebAssembly memory when the scanner can use it. */
export function allocateReadBuffer(size: number): Buffer {
  const mod = enabled && size <= MAX_WASM_BUFFER ? module() : null;
  if (!mod) return Buffer.allocUnsafe(size);
  const batchAt = Math.ceil((DATA + size + PADDING) / PAGE) * PAGE;
  const pages = (batchAt + BATCH_BYTES) / PAGE;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  } catch {
    return Buffer.allocUnsafe(size); // no room for another memory: scan in JavaScript
  }
  const instance = new WebAssembly.Instance(mod, { env: { memory } });
  const bytes = new Uint8Array(memory.buffer);
  instances.set(memory.buffer, {
    exports: instance.exports as unknown as ScanExports,
    bytes,
    result: new Int32Array(memory.buffer, 0, 1),
    time: new Float64Array(memory.buffer, TIME, 1),
    wantedBy: null,
    wantedVersion: -1,
    out: new Int32Array(memory.buffer, OUT, OUT_LIMIT * 4),
    batch: new Int32Array(memory.buffer, batchAt, BATCH_BYTES / 4),
    batchTimes: new Float64Array(memory.buffer, batchAt, BATCH_BYTES / 8),
    batchAt,
    templateBlocks: [],
    templateValues: [],
    templateSteps: [],
    templateHits: [],
    matchesSinceOrdered: 0,
  });
  return Buffer.from(memory.buffer, DATA, size);
}

/** The instance whose memory holds `buf`, if any. */
export function scanInstanceOf(buf: Uint8Array): ScanInstance | undefined {
  return instances.get(buf.buffer);
}

/**
 * Writes the wanted keys (plain ASCII ones; the others can only match keys the scanner reads
 * itself) into the instance's memory. False when they do not fit: then the scanner runs in
 * JavaScript for this instance.
 */
export function writeWanted(instance: ScanInstance, keys: readonly Uint8Array[]): boolean {
  const { bytes } = instance;
  // Whatever happens below, the keys (and templates) of the scanner that wrote before are gone.
  instance.wantedBy = null;
  clearTemplates(instance);
  const view = new DataView(bytes.buffer);
  let at = KEY_BYTES;
  let count = 0;
  for (const key of keys) {
    const ascii = key.every((c) => c >= 0x20 && c < 0x80 && c !== 0x22 && c !== 0x5c);
    if (!ascii) {
      // Keep slot numbers: a key that cannot be met in plain bytes gets length -1.
      view.setUint32(WANTED + 4 + count * 8, 0, true);
      view.setInt32(WANTED + 8 + count * 8, -1, true);
    } else {
      if (at + key.length > KEY_BYTES_END) return false;
      bytes.set(key, at);
      view.setUint32(WANTED + 4 + count * 8, at, true);
      view.setInt32(WANTED + 8 + count * 8, key.length, true);
      at += key.length;
    }
    if (++count > WANTED_LIMIT) return false;
  }
  view.setUint32(WANTED, count, true);
  return true;
}

/** Bytes that fill JSON text (punctuation, space): poor ones for findBytes to filter on. */
const COMMON_BYTES = new Set([0x22, 0x3a, 0x2c, 0x20, 0x7b, 0x7d, 0x5b, 0x5d]);

/**
 * A search for `literal` in `buf` (a read buffer, or a view of part of one) in WebAssembly, about
 * three times as fast as `Buffer.indexOf` on log text: the function returned gives, for (from, to),
 * the first index of `buf` in [from, to) where the whole literal lies, or -1. Null when `buf` is not in WebAssembly memory or
 * the literal is empty or longer than 2 KiB. The literal is written into the instance's memory,
 * one at a time: a search is good only until another is made over the same buffer.
 */
export function literalSearch(buf: Uint8Array, literal: Uint8Array): ((from: number, to: number) => number) | null {
  const instance = instances.get(buf.buffer);
  if (!instance || literal.length === 0 || literal.length > NEEDLE_LIMIT) return null;
  instance.bytes.set(literal, NEEDLE);
  // Filter on the literal's rarest-looking bytes: its first and last that are not punctuation.
  let p = 0, q = literal.length - 1;
  while (p < q && COMMON_BYTES.has(literal[p])) p++;
  while (q > p && COMMON_BYTES.has(literal[q])) q--;
  const { findBytes } = instance.exports, base = buf.byteOffset, length = literal.length;
  return (from, to) => {
    const at = findBytes(base + from, base + to, length, p, q);
    return at < 0 ? -1 : at - base;
  };
}

/** Forgets the instance's line templates (they name wanted slots of the keys written before). */
export function clearTemplates(instance: ScanInstance): void {
  instance.templateBlocks.length = 0;
  instance.templateValues.length = 0;
  instance.templateHits.length = 0;
  writeDirectory(instance);
}

function writeDirectory(instance: ScanInstance): void {
  const view = new DataView(instance.bytes.buffer);
  view.setUint32(DIRECTORY, instance.templateBlocks.length, true);
  instance.templateBlocks.forEach((block, n) => view.setUint32(DIRECTORY + 4 + n * 4, block, true));
}

/**
 * Adds a template, tried first from now on; with the directory full, it takes the block of the
 * one tried last. False when the template does not fit in a block (then it is not used).
 * `timeSlot`: the wanted slot whose string matchLines reads as an ISO time stamp (-1: none).
 */
export function addTemplate(instance: ScanInstance, template: LineTemplate, timeSlot = -1): boolean {
  const { literals, depths, slots, leaves, nodes, structs } = template;
  const wanted = slots.flatMap((s, n) => (s >= 0 ? [n] : []));
  const literalBytes = literals.reduce((n, l) => n + l.length, 0);
  if (literals.length > STEP_LIMIT || wanted.length > OUT_LIMIT || LITERALS + literalBytes > TEMPLATE_BYTES) return false;
  let block = instance.templateBlocks.length;
  if (block === TEMPLATE_LIMIT) {
    block = instance.templateBlocks.pop()!;
    instance.templateValues.pop();
    instance.templateHits.pop();
  }
  const view = new DataView(instance.bytes.buffer);
  const at = TEMPLATES + block * TEMPLATE_BYTES;
  let literalAt = at + LITERALS;
  let out = 0;
  const steps: TemplateStep[] = literals.map((literal, n) => {
    const last = n === depths.length;
    return { literal, depth: last ? 0 : depths[n], out: last || slots[n] < 0 ? -1 : out++ };
  });
  steps.forEach(({ literal, depth, out }, n) => {
    const step = at + STEPS + n * 16;
    instance.bytes.set(literal, literalAt);
    view.setInt32(step, literalAt, true);
    view.setInt32(step + 4, literal.length, true);
    view.setInt32(step + 8, depth, true);
    view.setInt32(step + 12, out, true);
    literalAt += literal.length;
  });
  view.setUint32(at, literals.length, true);
  const timeOut = timeSlot < 0 ? -1 : steps.findIndex((step, n) => step.out >= 0 && slots[n] === timeSlot && leaves[n] === -1);
  view.setInt32(at + TEMPLATE_TIME_OUT, timeOut < 0 ? -1 : steps[timeOut].out, true);
  view.setUint32(at + TEMPLATE_VALUES, out, true);
  // How far the new template goes along with each other one: a match that fails resumes there.
  instance.templateSteps[block] = steps;
  for (const other of instance.templateBlocks) {
    const shared = sharedSteps(steps, instance.templateSteps[other]!);
    instance.bytes[SHARED + block * TEMPLATE_LIMIT + other] = shared;
    instance.bytes[SHARED + other * TEMPLATE_LIMIT + block] = shared;
  }
  instance.templateBlocks.unshift(block);
  instance.templateValues.unshift({
    slots: Int32Array.from(wanted, (n) => slots[n]),
    leaves: Int32Array.from(wanted, (n) => leaves[n]),
    depths: Int32Array.from(wanted, (n) => depths[n]),
    nodes,
    structs: Int32Array.from(structs),
  });
  instance.templateHits.unshift(0);
  writeDirectory(instance);
  return true;
}

/** How many leading steps two templates have in common (at most 255, what a byte holds). */
function sharedSteps(a: readonly TemplateStep[], b: readonly TemplateStep[]): number {
  let n = 0;
  while (n < 255 && n < a.length && n < b.length && a[n].depth === b[n].depth && a[n].out === b[n].out && Buffer.from(a[n].literal).equals(b[n].literal)) n++;
  return n;
}

/** Matched lines between two orderings of the directory. */
const ORDER_EVERY = 1024;

/**
 * Counts `lines` lines matched by `template` (one of the instance's). Now and then the directory is
 * ordered by recent matches, so the most common shape is tried first and the least used one is
 * replaced next; reordering on every match would cost more than it saves on lines of alternating
 * shapes. The template is named by its values, not its position: counting may reorder.
 */
export function countMatches(instance: ScanInstance, template: TemplateValues, lines: number): void {
  const position = instance.templateValues.indexOf(template);
  if (position < 0) return; // replaced meanwhile
  instance.templateHits[position] += lines;
  instance.matchesSinceOrdered += lines;
  if (instance.matchesSinceOrdered < ORDER_EVERY) return;
  instance.matchesSinceOrdered = 0;
  const order = instance.templateBlocks.map((_, n) => n).sort((x, y) => instance.templateHits[y] - instance.templateHits[x]);
  const [blocks, values, hits] = [order.map((n) => instance.templateBlocks[n]), order.map((n) => instance.templateValues[n]), order.map((n) => instance.templateHits[n] / 2)];
  instance.templateBlocks.splice(0, blocks.length, ...blocks);
  instance.templateValues.splice(0, values.length, ...values);
  instance.templateHits.splice(0, hits.length, ...hits);
  writeDirectory(instance);
}
