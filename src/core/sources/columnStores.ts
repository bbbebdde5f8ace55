/**
 * Append-only typed storage for one column while a source is read. One class per storage kind
 * keeps every push monomorphic (a shared generic grow helper made each push cost ~100 ns);
 * `finish` hands the arrays to the table without copying more than a final trim.
 */
import { boolColumnFromArray, columnFromValues, longColumnFromArray, numberColumnFromArray, stringColumnFromCodes, type Column } from '../query/table';
import { DateTime, type Value } from '../query/values';
import { BytesToCode, fnvBytes, MAX_TABLE_BYTES, remapByBytes, type BytesIndex } from './bytesToCode';
import { addAsciiBytes, addString, allEntries, asciiString, copyDictionary, entryAt, entryBytes, indexOfEmpty, isLazy, lazyDictionary, type Dictionary } from '../query/dictionary';

const INITIAL = 1024;

function trimmedMask(nulls: Uint8Array | null, length: number): Uint8Array | undefined {
  if (!nulls) return undefined;
  const out = new Uint8Array(length);
  out.set(nulls.subarray(0, Math.min(length, nulls.length)));
  return out;
}

/**
 * A null mask long enough for `length` rows, for a part about to cross to the merging thread (or
 * read by a reader's partial step) as a view of those rows (rows beyond are never marked): a
 * running table exported after each of its ranges copies nothing. A shorter mask grows to the
 * column's capacity, so that happens once per growth of the column, not once per export.
 */
function exportedMask(nulls: Uint8Array | null, length: number, capacity: number): Uint8Array | null {
  return nulls === null ? null : grownMask(nulls, length, capacity);
}

/** The first `length` items: the array itself when it is exactly full (merges reserve exact sizes), else a copy. */
function filled<T extends BigInt64Array | Float64Array | Uint8Array | Uint32Array>(array: T, length: number): T {
  return (array.length === length ? array : array.slice(0, length)) as T;
}

/**
 * The first `length` items as a view, for a part about to cross to the merging thread: its buffer
 * is transferred rather than copied. A reader also exports its running table after each range
 * and reads on: the views stay true, as the store only writes past `length` (or into a new array
 * when it grows), until it is rewound (then its rows are written over from the first).
 */
function exported<T extends BigInt64Array | Float64Array | Uint8Array | Uint32Array>(array: T, length: number): T {
  return array.subarray(0, length) as T;
}

/** `array` with room for `rows` items: itself, or a copy of its first `used` items in one at least twice as long. */
export function withRoom<T extends BigInt64Array | Float64Array | Uint8Array | Uint32Array>(array: T, used: number, rows: number): T {
  if (rows <= array.length) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(rows, array.length * 2));
  next.set(array.subarray(0, used) as never);
  return next;
}

function grownMask(nulls: Uint8Array | null, need: number, capacity: number): Uint8Array {
  if (nulls && nulls.length >= need) return nulls;
  const next = new Uint8Array(Math.max(capacity, need));
  if (nulls) next.set(nulls);
  return next;
}

export interface ColumnStore {
  readonly length: number;
  pushNull(): void;
  get(i: number): Value;
  finish(): Column;
  /** The stored rows as plain data that can cross a worker boundary (typed arrays are transferable). */
  export(): StorePart;
  /**
   * Room for `rows` rows in all, allocated now. Pages of memory are paid for when first written,
   * so a store sized once to its final size costs half what doubling to it does.
   */
  reserve(rows: number): void;
  /**
   * Drops every row and keeps the storage (and a dictionary) for the rows that follow: a reader
   * that has aggregated a range needs its rows no longer, and memory already written is far
   * cheaper to write again than fresh pages.
   */
  rewind(): void;
}

/** Unmarks the first `length` rows of a null mask, for rows written over after a rewind. */
function clearMask(nulls: Uint8Array | null, length: number): void {
  nulls?.fill(0, 0, Math.min(length, nulls.length));
}

