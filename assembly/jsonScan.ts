/**
 * The byte loops of the JSON Lines field scanner (src/core/sources/jsonScanner.ts), compiled to
 * WebAssembly with SIMD: skipping values the query does not need and walking a line's top-level
 * keys to the next wanted one. The scanner keeps the rest (reading wanted values, keys with
 * escapes or non-ASCII bytes, falling back to JSON.parse), so both paths accept exactly the
 * same lines. `npm run build:wasm` compiles this file into src/core/sources/jsonScanWasm.ts.
 *
 * It also matches whole lines against line templates (see matchLine): most log lines repeat the
 * previous lines' keys and punctuation, so checking those bytes as one literal is far cheaper than
 * walking them token by token.
 *
 * Memory layout (the caller's, src/core/sources/wasmScan.ts): results at RESULT and TIME, the wanted keys at
 * WANTED, the container stack at STACK, value positions of a matched template at OUT, the template
 * directory at DIRECTORY (with SHARED and POSITIONS), the literal findBytes looks for at NEEDLE,
 * the templates from TEMPLATES on, the line bytes from DATA on, and after them the records
 * matchLines writes (a unit test checks that the two files agree and that no region runs into the
 * next). Positions
 * are absolute byte addresses; the caller keeps at least 16 readable bytes after `end` (vector
 * loads may look past it; what they see there is never used).
 */

const QUOTE: u32 = 0x22, BACKSLASH: u32 = 0x5c, COMMA: u32 = 0x2c, COLON: u32 = 0x3a;
const OPEN_OBJECT: u32 = 0x7b, CLOSE_OBJECT: u32 = 0x7d, OPEN_ARRAY: u32 = 0x5b, CLOSE_ARRAY: u32 = 0x5d;
const MINUS: u32 = 0x2d;
/** MAX_JSON_DEPTH of src/core/sources/limits.ts (a test keeps them equal). */
const MAX_DEPTH: i32 = 64;

/** Where a result position is left. */
const RESULT: usize = 0;
/** Where isoMicrosAt leaves its time (a double). */
const TIME: usize = 8;
/** u32 count, then per key u32 address and u32 length. */
const WANTED: usize = 16;
const STACK: usize = 1024;
/** Four i32 per wanted value of a matched template (see matchTemplate). */
const OUT: usize = 1280;
/** u32 count, then u32 template numbers (blocks) in the order to try them. */
const DIRECTORY: usize = 4096;
const TEMPLATE_LIMIT: usize = 16;
/** u8 per pair of blocks (a * TEMPLATE_LIMIT + b): how many leading steps the two templates share. */
const SHARED: usize = 4224;
/** i32 per step of the template being matched: where the step starts in the line. */
const POSITIONS: usize = 4608;
/** The literal findBytes looks for (up to 2048 bytes: NEEDLE_LIMIT in wasmScan.ts). */
const NEEDLE: usize = 6144;
const TEMPLATES: usize = 8192;
/**
 * A template: u32 step count at +0, steps of four i32 from +16 on: the address and length of a
 * literal the line must hold next, then the nesting depth of the value after it (0: no value, the
 * last step) and that value's OUT index (-1: not wanted). The literals follow the steps.
 */
const TEMPLATE_BYTES: usize = 7168;

/** Outcomes of scanTop other than a wanted slot (>= 0). */
const CLOSED: i32 = -1;
const FALLBACK: i32 = -2;
const KEY_FOR_CALLER: i32 = -3;

export function maxDepth(): i32 {
  return MAX_DEPTH;
}

@inline function isWs(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0d;
}

@inline function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

@inline function isHex(c: u32): bool {
  return c - 0x30 < 10 || (c | 0x20) - 0x61 < 6;
}

@inline function byte(i: i32): u32 {
  return <u32>load<u8>(<usize>i);
}

@inline function skipWs(i: i32, end: i32): i32 {
  while (i < end && isWs(byte(i))) i++;
  return i;
}

