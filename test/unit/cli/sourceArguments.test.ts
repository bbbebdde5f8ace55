import { strict as assert } from 'node:assert';
import { UsageError } from '../../../src/cli/args';
import { sourceArguments } from '../../../src/cli/sourceArguments';

describe('cli: --source options', () => {
  const usageError = (options: string[], message: RegExp) => assert.throws(() => sourceArguments(options), (e: unknown) => e instanceof UsageError && message.test(e.message));

  it('takes NAME=PATH as a path, and NAME={...} as the settings front matter gives a source', () => {
    assert.deepEqual(sourceArguments(['auth=logs/auth.jsonl', 'sys={path: "logs/a b.log", timezone: "+02:00", time: {format: syslog, year: 2025}}', 'raw={"path": "x.csv", "format": "csv"}']), {
      auth: 'logs/auth.jsonl',
      sys: { path: 'logs/a b.log', timezone: '+02:00', time: { format: 'syslog', year: 2025 } },
      raw: { path: 'x.csv', format: 'csv' },
    });
    // Only the first `=` separates: a path may hold more.
    assert.deepEqual(sourceArguments(['q=a=b.jsonl', 'list={path: [a.log, b.log]}']), { q: 'a=b.jsonl', list: { path: ['a.log', 'b.log'] } });
  });

  it('says what is wrong with an option, and which', () => {
    usageError(['auth'], /--source expects NAME=PATH or NAME=\{path: PATH, \.\.\.\}, got "auth"/);
    usageError(['=x.jsonl'], /--source expects NAME=PATH/);
    usageError(['a=x.jsonl', 'a=y.jsonl'], /--source a is given twice/);
    usageError(['bad-name=x.jsonl'], /--source: source name "bad-name": a source name must be an identifier/);
    usageError(['s={path: x.log, path: y.log}'], /--source s: .*unique/i);
    usageError(['s={path: x.log'], /--source s: .* \(at character 13 of "\{path: x\.log"\)/);
    usageError(['s={}'], /--source: source "s", path: /);
    usageError(['s={path: x.log, maxLineBytes: lots}'], /--source: source "s", maxLineBytes: maxLineBytes must be a positive byte count/);
    usageError(['s={path: x.log, zone: UTC}'], /--source: source "s": unknown setting "zone"/);
  });

  it('reads no value of a mapping as code, and refuses an alias bomb', () => {
    assert.deepEqual(sourceArguments(['s={path: !!js/function "x", format: text}']), { s: { path: 'x', format: 'text' } });
    const bomb = `s={a: &a [x, x, x, x, x, x, x, x, x, x], b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a], c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b], path: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]}`;
    usageError([bomb], /--source s: /);
  });
});