/** A column's storage in transferable form. */
export type StorePart =
  /** `bytes`: the store's table of codes by bytes, which lets a merge match dictionaries without their strings. */
  | { readonly kind: 'string'; readonly dict: Dictionary; readonly codes: Uint32Array; readonly nulls: Uint8Array | null; readonly bytes?: BytesIndex | null }
  | { readonly kind: 'long'; readonly values: BigInt64Array; readonly nulls: Uint8Array | null }
  | { readonly kind: 'real' | 'datetime'; readonly values: Float64Array; readonly nulls: Uint8Array | null }
  | { readonly kind: 'bool'; readonly values: Uint8Array }
  | { readonly kind: 'dynamic'; readonly values: Value[] }
  /** Objects and arrays as their JSON text (see jsonTextStore.ts). */
  | { readonly kind: 'json'; readonly texts: StringPart }
  | { readonly kind: 'null'; readonly length: number };

export type StringPart = Extract<StorePart, { kind: 'string' }>;

export function partLength(part: StorePart): number {
  switch (part.kind) {
    case 'string':
      return part.codes.length;
    case 'json':
      return part.texts.codes.length;
    case 'null':
      return part.length;
    default:
      return part.values.length;
  }
}

export class LongStore implements ColumnStore {
  private values = new BigInt64Array(INITIAL);
  private nulls: Uint8Array | null = null;
  length = 0;
  push(v: bigint): void {
    if (this.length === this.values.length) {
      const next = new BigInt64Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length++] = v;
  }
  pushNull(): void {
    this.nulls = grownMask(this.nulls, this.length + 1, this.values.length);
    this.nulls[this.length] = 1;
    this.push(0n);
  }
  get(i: number): Value {
    return this.nulls !== null && this.nulls[i] === 1 ? null : this.values[i];
  }
  finish(): Column {
    return longColumnFromArray(filled(this.values, this.length), trimmedMask(this.nulls, this.length));
  }
  export(): StorePart {
    this.nulls = exportedMask(this.nulls, this.length, this.values.length);
    return { kind: 'long', values: exported(this.values, this.length), nulls: this.nulls?.subarray(0, this.length) ?? null };
  }
  /** Room for `rows` rows in all (a merge knows its total: one allocation, and no copy when finished). */
  reserve(rows: number): void {
    this.values = withRoom(this.values, this.length, rows);
  }
  rewind(): void {
    clearMask(this.nulls, this.length);
    this.length = 0;
  }
  /** Appends rows of another long part in one copy. */
  appendPart(values: BigInt64Array, nulls: Uint8Array | null): void {
    const need = this.length + values.length;
    this.reserve(need);
    if (nulls) {
      this.nulls = grownMask(this.nulls, need, this.values.length);
      this.nulls.set(nulls, this.length);
    }
    this.values.set(values, this.length);
    this.length = need;
  }
}

/** real, or datetime as microseconds. */
export class NumberStore implements ColumnStore {
  private values = new Float64Array(INITIAL);
  private nulls: Uint8Array | null = null;
  length = 0;
  constructor(readonly type: 'real' | 'datetime') {}
  push(v: number): void {
    if (this.length === this.values.length) {
      const next = new Float64Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length++] = v;
  }
  /** push(from[index]), without the number passing through a call (where it may be boxed). */
  pushFrom(from: Float64Array, index = 0): void {
    if (this.length === this.values.length) {
      const next = new Float64Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length++] = from[index];
  }
  pushNull(): void {
    this.nulls = grownMask(this.nulls, this.length + 1, this.values.length);
    this.nulls[this.length] = 1;
    this.push(0);
  }
  get(i: number): Value {
    if (this.nulls !== null && this.nulls[i] === 1) return null;
    return this.type === 'datetime' ? new DateTime(this.values[i]) : this.values[i];
  }
  finish(): Column {
    return numberColumnFromArray(this.type, filled(this.values, this.length), trimmedMask(this.nulls, this.length));
  }
  export(): StorePart {
    this.nulls = exportedMask(this.nulls, this.length, this.values.length);
    return { kind: this.type, values: exported(this.values, this.length), nulls: this.nulls?.subarray(0, this.length) ?? null };
  }
  /** Room for `rows` rows in all (a merge knows its total: one allocation, and no copy when finished). */
  reserve(rows: number): void {
    this.values = withRoom(this.values, this.length, rows);
  }
  rewind(): void {
    clearMask(this.nulls, this.length);
    this.length = 0;
  }
  /** Appends rows of another part of the same type in one copy. */
  appendPart(values: Float64Array, nulls: Uint8Array | null): void {
    const need = this.length + values.length;
    this.reserve(need);
    if (nulls) {
      this.nulls = grownMask(this.nulls, need, this.values.length);
      this.nulls.set(nulls, this.length);
    }
    this.values.set(values, this.length);
    this.length = need;
  }
}

