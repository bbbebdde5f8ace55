/**
 * Read buffers that live in WebAssembly memory, so the JSON Lines scanner can run its byte loops
 * as WebAssembly SIMD (assembly/jsonScan.ts) over the very bytes a read puts there: no copy.
 * Each buffer gets a memory and an instance of its own (instances are cheap; a read keeps one or
 * two buffers); the scanner finds the instance from the buffer. Where WebAssembly SIMD is not
 * available, or scanning with it is turned off, buffers are plain and the scanner runs in
 * JavaScript: both accept exactly the same lines.
 */
import { JSON_SCAN_WASM } from './jsonScanWasm';

/** The instance's exports (see assembly/jsonScan.ts). */
export interface ScanExports {
  scanTop(i: number, end: number, first: boolean): number;
  skipValue(i: number, end: number, depth: number): number;
  skipStringBody(i: number, end: number): number;
  maxDepth(): number;
}

export interface ScanInstance {
  readonly exports: ScanExports;
  /** The whole memory, for writing the wanted keys. */
  readonly bytes: Uint8Array;
  /** RESULT (a position left by scanTop). */
  readonly result: Int32Array;
  /** Which configuration of wanted keys the memory holds (the scanner that wrote it, and its version). */
  wantedBy: object | null;
  wantedVersion: number;
}

/** Layout shared with assembly/jsonScan.ts. */
const WANTED = 16;
const WANTED_LIMIT = 100; // keys
const KEY_BYTES = 2048;
const KEY_BYTES_END = 4096;
const DATA = 4096;
/** Readable bytes after a buffer's end (vector loads look up to 15 bytes past it). */
const PADDING = 64;
const PAGE = 65536;

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
  const pages = Math.ceil((DATA + size + PADDING) / PAGE);
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  } catch {
    return Buffer.allocUnsafe(size); // no room for another memory: scan in JavaScript
  }
  const instance = new WebAssembly.Instance(mod, { env: { memory } });
  const bytes = new Uint8Array(memory.buffer);
  instances.set(memory.buffer, { exports: instance.exports as unknown as ScanExports, bytes, result: new Int32Array(memory.buffer, 0, 1), wantedBy: null, wantedVersion: -1 });
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