/** `i` just past an opening quote: the index after the closing quote, or -1 for an invalid string. */
export function skipStringBody(i: i32, end: i32): i32 {
  const quote = i8x16.splat(0x22), backslash = i8x16.splat(0x5c), control = i8x16.splat(0x20);
  while (i < end) {
    const v = v128.load(<usize>i);
    const stops = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_u(v, control)));
    if (stops == 0) {
      i += 16;
      continue;
    }
    i += ctz(stops);
    if (i >= end) return -1;
    const c = byte(i);
    if (c == QUOTE) return i + 1;
    if (c != BACKSLASH) return -1; // a control character
    const e = byte(i + 1);
    if (e == 0x75) {
      if (i + 5 >= end || !isHex(byte(i + 2)) || !isHex(byte(i + 3)) || !isHex(byte(i + 4)) || !isHex(byte(i + 5))) return -1;
      i += 6;
    } else if (i + 1 < end && (e == QUOTE || e == BACKSLASH || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74)) i += 2;
    else return -1;
  }
  return -1;
}

/**
 * The index after the run of digits from `i` (at most `end`): 16 bytes a step, so a number's
 * digits cost one comparison rather than a branch each (which the varying lengths mispredict).
 */
@inline function digitRun(i: i32, end: i32): i32 {
  const zero = i8x16.splat(0x30), ten = i8x16.splat(10);
  for (;;) {
    const digits = i8x16.bitmask(i8x16.lt_u(i8x16.sub(v128.load(<usize>i), zero), ten));
    if (digits != 0xffff) {
      i += ctz(~digits);
      break;
    }
    i += 16;
    if (i >= end) break;
  }
  return i < end ? i : end;
}

/** JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
@inline function skipNumber(i: i32, end: i32): i32 {
  if (byte(i) == MINUS) i++;
  if (i >= end) return -1;
  const first = byte(i);
  if (first == 0x30) i++;
  else if (isDigit(first)) i = digitRun(i + 1, end);
  else return -1;
  if (i < end && byte(i) == 0x2e) {
    i++;
    if (i >= end || !isDigit(byte(i))) return -1;
    i = digitRun(i + 1, end);
  }
  if (i < end && (byte(i) | 0x20) == 0x65) {
    i++;
    if (i < end && (byte(i) == 0x2b || byte(i) == MINUS)) i++;
    if (i >= end || !isDigit(byte(i))) return -1;
    i = digitRun(i + 1, end);
  }
  return i;
}

/** true, false or null (little-endian words of their bytes). */
function skipLiteral(i: i32, end: i32): i32 {
  const c = byte(i);
  if (c == 0x74) return i + 3 < end && load<u32>(<usize>i) == 0x65757274 ? i + 4 : -1;
  if (c == 0x6e) return i + 3 < end && load<u32>(<usize>i) == 0x6c6c756e ? i + 4 : -1;
  if (c == 0x66) return i + 4 < end && load<u32>(<usize>i + 1) == 0x65736c61 ? i + 5 : -1;
  return -1;
}

/** `i` at the first byte of a value at nesting depth `depth` (the line's object is 1): the index after it, or -1. */
export function skipValue(i: i32, end: i32, depth: i32): i32 {
  const c = byte(i);
  if (c == QUOTE) return skipStringBody(i + 1, end);
  if (c == OPEN_OBJECT || c == OPEN_ARRAY) return skipContainer(i, end, depth);
  if (c == MINUS || isDigit(c)) return skipNumber(i, end);
  return skipLiteral(i, end);
}

