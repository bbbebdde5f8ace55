/**
 * Tokenizer. It runs on demand (the parser asks for one token at a time) because some constructs,
 * like `datetime(2024-01-01 10:00)`, hold raw text that is not made of tokens.
 */
import { syntaxError } from './errors';
import { TIMESPAN_UNITS } from './time';
import { timespanMicrosOrNull } from './values';

export type TokenKind = 'ident' | 'long' | 'real' | 'timespan' | 'string' | 'punct' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifier name, punctuation text, or the decoded string value. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Numeric payload: the number for `real`, microseconds for `timespan`. */
  readonly number?: number;
  /** Decimal text for `long`. */
  readonly digits?: string;
}

/** Punctuation, longest first so `!~` wins over `!`. */
const PUNCTUATION = ['..', '==', '!=', '<>', '<=', '>=', '=~', '!~', '|', '(', ')', '[', ']', '{', '}', ',', ';', ':', '.', '=', '<', '>', '+', '-', '*', '/', '%', '!', '?', '~'];

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c);

export class Lexer {
  pos = 0;
  constructor(readonly text: string) {}

  private fail(message: string, offset: number, length = 1, hint?: string): never {
    throw syntaxError(this.text, message, offset, length, hint);
  }

  /** Skips whitespace and `//` comments. */
  skipTrivia(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff) this.pos++;
      else if (c === 47 && t.charCodeAt(this.pos + 1) === 47) {
        while (this.pos < t.length && t.charCodeAt(this.pos) !== 10) this.pos++;
      } else break;
    }
  }

  next(): Token {
    this.skipTrivia();
    const t = this.text;
    const start = this.pos;
    if (start >= t.length) return { kind: 'eof', text: '', start, end: start };
    const c = t.charCodeAt(start);
    if (isIdentStart(c) || (c === 36 /* $ */ && isIdentStart(t.charCodeAt(start + 1)))) {
      // `h"..."`, `H'...'` and `h@'...'` are obfuscated string literals: plain strings here.
      if ((c === 104 || c === 72) && (t[start + 1] === '"' || t[start + 1] === "'")) {
        this.pos++;
        return this.string(start);
      }
      if ((c === 104 || c === 72) && t[start + 1] === '@' && (t[start + 2] === '"' || t[start + 2] === "'")) return this.verbatim(start, start + 1);
      this.pos++;
      while (this.pos < t.length && isIdentPart(t.charCodeAt(this.pos))) this.pos++;
      return { kind: 'ident', text: t.slice(start, this.pos), start, end: this.pos };
    }
    if (isDigit(c) || (c === 46 && isDigit(t.charCodeAt(start + 1)))) return this.number(start);
    if (c === 34 || c === 39) return this.string(start);
    if (c === 64 /* @ */ && (t[start + 1] === '"' || t[start + 1] === "'")) return this.verbatim(start);
    if (c === 96 && t.startsWith('```', start)) return this.multiline(start);
    for (const p of PUNCTUATION) {
      if (t.startsWith(p, start)) {
        this.pos += p.length;
        return { kind: 'punct', text: p, start, end: this.pos };
      }
    }
    return this.fail(`unexpected character \`${t[start]}\``, start);
  }

  private number(start: number): Token {
    const t = this.text;
    if (t[start] === '0' && (t[start + 1] === 'x' || t[start + 1] === 'X')) {
      let p = start + 2;
      while (p < t.length && /[0-9a-fA-F]/.test(t[p])) p++;
      if (p === start + 2) this.fail('a hexadecimal number needs digits after `0x`', start, 2);
      this.pos = p;
      return { kind: 'long', text: t.slice(start, p), digits: BigInt(t.slice(start, p)).toString(), start, end: p };
    }
    let p = start;
    while (isDigit(t.charCodeAt(p))) p++;
    let isReal = false;
    if (t[p] === '.' && t[p + 1] !== '.') {
      isReal = true;
      p++;
      while (isDigit(t.charCodeAt(p))) p++;
    }
    if ((t[p] === 'e' || t[p] === 'E') && (isDigit(t.charCodeAt(p + 1)) || ((t[p + 1] === '+' || t[p + 1] === '-') && isDigit(t.charCodeAt(p + 2))))) {
      isReal = true;
      p += 2;
      while (isDigit(t.charCodeAt(p))) p++;
    }
    const numberText = t.slice(start, p);
    if (isIdentStart(t.charCodeAt(p))) {
      let q = p;
      while (q < t.length && isIdentPart(t.charCodeAt(q))) q++;
      const unit = t.slice(p, q).toLowerCase();
      if (!Object.hasOwn(TIMESPAN_UNITS, unit)) {
        this.fail(`unknown timespan unit \`${t.slice(p, q)}\``, p, q - p, 'use d, h, m, s, ms, microsecond or tick (for example `30m`)');
      }
      this.pos = q;
      const us = timespanMicrosOrNull(Number(numberText) * TIMESPAN_UNITS[unit]);
      if (us === null) this.fail(`\`${t.slice(start, q)}\` is beyond the longest timespan (about 10,675,199 days)`, start, q - start);
      return { kind: 'timespan', text: t.slice(start, q), number: us!, start, end: q };
    }
    this.pos = p;
    if (isReal) return { kind: 'real', text: numberText, number: Number(numberText), start, end: p };
    return { kind: 'long', text: numberText, digits: BigInt(numberText).toString(), start, end: p };
  }

  private string(start: number): Token {
    const t = this.text;
    const quote = t[this.pos];
    let p = this.pos + 1;
    let out = '';
    while (p < t.length && t[p] !== quote) {
      const ch = t[p];
      if (ch === '\n') break;
      if (ch === '\\') {
        const e = t[p + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", '0': '\0', '/': '/', b: '\b', f: '\f' };
        if (e !== undefined && Object.hasOwn(simple, e)) {
          out += simple[e];
          p += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(t.slice(p + 2, p + 6))) {
          out += String.fromCharCode(parseInt(t.slice(p + 2, p + 6), 16));
          p += 6;
        } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(t.slice(p + 2, p + 4))) {
          out += String.fromCharCode(parseInt(t.slice(p + 2, p + 4), 16));
          p += 4;
        } else {
          // Unknown escapes keep the backslash: regex patterns like "\d+" are common and must survive.
          out += '\\';
          p += 1;
        }
        continue;
      }
      out += ch;
      p++;
    }
    if (t[p] !== quote) this.fail('unterminated string literal', start, p - start, `close it with ${quote}`);
    this.pos = p + 1;
    return { kind: 'string', text: out, start, end: this.pos };
  }

  /** `@"C:\path"`: no escapes; a doubled quote stands for one. `at`: where the `@` is (after the `h` of an obfuscated one). */
  private verbatim(start: number, at = start): Token {
    const t = this.text;
    const quote = t[at + 1];
    let p = at + 2;
    let out = '';
    for (;;) {
      if (p >= t.length || t[p] === '\n') this.fail('unterminated string literal', start, p - start, `close it with ${quote}`);
      if (t[p] === quote) {
        if (t[p + 1] === quote) {
          out += quote;
          p += 2;
          continue;
        }
        break;
      }
      out += t[p++];
    }
    this.pos = p + 1;
    return { kind: 'string', text: out, start, end: this.pos };
  }

  private multiline(start: number): Token {
    const close = this.text.indexOf('```', start + 3);
    if (close < 0) this.fail('unterminated ``` string literal', start, 3);
    this.pos = close + 3;
    return { kind: 'string', text: this.text.slice(start + 3, close), start, end: this.pos };
  }
}
