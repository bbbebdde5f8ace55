/**
 * Dictionary codes by the bytes of strings (open addressing over FNV-1a hashes), so a repeated
 * value is found without decoding it. A slot holds [tagged hash, code, bytes 0-3, bytes 4-7]: a
 * value of up to 8 bytes (ids, addresses, names) is compared within its slot, a quarter of a cache
 * line (JSON strings hold no zero bytes, so the zero padding tells lengths apart). The hash's low
 * bit tags values longer than 8 bytes, whose slot holds where a copy of their bytes is and its
 * length instead. Bytes are kept per slot, not per code: two byte strings can decode to one
 * string (invalid UTF-8) and so share a code, and each must go on matching its own slot. Very
 * long values are not kept.
 *
 * Once the table outgrows the caches (hundreds of thousands of user or room ids), a lookup at a
 * random slot waits for memory, and one lookup at a time between the scanner's other work waits
 * for each miss in turn. So a large table defers lookups: they are queued with their rows and
 * settled in batches, where a first pass only touches each lookup's slot (independent loads,
 * whose misses overlap) and the probes that follow find their slots cached. New values are then
 * added in row order, so codes are still given in order of first appearance. On the benchmark's
 * 4M-line file this made the distinct count of rooms by user about 7% faster; probing in slot
 * order (sorted by region of the table) as well gained nothing more.
 */
import { copyBytes } from '../query/dictionary';

/** Longest value kept in the table (longer ones are decoded every time). */
export const MAX_TABLE_BYTES = 512;
/** Slots of a table from which lookups are deferred: 128k slots are 2 MiB, beyond a core's L2. */
const DEFER_FROM_SLOTS = 1 << 17;
/** Lookups settled at once (the queue stays within L1/L2). */
const BATCH = 4096;

export class BytesToCode {
  private slots: Int32Array = emptySlots(256);
  private used = 0;
  /** Longer values' bytes (their slots say where). */
  private arena: Uint8Array = new Uint8Array(8 * 1024);
  private arenaUsed = 0;
  /** Whether lookups are deferred (the table is large); see `defer`. */
  defers = false;

  /** `deferFromSlots`: table size from which lookups are deferred (smaller in tests). */
  constructor(private readonly deferFromSlots = DEFER_FROM_SLOTS) {
    this.defers = this.slots.length >> 2 >= deferFromSlots;
  }

  /** The code of the bytes, or -1. */
  find(buf: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    if (length > 8) return this.probe(hash | 1, length, 0, 0, buf, start);
    return this.probe(hash & ~1, length, lowWord(buf, start, length), highWord(buf, start, length), buf, start);
  }

  /** The code of a value by its tagged hash and words (short values) or bytes at `from` (long ones), or -1. */
  private probe(tagged: number, length: number, w0: number, w1: number, bytes: Uint8Array, from: number): number {
    return probeSlots(this.slots, this.arena, tagged, length, w0, w1, bytes, from);
  }

  /** The table as it is (a store's part carries it to a merge: see `remapByBytes`). */
  index(): BytesIndex {
    return { slots: this.slots, arena: this.arena };
  }

  /** Maps the bytes to `code` (a value longer than MAX_TABLE_BYTES is not kept). */
  add(buf: Uint8Array, start: number, end: number, hash: number, code: number): void {
    const length = end - start;
    if (length > MAX_TABLE_BYTES) return;
    if (length > 8) this.insert(hash | 1, code, this.keepLong(buf, start, length), length);
    else this.insert(hash & ~1, code, lowWord(buf, start, length), highWord(buf, start, length));
  }

  /** Copies a long value's bytes into the arena; returns where they are. */
  private keepLong(buf: Uint8Array, start: number, length: number): number {
    if (this.arenaUsed + length > this.arena.length) this.arena = grownBytes(this.arena, this.arenaUsed, this.arenaUsed + length);
    const at = this.arenaUsed;
    copyBytes(buf, start, start + length, this.arena, at);
    this.arenaUsed += length;
    return at;
  }