/** `i` at the `{` or `[` of a value at nesting depth `base`: validates it whole; the index after it, or -1. */
function skipContainer(i: i32, end: i32, base: i32): i32 {
  if (base > MAX_DEPTH) return -1;
  let depth = 0; // containers open inside the value, its own included
  store<u8>(STACK + depth++, byte(i) == OPEN_OBJECT ? 1 : 0);
  i++;
  let first = true;
  for (;;) {
    i = skipWs(i, end);
    if (i >= end) return -1;
    let c = byte(i);
    const inObject = load<u8>(STACK + depth - 1) == 1;
    if (first && c == (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) {
      i++;
      depth--;
    } else {
      if (inObject) {
        if (c != QUOTE) return -1;
        i = skipStringBody(i + 1, end);
        if (i < 0) return -1;
        i = skipWs(i, end);
        if (i >= end || byte(i) != COLON) return -1;
        i = skipWs(i + 1, end);
        if (i >= end) return -1;
        c = byte(i);
      }
      if (c == QUOTE) i = skipStringBody(i + 1, end);
      else if (c == OPEN_OBJECT || c == OPEN_ARRAY) {
        if (base + depth > MAX_DEPTH) return -1;
        store<u8>(STACK + depth++, c == OPEN_OBJECT ? 1 : 0);
        i++;
        first = true;
        continue;
      } else if (c == MINUS || isDigit(c)) i = skipNumber(i, end);
      else i = skipLiteral(i, end);
      if (i < 0) return -1;
    }
    // After a value or a closed container: a comma, or the end of the enclosing container.
    for (;;) {
      if (depth == 0) return i;
      i = skipWs(i, end);
      if (i >= end) return -1;
      c = byte(i);
      if (c == COMMA) {
        i++;
        first = false;
        break;
      }
      if (c != (load<u8>(STACK + depth - 1) == 1 ? CLOSE_OBJECT : CLOSE_ARRAY)) return -1;
      i++;
      depth--;
    }
  }
  return -1; // not reached
}

/** The wanted slot whose key is the bytes [start, start + length), or -1. */
function wantedSlot(start: i32, length: i32): i32 {
  const count = load<u32>(WANTED);
  for (let k: u32 = 0; k < count; k++) {
    const at = WANTED + 4 + <usize>k * 8;
    if (load<i32>(at + 4) != length) continue;
    const key = load<u32>(at);
    let j = 0;
    while (j < length && byte(start + j) == <u32>load<u8>(<usize>key + j)) j++;
    if (j == length) return <i32>k;
  }
  return -1;
}

/**
 * Walks the line's top-level object from `i` to the next wanted key: with `first`, `i` is just
 * past the `{`, else just past a value. Returns the key's wanted slot, with its value's first
 * byte at RESULT; CLOSED with the index after the `}` at RESULT; KEY_FOR_CALLER, with the key's
 * opening quote at RESULT, for a key that is not plain ASCII (escapes, UTF-8); FALLBACK when the
 * line is not plain JSON this scanner reads (JSON.parse decides).
 */
export function scanTop(i: i32, end: i32, first: bool): i32 {
  const quote = i8x16.splat(0x22), backslash = i8x16.splat(0x5c), control = i8x16.splat(0x20), ascii = i8x16.splat(0x7f);
  i = skipWs(i, end);
  if (first) {
    if (i < end && byte(i) == CLOSE_OBJECT) {
      store<i32>(RESULT, i + 1);
      return CLOSED;
    }
  } else {
    if (i >= end) return FALLBACK;
    const c = byte(i);
    if (c == CLOSE_OBJECT) {
      store<i32>(RESULT, i + 1);
      return CLOSED;
    }
    if (c != COMMA) return FALLBACK;
    i = skipWs(i + 1, end);
  }
  for (;;) {
    if (i >= end || byte(i) != QUOTE) return FALLBACK;
    const keyStart = i + 1;
    let j = keyStart;
    while (j < end) {
      const v = v128.load(<usize>j);
      const stops = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), v128.or(i8x16.lt_u(v, control), i8x16.gt_u(v, ascii))));
      if (stops != 0) {
        j += ctz(stops);
        break;
      }
      j += 16;
    }
    if (j >= end || byte(j) != QUOTE) {
      store<i32>(RESULT, i);
      return KEY_FOR_CALLER;
    }
    const slot = wantedSlot(keyStart, j - keyStart);
    i = j + 1;
    if (byte(i) != COLON) {
      i = skipWs(i, end);
      if (i >= end || byte(i) != COLON) return FALLBACK;
    }
    i = skipWs(i + 1, end);
    if (i >= end) return FALLBACK;
    if (slot >= 0) {
      store<i32>(RESULT, i);
      return slot;
    }
    i = skipValue(i, end, 2);
    if (i < 0) return FALLBACK;
    i = skipWs(i, end);
    if (i >= end) return FALLBACK;
    const c = byte(i);
    if (c == COMMA) {
      i = skipWs(i + 1, end);
      continue;
    }
    if (c == CLOSE_OBJECT) {
      store<i32>(RESULT, i + 1);
      return CLOSED;
    }
    return FALLBACK;
  }
  return FALLBACK; // not reached
}

