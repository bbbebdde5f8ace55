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

  it('starts from a code cache in the user cache folder, and runs the same without or with a broken one', () => {
    const home = mkdtempSync(join(tmpdir(), 'casebook-cache-home-'));
    try {
      const folder = join(home, 'casebook');
      const run = (env: Record<string, string>) => {
        const r = spawnSync(process.execPath, [cli, 'query', '--format', 'jsonl', 'print a = 1 + 1, b = strcat("x", "y")'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: home, ...env } });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        return r.stdout;
      };
      const cacheFiles = () => (existsSync(folder) ? readdirSync(folder) : []);
      const expected = '{"a":2,"b":"xy"}\n';
      assert.equal(run({ CASEBOOK_CODE_CACHE: 'off' }), expected);
      assert.deepEqual(cacheFiles(), [], 'turned off: nothing written');
      assert.equal(run({}), expected);
      const [file] = cacheFiles();
      assert.match(file, /^cliMain-[0-9a-f]{24}-[0-9a-f]{8}\.v8$/);
      const written = readFileSync(join(folder, file));
      assert.ok(written.length > 100_000, `a cache of ${written.length} bytes`);
      assert.equal(run({}), expected);
      assert.ok(readFileSync(join(folder, file)).equals(written), 'an accepted cache is not written again');
      // Garbage where the cache was: V8 rejects it, the run is the same, and the cache is rewritten.
      writeFileSync(join(folder, file), Buffer.alloc(written.length, 7));
      assert.equal(run({}), expected);
      assert.deepEqual(cacheFiles(), [file]);
      assert.ok(!readFileSync(join(folder, file)).equals(Buffer.alloc(written.length, 7)), 'a rejected cache is replaced');
      // Other flags get a cache of their own (V8 would reject this one under them).
      run({ NODE_OPTIONS: '--max-old-space-size=2048' });
      const [flagged] = cacheFiles().filter((f) => f !== file);
      assert.ok(flagged?.startsWith(file.slice(0, -'-00000000.v8'.length)), `${cacheFiles().join(', ')}`);
      // The caches of another build of the bundle are removed when this one's is written.
      writeFileSync(join(folder, 'cliMain-000000000000000000000000-00000000.v8'), 'old');
      rmSync(join(folder, file));
      run({});
      assert.deepEqual(cacheFiles().sort(), [file, flagged].sort());
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
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
