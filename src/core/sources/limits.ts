/** Defaults and hard limits for reading sources. Spec-level limits can be raised per source. */

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** Cap on the decompressed size of one `.gz` file (a gzip bomb stops here with an error). */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 8 * GiB;
/** Lines longer than this are counted as malformed instead of being parsed. */
export const DEFAULT_MAX_LINE_BYTES = 16 * MiB;
/**
 * Distinct top-level JSON fields a full load turns into columns. Every column spans every row, so
 * a log that invents a new key per line would cost rows × keys; real logs stay far below this.
 */
export const DEFAULT_MAX_COLUMNS = 1000;
/** JSON values nested deeper than this (the top-level object is depth 1) make their line malformed. */
export const MAX_JSON_DEPTH = 64;
/** How many malformed lines are kept as samples (all of them are counted). */
export const MALFORMED_SAMPLE_LIMIT = 20;
/** Default memory budget of a `SourceCache`. */
export const DEFAULT_CACHE_BUDGET_BYTES = 2 * GiB;

const SIZE_UNITS: Readonly<Record<string, number>> = {
  '': 1, b: 1,
  kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, tb: 1000 ** 4,
  kib: 1024, mib: MiB, gib: GiB, tib: 1024 * GiB,
  k: 1024, m: MiB, g: GiB, t: 1024 * GiB,
};

/** `1048576`, `512 KiB`, `64MB`, `2g` -> bytes; NaN when the text is not a size. */
export function parseByteSize(value: number | string): number {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : NaN;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  if (!m) return NaN;
  const unit = SIZE_UNITS[m[2].toLowerCase()];
  if (unit === undefined) return NaN;
  const bytes = Math.floor(Number(m[1]) * unit);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : NaN;
}

/**
 * Smaller sources are not prefiltered: reading them whole is quick anyway, and a full read also
 * finds every malformed line (behind a prefilter only the lines read are checked).
 */
export const PREFILTER_MIN_BYTES = 16 * MiB;
