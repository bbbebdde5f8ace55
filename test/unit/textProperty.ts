/** Property tests of the parsers of text a user writes (settings, front matter, cells). */
import fc from 'fast-check';

/**
 * Runs `check` on 2,000 texts (seeded, so a failure repeats), each up to 30 of `pieces` joined:
 * the punctuation, keywords and values of a language, so most texts are near misses of valid ones.
 */
export function forTextsOf(pieces: readonly string[], check: (text: string) => void): void {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 30 }), (parts) => check(parts.join(''))),
    { seed: 20261206, numRuns: 2000 },
  );
}
