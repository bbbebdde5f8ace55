/**
 * Time zones for timestamps that carry no offset: fixed offsets (`+02:00`) and IANA names
 * (`Europe/Berlin`), the latter through `Intl.DateTimeFormat` so no tz database ships with us.
 */

export interface TimeZone {
  readonly name: string;
  /** Offset from UTC in milliseconds at a UTC instant. */
  offsetAtUtc(utcMs: number): number;
  /**
   * Offset to subtract from a wall-clock time (given as if it were UTC, in ms) to get UTC.
   * Ambiguous times (a clock set back) resolve to the earlier instant; times skipped by a clock
   * set forward are read with the offset in force before the change (so 02:30 becomes 03:30).
   */
  offsetForLocal(localMs: number): number;
}

/**
 * How the last wall-clock time an IANA zone resolved (`offsetForLocal`) lay: plainly (0), in an
 * hour the clocks repeat when set back (1), or in one they skip when set forward (2). Read, and
 * reset, with `takeLocalFold`.
 */
export type LocalFold = 0 | 1 | 2;
let lastFold: LocalFold = 0;

export function takeLocalFold(): LocalFold {
  const fold = lastFold;
  lastFold = 0;
  return fold;
}

const FIXED_OFFSET = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;
const DAY_MS = 86_400_000;

class FixedZone implements TimeZone {
  constructor(
    readonly name: string,
    private readonly offsetMs: number,
  ) {}
  offsetAtUtc(): number {
    return this.offsetMs;
  }
  offsetForLocal(): number {
    return this.offsetMs;
  }
}

export const UTC: TimeZone = new FixedZone('UTC', 0);

/** The offset of a zone only changes on whole quarter hours, so offsets are cached per quarter hour. */
const QUARTER_HOUR_MS = 15 * 60_000;
const OFFSET_CACHE_LIMIT = 50_000;

class IanaZone implements TimeZone {
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, number>();
  constructor(readonly name: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
  }

  offsetAtUtc(utcMs: number): number {
    const bucket = Math.floor(utcMs / QUARTER_HOUR_MS);
    let offset = this.cache.get(bucket);
    if (offset === undefined) {
      if (this.cache.size >= OFFSET_CACHE_LIMIT) this.cache.clear();
      offset = this.computeOffset(bucket * QUARTER_HOUR_MS);
      this.cache.set(bucket, offset);
    }
    return offset;
  }

  offsetForLocal(localMs: number): number {
    // At most one transition lies within a day of any instant, so the offsets a day before and a
    // day after are the only two candidates.
    const before = this.offsetAtUtc(localMs - DAY_MS);
    const after = this.offsetAtUtc(localMs + DAY_MS);
    if (before === after) return before;
    const beforeValid = this.offsetAtUtc(localMs - before) === before;
    const afterValid = this.offsetAtUtc(localMs - after) === after;
    if (beforeValid && afterValid) {
      lastFold = 1;
      return Math.max(before, after); // earlier instant
    }
    if (afterValid) return after;
    if (!beforeValid) lastFold = 2;
    return before; // valid with `before`, or a skipped wall-clock time
  }

  private computeOffset(utcMs: number): number {
    let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    let bc = false;
    for (const part of this.format.formatToParts(utcMs)) {
      switch (part.type) {
        case 'year': year = Number(part.value); break;
        case 'month': month = Number(part.value); break;
        case 'day': day = Number(part.value); break;
        case 'hour': hour = Number(part.value); break;
        case 'minute': minute = Number(part.value); break;
        case 'second': second = Number(part.value); break;
        case 'era': bc = part.value.startsWith('B'); break;
      }
    }
    if (bc) year = 1 - year;
    const wall = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
    return wall - (utcMs - mod(utcMs, 1000));
  }
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const zoneCache = new Map<string, TimeZone>();

/** A zone by name: `UTC`, `Z`, `+02:00`, `-0530`, `UTC+2`, or an IANA name. Throws on unknown names. */
export function resolveTimeZone(name: string): TimeZone {
  const cached = zoneCache.get(name);
  if (cached) return cached;
  const zone = createZone(name);
  zoneCache.set(name, zone);
  return zone;
}

function createZone(name: string): TimeZone {
  const trimmed = name.trim();
  if (/^(?:UTC|GMT|Z|Etc\/UTC)$/i.test(trimmed)) return new FixedZone(trimmed, 0);
  const fixed = FIXED_OFFSET.exec(trimmed);
  if (fixed) {
    const hours = Number(fixed[2]);
    const minutes = Number(fixed[3] ?? 0);
    if (hours > 18 || minutes > 59) throw new RangeError(`offset out of range: ${name}`);
    const ms = (hours * 60 + minutes) * 60_000;
    return new FixedZone(trimmed, fixed[1] === '-' ? -ms : ms);
  }
  try {
    return new IanaZone(new Intl.DateTimeFormat('en-US', { timeZone: trimmed }).resolvedOptions().timeZone);
  } catch {
    throw new RangeError(`unknown time zone: ${name}`);
  }
}

export function isValidTimeZone(name: string): boolean {
  try {
    resolveTimeZone(name);
    return true;
  } catch {
    return false;
  }
}
