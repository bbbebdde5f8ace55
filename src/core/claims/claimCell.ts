/**
 * Claim cells: YAML validated with zod. A claim states who claims what, and which evidence (query
 * cells by id, or inline queries under `evidence:`) would support or contradict it.
 *
 *   claim: Only public chat rooms were exposed
 *   by: Platform operator
 *   stated: 2026-06-09
 *   contradicted-if: nonpublic-reads has rows
 *   supported-if: every row of reads satisfies `room_visibility == "public"`
 */
import { LineCounter, parseDocument } from 'yaml';
import { yamlProblems } from '../yamlKeys';
import * as z from 'zod/mini';
import '../zodMessages'; // zod's English messages
import { yamlValue } from '../yamlValue';
import { ConditionSyntaxError, parseCondition, type Condition } from './conditions';

export const VERDICTS = ['supported', 'contradicted', 'inconclusive'] as const;
export type Verdict = (typeof VERDICTS)[number];

const ConditionText = z.union([z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))], {
  error: 'a condition is a text such as "nonpublic-reads has rows", or a list of them (all must hold)',
});

const TimeText = z.pipe(
  z.union([z.string(), z.date()]),
  z.transform((v: string | Date) => (v instanceof Date ? v.toISOString() : v)),
);

export const ClaimSchema = z.strictObject({
  claim: z.string({ error: '`claim:` states what is claimed, in one sentence' }).check(z.minLength(1)),
  by: z.string({ error: '`by:` names who makes the claim' }).check(z.minLength(1)),
  stated: z.optional(TimeText),
  /** The period the claim is about, `START .. END` (ISO 8601); drawn on timelines. */
  window: z.optional(z.string().check(z.regex(/^\s*\S+\s*\.\.\s*\S+\s*$/, { error: 'window is written `START .. END`, for example `2026-06-09T02:00Z .. 2026-06-09T06:00Z`' }))),
  'supported-if': z.optional(ConditionText),
  'contradicted-if': z.optional(ConditionText),
  'inconclusive-if': z.optional(ConditionText),
  /** Inline evidence queries, usable by name in conditions. */
  evidence: z.optional(z.record(z.string().check(z.regex(/^[A-Za-z][\w-]*$/, { error: 'evidence names are identifiers such as big-exports' })), z.string().check(z.minLength(1)))),
  judgement: z.optional(
    z.strictObject({
      verdict: z.enum(VERDICTS, { error: `judgement.verdict is one of ${VERDICTS.join(', ')}` }),
      by: z.string({ error: 'judgement.by names who made the judgement' }).check(z.minLength(1)),
      rationale: z.string({ error: 'judgement.rationale says why' }).check(z.minLength(1)),
      date: z.optional(TimeText),
    }),
  ),
  note: z.optional(z.string()),
});

export type ClaimInput = z.output<typeof ClaimSchema>;

export type RuleRole = 'supported-if' | 'contradicted-if' | 'inconclusive-if';
export const RULE_ROLES: readonly RuleRole[] = ['contradicted-if', 'supported-if', 'inconclusive-if'];

export interface Rule {
  readonly role: RuleRole;
  /** The condition as written (one list entry). */
  readonly text: string;
  readonly condition: Condition;
}

export interface Claim extends Omit<ClaimInput, RuleRole> {
  readonly rules: readonly Rule[];
}

export class ClaimSyntaxError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ClaimSyntaxError';
  }
}

export function parseClaim(source: string): Claim {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const [problem] = yamlProblems(doc);
  if (problem) {
    const { line, col } = lineCounter.linePos(problem.offset);
    throw new ClaimSyntaxError(`claim: ${problem.message} (line ${line}, column ${col})`);
  }
  const value = yamlValue(doc);
  if (!value.ok) throw new ClaimSyntaxError(`claim: ${value.message}`);
  const parsed = ClaimSchema.safeParse(value.value ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String);
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      const where = node?.range ? ` (line ${lineCounter.linePos(node.range[0]).line})` : '';
      if (issue.code === 'unrecognized_keys') return `claim: unknown field ${issue.keys.map((k) => `\`${k}\``).join(', ')}; fields: claim, by, stated, window, supported-if, contradicted-if, inconclusive-if, evidence, judgement, note`;
      return `claim: ${path.join('.') || 'the cell'}: ${issue.message}${where}`;
    });
    throw new ClaimSyntaxError(lines[0], lines.slice(1).join('\n') || undefined);
  }
  const { 'supported-if': supported, 'contradicted-if': contradicted, 'inconclusive-if': inconclusive, ...rest } = parsed.data;
  const byRole: Record<RuleRole, string | string[] | undefined> = { 'contradicted-if': contradicted, 'supported-if': supported, 'inconclusive-if': inconclusive };
  const rules: Rule[] = [];
  for (const role of RULE_ROLES) {
    const value = byRole[role];
    for (const text of value === undefined ? [] : Array.isArray(value) ? value : [value]) {
      try {
        rules.push({ role, text, condition: parseCondition(text) });
      } catch (e) {
        if (e instanceof ConditionSyntaxError) throw new ClaimSyntaxError(`claim: ${role}: ${e.message}`, e.format());
        throw e;
      }
    }
  }
  return { ...rest, rules };
}