const BOOL_NULL = 2;

export class BoolStore implements ColumnStore {
  private values = new Uint8Array(INITIAL);
  length = 0;
  push(v: boolean): void {
    this.pushByte(v ? 1 : 0);
  }
  pushNull(): void {
    this.pushByte(BOOL_NULL);
  }
  private pushByte(b: number): void {
    if (this.length === this.values.length) {
      const next = new Uint8Array(this.values.length * 2);
      next.set(this.values);
      this.values = next;
    }
    this.values[this.length++] = b;
  }
  get(i: number): Value {
    const b = this.values[i];
    return b === BOOL_NULL ? null : b === 1;
  }
  finish(): Column {
    return boolColumnFromArray(filled(this.values, this.length));
  }
  export(): StorePart {
    return { kind: 'bool', values: exported(this.values, this.length) };
  }
  /** Room for `rows` rows in all (a merge knows its total: one allocation, and no copy when finished). */
  reserve(rows: number): void {
    this.values = withRoom(this.values, this.length, rows);
  }
  rewind(): void {
    this.length = 0;
  }
  appendPart(values: Uint8Array): void {
    this.reserve(this.length + values.length);
    this.values.set(values, this.length);
    this.length += values.length;
  }
}

/**
 * Dictionary-encoded strings; null is stored as "" (strings are never null). Deduplication starts
 * with a Map (native hashing, cheap for few distinct values even when they are long) and moves to
 * an open-addressing table of FNV-1a hashes once a column has many distinct values: for hundreds
 * of thousands of them (request ids, addresses) that measured 2.5-4x faster than the Map here.
 */
/**
 * A string value still in the bytes of the line being read: where it is and the FNV-1a hash of
 * its bytes. Readers reuse one instance per field; it is only valid while its row is added.
 */
export class RawString {
  buf: Uint8Array = EMPTY_BYTES;
  start = 0;
  end = 0;
  hash = 0;

  /** A flat string for the bytes (UTF-8, no escapes). */
  decode(): string {
    return decodeFlat(this.buf, this.start, this.end);
  }
}

/** No bytes (a Buffer, as every buffer `decodeFlat` reads must be). */
export const EMPTY_BYTES: Uint8Array = Buffer.alloc(0);
/** FNV-1a of no bytes. */
const EMPTY_HASH = fnvBytes(EMPTY_BYTES, 0, 0);

/**
 * A flat string for bytes, never a slice of a larger string. ASCII runs are read as Latin-1, the
 * same characters, by a decoder that copies the bytes as they are: for the short values of a
 * log's fields (ids, addresses) it is several times faster than building the string a character
 * at a time, and than UTF-8 decoding. Up to 8 ASCII bytes (user and room ids) are one call of
 * `String.fromCharCode` instead (`asciiString`). `buf` must be a Buffer (its decoders are used).
 */
