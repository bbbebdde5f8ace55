/**
 * Dynamic (JSON-like) values. Objects are null-prototype and read with `Object.hasOwn`, so keys such
 * as `__proto__` or `constructor` in attacker-controlled logs are plain data. JSON integers become
 * `bigint` (Kusto long; beyond 64 bits kept exact, computing as a real), other numbers `number` (real).
 */
import type { DynamicNode } from './ast';
import { DateTime, Timespan, type DynamicValue, type Value } from './values';

export type DynamicRecord = { [key: string]: DynamicValue };

export function newObject(): DynamicRecord {
  return Object.create(null) as DynamicRecord;
}

export function isDynamicArray(v: unknown): v is readonly DynamicValue[] {
  return Array.isArray(v);
}

export function isDynamicObject(v: unknown): v is { readonly [key: string]: DynamicValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof DateTime) && !(v instanceof Timespan);
}

export function getProperty(v: Value, key: string): DynamicValue {
  if (isDynamicObject(v) && Object.hasOwn(v, key)) return v[key];
  return null;
}

export function getIndex(v: Value, index: number): DynamicValue {
  if (!isDynamicArray(v)) return null;
  const i = index < 0 ? v.length + index : index;
  return i >= 0 && i < v.length ? v[i] : null;
}

/** Converts an engine value into something that can live inside a dynamic value. */
export function toDynamicValue(v: Value): DynamicValue {
  if (v instanceof DateTime) return v.toKustoString();
  if (v instanceof Timespan) return v.toString();
  return v;
}

export function dynamicFromNode(node: DynamicNode): DynamicValue {
  switch (node.type) {
    case 'null':
      return null;
    case 'bool':
    case 'real':
    case 'string':
      return node.value;
    case 'long':
      return BigInt(node.value);
    case 'datetime':
      return toDynamicValue(new DateTime(node.value));
    case 'timespan':
      return toDynamicValue(new Timespan(node.value));
    case 'array':
      return node.items.map(dynamicFromNode);
    case 'object': {
      const o = newObject();
      for (const [k, v] of node.entries) o[k] = dynamicFromNode(v);
      return o;
    }
  }
}

/** Parses JSON text; returns undefined when it is not valid JSON. Never uses `JSON.parse` revivers on prototypes. */
export function parseJson(text: string): DynamicValue | undefined {
  const p = new JsonReader(text);
  try {
    p.ws();
    const v = p.value(0);
    p.ws();
    return p.pos === text.length ? v : undefined;
  } catch {
    return undefined;
  }
}

const MAX_DEPTH = 512;
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class JsonReader {
  pos = 0;
  constructor(private readonly s: string) {}
  ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }
  value(depth: number): DynamicValue {
    if (depth > MAX_DEPTH) throw new Error('too deep');
    const s = this.s;
    const c = s[this.pos];
    if (c === '{') {
      this.pos++;
      const o = newObject();
      this.ws();
      if (s[this.pos] === '}') {
        this.pos++;
        return o;
      }
      for (;;) {
        this.ws();
        if (s[this.pos] !== '"') throw new Error('key');
        const k = this.string();
        this.ws();
        if (s[this.pos++] !== ':') throw new Error('colon');
        this.ws();
        o[k] = this.value(depth + 1);
        this.ws();
        const d = s[this.pos++];
        if (d === '}') return o;
        if (d !== ',') throw new Error('comma');
      }
    }
    if (c === '[') {
      this.pos++;
      const a: DynamicValue[] = [];
      this.ws();
      if (s[this.pos] === ']') {
        this.pos++;
        return a;
      }
      for (;;) {
        this.ws();
        a.push(this.value(depth + 1));
        this.ws();
        const d = s[this.pos++];
        if (d === ']') return a;
        if (d !== ',') throw new Error('comma');
      }
    }
    if (c === '"') return this.string();
    if (s.startsWith('true', this.pos)) {
      this.pos += 4;
      return true;
    }
    if (s.startsWith('false', this.pos)) {
      this.pos += 5;
      return false;
    }
    if (s.startsWith('null', this.pos)) {
      this.pos += 4;
      return null;
    }
    // Matched where it stands, however long (a padded number must not make the text unreadable).
    JSON_NUMBER.lastIndex = this.pos;
    const m = JSON_NUMBER.exec(s);
    if (!m) throw new Error('value');
    this.pos += m[0].length;
    // An integer keeps every digit, as one read from a source does; beyond 64 bits it computes as
    // a real, as in Kusto (see `isLong`).
    if (!m[1] && !m[2]) return BigInt(m[0]);
    return Number(m[0]);
  }
  string(): string {
    const s = this.s;
    this.pos++;
    let out = '';
    let runStart = this.pos;
    for (;;) {
      if (this.pos >= s.length) throw new Error('unterminated');
      const c = s.charCodeAt(this.pos);
      if (c === 34) {
        out += s.slice(runStart, this.pos);
        this.pos++;
        return out;
      }
      if (c === 92) {
        out += s.slice(runStart, this.pos);
        const e = s[this.pos + 1];
        const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e === 'u') {
          const hex = s.slice(this.pos + 2, this.pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error('escape');
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 6;
        } else if (e !== undefined && Object.hasOwn(map, e)) {
          out += map[e];
          this.pos += 2;
        } else throw new Error('escape');
        runStart = this.pos;
        continue;
      }
      if (c < 32) throw new Error('control');
      this.pos++;
    }
  }
}

/** Compact JSON text with every property bag's keys in ordinal order (Kusto's `dynamic_to_json`). */
export function canonicalJson(v: DynamicValue | Value): string {
  if (Array.isArray(v)) return '[' + v.map((x) => canonicalJson(x as DynamicValue)).join(',') + ']';
  if (!isDynamicObject(v)) return toJson(v);
  const keys = Object.keys(v).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(v[k])).join(',') + '}';
}

/** Compact JSON text, as Kusto prints dynamic values. */
export function toJson(v: DynamicValue | Value): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
    case 'boolean':
      return v ? 'true' : 'false';
  }
  if (v instanceof DateTime) return JSON.stringify(v.toKustoString());
  if (v instanceof Timespan) return JSON.stringify(v.toString());
  if (Array.isArray(v)) return '[' + v.map((x) => toJson(x as DynamicValue)).join(',') + ']';
  const o = v as { readonly [key: string]: DynamicValue };
  const parts: string[] = [];
  for (const k of Object.keys(o)) parts.push(JSON.stringify(k) + ':' + toJson(o[k]));
  return '{' + parts.join(',') + '}';
}