/** Whether the `length` bytes at `a` equal those at `b` (both may be read 15 bytes past their end). */
@inline function sameBytes(a: i32, b: i32, length: i32): bool {
  let k = 0;
  for (; length - k >= 16; k += 16) {
    if (!i8x16.all_true(i8x16.eq(v128.load(<usize>(a + k)), v128.load(<usize>(b + k))))) return false;
  }
  if (k == length) return true;
  const want = (1 << (length - k)) - 1;
  return (i8x16.bitmask(i8x16.eq(v128.load(<usize>(a + k)), v128.load(<usize>(b + k)))) & want) == want;
}

/**
 * Matches the line from step `from` of `template` on, at the position POSITIONS holds for that
 * step (steps before it were matched by a template that shares them): the line's end (its newline,
 * or `end`) when the rest matches, else -(s + 1) for the step s that failed. Per wanted value it
 * leaves at OUT where the value starts and ends, and whether it is a string without escapes (1,
 * else 0); with `record` (another template may resume), at POSITIONS where each later step starts.
 */
function matchTemplate(template: usize, from: u32, end: i32, record: bool): i32 {
  const quote = i8x16.splat(0x22), backslash = i8x16.splat(0x5c), control = i8x16.splat(0x20);
  const steps = load<u32>(template);
  let i = load<i32>(POSITIONS + <usize>from * 4);
  for (let s: u32 = from; s < steps; s++) {
    const failed = -<i32>s - 1;
    const step = template + 16 + <usize>s * 16;
    const literal = load<i32>(step), length = load<i32>(step + 4);
    if (i + length > end || !sameBytes(i, literal, length)) return failed;
    i += length;
    const depth = load<i32>(step + 8);
    if (depth == 0) break;
    if (i >= end) return failed;
    const start = i;
    let plain = false;
    if (byte(i) == QUOTE) {
      // Most values are strings without escapes: find the closing quote inline.
      i++;
      while (i < end) {
        const v = v128.load(<usize>i);
        const stops = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_u(v, control)));
        if (stops != 0) {
          i += ctz(stops);
          break;
        }
        i += 16;
      }
      if (i >= end) return failed;
      plain = byte(i) == QUOTE;
      i = plain ? i + 1 : skipStringBody(i, end);
    } else {
      // A negative depth: the value must not be an object (see LineTemplate).
      const c = byte(i);
      if (depth < 0 && c == OPEN_OBJECT) return failed;
      // Numbers (the usual other values) inline, without the call through skipValue.
      i = c == MINUS || isDigit(c) ? skipNumber(i, end) : skipValue(i, end, depth < 0 ? -depth : depth);
    }
    if (i < 0) return failed;
    const out = load<i32>(step + 12);
    if (out >= 0) {
      const at = OUT + <usize>out * 16;
      store<i32>(at, start);
      store<i32>(at + 4, i);
      store<i32>(at + 8, plain ? 1 : 0);
    }
    if (record) store<i32>(POSITIONS + <usize>(s + 1) * 4, i);
  }
  i = skipWs(i, end);
  return i < end && byte(i) != 0x0a ? -<i32>steps : i;
}

