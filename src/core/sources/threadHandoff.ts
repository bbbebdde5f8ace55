/**
 * Reader threads started before the tool's main bundle loads (by the `casebook` launcher, which
 * is a bundle of its own) are handed to the reader pool through a slot on the global object: the
 * two bundles share no modules, only the process. A thread takes about a tenth of a second to
 * start, so starting it before the main bundle loads hides most of that.
 */
import type { Worker } from 'node:worker_threads';

const SLOT = Symbol.for('casebook.readerThreadsStartedEarly');

interface Handed {
  readonly file: string;
  readonly threads: Worker[];
}

type Global = typeof globalThis & { [SLOT]?: Handed };

/** Leaves threads running `file` for the reader pool to take. */
export function handOverThreads(file: string, threads: Worker[]): void {
  (globalThis as Global)[SLOT] = { file, threads };
}

/** The threads handed over (and running `file`), each taken once. */
export function takeHandedOverThreads(): Handed | undefined {
  const handed = (globalThis as Global)[SLOT];
  delete (globalThis as Global)[SLOT];
  return handed;
}
