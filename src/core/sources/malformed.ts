import { MALFORMED_SAMPLE_LIMIT } from './limits';

export interface MalformedSample {
  readonly file: string;
  /** 1-based physical line number in the (decompressed) file. */
  readonly line: number;
  readonly reason: string;
}

/** Counts every malformed line and keeps the first few as samples. */
export class MalformedLog {
  count = 0;
  readonly samples: MalformedSample[] = [];

  /** While false, callers may skip the work of tracking exact line numbers. */
  get wantsSamples(): boolean {
    return this.samples.length < MALFORMED_SAMPLE_LIMIT;
  }

  add(file: string, line: number, reason: string): void {
    this.count++;
    if (this.wantsSamples) this.samples.push({ file, line, reason: reason.length > 200 ? reason.slice(0, 200) + '…' : reason });
  }
}
