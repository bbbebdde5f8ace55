import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patternFolder, sourcesOutside } from '../../../src/core/notebook/sourcePaths';

describe('source paths outside the workspace', () => {
  it('finds the folder a pattern reads from', () => {
    assert.equal(patternFolder('data/auth.jsonl', '/ws/case'), '/ws/case/data');
    assert.equal(patternFolder('logs/*/access-*.jsonl.gz', '/ws'), '/ws/logs');
    assert.equal(patternFolder('/var/log/**/*.log', '/ws'), '/var/log');
  });

  it('lists only the sources that leave the workspace, including through ..', () => {
    const outside = sourcesOutside({ auth: 'data/auth.jsonl', escape: '../../etc/passwd', abs: { path: ['/var/log/syslog', 'data/x.log'] } }, '/ws/case', ['/ws']);
    assert.deepEqual(
      outside.map((o) => [o.source, o.pattern]),
      [
        ['escape', '../../etc/passwd'],
        ['abs', '/var/log/syslog'],
      ],
    );
  });

  it('treats a sibling folder with a common prefix as outside', () => {
    assert.equal(sourcesOutside({ a: '/ws-other/x.jsonl' }, '/ws', ['/ws']).length, 1);
  });
});

describe('source paths: symbolic links', () => {
  it('follows a link inside the workspace to where it really points', () => {
    const base = mkdtempSync(join(tmpdir(), 'casebook-links-'));
    mkdirSync(join(base, 'ws'));
    mkdirSync(join(base, 'outside'));
    symlinkSync(join(base, 'outside'), join(base, 'ws', 'data'));
    const outside = sourcesOutside({ secret: 'data/secret.jsonl', fine: 'notes.jsonl' }, join(base, 'ws'), [join(base, 'ws')]);
    assert.deepEqual(outside.map((o) => o.source), ['secret']);
  });
});
