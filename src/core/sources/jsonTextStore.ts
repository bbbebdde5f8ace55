/**
 * A column's objects and arrays kept as their JSON text rather than as values. Reading a log's
 * nested objects (`actor`, `room`) into values built a tree of objects per row that the read kept
 * alive, sent between threads and rebuilt (about 8 µs a row for one such field, most of it the
 * garbage collector's); as text they cost a dictionary entry per distinct object, coded from the
 * bytes as strings are, and a row's value is parsed when it is asked for (`DynamicColumn` of
 * storage `json`). A column holds text only while every value it met came so: a value of another
 * kind (or one parsed already) turns it into a column of values, as before.
 */
import { DynamicColumn } from '../query/structColumn';
import type { Column } from '../query/table';
import type { Value } from '../query/values';
import { fnvBytes } from './bytesToCode';
import { decodeFlat, EMPTY_BYTES, StringStore, type ColumnStore, type StorePart, type StringPart } from './columnStores';
import { jsonToValue, parseJsonExact } from './jsonValues';

/** The value of an object's or array's JSON text (validated when read), as a full read makes it. */
export function jsonTextValue(text: string): Value {
  // The text sits at depth 2 (a top-level field's value), as when the line is parsed whole.
  return jsonToValue(JSON.parse(text), 2) ?? parseJsonExact(text, 2);
}

/** An object or array still in the line's bytes (the scanner reuses one per field). */
export class RawJson {
  buf: Uint8Array = EMPTY_BYTES;
  start = 0;
  end = 0;

  set(buf: Uint8Array, start: number, end: number): this {
    this.buf = buf;
    this.start = start;
    this.end = end;
    return this;
  }

  /** The value, as the full read makes it. */
  decode(): Value {
    return jsonTextValue(decodeFlat(this.buf, this.start, this.end));
  }
}

export class JsonTextStore implements ColumnStore {
  private readonly texts = new StringStore();

  get length(): number {
    return this.texts.length;
  }
  push(raw: RawJson): void {
    this.texts.pushBytesAt(raw.buf, raw.start, raw.end, fnvBytes(raw.buf, raw.start, raw.end));
  }
  pushNull(): void {
    this.texts.pushNull();
  }
  get(i: number): Value {
    const text = this.texts.get(i);
    return text === null ? null : jsonTextValue(text as string);
  }
  reserve(rows: number): void {
    this.texts.reserve(rows);
  }
  rewind(): void {
    this.texts.rewind();
  }
  finish(): Column {
    return jsonTextColumn(this.texts.export() as StringPart);
  }
  export(): StorePart {
    return { kind: 'json', texts: this.texts.export() as StringPart };
  }
}

/** The column of a store's (or a merge's) texts. */
export function jsonTextColumn(texts: StringPart): Column {
  return new DynamicColumn({ kind: 'json', dict: texts.dict, codes: texts.codes, nulls: texts.nulls, parse: jsonTextValue, parsed: [] });
}
