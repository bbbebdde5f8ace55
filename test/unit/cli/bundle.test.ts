import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  // A query over a source large enough for reader threads: they start before the rest of the tool
  // loads, and run the summarize's partial step (the worker bundle carries the query engine).
  it('reads a large JSON Lines file with threads and aggregates as the ordinary path does', function () {
    this.timeout(120_000);
    const dir = mkdtempSync(join(tmpdir(), 'casebook-large-'));
    try {
      const file = join(dir, 'big.jsonl');
      const events = ['login', 'logout', 'upload', 'send'];
      const lines = Array.from({ length: 110_000 }, (_, i) => JSON.stringify({ ts: new Date(Date.UTC(2026, 5, 1) + i * 1000).toISOString(), event: events[(i * 7) % 4], n: i, pad: 'x'.repeat(280) }));
      writeFileSync(file, lines.join('\n'));
      const query = (kql: string) => {
        const r = spawnSync(process.execPath, [cli, 'query', '--source', `logs=${file}`, '--format', 'jsonl', kql], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(r.status, 0, r.stderr);
        return r.stdout;
      };
      const split = query('logs | summarize c = count(), s = sum(n), first = min(ts) by bin(ts, 1h), event');
      const whole = query('logs | project ts, event, n | summarize c = count(), s = sum(n), first = min(ts) by bin(ts, 1h), event');
      assert.equal(split, whole);
      assert.equal(split.trim().split('\n').length, 31 * 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