/**
 * `i` at a line's `{`: the position in the directory of the first template the whole line matches,
 * with the line's end at RESULT and its wanted values' positions at OUT; -1 when none does (the
 * caller then scans the line with scanTop). A match validates the line as scanTop would: every
 * literal came from a line scanTop accepted, and every value between them is skipped as skipValue
 * skips it. After a template fails at some step, the next one resumes where the two part (SHARED),
 * so lines of several shapes cost about one pass, not one per template tried.
 */
export function matchLine(i: i32, end: i32): i32 {
  const count = load<u32>(DIRECTORY);
  store<i32>(POSITIONS, i);
  let previous: i32 = -1;
  let matched: u32 = 0; // steps the previous attempt matched
  for (let t: u32 = 0; t < count; t++) {
    const block = load<u32>(DIRECTORY + 4 + <usize>t * 4);
    let from: u32 = 0;
    if (previous >= 0) {
      const shared = <u32>load<u8>(SHARED + <usize>previous * TEMPLATE_LIMIT + block);
      from = shared < matched ? shared : matched;
    }
    const result = matchTemplate(TEMPLATES + <usize>block * TEMPLATE_BYTES, from, end, t + 1 < count);
    if (result >= 0) {
      store<i32>(RESULT, result);
      return <i32>t;
    }
    matched = <u32>(-result - 1);
    previous = <i32>block;
  }
  return -1;
}

@inline function twoDigits(i: i32): i32 {
  const x = byte(i) - 0x30, y = byte(i + 1) - 0x30;
  return x < 10 && y < 10 ? <i32>(x * 10 + y) : -1;
}

function daysInMonth(year: i32, month: i32): i32 {
  if (month == 2) return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
  return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
}

