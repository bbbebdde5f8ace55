/**
 * Source declarations as written in a notebook's front matter, validated with zod. The schema is
 * exported so the front matter parser can embed it; `parseSources` gives readable errors that
 * name the source and the field.
 */
import * as z from 'zod/mini';
import '../zodMessages'; // zod's English messages
import { DEFAULT_MAX_COLUMNS, DEFAULT_MAX_DECOMPRESSED_BYTES, DEFAULT_MAX_LINE_BYTES, parseByteSize } from './limits';
import { isValidTimeZone } from './timezone';

export const SOURCE_FORMATS = ['auto', 'jsonl', 'csv', 'tsv', 'text'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** Named time formats; anything containing `%` is a strftime-like pattern instead. */
export const NAMED_TIME_FORMATS = ['auto', 'iso', 'epoch_s', 'epoch_ms', 'epoch_us', 'epoch_ns', 'syslog', 'clf'] as const;
export type NamedTimeFormat = (typeof NAMED_TIME_FORMATS)[number];

export { TIME_FIELD_CANDIDATES } from './timeCandidates';

const PATTERN_DIRECTIVES = 'YymdeHIMSfzbBhpTFs%';

const TimeZoneSchema = z
  .string({ error: 'timezone must be a string such as "UTC", "Europe/Berlin" or "+02:00"' })
  .check(z.refine(isValidTimeZone, { error: (issue) => `unknown timezone ${JSON.stringify(issue.input)}: use an IANA name such as "Europe/Berlin" or a fixed offset such as "+02:00"` }));

const TimeFormatSchema = z.string({ error: 'time.format must be a string' }).check(
  z.refine((f: string) => (NAMED_TIME_FORMATS as readonly string[]).includes(f) || isValidPattern(f), {
    error: (issue) =>
      `unknown time format ${JSON.stringify(issue.input)}: use one of ${NAMED_TIME_FORMATS.join(', ')} or a pattern with %-directives (${[...PATTERN_DIRECTIVES].map((d) => '%' + d).join(' ')})`,
  }),
);

function isValidPattern(format: string): boolean {
  if (!format.includes('%')) return false;
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') continue;
    if (!PATTERN_DIRECTIVES.includes(format[i + 1] ?? '')) return false;
    i++;
  }
  return true;
}

const ByteSizeSchema = (setting: string) =>
  z.pipe(
    z.union([z.number(), z.string()], { error: `${setting} must be a byte count such as 1048576 or "64 MiB"` }),
    z.transform((v: number | string, ctx) => {
      const bytes = parseByteSize(v);
      if (Number.isNaN(bytes)) {
        ctx.issues.push({ code: 'custom', message: `${setting} must be a positive byte count such as 1048576 or "64 MiB", got ${JSON.stringify(v)}`, input: v });
        return z.NEVER;
      }
      return bytes;
    }),
  );

const TimeObjectSchema = z.strictObject({
  field: z.optional(z.string({ error: 'time.field must be a string' }).check(z.minLength(1, { error: 'time.field must not be empty' }))),
  format: z._default(TimeFormatSchema, 'auto'),
  year: z.optional(
    z
      .number({ error: 'time.year must be a number' })
      .check(
        z.int({ error: 'time.year must be a whole year' }),
        z.minimum(1, { error: 'time.year must be positive' }),
        z.maximum(9999, { error: 'time.year must be at most 9999' }),
      ),
  ),
  timezone: z.optional(TimeZoneSchema),
});

type TimeObject = z.output<typeof TimeObjectSchema>;

/** `time:` is a field name, an object, or `false` for "this source has no event time". */
const TimeSchema = z.transform((value: unknown, ctx): TimeObject | false => {
  if (value === false) return false;
  const result = TimeObjectSchema.safeParse(typeof value === 'string' ? { field: value } : value);
  if (result.success) return result.data;
  // Re-raise the object's own issues so the message names the exact field (a union would not).
  for (const issue of result.error.issues) {
    const message =
      issue.code === 'invalid_type' && issue.path.length === 0
        ? 'time must be a field name, an object { field, format, year, timezone } or false'
        : issue.code === 'unrecognized_keys'
          ? `unknown setting ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (allowed in time: field, format, year, timezone)`
          : issue.message;
    ctx.issues.push({ code: 'custom', message, path: issue.path, input: value });
  }
  return z.NEVER;
});

/**
 * An error message for a setting that takes text, which says to quote a number or true/false given
 * instead: YAML reads `path: 2025` as a number, which users do not see in what they wrote.
 */
