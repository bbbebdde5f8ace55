/**
 * Resolving a source's `path` entries to files: relative to the notebook's directory, with globs
 * (`*` and `?` within a path segment, `**` for any number of directories) for rotated logs.
 * The result is sorted so that several files read as one table in a stable order; digit runs
 * compare by value, so `app.log.2` comes before `app.log.10`.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { fileReadError, SourceFileNotFound, SourceLoadError } from './errors';

export function hasGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (const ch of segment) {
    if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Files matching one pattern (absolute, unsorted). Hidden entries only match a segment that starts with `.`. */
async function expandPattern(absolutePattern: string): Promise<string[]> {
  const parts = absolutePattern.split(/[\\/]+/);
  const firstGlob = parts.findIndex(hasGlob);
  const root = parts.slice(0, firstGlob).join(sep) || sep;
  const rest = parts.slice(firstGlob);
  const out: string[] = [];
  const walk = async (dir: string, i: number): Promise<void> => {
    if (i === rest.length) return;
    const segment = rest[i];
    const last = i === rest.length - 1;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // a directory that vanished or cannot be read simply holds no matches
    }
    if (segment === '**') {
      await walk(dir, i + 1); // zero directories
      for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) await walk(join(dir, e.name), i);
      return;
    }
    const re = segmentRegExp(segment);
    for (const e of entries) {
      if (e.name.startsWith('.') && !segment.startsWith('.')) continue;
      if (!re.test(e.name)) continue;
      const full = join(dir, e.name);
      if (last) {
        if (e.isFile() || (e.isSymbolicLink() && (await stat(full).catch(() => null))?.isFile())) out.push(full);
      } else if (e.isDirectory() || e.isSymbolicLink()) await walk(full, i + 1);
    }
  };
  await walk(root, 0);
  return out;
}

/** Compares names so that runs of digits compare by their numeric value. */
export function naturalCompare(a: string, b: string): number {
  let i = 0, j = 0;
  while (i < a.length && j < b.length) {
    if (isDigit(a, i) && isDigit(b, j)) {
      let ei = i, ej = j;
      while (isDigit(a, ei)) ei++;
      while (isDigit(b, ej)) ej++;
      const x = a.slice(i, ei), y = b.slice(j, ej);
      const nx = x.replace(/^0+/, ''), ny = y.replace(/^0+/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      if (x.length !== y.length) return x.length - y.length;
      i = ei;
      j = ej;
      continue;
    }
    // Character by character, so a name that stops where another goes on comes first (`app.log`
    // before `app2.log`; comparing whole runs of non-digits put "app." after "app").
    const d = a.charCodeAt(i) - b.charCodeAt(j);
    if (d !== 0) return d;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

function isDigit(s: string, at: number): boolean {
  const c = s.charCodeAt(at);
  return c >= 48 && c <= 57;
}

/** All files of a source, absolute and sorted; a pattern that matches nothing is an error. */
export async function resolveSourcePaths(patterns: readonly string[], baseDir: string, sourceName: string): Promise<string[]> {
  // By the file each path leads to: the same file named twice (`a//b`, `a/../a/b`, a link and its
  // target under one glob) is read once, under the name it was first given.
  const found = new Map<string, string>();
  const add = async (path: string) => {
    const real = await realpath(path).catch(() => path);
    if (!found.has(real)) found.set(real, path);
  };
  for (const pattern of patterns) {
    const absolute = resolve(baseDir, pattern);
    if (!hasGlob(pattern)) {
      const s = await stat(absolute).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return null;
        throw fileReadError(e, sourceName) ?? e;
      });
      if (!s) throw new SourceFileNotFound(sourceName, pattern, `source "${sourceName}": file not found: ${pattern} (looked at ${absolute})`);
      if (!s.isFile()) throw new SourceLoadError(`source "${sourceName}": not a file: ${pattern}`);
      await add(absolute);
      continue;
    }
    const matches = await expandPattern(absolute);
    if (matches.length === 0) throw new SourceFileNotFound(sourceName, pattern, `source "${sourceName}": no files match ${pattern} (relative to ${baseDir})`);
    for (const m of matches) await add(m);
  }
  return [...found.values()].sort(naturalCompare);
}
