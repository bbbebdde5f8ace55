/**
 * Longs (BigInt64Array) read and written through their 32-bit halves, so that values that fit a
 * double (counts, sizes, most keys) cross between the two without a BigInt made per value. Only
 * on little-endian platforms (every one Node.js runs on in practice); callers keep a BigInt path.
 */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Values from -2^53 to 2^53 - 1 (all exact as doubles) have a high word from -2^21 to 2^21 - 1. */
const EXACT_HIGH = 0x20_0000;

/**
 * `values` as doubles when every one is from -2^53 to 2^53 - 1 (so exact, and distinct values stay
 * distinct), else undefined (also on a big-endian platform). One pass over the words, no BigInt made.
 */
export function exactDoubles(values: BigInt64Array): Float64Array | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  const out = new Float64Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const high = words[2 * i + 1];
    if (high >= EXACT_HIGH || high < -EXACT_HIGH) return undefined;
    out[i] = high * 0x1_0000_0000 + (words[2 * i] >>> 0);
  }
  return out;
}
