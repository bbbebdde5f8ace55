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
 * Characters of no width: soft hyphen, zero-width space and non-joiner, word joiner, invisible
 * operators, the byte-order mark, tag characters; and a zero-width joiner unless it joins two
 * emoji (as in 👩‍💻), where it is part of what is drawn.
 */
const NO_WIDTH = /[\u00ad\u180e\u200b\u200c\u2060-\u2064\ufeff\u{e0000}-\u{e007f}]|(?<!\p{Extended_Pictographic}[\ufe0f\u{1f3fb}-\u{1f3ff}]?)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;
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
  return text.replace(CONTROLS, escapeCodeUnit).replace(REORDERING, escapeCodeUnit).replace(NO_WIDTH, escapeCodePoint).replace(LONE_SURROGATE, escapeCodeUnit);
}
