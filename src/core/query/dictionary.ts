/**
 * The distinct strings of a dictionary-encoded column, by code. Values read from a file as ASCII
 * bytes are kept as those bytes and made into strings only when read: a query over ids rarely
 * reads more than a few of them (a distinct count of 280,000 room ids per reader reads none), and
 * making a string for each new value as it is met was a seventh of such a read. Such a dictionary
 * is "lazy"; it becomes "whole" (every entry a string) the first time anything needs all its
 * strings, adds a string that did not come as ASCII bytes, or has read as many entries one by one
 * as it holds (a query reading a string per row would otherwise make one per row), and stays whole.
 *
 * Plain data with free functions, not a class: dictionaries cross worker threads inside a
 * column's parts, and structured cloning keeps fields but not prototypes. Entries are distinct
 * (the columns' codes rely on it); adding is the owner's job (a column store), which checks first.
 */
export interface Dictionary {
  /** How many entries. */
  size: number;
  /** The entries as strings, all `size` of them, while whole; unused while lazy. */
  strings: string[];
  /** While lazy: entry c is the ASCII bytes [ends[c - 1], ends[c]) (from 0 for the first); null once whole. */
  bytes: Uint8Array | null;
  ends: Uint32Array | null;
  /** While lazy: entries read one by one so far. */
  lazyReads: number;
}

/** A whole dictionary over `strings` (taken as they are: distinct, and not changed afterwards by the caller). */
export function dictionaryOf(strings: string[]): Dictionary {
  return { size: strings.length, strings, bytes: null, ends: null, lazyReads: 0 };
}

/** An empty dictionary that keeps ASCII bytes as they come (see `addAsciiBytes`). */
export function lazyDictionary(): Dictionary {
  return { size: 0, strings: [], bytes: new Uint8Array(4096), ends: new Uint32Array(512), lazyReads: 0 };
}

/** Whether entries are still kept as bytes. */
export function isLazy(d: Dictionary): boolean {
  return d.bytes !== null;
}

/** Entry `code` as a string. */
export function entryAt(d: Dictionary, code: number): string {
  if (d.bytes === null) return d.strings[code];
  return ++d.lazyReads > d.size ? allEntries(d)[code] : lazyEntry(d, code);
}

/** Entry `code` of a lazy dictionary, made anew. */
function lazyEntry(d: Dictionary, code: number): string {
  const ends = d.ends!;
  return asciiString(d.bytes!, code === 0 ? 0 : ends[code - 1], ends[code]);
}

/** Every entry as a string: a lazy dictionary becomes whole. */
export function allEntries(d: Dictionary): string[] {
  if (d.bytes !== null) {
    const strings = new Array<string>(d.size);
    for (let c = 0; c < d.size; c++) strings[c] = lazyEntry(d, c);
    d.strings = strings;
    d.bytes = null;
    d.ends = null;
  }
  return d.strings;
}

/** Adds an entry that is a string (a lazy dictionary becomes whole first); returns its code. */
export function addString(d: Dictionary, s: string): number {
  allEntries(d).push(s);
  return d.size++;
}

/**
 * Adds the entry of ASCII bytes buf[start, end); returns its code. A lazy dictionary keeps the
 * bytes; a whole one adds their string.
 */
export function addAsciiBytes(d: Dictionary, buf: Uint8Array, start: number, end: number): number {
  if (d.bytes === null) return addString(d, asciiString(buf, start, end));
  const code = d.size, from = code === 0 ? 0 : d.ends![code - 1], to = from + end - start;
  if (to > d.bytes.length) d.bytes = grown(d.bytes, from, to);
  if (code === d.ends!.length) d.ends = grown(d.ends!, code, code + 1);
  copyBytes(buf, start, end, d.bytes, from);
  d.ends![code] = to;
  return d.size++;
}

/**
 * Copies source[start, end) into target at `at`. Values of a few bytes (ids) byte by byte: a
 * subarray of a Buffer to copy from costs about 200 ns, which a read of a million distinct ids
 * paid once per value in each table it keeps the bytes in.
 */
export function copyBytes(source: Uint8Array, start: number, end: number, target: Uint8Array, at: number): void {
  if (end - start <= SHORT_COPY_BYTES) for (let k = start; k < end; k++) target[at++] = source[k];
  else target.set(source.subarray(start, end), at);
}

const SHORT_COPY_BYTES = 32;

/** The bytes of a lazy dictionary's entry `code`, as [start, end) of `d.bytes`. */
export function entryBytes(d: Dictionary, code: number): readonly [start: number, end: number] {
  const ends = d.ends!;
  return [code === 0 ? 0 : ends[code - 1], ends[code]];
}

/** A copy of the first `size` entries, lazy if `d` is, that the copy's owner may add to. */
export function copyDictionary(d: Dictionary, size = d.size): Dictionary {
  if (d.bytes === null) return dictionaryOf(d.strings.slice(0, size));
  const ends = d.ends!.slice(0, Math.max(size, 512));
  const used = size === 0 ? 0 : ends[size - 1];
  const bytes = new Uint8Array(Math.max(used * 2, 4096));
  bytes.set(d.bytes.subarray(0, used));
  return { size, strings: [], bytes, ends, lazyReads: 0 };
}

/** The code of the empty string, or -1. */
export function indexOfEmpty(d: Dictionary): number {
  if (d.bytes === null) return d.strings.indexOf('');
  const ends = d.ends!;
  for (let c = 0, from = 0; c < d.size; from = ends[c++]) if (ends[c] === from) return c;
  return -1;
}

/**
 * Rough heap size of the entries as strings, two bytes per character and 32 per string: what a
 * lazy dictionary costs once whole (a cached table's may become so after it is counted).
 */
export function dictionaryBytes(d: Dictionary): number {
  if (d.bytes !== null) return 32 * d.size + 2 * (d.size === 0 ? 0 : d.ends![d.size - 1]);
  let total = 0;
  for (let c = 0; c < d.size; c++) total += 32 + 2 * d.strings[c].length;
  return total;
}

/**
 * The string of ASCII bytes: up to 8 (user and room ids) are one call of `String.fromCharCode`,
 * about 20 ns where a decoder's call into C++ costs about 90; longer ones through one array.
 */
export function asciiString(b: Uint8Array, at: number, end: number): string {
  switch (end - at) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(b[at]);
    case 2:
      return String.fromCharCode(b[at], b[at + 1]);
    case 3:
      return String.fromCharCode(b[at], b[at + 1], b[at + 2]);
    case 4:
      return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
    case 5:
      return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4]);
    case 6:
      return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4], b[at + 5]);
    case 7:
      return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4], b[at + 5], b[at + 6]);
    case 8:
      return String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3], b[at + 4], b[at + 5], b[at + 6], b[at + 7]);
    default:
      return String.fromCharCode.apply(null, b.subarray(at, end) as unknown as number[]);
  }
}

function grown<T extends Uint8Array | Uint32Array>(array: T, used: number, need: number): T {
  const next = new (array.constructor as new (length: number) => T)(Math.max(array.length * 2, need));
  next.set(array.subarray(0, used) as never);
  return next;
}
