import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

// The shipped tool loads the chart engine from files of its own (esbuild.mjs); the other CLI tests
// run the sources, so only this one proves that the bundle finds them.
describe('cli: the built bundle', () => {
  before(function () {
    assert.ok(existsSync(cli), `${cli} is missing: run \`npm run build\` first (npm test does)`);
  });

  it('draws charts with the chart engine shipped beside it', () => {
    const out = mkdtempSync(join(tmpdir(), 'casebook-charts-'));
    const r = spawnSync(process.execPath, [cli, 'run', '--charts', out, join(root, 'test', 'fixtures', 'hostile', 'hostile.casebook.md')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stderr, /wrote 2 charts/);
    const files = readdirSync(out).sort();
    assert.deepEqual(files, ['activity.svg', 'by-user.svg']);
    for (const f of files) assert.match(readFileSync(join(out, f), 'utf8'), /^<svg[\s\S]*<\/svg>\s*$/);
  });
});
