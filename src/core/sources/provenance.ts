/**
 * File digests for provenance: claims cite the SHA-256 of the exact bytes a verdict was computed
 * from. Hashing reads the file in large chunks and runs on demand; results are cached by the file's
 * version (see `sameVersion`), so asking again for unchanged files costs one stat each.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { SourceLoadError } from './errors';
import { fileVersion, sameVersion, type SourceFile } from './types';

export interface FileDigest extends SourceFile {
  /** Lowercase hex SHA-256 of the file's bytes as stored (compressed files are hashed as they are). */
  readonly sha256: string;
}

export class FileHashCache {
  private readonly digests = new Map<string, FileDigest>();
  /** How many files were actually read (for tests and diagnostics). */
  filesHashed = 0;

  get(version: SourceFile): FileDigest | undefined {
    const d = this.digests.get(version.path);
    return d && sameVersion(d, version) ? d : undefined;
  }

  set(digest: FileDigest): void {
    this.digests.set(digest.path, digest);
  }

  clear(): void {
    this.digests.clear();
  }
}

export const defaultHashCache = new FileHashCache();

const MAX_ATTEMPTS = 3;

/**
 * SHA-256 and size of each file, in the given order. A file that changes while it is hashed is
 * hashed again (up to three times, then it is an error), so a digest always matches one exact
 * state of the file.
 */
export async function hashFiles(files: readonly (string | { readonly path: string })[], signal?: AbortSignal, cache: FileHashCache = defaultHashCache): Promise<FileDigest[]> {
  const out: FileDigest[] = [];
  for (const f of files) out.push(await hashFile(typeof f === 'string' ? f : f.path, signal, cache));
  return out;
}

async function hashFile(path: string, signal: AbortSignal | undefined, cache: FileHashCache): Promise<FileDigest> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    signal?.throwIfAborted();
    const before = fileVersion(path, await stat(path));
    const cached = cache.get(before);
    if (cached) return cached;
    const sha256 = await digestStream(path, before.size, signal);
    if (!sameVersion(fileVersion(path, await stat(path)), before)) continue;
    const digest: FileDigest = { ...before, sha256 };
    cache.filesHashed++;
    cache.set(digest);
    return digest;
  }
  throw new SourceLoadError(`${path} kept changing while it was hashed; try again when it is no longer being written`);
}

const HASH_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Two buffers in turn: the next chunk is read (on libuv's thread pool) while this one is hashed,
 * which keeps hashing near SHA-256's own speed instead of waiting for every read.
 */
async function digestStream(path: string, size: number, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  try {
    // Small files get small buffers (one spare byte, so a file that grew is still read to its end).
    const chunk = Math.min(HASH_CHUNK_BYTES, size + 1);
    const buffers = [Buffer.allocUnsafe(chunk), Buffer.allocUnsafe(chunk)];
    let turn = 0;
    let pending = file.read(buffers[turn], 0, chunk, null);
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      signal?.throwIfAborted();
      turn ^= 1;
      pending = file.read(buffers[turn], 0, chunk, null);
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}
