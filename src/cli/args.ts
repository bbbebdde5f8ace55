/** Argument parsing on `node:util`'s parseArgs, with errors that say what to type instead. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import * as fs from 'node:fs';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A file the user named cannot be used (missing, unreadable, not a notebook): exit 2, without the help text. */
export class FileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileError';
  }
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: T, positionals: { min: number; max: number; names: string }) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (parsed.positionals.length < positionals.min || parsed.positionals.length > positionals.max) {
    throw new UsageError(`expected ${positionals.names}`);
  }
  return parsed;
}

/** Reads a file the user named, turning "not found" and friends into file errors (exit 2). */
export function readUserFile(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileError(code === 'ENOENT' ? `no such file: ${path}` : code === 'EISDIR' ? `${path} is a folder, not a notebook file` : `cannot read ${path}: ${(e as Error).message}`);
  }
}
