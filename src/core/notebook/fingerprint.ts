/** A source's identity as it is on disk now: its settings and every file's version (see `sameVersion`). */
import { statFiles } from '../sources/loadSource';
import { resolveSourcePaths } from '../sources/paths';
import type { SourceSpec } from '../sources';

export async function sourceFingerprint(spec: SourceSpec, baseDir: string): Promise<string> {
  try {
    const files = await statFiles(await resolveSourcePaths(spec.paths, baseDir, spec.name), spec.name);
    return JSON.stringify([spec, files.map((f) => [f.path, f.size, f.mtimeMs, f.ctimeMs, f.dev, f.ino])]);
  } catch (e) {
    // A missing file is a state too: results computed from the file are stale once it is gone.
    return JSON.stringify([spec, `unreadable: ${(e as Error).message}`]);
  }
}
