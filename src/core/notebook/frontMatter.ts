/**
 * The notebook's YAML front matter: title, sources, parameters and options. Parsed with the
 * `yaml` library (positions for errors), validated with zod (messages that name the field).
 */
import { isAlias, isMap, LineCounter, parseDocument } from 'yaml';
import { yamlProblems } from '../yamlKeys';
import * as z from 'zod/mini';
import '../zodMessages'; // zod's English messages
import { closest } from '../query/suggest';
import { parseIsoInstant } from '../query/time';
import { parseSources, SourceSpecError } from '../sources/spec';
import { yamlValue } from '../yamlValue';

/** Integers arrive as bigint (read from their digits: exact 64-bit), reals as numbers. */
const ParamValue = z.union([z.string(), z.number(), z.bigint(), z.boolean(), z.null()]);

export const FrontMatterSchema = z.looseObject({
  title: z.optional(z.string()),
  description: z.optional(z.string()),
  /** Sources by name; each entry is validated by the sources module when it is used. */
  sources: z._default(z.record(z.string().check(z.regex(/^[A-Za-z_][\w]*$/, 'a source name must be an identifier (letters, digits, _)')), z.unknown()), {}),
  /** Values usable by name in queries. */
  params: z._default(z.record(z.string().check(z.regex(/^[A-Za-z_][\w]*$/, 'a parameter name must be an identifier')), ParamValue), {}),
  /** The instant `now()` and `ago()` refer to, so results are reproducible. */
  now: z.optional(z.string()),
});

export type FrontMatter = z.infer<typeof FrontMatterSchema>;

export interface FrontMatterProblem {
  message: string;
  /** 1-based line within the front matter text, when known. */
  line?: number;
}

/** `warnings`: keys that look like a misspelt known key (see `frontMatterWarnings`); none when the YAML itself is broken. */
export type FrontMatterOutcome = ({ ok: true; value: FrontMatter } | { ok: false; problems: FrontMatterProblem[] }) & { warnings: FrontMatterProblem[] };

export function parseFrontMatter(text: string | undefined): FrontMatterOutcome {
  if (text === undefined || text.trim() === '') return { ok: true, value: FrontMatterSchema.parse({}), warnings: [] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const errors = yamlProblems(doc);
  if (errors.length) {
    return {
      ok: false,
      problems: errors.map((e) => ({ message: `front matter: ${e.message}`, line: lineCounter.linePos(e.offset).line })),
      warnings: [],
    };
  }
  const warnings = misspeltKeys(doc, lineCounter);
  /** A problem at the node at `path`, with its line when the node is there. */
  const problemAt = (path: readonly string[], message: string): FrontMatterProblem => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return { message, ...(node?.range ? { line: lineCounter.linePos(node.range[0]).line } : {}) };
  };
  const value = yamlValue(doc);
  if (!value.ok) return { ok: false, problems: [{ message: `front matter: ${value.message}` }], warnings };
  const { data, problems: numberProblems } = typedNumberParams(doc, value.value);
  if (numberProblems.length) return { ok: false, problems: numberProblems.map(({ name, message }) => problemAt(['params', name], `front matter: params.${name}: ${message}`)), warnings };
  const reserved = reservedNames(data);
  if (reserved) return { ok: false, problems: [problemAt([reserved, '__proto__'], `front matter: ${reserved}: the name "__proto__" is reserved: choose another name`)], warnings };
  const parsed = FrontMatterSchema.safeParse(data ?? {});
  if (!parsed.success) {
    return {
      warnings,
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const path = issue.path.map(String);
        return problemAt(path, `front matter: ${path.join('.') || '(root)'}: ${issue.message}`);
      }),
    };
  }
  // A parameter hides a source of the same name from every query: say so where it is written.
  for (const name of Object.keys(parsed.data.params)) {
    if (Object.hasOwn(parsed.data.sources, name)) warnings.push(problemAt(['params', name], `front matter: params.${name} has the name of a source; queries see the parameter, not the source`));
  }
  return { ok: true, value: parsed.data, warnings };
}

/**
 * The map (`sources` or `params`) that names something `__proto__`: the schema's records leave
 * that key out (against prototype pollution), which would lose the source or parameter unsaid.
 */
function reservedNames(data: unknown): 'sources' | 'params' | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  for (const key of ['sources', 'params'] as const) {
    const map: unknown = (data as Record<string, unknown>)[key];
    if (map !== null && typeof map === 'object' && Object.hasOwn(map, '__proto__')) return key;
  }
  return undefined;
}

const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;

/**
 * Numeric parameters typed by how they are written, as a query literal would be: an integer
 * (`42`, `9007199254740993`) is an exact 64-bit long, read from its digits (YAML alone would
 * round it); anything else (`1.5`, `1e20`, `3.0e3`) is a real. A decimal integer outside 64
 * bits is an error rather than a value cut to fit; hex and octal take their low 64 bits, as the
 * same literal in a query does (`0xFFFFFFFFFFFFFFFF` is -1).
 */