export function decodeFlat(buf: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length <= 64 && isAscii(buf, start, end)) return length <= 8 ? asciiString(buf, start, end) : (Buffer.prototype.toString.call(buf, 'latin1', start, end) as string);
  const s = Buffer.prototype.toString.call(buf, 'utf8', start, end) as string;
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export class StringStore implements ColumnStore {
  private static readonly MAP_LIMIT = 4096;
  private codes = new Uint32Array(INITIAL);
  /** Lazy (entries kept as bytes) until a string comes otherwise than as ASCII bytes. */
  private dict: Dictionary = lazyDictionary();
  private map: Map<string, number> | null = new Map();
  private hashes = new Uint32Array(0);
  private slots = new Int32Array(0);
  private mask = 0;
  /** Rows that were null: stored as "" in the column, but null again if the column widens to dynamic. */
  private nulls: Uint8Array | null = null;
  length = 0;

  /**
   * `copyNew`: store a flat copy of each new distinct string. Needed when values are slices of a
   * larger decoded chunk: V8 keeps the whole chunk alive for as long as a slice of it is stored.
   */
  constructor(
    private readonly copyNew = false,
    /** Table size from which lookups by bytes are deferred (tests make it small). */
    private readonly deferFromSlots?: number,
  ) {}

  push(s: string): void {
    this.pushCode(this.intern(s));
  }

  /** The code of a string, adding it to the dictionary if new (without adding a row). */
  intern(s: string): number {
    this.settleQueued();
    this.fromStrings = true;
    return this.indexedCode(s);
  }

  /**
   * Whether a string ever came other than as bytes (push, intern, a merge). Until then, ASCII bytes
   * new to the bytes table are a new string for sure, and skip the string index: values that are
   * all read from bytes (the usual case, and hundreds of thousands of ids) never pay for it.
   */
  private fromStrings = false;
  /** Dictionary entries from this one on are not in the string index yet. */
  private indexed = 0;

  /** The code of a string by the string index (brought up to date first). */
  private indexedCode(s: string): number {
    if (this.indexed < this.dict.size) this.indexRest();
    const code = this.map !== null ? this.codeFromMap(s) : this.codeFromTable(s);
    this.indexed = this.dict.size;
    return code;
  }

  /** Adds the dictionary entries not in the string index to it. */
  private indexRest(): void {
    const dict = allEntries(this.dict);
    if (this.map !== null && dict.length <= StringStore.MAP_LIMIT) {
      for (let code = this.indexed; code < dict.length; code++) this.map.set(dict[code], code);
    } else if (this.map !== null) {
      this.switchToTable();
    } else {
      if (dict.length > this.hashes.length) {
        const next = new Uint32Array(Math.max(dict.length, this.hashes.length * 2));
        next.set(this.hashes);
        this.hashes = next;
      }
      for (let code = this.indexed; code < dict.length; code++) this.hashes[code] = hashString(dict[code]);
      if (dict.length * 2 > this.slots.length) this.rehash();
      else for (let code = this.indexed; code < dict.length; code++) this.placeCode(this.slots, this.mask, code);
    }
    this.indexed = dict.length;
  }

  private byBytes: BytesToCode | null = null;

  /**
   * Adds a row holding the string in raw's bytes: a known value costs a hash probe and a compare.
   * With many distinct values the probe is deferred (see BytesToCode), and the row's code is
   * written when the queue is settled, before anything reads the store.
   */
  pushBytes(raw: RawString): void {
    this.pushBytesAt(raw.buf, raw.start, raw.end, raw.hash);
  }

  /** pushBytes of bytes not held in a RawString (`hash`: their FNV-1a, `fnvBytes`). */
  pushBytesAt(buf: Uint8Array, start: number, end: number, hash: number): void {
    const table = (this.byBytes ??= new BytesToCode(this.deferFromSlots));
    const kept = end - start <= MAX_TABLE_BYTES;
    if (!kept) this.unkept = true;
    if (table.defers && kept) {
      table.defer(buf, start, end, hash, this.length);
      this.pushCode(0); // the code comes with the settling
      if (table.queueFull) this.settle();
      return;
    }
    // A value too long for the table comes after any queued ones: they are settled first.
    this.settleQueued();
    let code = kept ? table.find(buf, start, end, hash) : -1;
    if (code < 0) {
      code = this.codeOfBytes(buf, start, end);
      table.add(buf, start, end, hash, code);
    }
    this.pushCode(code);
  }

  /** Writes the codes of deferred rows. */
  private settle(): void {
    this.byBytes?.settle(this.codes, this.codeOfBytes);
  }

  /** Settles first if lookups are queued (the check every read of the store starts with). */
  private settleQueued(): void {
    if (this.byBytes !== null && this.byBytes.queued !== 0) this.settle();
  }

  /** The code of a string given as bytes that the bytes table does not know. */
  private readonly codeOfBytes = (bytes: Uint8Array, start: number, end: number): number => {
    // Distinct ASCII bytes are distinct strings (kept as bytes: see Dictionary); other bytes may
    // decode alike (invalid UTF-8). Values too long for the bytes table come here every time, so
    // they need the string index.
    if (!this.fromStrings && end - start <= MAX_TABLE_BYTES && isAscii(bytes, start, end)) return addAsciiBytes(this.dict, bytes, start, end);
    return this.indexedCode(decodeFlat(bytes, start, end));
  };

  /** The table by bytes of the dictionary this store took whole as its first (see `remapped`), and its size then. */
  private taken: { readonly bytes: BytesIndex; readonly size: number } | null = null;
  /** Entries added after the dictionary taken whole, while all were added through `newAfterTaken`. */
  private addedAfterTaken = 0;
  /** Those entries by their bytes, while both dictionaries are lazy, else by their strings (see `newAfterTaken`). */
  private addedBytes: BytesToCode | null = null;
  private addedStrings: Map<string, number> | null = null;
  /** Whether a value too long for the bytes table was coded (it is in the dictionary, not the table). */
  private unkept = false;

  /** Codes in this store for the codes of dictionaries appended before (see appendPart). */
  private remaps: WeakMap<Dictionary, DictionaryRemap> | null = null;

  /**
   * Appends a part's rows (another store's dictionary, codes and nulls) in bulk. The first part's
   * dictionary usually becomes this one's prefix, and then its codes are copied as they are.
   */
  appendPart(dict: Dictionary, codes: Uint32Array, nulls: Uint8Array | null, bytes?: BytesIndex | null): void {
    // Parts cut from one table share its dictionary: it is remapped once.
    const remaps = (this.remaps ??= new WeakMap());
    let known = remaps.get(dict);
    if (known === undefined || known.size !== dict.size) remaps.set(dict, (known = this.remapped(dict, known, bytes ?? null)));
    const { codes: remap, identity } = known;
    const from = this.length, need = from + codes.length;
    this.reserve(need);
    if (identity) this.codes.set(codes, from);
    else remapCodes(codes, remap, this.codes, from);
    if (nulls) {
      this.nulls = grownMask(this.nulls, need, this.codes.length);
      this.nulls.set(nulls.subarray(0, codes.length), from);
    }
    this.length = need;
  }

  /**
   * Codes in this store for a dictionary's entries, extending the remap of its first entries
   * (`before`: the dictionary of a running table may have grown since).
   */
  private remapped(dict: Dictionary, before: DictionaryRemap | undefined, bytes: BytesIndex | null): DictionaryRemap {
    this.settleQueued();
    this.fromStrings = true;
    const from = before?.size ?? 0;
    const codes = new Uint32Array(dict.size);
    if (before) codes.set(before.codes);
    const identity = before?.identity ?? true;
    if (identity && this.dict.size === from) {
      this.takeRest(dict, from, bytes);
      for (let c = from; c < dict.size; c++) codes[c] = c;
      return { codes, identity, size: dict.size };
    }
    const kept = this.lookUpRest(dict, from, before === undefined ? bytes : null, codes);
    return { codes, identity: identity && kept, size: dict.size };
  }

  /**
   * Extends this store's dictionary, which is `dict`'s first `from` entries (usually none: the
   * first part, into an empty store), with the rest of `dict` as it is: a store's dictionary
   * holds each string once. Looking each entry up would cost a hash of every string (about 25 ms
   * for 50,000 ids).
   */
  private takeRest(dict: Dictionary, from: number, bytes: BytesIndex | null): void {
    // Into an empty store, one copy of the dictionary (200,000 strings: about 10 ms, pushed one by
    // one about 40 ms); its own, as the part's may go on growing.
    if (from === 0 && !this.copyNew) this.dict = copyDictionary(dict);
    else for (let c = from; c < dict.size; c++) this.addEntryOf(dict, c);
    if (from === 0) this.taken = bytes && { bytes, size: dict.size };
  }

  /**
   * Sets `codes[c]` for `dict`'s entries from `from` on, looked up; returns whether each kept its
   * code. Entries whose bytes the dictionary taken whole has are its codes (same bytes, same
   * string), matched through the two tables by bytes; the others are looked up by their strings.
   */
  private lookUpRest(dict: Dictionary, from: number, bytes: BytesIndex | null, codes: Uint32Array): boolean {
    const byBytes = bytes !== null && this.taken ? new Int32Array(dict.size).fill(-1) : null;
    if (byBytes) remapByBytes(bytes!, this.taken!.bytes, byBytes);
    const known = this.taken?.size ?? 0;
    // An ASCII string whose bytes the taken table lacks is none of its entries, when that table
    // has the bytes of all of them and this part's table has the string's own (ASCII bytes
    // decode to no other string; a string pushed as text, such as one with JSON escapes, has no
    // bytes there): so entries the first reader never saw need no string index of the whole
    // dictionary (200,000 ids: about 35 ms).
    const covered = byBytes !== null && (this.taken!.bytes.covers ?? 0) >= known;
    const withBytes = bytes?.covers ?? 0;
    let kept = true;
    for (let c = from; c < dict.size; c++) {
      const matched = byBytes !== null ? byBytes[c] : -1;
      let code: number;
      if (matched >= 0 && matched < known) code = matched;
      else if (covered && c < withBytes && (isLazy(dict) || isAsciiString(dict.strings[c])) && this.dict.size === known + this.addedAfterTaken) code = this.newAfterTaken(dict, c);
      else code = this.indexedCode(entryAt(dict, c));
      codes[c] = code;
      if (code !== c) kept = false;
    }
    return kept;
  }

  /**
   * The code of entry `c` of a part's dictionary, an ASCII string that is none of the taken
   * dictionary's entries (see `remapped`). Entries added so are found again by their bytes while
   * both dictionaries are lazy (no string is made), else by their strings.
   */
  private newAfterTaken(part: Dictionary, c: number): number {
    const [start, end] = isLazy(part) ? entryBytes(part, c) : [0, 0];
    // (A lazy dictionary's entries are at most MAX_TABLE_BYTES long, all of which the table keeps.)
    if (isLazy(this.dict) && isLazy(part) && this.addedStrings === null && end - start <= MAX_TABLE_BYTES) {
      const bytes = part.bytes!, hash = fnvBytes(bytes, start, end);
      const code = this.addedBytes?.find(bytes, start, end, hash) ?? -1;
      return code >= 0 ? code : this.addBytesEntry(bytes, start, end, hash);
    }
    const s = entryAt(part, c);
    const added = this.stringsAddedAfterTaken();
    let code = added.get(s);
    if (code === undefined) {
      code = addString(this.dict, this.copyNew ? flatCopy(s) : s);
      added.set(s, code);
      this.addedAfterTaken++;
    }
    return code;
  }

  /** The entries added after the taken dictionary, by their strings (the dictionary becomes whole). */
  private stringsAddedAfterTaken(): Map<string, number> {
    if (this.addedStrings === null) {
      const strings = allEntries(this.dict), from = this.taken!.size; // every entry since was added here
      this.addedStrings = new Map();
      for (let code = from; code < strings.length; code++) this.addedStrings.set(strings[code], code);
      this.addedBytes = null;
    }
    return this.addedStrings;
  }

  /**
   * Adds ASCII bytes (at most MAX_TABLE_BYTES) to the end of this store's lazy dictionary; returns
   * their code. While every entry after the taken dictionary's was added so, it is kept by its
   * bytes for `newAfterTaken` to find.
   */
  private addBytesEntry(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const afterTaken = this.taken !== null && this.addedStrings === null && this.dict.size === this.taken.size + this.addedAfterTaken;
    const code = addAsciiBytes(this.dict, bytes, start, end);
    if (afterTaken) {
      (this.addedBytes ??= new BytesToCode()).add(bytes, start, end, hash, code);
      this.addedAfterTaken++;
    }
    return code;
  }

  /** Adds entry `c` of another dictionary to this one's end (as bytes while both are lazy); returns its code. */
  private addEntryOf(part: Dictionary, c: number): number {
    if (isLazy(this.dict) && isLazy(part)) {
      const [start, end] = entryBytes(part, c);
      return addAsciiBytes(this.dict, part.bytes!, start, end);
    }
    const s = entryAt(part, c);
    return addString(this.dict, this.copyNew ? flatCopy(s) : s);
  }

  /** Appends n null rows. */
  appendNulls(n: number): void {
    if (n === 0) return;
    const code = this.codeOfEmpty();
    const from = this.length, need = from + n;
    this.reserve(need);
    this.codes.fill(code, from, need);
    this.nulls = grownMask(this.nulls, need, this.codes.length);
    this.nulls.fill(1, from, need);
    this.length = need;
  }

  /** The code of "" (known once found: codes never change). */
  private emptyCode = -1;

  /** The code of "", added if missing: as bytes to a lazy dictionary, which stays lazy. */
  private codeOfEmpty(): number {
    if (!isLazy(this.dict)) return this.intern('');
    this.settleQueued();
    this.fromStrings = true; // as intern: "" read from bytes later must find this entry
    if (this.emptyCode < 0) {
      const at = indexOfEmpty(this.dict);
      this.emptyCode = at >= 0 ? at : this.addBytesEntry(EMPTY_BYTES, 0, 0, EMPTY_HASH);
    }
    return this.emptyCode;
  }

  /** Room for `rows` rows in all (a merge knows its total: one allocation, and no copy when finished). */
  reserve(rows: number): void {
    this.codes = withRoom(this.codes, this.length, rows);
  }

  rewind(): void {
    this.settle(); // queued lookups write the codes of rows being dropped
    clearMask(this.nulls, this.length);
    this.length = 0;
  }

  /** Adds a row holding an already interned string. */
  pushCode(code: number): void {
    if (this.length === this.codes.length) {
      const next = new Uint32Array(this.codes.length * 2);
      next.set(this.codes);
      this.codes = next;
    }
    this.codes[this.length++] = code;
  }

  private codeFromMap(s: string): number {
    const map = this.map!;
    let code = map.get(s);
    if (code === undefined) {
      if (this.copyNew) s = flatCopy(s);
      code = addString(this.dict, s);
      map.set(s, code);
      if (code >= StringStore.MAP_LIMIT) this.switchToTable();
    }
    return code;
  }

  private switchToTable(): void {
    this.map = null;
    const strings = allEntries(this.dict);
    this.hashes = new Uint32Array(strings.length * 2);
    for (let code = 0; code < strings.length; code++) this.hashes[code] = hashString(strings[code]);
    this.slots = new Int32Array(1);
    this.rehash();
  }

  private codeFromTable(s: string): number {
    const h = hashString(s);
    const { slots, mask, hashes } = this, dict = allEntries(this.dict);
    let p = h & mask;
    for (;;) {
      const code = slots[p];
      if (code === -1) break;
      if (hashes[code] === h && dict[code] === s) return code;
      p = (p + 1) & mask;
    }
    const code = addString(this.dict, this.copyNew ? flatCopy(s) : s);
    if (code === hashes.length) {
      const next = new Uint32Array(hashes.length * 2);
      next.set(hashes);
      this.hashes = next;
    }
    this.hashes[code] = h;
    slots[p] = code;
    if (this.dict.size * 2 > slots.length) this.rehash();
    return code;
  }

  /** Rebuilds the slot table at (at least) four times the number of distinct values. */
  private rehash(): void {
    let size = this.slots.length;
    while (size < this.dict.size * 4) size *= 2;
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let code = 0; code < this.dict.size; code++) this.placeCode(slots, mask, code);
    this.slots = slots;
    this.mask = mask;
  }

  /** Puts `code` in the first free slot from its hash's. */
  private placeCode(slots: Int32Array, mask: number, code: number): void {
    let p = this.hashes[code] & mask;
    while (slots[p] !== -1) p = (p + 1) & mask;
    slots[p] = code;
  }

  pushNull(): void {
    this.nulls = grownMask(this.nulls, this.length + 1, this.codes.length);
    this.nulls[this.length] = 1;
    // "" as bytes, like the values around it (a string would end a batch of deferred lookups).
    this.pushBytesAt(EMPTY_BYTES, 0, 0, EMPTY_HASH);
  }
  /** The row's string, or null for a null row (the finished column shows it as ""). */
  get(i: number): Value {
    this.settleQueued();
    return this.nulls !== null && this.nulls[i] === 1 ? null : entryAt(this.dict, this.codes[i]);
  }
  /** Distinct values, in order of first appearance (all made into strings). */
  get dictionary(): readonly string[] {
    this.settleQueued();
    return allEntries(this.dict);
  }
  code(i: number): number {
    this.settleQueued();
    return this.codes[i];
  }
  finish(): Column {
    this.settle();
    return stringColumnFromCodes(this.dict, filled(this.codes, this.length));
  }
  export(): StorePart {
    this.settle();
    this.nulls = exportedMask(this.nulls, this.length, this.codes.length);
    // Every entry came from bytes the table kept (none pushed as a string, none too long): a
    // merge may then take bytes the table lacks for a string the dictionary lacks.
    const covers = this.fromStrings || this.unkept ? 0 : this.dict.size;
    return { kind: 'string', dict: this.dict, codes: exported(this.codes, this.length), nulls: this.nulls?.subarray(0, this.length) ?? null, bytes: this.byBytes ? { ...this.byBytes.index(), covers } : null };
  }
}

