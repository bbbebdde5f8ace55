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