  private insert(tagged: number, code: number, w0: number, w1: number): void {
    // Up to 13/16 full while lookups are immediate, 3/4 once deferred, then twice the size. The
    // fuller table is smaller: at 1M lines a reader's 50,000 user ids fit 65,536 slots (1 MiB,
    // looked up at once) instead of 131,072 (2 MiB, where lookups are deferred), and Q4 took about
    // 8% less CPU. No fuller: a value not yet in the table probes about (1 + 1/(1 - load)^2) / 2
    // slots, 14 at 13/16 but 32 at 7/8.
    const slots = this.slots.length >> 2;
    if (++this.used * 16 > slots * (this.defers ? 12 : 13)) {
      const old = this.slots;
      this.slots = emptySlots(slots * 2);
      for (let at = 0; at < old.length; at += 4) if (old[at + 1] >= 0) this.place(old[at], old[at + 1], old[at + 2], old[at + 3]);
      if (slots * 2 >= this.deferFromSlots) this.defers = true;
    }
    this.place(tagged, code, w0, w1);
  }

  private place(tagged: number, code: number, w0: number, w1: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    let p = (tagged >>> 1) & mask; // the low bit is the tag
    while (slots[(p << 2) + 1] >= 0) p = (p + 1) & mask;
    const at = p << 2;
    slots[at] = tagged;
    slots[at + 1] = code;
    slots[at + 2] = w0;
    slots[at + 3] = w1;
  }

  // ---------- deferred lookups ----------

  private queue: LookupQueue | null = null;
  /** Lookups queued and not yet settled. */
  queued = 0;
  /** What the touching pass of `settle` read, kept so that the pass is not optimised away. */
  touched = 0;

  /**
   * Queues the lookup of the bytes (at most MAX_TABLE_BYTES of them) for row `row`. They are
   * copied: the caller's buffer may change before the queue is settled.
   */
  defer(buf: Uint8Array, start: number, end: number, hash: number, row: number): void {
    const length = end - start;
    const q = (this.queue ??= new LookupQueue());
    const k = this.queued++;
    q.rows[k] = row;
    q.lengths[k] = length;
    if (length > 8) {
      q.tagged[k] = hash | 1;
      q.at[k] = q.keep(buf, start, length);
      return;
    }
    q.tagged[k] = hash & ~1;
    q.w0[k] = lowWord(buf, start, length);
    q.w1[k] = highWord(buf, start, length);
  }

  /** Whether the queue is full and must be settled before the next `defer`. */
  get queueFull(): boolean {
    return this.queued === BATCH;
  }

  /**
   * Settles the queued lookups in row order: `codes[row]` gets each value's code, and a value new
   * to the table gets `codeOf(bytes, start, end)` (the caller's code for the decoded string).
   */
  settle(codes: Uint32Array, codeOf: (bytes: Uint8Array, start: number, end: number) => number): void {
    const n = this.queued, q = this.queue;
    if (n === 0 || q === null) return;
    this.queued = 0;
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    // The touching pass: its loads do not depend on each other, so their misses overlap.
    let touched = 0;
    for (let k = 0; k < n; k++) touched ^= slots[(((q.tagged[k] >>> 1) & mask) << 2) + 1];
    this.touched = touched;
    const word = q.wordBytes;
    for (let k = 0; k < n; k++) {
      const length = q.lengths[k];
      let code = this.probe(q.tagged[k], length, q.w0[k], q.w1[k], q.bytes, q.at[k]);
      if (code < 0) {
        let bytes = q.bytes, from = q.at[k];
        if (length <= 8) {
          for (let i = 0; i < 4; i++) word[i] = (q.w0[k] >>> (8 * i)) & 0xff;
          for (let i = 0; i < 4; i++) word[4 + i] = (q.w1[k] >>> (8 * i)) & 0xff;
          bytes = word;
          from = 0;
        }
        code = codeOf(bytes, from, from + length);
        if (length > 8) this.insert(q.tagged[k], code, this.keepLong(bytes, from, length), length);
        else this.insert(q.tagged[k], code, q.w0[k], q.w1[k]);
      }
      codes[q.rows[k]] = code;
    }
    q.bytesUsed = 0;
  }
}

/** A table's slots and long values' bytes, as a part of a store carries them. */
export interface BytesIndex {
  readonly slots: Int32Array;
  readonly arena: Uint8Array;
  /** How many of the store's first dictionary entries all have their bytes here (set by `StringStore.export`). */
  readonly covers?: number;
}

