/**
 * The `--source` options of `casebook query`. `NAME=PATH` names a file (or a glob) with default
 * settings; `NAME={...}` gives the source the settings a notebook's front matter can, as a YAML
 * flow mapping (or JSON): a text log's time zone and the year its stamps leave out, say
 * `--source 'sys={path: auth.log, timezone: Europe/Berlin, time: {format: syslog, year: 2025}}'`.
 */
import { SourceFileNotFound } from '../core/sources/errors';
import { parseSources, SourceSpecError, type SourceSpec } from '../core/sources/spec';
import { yamlValue } from '../core/yamlValue';
import { UsageError } from './args';
import { isSourceSettings, sourceOption } from './largeSources';

const FORM = 'NAME=PATH or NAME={path: PATH, ...}';

/** The sources the options declare, validated as front matter's are; a usage error says what is wrong. */
export function sourceArguments(options: readonly string[]): Record<string, SourceSpec> {
  // A map, not an object: a name such as `__proto__` must reach validation as a name.
  const declared = new Map<string, unknown>();
  for (const option of options) {
    const parts = sourceOption(option);
    if (!parts) throw new UsageError(`--source expects ${FORM}, got ${JSON.stringify(option)}`);
    const { name, value } = parts;
    if (declared.has(name)) throw new UsageError(`--source: source ${JSON.stringify(name)} is given twice`);
    declared.set(name, isSourceSettings(value) ? settingsOf(name, value) : value);
  }
  try {
    return parseSources(Object.fromEntries(declared));
  } catch (e) {
    if (e instanceof SourceSpecError) throw new UsageError(e.problems.map((p) => `--source: ${p}`).join('\n'));
    throw e;
  }
}

/** A source's settings written as a mapping. */
function settingsOf(name: string, text: string): unknown {
  const fail = (message: string) => new UsageError(`--source: source ${JSON.stringify(name)}: ${message}`);
  // Required here, not imported: most queries name plain paths, and the command starts sooner
  // without loading the YAML parser.
  const { parseDocument } = require('yaml') as typeof import('yaml');
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    throw fail(`${first.message.split('\n')[0]} (at character ${first.pos[0] + 1} of ${JSON.stringify(text)})`);
  }
  const value = yamlValue(doc);
  if (!value.ok) throw fail(value.message);
  const settings = value.value;
  if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) throw fail(`expected ${FORM}, got ${JSON.stringify(text)}`);
  // `{path:auth.log}` is one key, `path:auth.log`, without a value: JSON habits, not a typo YAML reports.
  const joined = Object.keys(settings).find((k) => /^\w+:\S/.test(k));
  if (joined !== undefined) throw fail(`${JSON.stringify(joined)} reads as one key: YAML needs a space after the colon (${joined.replace(':', ': ')})`);
  return settings;
}

/**
 * A hint for a source's file not found when its `--source` value opens settings it never closes
 * (`{path: auth.log`): such a value is read as a path, and the error names it as one.
 */
export function unclosedSettingsHint(options: readonly string[], error: unknown): string {
  if (!(error instanceof SourceFileNotFound)) return '';
  for (const option of options) {
    const parts = sourceOption(option);
    const value = parts?.value.trim() ?? '';
    if (parts?.name === error.source && value.startsWith('{') && !isSourceSettings(value) && /^\{\s*["']?\w+["']?\s*:/.test(value))
      return `; settings for a source are a mapping between { and }, and this one does not end with "}", so it was read as a path`;
  }
  return '';
}