function textExpected(message: string): (issue: { readonly input?: unknown }) => string {
  return ({ input }) => {
    const [value, where] = Array.isArray(input) ? [input.find((v) => typeof v !== 'string'), ' in the list'] : [input, ''];
    if (typeof value !== 'number' && typeof value !== 'boolean') return message;
    // A whole number or true/false reads back as it was written; 2025.10 would not (2025.1).
    const exact = typeof value === 'boolean' || Number.isSafeInteger(value);
    return `${message}; ${String(value)}${where} reads as a ${typeof value}: write it in quotes${exact ? ` ("${String(value)}")` : ''}`;
  };
}

const PathSchema = z.union(
  [
    z.string().check(z.minLength(1, { error: 'path must not be empty' })),
    z.array(z.string().check(z.minLength(1, { error: 'path entries must not be empty' }))).check(z.minLength(1, { error: 'path list must not be empty' })),
  ],
  { error: textExpected('path must be a file path, a glob, or a list of them') },
);

const MAX_COLUMNS_ERROR = 'maxColumns must be a whole number of at least 1';

const SourceObjectSchema = z.strictObject(
  {
    path: PathSchema,
    format: z._default(z.enum(SOURCE_FORMATS, { error: `format must be one of ${SOURCE_FORMATS.join(', ')}` }), 'auto'),
    timezone: z._default(TimeZoneSchema, 'UTC'),
    time: z.optional(TimeSchema),
    maxDecompressedBytes: z._default(ByteSizeSchema('maxDecompressedBytes'), DEFAULT_MAX_DECOMPRESSED_BYTES),
    maxLineBytes: z._default(ByteSizeSchema('maxLineBytes'), DEFAULT_MAX_LINE_BYTES),
    maxColumns: z._default(z.int({ error: MAX_COLUMNS_ERROR }).check(z.minimum(1, { error: MAX_COLUMNS_ERROR })), DEFAULT_MAX_COLUMNS),
  },
  { error: textExpected('a source must be a path or an object with at least `path`') },
);

/** One source entry: a path (shorthand) or an object. Output is fully defaulted. */
export const SourceSpecSchema = z.pipe(
  z.pipe(
    z.transform((v: unknown) => (typeof v === 'string' ? { path: v } : v)),
    SourceObjectSchema,
  ),
  z.transform((s: z.output<typeof SourceObjectSchema>) => ({ ...s, paths: typeof s.path === 'string' ? [s.path] : s.path })),
);

export type SourceSettings = z.output<typeof SourceSpecSchema>;
export type TimeSpec = Exclude<SourceSettings['time'], false | undefined>;
export type SourceSpecInput = z.input<typeof SourceSpecSchema>;

/** A validated source with its name, as `loadSource` takes it. */
export type SourceSpec = SourceSettings & { readonly name: string };

export const SOURCE_NAME = /^[A-Za-z_]\w*$/;

/** The `sources:` map of the front matter; the output carries each source's name. */
export const SourcesSchema = z.pipe(
  z.record(z.string().check(z.regex(SOURCE_NAME, { error: 'a source name must be an identifier (letters, digits, _)' })), SourceSpecSchema),
  z.transform((rec: Record<string, SourceSettings>) => {
    const out: Record<string, SourceSpec> = {};
    for (const [name, spec] of Object.entries(rec)) out[name] = { ...spec, name };
    return out;
  }),
);

export class SourceSpecError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'SourceSpecError';
  }
}

/** Validates the `sources:` map; throws `SourceSpecError` with one line per problem. */
export function parseSources(value: unknown): Record<string, SourceSpec> {
  // The record schema leaves a `__proto__` key out (against prototype pollution): say so rather
  // than lose the source.
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, '__proto__')) throw new SourceSpecError(['source name "__proto__" is reserved: choose another name']);
  const result = SourcesSchema.safeParse(value);
  if (result.success) return result.data;
  throw new SourceSpecError(describeSourceIssues(result.error.issues));
}

/** Validates one source entry under a name. */
export function parseSourceSpec(name: string, value: unknown): SourceSpec {
  return parseSources({ [name]: value })[name];
}

/** `source "proxy", time.format: unknown time format ...` for issues found under `sources:`. */
export function describeSourceIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const [name, ...field] = issue.path.map(String);
    if (name === undefined) return `sources: ${issue.message}`;
    if (issue.code === 'invalid_key') return `source name ${JSON.stringify(name)}: a source name must be an identifier (letters, digits, _)`;
    if (issue.code === 'unrecognized_keys') return `source "${name}"${field.length ? `, ${field.join('.')}` : ''}: unknown setting ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (allowed: path, format, timezone, time, maxDecompressedBytes, maxLineBytes, maxColumns; time: field, format, year, timezone)`;
    return `source "${name}"${field.length ? `, ${field.join('.')}` : ''}: ${issue.message}`;
  });
}
