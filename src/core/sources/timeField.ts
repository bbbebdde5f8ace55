/**
 * Which field is a source's event time, and how it is read. An explicit `time.field` is used as
 * is. Otherwise the candidates (`timestamp`, `@timestamp`, `time`, `ts`, `TimeGenerated`,
 * `eventTime`, `date`, in that order) are tried row by row: in the first row where a candidate has
 * a non-null value, the first such candidate whose value reads as a time becomes the time field;
 * a candidate whose first non-null value does not read as a time is dropped for good.
 */
import type { SourceSpec } from './spec';
import { TIME_FIELD_CANDIDATES } from './timeCandidates';
import { assumedYearWarning, isNumericText, TimeReader, yearInZone } from './timestamps';
import { resolveTimeZone } from './timezone';

/**
 * A bare number guessed as an epoch makes a candidate the time field only from 1990 on: a request
 * duration in `time` (0.253) or a yyyymmdd number in `date` would otherwise read as 1970.
 */
const EARLIEST_GUESSED_EPOCH_US = Date.UTC(1990, 0, 1) * 1000;

/** How far after "now" a yearless stamp may be in the assumed year (the log's clock may run ahead). */
const YEARLESS_LEEWAY_US = 24 * 60 * 60 * 1e6;

export interface TimeFieldState {
  readonly field: string | null;
  readonly candidates: readonly string[];
}

export function sameTimeFieldState(a: TimeFieldState, b: TimeFieldState): boolean {
  return a.field === b.field && a.candidates.length === b.candidates.length && a.candidates.every((c, i) => c === b.candidates[i]);
}

export class TimeFieldPolicy {
  /** The chosen field; null while undecided or when there is none. */
  field: string | null;
  /** Candidates still in the running (empty once decided). */
  candidates: string[];
  readonly reader: TimeReader;
  /** The year of yearless stamps: declared, or assumed (see `latest`). */
  private readonly year: number;
  /** With an assumed year (none declared): the latest time a yearless stamp may be (later ones go to the year before). */
  private readonly latest: number | undefined;
  /** Bumped whenever `field`/`candidates` change, so scanners can refresh what they look for. */
  version = 0;
  /** Whether ISO 8601 text is read as itself (format `auto` or `iso`), so scanners may read it from bytes. */
  readonly readsIsoText: boolean;
  /** Whether bare numbers are guessed as epochs (format `auto`). */
  private readonly guessesEpochs: boolean;

  constructor(spec: SourceSpec, now: Date, defaultField: string | null = null) {
    const time = spec.time === false ? null : spec.time;
    const zone = resolveTimeZone(time?.timezone ?? spec.timezone);
    this.latest = time?.year === undefined ? now.getTime() * 1000 + YEARLESS_LEEWAY_US : undefined;
    // Assumed: the year it is now where the stamps are written (a zone ahead of UTC may be in the next one).
    this.year = time?.year ?? yearInZone(now.getTime() * 1000, zone);
    this.reader = new TimeReader({ format: time?.format ?? 'auto', zone, year: this.year, latest: this.latest });
    this.readsIsoText = (time?.format ?? 'auto') === 'auto' || time?.format === 'iso';
    this.guessesEpochs = (time?.format ?? 'auto') === 'auto';
    if (spec.time === false) {
      this.field = null;
      this.candidates = [];
    } else if (time?.field ?? defaultField) {
      this.field = (time?.field ?? defaultField)!;
      this.candidates = [];
    } else {
      this.field = null;
      this.candidates = [...TIME_FIELD_CANDIDATES];
    }
  }

  /** The warning that yearless stamps were read in an assumed year, if they were. */
  yearWarning(): string | null {
    return this.latest === undefined ? null : assumedYearWarning(this.year, this.reader.yearlessYears, this.latest);
  }

  get undecided(): boolean {
    return this.field === null && this.candidates.length > 0;
  }

  /** The decision state, to carry it across threads. */
  state(): TimeFieldState {
    return { field: this.field, candidates: [...this.candidates] };
  }

  /** Adopts a state reached elsewhere (reading the start of the file, or an earlier range). */
  restore(state: TimeFieldState): void {
    this.field = state.field;
    this.candidates = [...state.candidates];
    this.version++;
  }

  /** Fields a projected read must still look at for the time field. */
  fieldsOfInterest(): string[] {
    return this.field !== null ? [this.field] : this.candidates;
  }

  /**
   * What a candidate field's value says about it: `time` makes it the time field, `not` rules it
   * out, `unsure` (a bare number guessed as an epoch before 1990: a sentinel 0, a duration) leaves
   * the choice to other values (see EARLIEST_GUESSED_EPOCH_US).
   */
  judgeCandidateValue(v: unknown): 'time' | 'not' | 'unsure' {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint') return 'not';
    const us = this.reader.readValue(v);
    if (Number.isNaN(us)) return 'not';
    if (us >= EARLIEST_GUESSED_EPOCH_US) return 'time';
    return this.guessesEpochs && (typeof v !== 'string' || isNumericText(v)) ? 'unsure' : 'time';
  }

  /**
   * Offers one row's values while undecided; `valueOf` returns undefined for an absent field.
   * Returns the chosen field when this row decided it.
   */
  offer(valueOf: (field: string) => unknown): string | null {
    for (const name of [...this.candidates]) {
      const v = valueOf(name);
      // An empty value says nothing about the field (as an empty CSV cell): the next row decides.
      if (v === undefined || v === null || v === '') continue;
      // A small epoch rules the field out too: rows read before a later decision would keep no
      // value for it (a CSV column is judged whole, so there it only leaves the choice to the rest).
      if (this.judgeCandidateValue(v) === 'time') {
        this.field = name;
        this.candidates = [];
        this.version++;
        return name;
      }
      this.candidates = this.candidates.filter((c) => c !== name);
      this.version++;
    }
    return null;
  }
}
