/** A load that cannot go on (missing file, decompression cap, unknown format). Malformed lines are not errors. */
export class SourceLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceLoadError';
  }
}

/** A path of a source that names no file, or a glob that matches none. */
export class SourceFileNotFound extends SourceLoadError {
  constructor(
    readonly source: string,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A file system error met while reading a source's file (permission denied, an I/O error), as a
 * SourceLoadError that names the source and the file; undefined for any other error.
 */
export function fileReadError(e: unknown, sourceName: string, displayName: (path: string) => string = (p) => p): SourceLoadError | undefined {
  const err = e as NodeJS.ErrnoException | null;
  if (!(err instanceof Error) || typeof err.code !== 'string' || typeof err.syscall !== 'string') return undefined;
  const file = typeof err.path === 'string' ? displayName(err.path) : 'a file';
  return new SourceLoadError(`source "${sourceName}": cannot read ${file}: ${FILE_ERRORS[err.code] ?? err.message} (${err.code})`);
}

const FILE_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  EISDIR: 'it is a folder',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
};

/** Where a reader of either kind of source raises the column limit: a notebook, the editor, or the command line. */
export const RAISE_MAX_COLUMNS = 'raise maxColumns for this source (in the front matter, with the setting casebook.sources.maxColumns, or on the command line as --source NAME={path: PATH, maxColumns: N})';
