import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patternFolder, sourcesOutside } from '../../../src/core/notebook/sourcePaths';
import { resolveSourcePaths } from '../../../src/core/sources/paths';

describe('source paths outside the workspace', () => {
  it('finds the folder a pattern reads from', () => {
    assert.equal(patternFolder('data/auth.jsonl', '/ws/case'), '/ws/case/data');
    assert.equal(patternFolder('logs/*/access-*.jsonl.gz', '/ws'), '/ws/logs');
    assert.equal(patternFolder('/var/log/**/*.log', '/ws'), '/var/log');
  });

  it('lists only the sources that leave the workspace, including through ..', async () => {
    const outside = await sourcesOutside({ auth: 'data/auth.jsonl', escape: '../../etc/passwd', abs: { path: ['/var/log/syslog', 'data/x.log'] } }, '/ws/case', ['/ws']);
    assert.deepEqual(
      outside.map((o) => [o.source, o.pattern]),
      [
        ['escape', '../../etc/passwd'],
        ['abs', '/var/log/syslog'],
      ],
    );
  });

  it('treats a sibling folder with a common prefix as outside', async () => {
    assert.equal((await sourcesOutside({ a: '/ws-other/x.jsonl' }, '/ws', ['/ws'])).length, 1);
  });
});

describe('source paths: symbolic links', () => {
  it('follows a link inside the workspace to where it really points', async () => {
    const base = mkdtempSync(join(tmpdir(), 'casebook-links-'));
    mkdirSync(join(base, 'ws'));
    mkdirSync(join(base, 'outside'));
    symlinkSync(join(base, 'outside'), join(base, 'ws', 'data'));
    const outside = await sourcesOutside({ secret: 'data/secret.jsonl', fine: 'notes.jsonl' }, join(base, 'ws'), [join(base, 'ws')]);
    assert.deepEqual(outside.map((o) => o.source), ['secret']);
  });

  it('finds matched files that are links to elsewhere', async () => {
    const base = mkdtempSync(join(tmpdir(), 'casebook-links-'));
    for (const d of ['ws/data/own', 'outside/deep']) mkdirSync(join(base, d), { recursive: true });
    writeFileSync(join(base, 'outside', 'secret.jsonl'), '{}\n');
    writeFileSync(join(base, 'outside', 'deep', 'more.jsonl'), '{}\n');
    writeFileSync(join(base, 'ws', 'data', 'own', 'mine.jsonl'), '{}\n');
    symlinkSync(join(base, 'outside', 'secret.jsonl'), join(base, 'ws', 'data', 'link.jsonl'));
    symlinkSync(join(base, 'outside', 'deep'), join(base, 'ws', 'data', 'linked'));
    const ws = join(base, 'ws');
    const outside = await sourcesOutside({ one: 'data/link.jsonl', all: 'data/**/*.jsonl', star: 'data/*/more.jsonl', mine: 'data/own/*.jsonl' }, ws, [ws]);
    assert.deepEqual(
      outside.map((o) => [o.source, o.folder]),
      [
        ['one', join(base, 'outside')],
        ['all', join(base, 'outside')],
        ['star', join(base, 'outside', 'deep')],
      ],
    );
    // What is checked is what a load reads: the files the patterns resolve to.
    assert.ok(!(await resolveSourcePaths(['data/**/*.jsonl'], ws, 'all')).some((f) => f.includes('more.jsonl')));
  });
});
