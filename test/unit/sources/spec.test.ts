import assert from 'node:assert/strict';
import YAML from 'yaml';
import { compileTimePattern } from '../../../src/core/sources/timestamps';
import { parseSources, SourceSpecError, SourceSpecSchema, SourcesSchema, DEFAULT_MAX_LINE_BYTES } from '../../../src/core/sources';

function problems(value: unknown): string[] {
  try {
    parseSources(value);
  } catch (e) {
    assert.ok(e instanceof SourceSpecError);
    return [...e.problems];
  }
  assert.fail('expected a SourceSpecError');
}

describe('sources/spec', () => {
  it('accepts the documented front-matter forms and fills defaults', () => {
    const doc = YAML.parse(`
sources:
  auth: data/auth.jsonl
  access: { path: data/access-*.jsonl.gz, timezone: Europe/Berlin }
  proxy: { path: data/proxy.log, format: text, time: { field: line, format: syslog, year: 2026, timezone: "+02:00" } }
  users: { path: [data/users.csv, data/more-users.csv], maxLineBytes: 1 MiB, maxDecompressedBytes: 2GB }
`);
    const s = parseSources(doc.sources);
    assert.deepEqual(Object.keys(s), ['auth', 'access', 'proxy', 'users']);
    assert.equal(s.auth.name, 'auth');
    assert.deepEqual(s.auth.paths, ['data/auth.jsonl']);
    assert.equal(s.auth.format, 'auto');
    assert.equal(s.auth.timezone, 'UTC');
    assert.equal(s.auth.maxLineBytes, DEFAULT_MAX_LINE_BYTES);
    assert.equal(s.auth.maxColumns, 1000);
    assert.equal(s.auth.time, undefined);
    assert.equal(s.access.timezone, 'Europe/Berlin');
    assert.deepEqual(s.proxy.time, { field: 'line', format: 'syslog', year: 2026, timezone: '+02:00' });
    assert.deepEqual(s.users.paths, ['data/users.csv', 'data/more-users.csv']);
    assert.equal(s.users.maxLineBytes, 1024 * 1024);
    assert.equal(s.users.maxDecompressedBytes, 2_000_000_000);
  });

  it('takes `time` as a field name, a pattern object, or false', () => {
    const s = parseSources({
      a: { path: 'a.jsonl', time: 'eventTime' },
      b: { path: 'b.log', time: { format: '[%d/%b/%Y:%H:%M:%S %z]' } },
      c: { path: 'c.jsonl', time: false },
    });
    assert.deepEqual(s.a.time, { field: 'eventTime', format: 'auto' });
    assert.deepEqual(s.b.time, { format: '[%d/%b/%Y:%H:%M:%S %z]' });
    assert.equal(s.c.time, false);
  });

  it('names the source and the field in every error', () => {
    assert.deepEqual(problems({ a: { path: 'x', timezone: 'Mars/Olympus' } }), [
      'source "a", timezone: unknown timezone "Mars/Olympus": use an IANA name such as "Europe/Berlin" or a fixed offset such as "+02:00"',
    ]);
    assert.match(problems({ b: { path: 'x', time: { format: 'weird' } } })[0], /^source "b", time\.format: unknown time format "weird"/);
    assert.match(problems({ b: { path: 'x', time: { format: '%Y-%Q' } } })[0], /^source "b", time\.format: /);
    // The message lists every directive a pattern may use (%y and %h were accepted but not listed).
    const listed = /%-directives \((.*)\)$/.exec(problems({ b: { path: 'x', time: { format: 'weird' } } })[0])![1].split(' ');
    assert.deepEqual(listed, ['%Y', '%y', '%m', '%d', '%e', '%H', '%I', '%M', '%S', '%f', '%z', '%b', '%B', '%h', '%p', '%T', '%F', '%s', '%%']);
    for (const d of listed) {
      assert.doesNotThrow(() => parseSources({ b: { path: 'x', time: { format: `<${d}>` } } }), d);
      assert.doesNotThrow(() => compileTimePattern(`<${d}>`), d);
    }
    assert.equal(problems({ i: { path: 'x', time: { year: 2026.5 } } })[0], 'source "i", time.year: time.year must be a whole year');
    assert.deepEqual(problems({ j: { path: 'x', time: { year: 2 ** 53 } } }), ['source "j", time.year: time.year must be a whole year', 'source "j", time.year: time.year must be at most 9999']);
    assert.match(problems({ c: { path: 'x', colour: 'red' } })[0], /^source "c": unknown setting "colour"/);
    assert.match(problems({ t: { path: 'x', time: { field: 'ts', zone: 'UTC' } } })[0], /^source "t", time: unknown setting "zone"/);
    assert.equal(problems({ 'bad-name': 'x' })[0], 'source name "bad-name": a source name must be an identifier (letters, digits, _)');
    assert.equal(problems({ e: [] })[0], 'source "e": a source must be a path or an object with at least `path`');
    assert.equal(problems({ e: 3 })[0], 'source "e": a source must be a path or an object with at least `path`; 3 reads as a number: write it in quotes ("3")');
    assert.equal(problems({ f: { path: 'x', maxLineBytes: '10 parsecs' } })[0], 'source "f", maxLineBytes: maxLineBytes must be a positive byte count such as 1048576 or "64 MiB", got "10 parsecs"');
    for (const bad of [0, 2.5, '100'])
      assert.equal(problems({ m: { path: 'x', maxColumns: bad } })[0], 'source "m", maxColumns: maxColumns must be a whole number of at least 1', String(bad));
    assert.equal(parseSources({ m: { path: 'x', maxColumns: 5000 } }).m.maxColumns, 5000);
    assert.equal(problems({ g: { path: [] } })[0], 'source "g", path: path list must not be empty');
    // YAML reads these as a number and a boolean: the message says to quote them.
    assert.equal(problems({ n: { path: 2025 } })[0], 'source "n", path: path must be a file path, a glob, or a list of them; 2025 reads as a number: write it in quotes ("2025")');
    assert.equal(problems({ n: true })[0], 'source "n": a source must be a path or an object with at least `path`; true reads as a boolean: write it in quotes ("true")');
    assert.equal(problems({ n: { path: null } })[0], 'source "n", path: path must be a file path, a glob, or a list of them');
    assert.equal(problems({ n: { path: ['a.log', 2025] } })[0], 'source "n", path: path must be a file path, a glob, or a list of them; 2025 in the list reads as a number: write it in quotes ("2025")');
    // What YAML read is not what was written (2025.10): the advice does not repeat it.
    assert.equal(problems({ n: { path: 2025.1 } })[0], 'source "n", path: path must be a file path, a glob, or a list of them; 2025.1 reads as a number: write it in quotes');
    assert.equal(problems({ h: { path: 'x', format: 'xml' } })[0], 'source "h", format: format must be one of auto, jsonl, csv, tsv, text');
    assert.equal(problems({ j: { format: 'csv' } }).length, 1);
    assert.match(problems({ j: { format: 'csv' } })[0], /^source "j", path: /);
  });

  it('reports every problem at once', () => {
    assert.equal(problems({ a: { path: 'x', timezone: 'Nowhere/Land' }, b: { path: 'y', format: 'xml' } }).length, 2);
  });

  it('exports the schemas for embedding', () => {
    assert.equal(SourceSpecSchema.parse('x.csv').paths[0], 'x.csv');
    assert.equal(SourcesSchema.safeParse({ a: 'x.csv' }).success, true);
    assert.equal(SourcesSchema.safeParse({ a: { path: 'x', timezone: '+25:00' } }).success, false);
  });
});
