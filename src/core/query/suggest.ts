/** "Did you mean" suggestions by edit distance. */

/** Edits (insert, delete, substitute, or swap two neighbours: `titel` → `title` is one) from a to b. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  // Three rows: a swap looks two rows back (optimal string alignment distance).
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1);
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length];
}

/** The closest candidate, compared case-insensitively, if it is close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  if (bestDistance <= allowed) return best;
  // A truncated name (`Operation` for `OperationName`) is a likely slip too.
  if (lower.length >= 3) {
    const prefixed = [...candidates].filter((c) => c.toLowerCase().startsWith(lower)).sort((a, b) => a.length - b.length);
    if (prefixed.length > 0) return prefixed[0];
  }
  return undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean \`${c}\`?`;
}
