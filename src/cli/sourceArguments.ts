/**
 * The `--source` options of `casebook query`. `NAME=PATH` names a file (or a glob) with default
 * settings; `NAME={...}` gives the source the settings a notebook's front matter can, as a YAML
 * flow mapping (or JSON): a text log's time zone and the year its stamps leave out, say
 * `--source 'sys={path: auth.log, timezone: Europe/Berlin, time: {format: syslog, year: 2025}}'`.
 */
import { parseSources, SourceSpecError } from '../core/sources/spec';
import { yamlValue } from '../core/yamlValue';
import { UsageError } from './args';

const FORM = 'NAME=PATH or NAME={path: PATH, ...}';

/** The sources the options declare, validated as front matter's are; a usage error says what is wrong. */
export function sourceArguments(options: readonly string[]): Record<string, unknown> {
  const declared: Record<string, unknown> = {};
  for (const option of options) {
    const eq = option.indexOf('=');
    if (eq <= 0) throw new UsageError(`--source expects ${FORM}, got ${JSON.stringify(option)}`);
    const name = option.slice(0, eq);
    const value = option.slice(eq + 1);
    if (Object.hasOwn(declared, name)) throw new UsageError(`--source ${name} is given twice`);
    declared[name] = value.trimStart().startsWith('{') ? settingsOf(name, value) : value;
  }
  try {
    parseSources(declared);
  } catch (e) {
    if (e instanceof SourceSpecError) throw new UsageError(e.problems.map((p) => `--source: ${p}`).join('\n'));
    throw e;
  }
  return declared;
}

/** A source's settings written as a mapping. */
function settingsOf(name: string, text: string): unknown {
  // Required here, not imported: most queries name plain paths, and the command starts sooner
  // without loading the YAML parser.
  const { parseDocument } = require('yaml') as typeof import('yaml');
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    throw new UsageError(`--source ${name}: ${first.message.split('\n')[0]} (at character ${first.pos[0] + 1} of ${JSON.stringify(text)})`);
  }
  const parsed = yamlValue(doc);
  if (!parsed.ok) throw new UsageError(`--source ${name}: ${parsed.message}`);
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`--source ${name}: expected ${FORM}, got ${JSON.stringify(text)}`);
  return value;
}
