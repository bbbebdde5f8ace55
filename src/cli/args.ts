/** Argument parsing on `node:util`'s parseArgs, with errors that say what to type instead. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A file the user named cannot be used (missing, unreadable, not a notebook): exit 2, without the help text. */
export class FileError extends Error {
  constructor(
    message: string,
    /** The file the command was given, when the problem is with it. */
    readonly path?: string,
  ) {
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
    const bytes = fs.readFileSync(path);
    if (!isUtf8(bytes)) {
      const text = bytes.toString('utf8');
      const line = text.slice(0, Math.max(0, text.indexOf('\ufffd'))).split('\n').length;
      throw new FileError(`${path} is not valid UTF-8 (line ${line}); fix its encoding first (reading it would replace those bytes)`, path);
    }
    // A byte order mark is dropped, as editors do; it would hide the front matter's opening `---`.
    return bytes.toString('utf8').replace(/^\ufeff/, '');
  } catch (e) {
    if (e instanceof FileError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileError(code === 'ENOENT' ? `no such file: ${path}` : code === 'EISDIR' ? `${path} is a folder, not a notebook file` : `cannot read ${path}: ${(e as Error).message}`, path);
  }
}