/** Days since 1970-01-01, in doubles step by step as src/core/sources/timezone.ts computes them. */
function daysFromCivil(year: i32, month: i32, day: i32): f64 {
  const y: f64 = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp: f64 = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + <f64>day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The first 16 bytes (`YYYY-MM-DDTHH:MM`) of the last text isoMicros read a valid minute from, and
 * that minute's milliseconds from the epoch before any offset (which depend on those bytes alone).
 * Log lines come in time order, so most of them repeat the minute: comparing 16 bytes replaces
 * reading and checking the date and clock.
 */
let minutePrefix: v128 = i8x16.splat(0);
let minuteMs: f64 = NaN;

/**
 * isoBytesToMicros of src/core/sources/timestamps.ts over the bytes [start, end): ISO 8601 text
 * with an explicit offset to UTC microseconds, the very same double, or NaN for any other shape.
 * Like it, it may read the byte at `end` (a string's closing quote), never past it.
 */
export function isoMicros(start: i32, end: i32): f64 {
  if (end - start < 17) return NaN;
  const prefix = v128.load(<usize>start);
  let i = start + 16;
  let baseMs = minuteMs;
  if (!i8x16.all_true(i8x16.eq(prefix, minutePrefix)) || baseMs != baseMs) {
    baseMs = minuteOf(start);
    if (baseMs != baseMs) return NaN;
    minutePrefix = prefix;
    minuteMs = baseMs;
  }
  return isoRest(i, end, baseMs);
}

/**
 * isoMicros with its time left at TIME: 1 when it read one, else 0. A double returned to
 * JavaScript is a number allocated on its heap, one per line read; a double in memory is not.
 */
export function isoMicrosAt(start: i32, end: i32): i32 {
  const us = isoMicros(start, end);
  store<f64>(TIME, us);
  return us == us ? 1 : 0;
}

/** The milliseconds of the minute `YYYY-MM-DDTHH:MM` at `start` (T, t or a space in between), or NaN. */
function minuteOf(start: i32): f64 {
  const y0 = twoDigits(start), y1 = twoDigits(start + 2);
  if (y0 < 0 || y1 < 0 || byte(start + 4) != 0x2d || byte(start + 7) != 0x2d) return NaN;
  const year = y0 * 100 + y1;
  const month = twoDigits(start + 5), day = twoDigits(start + 8);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return NaN;
  const i = start + 10;
  const sep = byte(i);
  if (!(sep == 0x54 || sep == 0x74 || sep == 0x20) || byte(i + 3) != COLON) return NaN;
  const h = twoDigits(i + 1), m = twoDigits(i + 4);
  if (h < 0 || m < 0 || h > 23 || m > 59) return NaN;
  // Whole numbers far below 2^53: adding the seconds later gives the very double the one sum did.
  return daysFromCivil(year, month, day) * 86400000 + <f64>((h * 60 + m) * 60000);
}

/** The rest after the minute at `i` (seconds, fraction, offset) up to `end`, added to `baseMs`. */
function isoRest(i: i32, end: i32, baseMs: f64): f64 {
  let sec = 0;
  let frac: f64 = 0;
  if (i < end && byte(i) == COLON) {
    sec = twoDigits(i + 1);
    if (sec < 0) return NaN;
    i += 3;
    if (i < end && (byte(i) == 0x2e || byte(i) == COMMA)) {
      i++;
      let digits = 0;
      for (; i < end && isDigit(byte(i)); i++, digits++) if (digits < 6) frac = frac * 10 + <f64>(byte(i) - 0x30);
      if (digits == 0) return NaN;
      for (let k = digits; k < 6; k++) frac *= 10;
    }
  }
  if (!(sec <= 60) || i >= end) return NaN;
  let offsetMs: f64;
  const c = byte(i);
  if (c == 0x5a || c == 0x7a) {
    offsetMs = 0;
    i++;
  } else if (c == 0x2b || c == MINUS) {
    const oh = twoDigits(i + 1);
    if (oh < 0 || oh > 18 || i + 3 > end) return NaN;
    let j = i + 3;
    let om = 0;
    if (j < end && byte(j) == COLON) {
      om = twoDigits(j + 1);
      if (om < 0 || j + 3 > end) return NaN;
      j += 3;
    } else if (j < end && isDigit(byte(j))) {
      om = twoDigits(j);
      if (om < 0 || j + 2 > end) return NaN;
      j += 2;
    }
    if (om > 59) return NaN;
    offsetMs = <f64>(oh * 60 + om) * 60000 * (c == MINUS ? -1 : 1);
    i = j;
  } else return NaN;
  if (i != end) return NaN;
  const localMs = baseMs + <f64>(sec * 1000);
  // Years 0001 to 9999 only (Kusto's datetime range), checked on the exact milliseconds, and a
  // time in the range's last 16 µs kept as the last double below its end, as
  // datetimeMicrosFromText does.
  const ms = localMs - offsetMs;
  if (!(ms >= -62135596800000 && ms < 253402300800000)) return NaN;
  return min(ms * 1000 + frac, 253402300799999968);
}

/**
 * The first position in [i, end) where the `length` bytes at NEEDLE (1 to 2048 of them) begin
 * and end before `end`, or -1: the search a line prefilter makes across a whole read buffer. Each
 * step compares 16 positions at once by two of the literal's bytes, at offsets `p` and `q` (the
 * caller picks bytes that are rare in text, such as not a quote), and only where both match are
 * all the bytes compared; in log text that is seldom. (The comparison reads up to 15 bytes past
 * both: past `end` lies the padding every buffer keeps, past the literal the rest of its region.)
 */
export function findBytes(i: i32, end: i32, length: i32, p: i32, q: i32): i32 {
  const last = end - length; // the last position where the literal fits
  const atP = i8x16.splat(<u8>byte(<i32>NEEDLE + p)), atQ = i8x16.splat(<u8>byte(<i32>NEEDLE + q));
  // Steps of 16 positions, all at or before `last` (so every load ends before `end`).
  for (; i + 15 <= last; i += 16) {
    let mask = i8x16.bitmask(v128.and(i8x16.eq(v128.load(<usize>(i + p)), atP), i8x16.eq(v128.load(<usize>(i + q)), atQ)));
    while (mask != 0) {
      const at = i + <i32>ctz(mask);
      if (sameBytes(at, <i32>NEEDLE, length)) return at;
      mask &= mask - 1;
    }
  }
  for (; i <= last; i++) if (sameBytes(i, <i32>NEEDLE, length)) return i;
  return -1;
}

/**
 * A template block's header (see wasmScan.ts addTemplate): the number of steps, the OUT index of
 * the value to read as an ISO time stamp (-1: none), and how many values the template leaves at OUT.
 */
const TEMPLATE_TIME_OUT: usize = 4;
const TEMPLATE_VALUES: usize = 8;
/** A matchLines record: the line's end, the template's position, the plain-string mask, its time, then OUT entries. */
const RECORD_HEADER: usize = 24;

/** FNV-1a over the bytes [start, end), as src/core/sources/bytesToCode.ts fnvBytes computes it. */
function fnv(start: i32, end: i32): u32 {
  let h: u32 = 0x811c9dc5;
  for (let j = start; j < end; j++) h = (h ^ byte(j)) * 0x01000193;
  return h;
}

/**
 * matchLine over consecutive lines from `i` (a line's first byte), while each starts with `{` and
 * a template matches it, for at most `maxLines` lines; returns how many matched. Per line it
 * writes a record at `area` + k * (RECORD_HEADER + values * 16): the line's end, the template's
 * position in the directory, a mask with bit v set when value v is a string without escapes (for
 * the first 32 values), the template's time value read as isoMicros reads it (NaN when it has none
 * or it is no string), then the template's OUT entries, each with the FNV-1a hash of a plain
 * string's contents as its fourth word. `values` is at least the number of values of any template.
 */
export function matchLines(i: i32, end: i32, area: i32, values: i32, maxLines: i32): i32 {
  const stride = RECORD_HEADER + <usize>values * 16;
  let record = <usize>area;
  let k: i32 = 0;
  while (k < maxLines && i < end && byte(i) == OPEN_OBJECT) {
    const t = matchLine(i, end);
    if (t < 0) break;
    const lineEnd = load<i32>(RESULT);
    const template = TEMPLATES + <usize>load<u32>(DIRECTORY + 4 + <usize>t * 4) * TEMPLATE_BYTES;
    const count = <usize>load<u32>(template + TEMPLATE_VALUES);
    let mask: u32 = 0;
    for (let v: usize = 0; v < count; v++) {
      const at = OUT + v * 16;
      if (load<i32>(at + 8) == 1) {
        if (v < 32) mask |= 1 << <u32>v;
        store<u32>(at + 12, fnv(load<i32>(at) + 1, load<i32>(at + 4) - 1));
      }
      v128.store(record + RECORD_HEADER + v * 16, v128.load(at));
    }
    let time: f64 = NaN;
    const timeOut = load<i32>(template + TEMPLATE_TIME_OUT);
    if (timeOut >= 0) {
      const at = OUT + <usize>timeOut * 16;
      const start = load<i32>(at);
      if (byte(start) == QUOTE) time = isoMicros(start + 1, load<i32>(at + 4) - 1);
    }
    store<i32>(record, lineEnd);
    store<i32>(record + 4, <i32>t);
    store<u32>(record + 8, mask);
    store<f64>(record + 16, time);
    record += stride;
    k++;
    i = lineEnd + 1;
  }
  return k;
}
