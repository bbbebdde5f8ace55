/** A load that cannot go on (missing file, decompression cap, unknown format). Malformed lines are not errors. */
export class SourceLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceLoadError';
  }
}