/** `BytesToCode.probe` over a table's arrays. */
function probeSlots(slots: Int32Array, arena: Uint8Array, tagged: number, length: number, w0: number, w1: number, bytes: Uint8Array, from: number): number {
  if (slots.length === 0) return -1; // a table whose buffer went to another thread
  const mask = (slots.length >> 2) - 1;
  for (let p = (tagged >>> 1) & mask; ; p = (p + 1) & mask) {
    const at = p << 2;
    const code = slots[at + 1];
    if (code < 0) return -1;
    if (slots[at] !== tagged) continue;
    if (length <= 8) {
      if (slots[at + 2] === w0 && slots[at + 3] === w1) return code;
    } else if (slots[at + 3] === length) {
      const start = slots[at + 2];
      let k = 0;
      while (k < length && arena[start + k] === bytes[from + k]) k++;
      if (k === length) return code;
    }
  }
}

/**
 * For each code of table `from`, the code table `into` gives the same bytes (-1 where it has
 * none), in `out` (codes beyond its length are skipped). Entries are matched by their bytes,
 * so no string is hashed or compared: two readers' dictionaries of the same ids are matched at
 * one table probe each. A code that two byte strings share (invalid UTF-8 decoding alike) may
 * be matched by either.
 */
export function remapByBytes(from: BytesIndex, into: BytesIndex, out: Int32Array): void {
  const slots = from.slots;
  for (let at = 0; at < slots.length; at += 4) {
    const code = slots[at + 1];
    if (code < 0 || code >= out.length || out[code] >= 0) continue;
    const tagged = slots[at];
    // A long value's slot holds where its bytes are in the arena and its length.
    out[code] = (tagged & 1) === 0 ? probeSlots(into.slots, into.arena, tagged, 0, slots[at + 2], slots[at + 3], from.arena, 0) : probeSlots(into.slots, into.arena, tagged, slots[at + 3], 0, 0, from.arena, slots[at + 2]);
  }
}

/** Lookups waiting to be settled, as parallel arrays (long values' bytes copied to `bytes`). */
class LookupQueue {
  readonly rows = new Int32Array(BATCH);
  readonly tagged = new Int32Array(BATCH);
  readonly lengths = new Int32Array(BATCH);
  readonly w0 = new Int32Array(BATCH);
  readonly w1 = new Int32Array(BATCH);
  readonly at = new Int32Array(BATCH);
  // Buffers, not plain arrays: new values are decoded from them (Buffer's UTF-8 decoder).
  readonly wordBytes = Buffer.alloc(8);
  bytes: Uint8Array = Buffer.allocUnsafe(64 * 1024);
  bytesUsed = 0;

  /** Copies a long value's bytes; returns where they are. */
  keep(buf: Uint8Array, start: number, length: number): number {
    if (this.bytesUsed + length > this.bytes.length) this.bytes = grownBytes(this.bytes, this.bytesUsed, this.bytesUsed + length);
    const at = this.bytesUsed;
    copyBytes(buf, start, start + length, this.bytes, at);
    this.bytesUsed += length;
    return at;
  }
}

/** The hash every table is keyed by: FNV-1a over the bytes (the scanners compute it as they read a string). */
export function fnvBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let j = start; j < end; j++) h = Math.imul(h ^ bytes[j], 0x01000193);
  return h;
}

/** n empty slots (code -1). */
function emptySlots(n: number): Int32Array {
  const slots = new Int32Array(4 * n);
  for (let at = 1; at < slots.length; at += 4) slots[at] = -1;
  return slots;
}

/** Bytes 0-3 of a value of up to 8 bytes, little-endian, zero-padded. */
function lowWord(buf: Uint8Array, start: number, length: number): number {
  let w = 0;
  for (let k = 0; k < length && k < 4; k++) w |= buf[start + k] << (8 * k);
  return w;
}

/** Bytes 4-7 of a value of up to 8 bytes, little-endian, zero-padded. */
function highWord(buf: Uint8Array, start: number, length: number): number {
  let w = 0;
  for (let k = 4; k < length; k++) w |= buf[start + k] << (8 * (k - 4));
  return w;
}

function grownBytes(bytes: Uint8Array, used: number, need: number): Uint8Array {
  const next = Buffer.allocUnsafe(Math.max(bytes.length * 2, need));
  next.set(bytes.subarray(0, used));
  return next;
}
