/**
 * The notebook's YAML front matter: title, sources, parameters and options. Parsed with the
 * `yaml` library (positions for errors), validated with zod (messages that name the field).
 */
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { parseSources, SourceSpecError } from '../sources/spec';

const ParamValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const FrontMatterSchema = z
  .object({
    title: z.string().optional(),
    description: z.string().optional(),
    /** Sources by name; each entry is validated by the sources module when it is used. */
    sources: z.record(z.string().regex(/^[A-Za-z_][\w]*$/, 'a source name must be an identifier (letters, digits, _)'), z.unknown()).default({}),
    /** Values usable by name in queries. */
    params: z.record(z.string().regex(/^[A-Za-z_][\w]*$/, 'a parameter name must be an identifier'), ParamValue).default({}),
    /** The instant `now()` and `ago()` refer to, so results are reproducible. */
    now: z.string().optional(),
  })
  .passthrough();

export type FrontMatter = z.infer<typeof FrontMatterSchema>;

export interface FrontMatterProblem {
  message: string;
  /** 1-based line within the front matter text, when known. */
  line?: number;
}

export type FrontMatterOutcome = { ok: true; value: FrontMatter } | { ok: false; problems: FrontMatterProblem[] };

export function parseFrontMatter(text: string | undefined): FrontMatterOutcome {
  if (text === undefined || text.trim() === '') return { ok: true, value: FrontMatterSchema.parse({}) };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ message: `front matter: ${e.message.split('\n')[0]}`, line: lineCounter.linePos(e.pos[0]).line })),
    };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const parsed = FrontMatterSchema.safeParse(data ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const path = issue.path.map(String);
        const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
        const line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
        return { message: `front matter: ${path.join('.') || '(root)'}: ${issue.message}`, ...(line ? { line } : {}) };
      }),
    };
  }
  return { ok: true, value: parsed.data };
}

/** Every problem with a front matter text, one line each (empty when it is fine). */
export function validateFrontMatter(text: string | undefined): string[] {
  const fm = parseFrontMatter(text);
  if (!fm.ok) return fm.problems.map((p) => (p.line ? `${p.message} (front matter line ${p.line})` : p.message));
  try {
    parseSources(fm.value.sources);
  } catch (e) {
    if (e instanceof SourceSpecError) return e.problems.map((p) => `front matter: ${p}`);
    throw e;
  }
  return [];
}