function typedNumberParams(doc: ReturnType<typeof parseDocument>, data: unknown): { data: unknown; problems: { name: string; message: string }[] } {
  const params = (data as { params?: unknown } | null)?.params;
  if (!params || typeof params !== 'object') return { data, problems: [] };
  const typed: Record<string, unknown> = { ...(params as Record<string, unknown>) };
  const problems: { name: string; message: string }[] = [];
  // Aliases (`params: *p`, `b: *a`) are read where their anchors are written.
  const resolved = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);
  const map = resolved(doc.get('params', true));
  for (const [name, value] of Object.entries(typed)) {
    if (typeof value !== 'number') continue;
    const node = resolved(isMap(map) ? map.get(name, true) : undefined);
    const written = typeof (node as { source?: unknown } | undefined)?.source === 'string' ? (node as { source: string }).source.trim() : '';
    if (/^0x[0-9a-f]+$|^0o[0-7]+$/i.test(written)) {
      typed[name] = BigInt.asIntN(64, BigInt(written)); // 64 bits, as the same literal in a query (0xFFFFFFFFFFFFFFFF is -1)
    } else if (/^[-+]?\d+$/.test(written)) {
      const long = BigInt(written);
      if (long < MIN_LONG || long > MAX_LONG) problems.push({ name, message: `${written} is outside the range of a 64-bit integer; quote it to keep it as text, or write it as a real (${value.toExponential()})` });
      else typed[name] = long;
    }
  }
  return { data: { ...(data as Record<string, unknown>), params: typed }, problems };
}

/** Every problem with a front matter text, one line each (empty when it is fine). */
export function validateFrontMatter(text: string | undefined): string[] {
  return frontMatterErrors(text).map(describeProblem);
}

/** A problem as one line, with its front matter line when known. */
export function describeProblem(p: FrontMatterProblem): string {
  return p.line ? `${p.message} (front matter line ${p.line})` : p.message;
}

/** Problems that stop the notebook from running: YAML, fields, source declarations. */
export function frontMatterErrors(text: string | undefined): FrontMatterProblem[] {
  return checkFrontMatter(text).errors;
}

/** The errors (see `frontMatterErrors`) and the warnings (see `frontMatterWarnings`) of one reading. */
export function checkFrontMatter(text: string | undefined): { errors: FrontMatterProblem[]; warnings: FrontMatterProblem[] } {
  const fm = parseFrontMatter(text);
  if (!fm.ok) return { errors: fm.problems, warnings: fm.warnings };
  try {
    parseSources(fm.value.sources);
  } catch (e) {
    if (e instanceof SourceSpecError) return { errors: e.problems.map((p) => ({ message: `front matter: ${p}` })), warnings: fm.warnings };
    throw e;
  }
  return { errors: [], warnings: fm.warnings };
}

const KNOWN_KEYS = ['title', 'description', 'sources', 'params', 'now'];

/**
 * Top-level keys that look like a misspelt known key (`sorces:`), with their line. Other keys are
 * kept and ignored (front matter often carries `author`, `tags` ...), so only near misses warn.
 */
export function frontMatterWarnings(text: string | undefined): FrontMatterProblem[] {
  return parseFrontMatter(text).warnings;
}

function misspeltKeys(doc: ReturnType<typeof parseDocument>, lineCounter: LineCounter): FrontMatterProblem[] {
  if (!doc.contents || !('items' in doc.contents)) return [];
  const warnings: FrontMatterProblem[] = [];
  for (const item of doc.contents.items as { key?: { value?: unknown; range?: [number, number, number] } }[]) {
    const key = item.key?.value;
    if (typeof key !== 'string' || KNOWN_KEYS.includes(key)) continue;
    const near = closest(key, KNOWN_KEYS);
    if (!near) continue;
    const line = item.key?.range ? lineCounter.linePos(item.key.range[0]).line : undefined;
    warnings.push({ message: `front matter: unknown key \`${key}\`; did you mean \`${near}\`? (Casebook ignores it)`, ...(line ? { line } : {}) });
  }
  return warnings;
}

/** The instant a notebook's `now` names, in microseconds; null when it is not a date-time, undefined when unset. */
export function fixedNowMicros(fm: FrontMatter): number | null | undefined {
  if (fm.now === undefined) return undefined;
  return parseIsoInstant(fm.now);
}

/** Parameter values as queries see them: integers are exact 64-bit longs (bigint), other numbers reals. */
export function queryParams(fm: FrontMatter): Record<string, string | boolean | bigint | number | null> {
  return { ...fm.params };
}
