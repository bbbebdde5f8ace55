/**
 * Characters in log values that a reader cannot see but that change what they read: controls
 * (ESC starts terminal sequences, NUL hides text), bidirectional controls (an override can make
 * `gnp.exe` of `exe.png`) and characters of no width (`adm\u200bin` reads as `admin`; tag
 * characters can carry a whole hidden text). Every place that shows log text — the terminal, reports — shows these as
 * visible escapes, from the same lists.
 */

/** C0 controls other than tab, LF and CR; DEL; C1 controls. */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/** Bidi marks, embeddings, overrides and isolates, and the Unicode line and paragraph separators. */
const REORDERING = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
/**
 * Characters that draw nothing: soft hyphen, combining grapheme joiner, Hangul fillers, Mongolian
 * vowel separator, zero-width space, word joiner, invisible operators, deprecated format
 * characters, the byte-order mark, tag characters and the supplementary variation selectors (both
 * can spell a whole hidden text).
 */
const NO_WIDTH = /[\u00ad\u034f\u115f\u1160\u180e\u200b\u2060-\u2064\u206a-\u206f\u3164\ufeff\uffa0\u{e0000}-\u{e007f}\u{e0100}-\u{e01ef}]/gu;
/**
 * Characters that draw nothing but change how their neighbours are drawn: zero-width non-joiner and
 * joiner, variation selectors. Where they do that they are kept (see `joins`).
 */
const JOINING = /[\u200c\u200d\ufe00-\ufe0f]/g;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const LETTER_OR_MARK = /[\p{L}\p{M}]/u;
const KEYCAP = 0x20e3;
/**
 * Halves of a surrogate pair standing alone: no character, and UTF-8 has no bytes for one, so a
 * file or a terminal gets U+FFFD in its place and the text read back differs from the text shown.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeCodeUnit(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

function escapeCodePoint(c: string): string {
  const code = c.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : escapeCodeUnit(c);
}

/**
 * The text with every invisible control, reordering or zero-width character, and every lone
 * surrogate, as `\xNN` / `\uNNNN` / `\u{NNNNN}`; tab and line breaks stay.
 */
export function showInvisible(text: string): string {
  return text
    .replace(CONTROLS, escapeCodeUnit)
    .replace(REORDERING, escapeCodeUnit)
    .replace(NO_WIDTH, escapeCodePoint)
    .replace(JOINING, (c, at: number, whole: string) => (joins(c.charCodeAt(0), codePointBefore(whole, at), whole.codePointAt(at + 1)) ? c : escapeCodeUnit(c)))
    .replace(LONE_SURROGATE, escapeCodeUnit);
}

/**
 * Whether a joiner or selector does its work where it stands, so that escaping it would change
 * what a reader sees rather than reveal something hidden: a zero-width joiner inside an emoji
 * sequence (👩‍💻), a joiner or non-joiner between letters of a script that spells with them
 * (Persian می‌خواهم, Sinhala ශ්‍රී), a variation selector after a character it has variants of
 * (❤️, CJK) or in a keycap (1️⃣). Beside ASCII letters (`adm\u200cin`) or alone, it only hides.
 */
function joins(c: number, before: number | undefined, after: number | undefined): boolean {
  if (before === undefined) return false;
  if (c >= 0xfe00) return before > 0x7f || after === KEYCAP;
  if (after === undefined || before <= 0x7f || after <= 0x7f) return false;
  const b = String.fromCodePoint(before);
  const a = String.fromCodePoint(after);
  if (c === 0x200d && (PICTOGRAPHIC.test(b) || before === 0xfe0f || (before >= 0x1f3fb && before <= 0x1f3ff)) && PICTOGRAPHIC.test(a)) return true;
  return LETTER_OR_MARK.test(b) && LETTER_OR_MARK.test(a);
}

/** The code point that ends just before `at` (a surrogate pair read whole). */
function codePointBefore(text: string, at: number): number | undefined {
  if (at === 0) return undefined;
  const low = text.charCodeAt(at - 1);
  if (low >= 0xdc00 && low <= 0xdfff && at >= 2) {
    const high = text.charCodeAt(at - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(at - 2);
  }
  return low;
}
