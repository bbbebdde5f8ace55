import { strict as assert } from 'node:assert';
import { UsageError } from '../../../src/cli/args';
import { sourceArguments } from '../../../src/cli/sourceArguments';
import { forTextsOf } from '../textProperty';

describe('cli: --source options', () => {
  const usageError = (options: string[], message: RegExp) => assert.throws(() => sourceArguments(options), (e: unknown) => e instanceof UsageError && message.test(e.message));
  /** The settings the options give each source, as front matter would. */
  const settings = (options: string[]) => Object.fromEntries(Object.entries(sourceArguments(options)).map(([name, s]) => [name, { paths: s.paths, format: s.format, timezone: s.timezone, time: s.time }]));

  it('takes NAME=PATH as a path, and NAME={...} as the settings front matter gives a source', () => {
    assert.deepEqual(settings(['auth=logs/auth.jsonl', 'sys={path: "logs/a b.log", timezone: "+02:00", time: {format: syslog, year: 2025}}', 'raw={"path": "x.csv", "format": "csv"}']), {
      auth: { paths: ['logs/auth.jsonl'], format: 'auto', timezone: 'UTC', time: undefined },
      sys: { paths: ['logs/a b.log'], format: 'auto', timezone: '+02:00', time: { format: 'syslog', year: 2025 } },
      raw: { paths: ['x.csv'], format: 'csv', timezone: 'UTC', time: undefined },
    });
    // Only the first `=` separates; a path may begin with a brace; a Windows path goes in single quotes.
    assert.deepEqual(settings(['q=a=b.jsonl', 'list={path: [a.log, b.log]}', 'braced={2025}.jsonl', 'unclosed={path: x.log', "win={path: 'C:\\logs\\a.log'}"]), {
      q: { paths: ['a=b.jsonl'], format: 'auto', timezone: 'UTC', time: undefined },
      list: { paths: ['a.log', 'b.log'], format: 'auto', timezone: 'UTC', time: undefined },
      braced: { paths: ['{2025}.jsonl'], format: 'auto', timezone: 'UTC', time: undefined },
      // Settings open and close with braces: anything else is a path (a missing file, if a typo).
      unclosed: { paths: ['{path: x.log'], format: 'auto', timezone: 'UTC', time: undefined },
      win: { paths: ['C:\\logs\\a.log'], format: 'auto', timezone: 'UTC', time: undefined },
    });
  });

  it('says what is wrong with an option, and with which source', () => {
    usageError(['auth'], /^--source expects NAME=PATH or NAME=\{path: PATH, \.\.\.\}, got "auth"$/);
    usageError(['=x.jsonl'], /^--source expects NAME=PATH/);
    usageError(['a=x.jsonl', 'a=y.jsonl'], /^--source: source "a" is given twice$/);
    usageError(['bad-name=x.jsonl'], /^--source: source name "bad-name": a source name must be an identifier/);
    usageError(['__proto__=x.jsonl'], /^--source: source name "__proto__" is reserved/);
    usageError(['s={path: x.log, path: y.log}'], /^--source: source "s": .*unique/i);
    usageError(['s={path: [x.log}'], /^--source: source "s": Flow sequence .* \(at character 14 of "\{path: \[x\.log\}"\)$/);
    usageError(['s={path:x.log}'], /^--source: source "s": "path:x\.log" reads as one key: YAML needs a space after the colon \(path: x\.log\)$/);
    usageError(['s={}'], /^--source: source "s", path: /);
    usageError(['s={path: x.log, maxLineBytes: lots}'], /^--source: source "s", maxLineBytes: maxLineBytes must be a positive byte count/);
    usageError(['s={path: x.log, zone: UTC}'], /^--source: source "s": unknown setting "zone"/);
  });

  it('only ever fails with a usage error, whatever the text of the settings (seeded)', () => {
    const pieces = ['{', '}', '[', ']', ',', ':', ': ', ' ', "'", '"', '\\', '&a', '*a', '!!str', '!x', '#', '\n', '|', '>', '-', '?', '%', '@', '`', '~', 'null', '2025', '0x1F', '1e400', 'path', 'format', 'time', 'year', 'timezone', 'x.log', 'UTC', '+02:00', 'syslog', '__proto__', 'constructor', '<<'];
    forTextsOf(pieces, (text) => {
      const option = `s={${text}}`;
      try {
        const specs = sourceArguments([option]);
        assert.ok(Object.hasOwn(specs, 's') && specs.s.paths.length > 0, option);
      } catch (e) {
        if (!(e instanceof UsageError)) throw new Error(`${option}: ${String(e)}`);
        assert.match(e.message, /^--source: source/, option);
      }
    });
  });

  it('refuses aliases that would expand without bound', () => {
    const laughs = 's={a: &a [x, x, x, x, x, x, x, x, x, x], b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a], c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b], path: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]}';
    usageError([laughs], /^--source: source "s": Excessive alias count/);
  });
});