/** A part's dictionary codes in a store that appends parts: `codes[c]` for entry c, for its first `size` entries. */
interface DictionaryRemap {
  readonly codes: Uint32Array;
  /** Whether every entry keeps its code (the part's codes are copied as they are). */
  readonly identity: boolean;
  readonly size: number;
}

/** A copy that shares no storage with `s` (concatenation then slicing forces a new flat string). */
function flatCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function isAsciiString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] >= 0x80) return false;
  return true;
}

/** FNV-1a over UTF-16 code units. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Any values (dynamic columns). */
export class ValueStore implements ColumnStore {
  private values: Value[] = [];
  reserve(): void {} // an array of values grows on its own
  rewind(): void {
    // A new array: parts exported before hold this one.
    this.values = [];
  }
  get length(): number {
    return this.values.length;
  }
  push(v: Value): void {
    this.values.push(v);
  }
  pushNull(): void {
    this.values.push(null);
  }
  get(i: number): Value {
    return this.values[i];
  }
  finish(): Column {
    return columnFromValues('dynamic', this.values);
  }
  export(): StorePart {
    return { kind: 'dynamic', values: this.values };
  }
}

/**
 * Writes `remap[code]` for each of `codes` into `into` from `at` on. A function of its own so that
 * the loop's optimized code does not deoptimize on the lines after it in `appendPart`, which have
 * no type feedback yet when the loop is optimized while it runs.
 */
function remapCodes(codes: Uint32Array, remap: Uint32Array, into: Uint32Array, at: number): void {
  for (let r = 0; r < codes.length; r++) into[at + r] = remap[codes[r]];
}
