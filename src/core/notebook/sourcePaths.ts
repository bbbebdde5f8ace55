/** Which declared sources would read files outside the given folders (the workspace). */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { resolveSourcePaths } from '../sources/paths';
import { parseSources } from '../sources/spec';

export interface OutsidePath {
  readonly source: string;
  readonly pattern: string;
  /** The folder the pattern reads from (its part before any wildcard), absolute. */
  readonly folder: string;
}

/** The directory a path pattern reads from: everything before the first segment with a wildcard. */
export function patternFolder(pattern: string, baseDir: string): string {
  const absolute = path.resolve(baseDir, pattern);
  const segments = absolute.split(path.sep);
  const firstGlob = segments.findIndex((s) => /[*?[\]{}]/.test(s));
  return firstGlob < 0 ? path.dirname(absolute) : segments.slice(0, firstGlob).join(path.sep) || path.sep;
}

/** The real location of a folder (symbolic links resolved), through its nearest existing ancestor. */
export function realFolder(folder: string): string {
  let existing = folder;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync(existing), ...rest.reverse());
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return folder;
      rest.push(path.basename(existing));
      existing = parent;
    }
  }
}

function realFile(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

export function isInside(folder: string, root: string): boolean {
  const rel = path.relative(root, folder);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Compares real locations: the folder each pattern reads from, and each file it matches now (a
 * file, or a folder a glob walks into, may be a symbolic link to anywhere).
 */
export async function sourcesOutside(declared: Readonly<Record<string, unknown>>, baseDir: string, roots: readonly string[]): Promise<OutsidePath[]> {
  let specs;
  try {
    specs = parseSources(declared);
  } catch {
    return []; // invalid declarations fail with their own message when a cell runs
  }
  const out: OutsidePath[] = [];
  const realRoots = roots.map(realFolder);
  const inside = (p: string) => realRoots.some((r) => isInside(p, r));
  for (const spec of Object.values(specs)) {
    for (const pattern of spec.paths) {
      const folder = realFolder(patternFolder(pattern, baseDir));
      if (!inside(folder)) {
        out.push({ source: spec.name, pattern, folder });
        continue;
      }
      // A pattern that matches nothing reads nothing (the run reports it).
      const files = await resolveSourcePaths([pattern], baseDir, spec.name).catch(() => []);
      const folders = new Set<string>();
      for (const file of files) {
        // The same resolution as the roots' (realpathSync, not the native one, which also resolves
        // Windows subst and mapped drives and would put every file "outside").
        const real = realFile(file);
        if (!inside(real)) folders.add(path.dirname(real));
      }
      for (const f of [...folders].sort()) out.push({ source: spec.name, pattern, folder: f });
    }
  }
  return out;
}
