import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

// The shipped tool loads the chart engine, and the query command the YAML parser, from files of
// their own (esbuild.mjs); the other CLI tests run the sources, so only this one proves that the
// bundles find them.
describe('cli: the built bundle', () => {
  before(function () {
    assert.ok(existsSync(cli), `${cli} is missing: run \`npm run build\` first (npm test does)`);
  });

  it('draws charts with the chart engine shipped beside it', () => {
    const out = mkdtempSync(join(tmpdir(), 'casebook-charts-'));
    try {
      const r = spawnSync(process.execPath, [cli, 'run', '--charts', out, join(root, 'test', 'fixtures', 'hostile', 'hostile.casebook.md')], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.equal(r.status, 0, r.stderr + r.stdout);
      assert.match(r.stderr, /wrote 2 charts/);
      const files = readdirSync(out).sort();
      assert.deepEqual(files, ['activity.svg', 'by-user.svg']);
      for (const f of files) assert.match(readFileSync(join(out, f), 'utf8'), /^<svg[\s\S]*<\/svg>\s*$/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('starts from a code cache in the user cache folder, and runs the same without it, or with a damaged or unsafe one', () => {
    const home = mkdtempSync(join(tmpdir(), 'casebook-cache-home-'));
    try {
      const folder = join(home, 'casebook');
      const run = (env: Record<string, string>) => {
        const r = spawnSync(process.execPath, [cli, 'query', '--format', 'jsonl', 'print a = 1 + 1, b = strcat("x", "y")'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: home, CASEBOOK_CODE_CACHE: '', ...env } });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        return r.stdout;
      };
      const cacheFiles = () => (existsSync(folder) ? readdirSync(folder).sort() : []);
      const expected = '{"a":2,"b":"xy"}\n';
      assert.equal(run({ CASEBOOK_CODE_CACHE: 'off' }), expected);
      assert.deepEqual(cacheFiles(), [], 'turned off: nothing written');
      assert.equal(run({}), expected);
      const [file] = cacheFiles();
      assert.match(file, /^cliQuery-[0-9a-f]{8}-[0-9a-f]{24}-[0-9a-f]{8}\.v8$/, 'the query command runs its own bundle');
      const path = join(folder, file);
      const written = readFileSync(path);
      assert.ok(written.length > 100_000, `a cache of ${written.length} bytes`);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      // Written again, the cache would be a new file (a rename), even with the same bytes.
      const inode = statSync(path).ino;
      assert.equal(run({}), expected);
      assert.equal(statSync(path).ino, inode, 'an accepted cache is not written again');
      assert.ok(readFileSync(path).equals(written));
      // Damaged caches: garbage (V8 would reject it), and bytes flipped in the middle (V8 would
      // run them and crash): both are recompiled, and the cache is written again.
      const damaged = [Buffer.alloc(written.length, 7), Buffer.from(written.map((b, i) => (i > written.length / 2 && i < written.length / 2 + 64 ? b ^ 0x5a : b)))];
      for (const bytes of damaged) {
        writeFileSync(path, bytes);
        assert.equal(run({}), expected);
        assert.deepEqual(cacheFiles(), [file]);
        const replaced = readFileSync(path), replacedInode = statSync(path).ino;
        assert.ok(!replaced.equals(bytes), 'a damaged cache is replaced');
        assert.equal(run({}), expected);
        assert.equal(statSync(path).ino, replacedInode, 'and the replacement is used');
      }
      // A cache others could have written is not run, and is replaced by a private one.
      chmodSync(path, 0o666);
      assert.equal(run({}), expected);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      // Other flags get a cache of their own (V8 would reject this one under them).
      run({ NODE_OPTIONS: '--max-old-space-size=2048' });
      const [flagged] = cacheFiles().filter((f) => f !== file);
      assert.ok(flagged?.startsWith(file.slice(0, -'-00000000.v8'.length)), cacheFiles().join(', '));
      // Writing a cache keeps those of the three other builds of the bundle (for this Node.js)
      // used last, a build's caches for all flags going by its latest, and removes the rest, and
      // temporary files left for ten minutes; it keeps those for other versions of Node.js, and
      // leaves other names alone.
      const family = file.slice(0, 'cliQuery-00000000-'.length);
      const otherBuild = (digit: number, flags = '00000000') => `${family}${String(digit).repeat(24)}-${flags}.v8`;
      const otherNode = `cliQuery-00000000-${'0'.repeat(24)}-00000000.v8`;
      const minutesAgo = (name: string, minutes: number) => {
        writeFileSync(join(folder, name), 'old');
        const when = new Date(Date.now() - minutes * 60_000);
        utimesSync(join(folder, name), when, when);
      };
      // Build 1 is the oldest but for its cache under other flags, the latest of all.
      minutesAgo(otherBuild(1), 9 * 60);
      minutesAgo(otherBuild(1, '11111111'), 60);
      minutesAgo(otherBuild(2), 8 * 60);
      minutesAgo(otherBuild(2, '22222222'), 8 * 60);
      minutesAgo(otherBuild(3), 7 * 60);
      minutesAgo(otherBuild(4), 6 * 60);
      const staleTemporary = `${file}.1-0-00000000.tmp`, freshTemporary = `${file}.2-0-00000000.tmp`, oddName = `${family}notes.txt`;
      minutesAgo(staleTemporary, 11);
      minutesAgo(freshTemporary, 1);
      minutesAgo(oddName, 10 * 60);
      writeFileSync(join(folder, otherNode), 'other');
      rmSync(path);
      run({});
      assert.deepEqual(cacheFiles(), [file, flagged, otherNode, otherBuild(1), otherBuild(1, '11111111'), otherBuild(3), otherBuild(4), freshTemporary, oddName].sort());
      // A cache in use has its time stamp renewed (daily), so it counts as used last.
      const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
      utimesSync(path, twoDaysAgo, twoDaysAgo);
      run({});
      assert.ok(Date.now() - statSync(path).mtimeMs < 3_600_000, 'a cache read is marked as used');
      // The other commands run the whole tool's bundle, with a cache of its own.
      const help = spawnSync(process.execPath, [cli, 'help'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: home, CASEBOOK_CODE_CACHE: '' } });
      assert.equal(help.status, 0, help.stderr);
      assert.match(help.stdout, /casebook run NOTEBOOK/);
      const whole = cacheFiles().filter((f) => !f.startsWith('cliQuery-'));
      assert.equal(whole.length, 1, whole.join(', '));
      assert.match(whole[0], /^cliMain-[0-9a-f]{8}-[0-9a-f]{24}-[0-9a-f]{8}\.v8$/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  // The extension starts each notebook's cell worker through this launcher: it must run the
  // worker's bundle, from a cache of its own once the first start wrote one.
  it('starts the cell worker from a code cache, and the worker runs cells', () => {
    const home = mkdtempSync(join(tmpdir(), 'casebook-cache-home-'));
    try {
      const launcher = join(root, 'dist', 'cellWorker.js');
      const runCell = () => {
        const script = `
          const { Worker } = require('node:worker_threads');
          const worker = new Worker(${JSON.stringify(launcher)});
          const notebook = { dir: ${JSON.stringify(home)}, frontMatter: undefined, settings: { sourceDefaults: {}, maxResultRows: 100 },
            cells: [{ key: 'c1', kind: 'kql', source: 'print a = 40 + 2', records: [] }] };
          worker.on('message', (m) => {
            if (m.type !== 'response') return;
            const r = m.response.result;
            process.stdout.write(JSON.stringify({ ok: r.ok, summary: r.summary }));
            void worker.terminate();
          });
          worker.postMessage({ type: 'request', requestId: 1, notebook, request: { type: 'run', key: 'c1', maxRendererRows: 100 } });`;
        const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_CACHE_HOME: home, CASEBOOK_CODE_CACHE: '' } });
        assert.equal(r.status, 0, r.stderr);
        return JSON.parse(r.stdout) as { ok: boolean; summary: string };
      };
      const folder = join(home, 'casebook');
      const first = runCell();
      assert.equal(first.ok, true, JSON.stringify(first));
      const caches = readdirSync(folder);
      assert.equal(caches.length, 1, caches.join(', '));
      assert.match(caches[0], /^worker-[0-9a-f]{8}-[0-9a-f]{24}-[0-9a-f]{8}\.v8$/);
      // Written again, the cache would be a new file (a rename), even with the same bytes.
      const inode = statSync(join(folder, caches[0])).ino;
      assert.deepEqual(runCell(), first);
      assert.equal(statSync(join(folder, caches[0])).ino, inode, 'the cache was accepted, not written again');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('reports usage errors of the query command with the whole usage text', () => {
    const r = spawnSync(process.execPath, [cli, 'query', '--format', 'xml', 'print 1'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^casebook: --format must be one of /);
    for (const command of ['run', 'check', 'export', 'query']) assert.match(r.stderr, new RegExp(`casebook ${command} `));
  });

  it('reads a source given with settings through the YAML parser shipped beside the query command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebook-settings-'));
    try {
      writeFileSync(join(dir, 'auth.log'), 'Jun  9 10:11:12 host sshd[1]: Failed password for root\n');
      const r = spawnSync(process.execPath, [cli, 'query', '--format', 'jsonl', '--source', 'sys={path: auth.log, timezone: "+02:00", time: {format: syslog, year: 2025}}', 'sys | project timestamp'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '{"timestamp":"2025-06-09T08:11:12Z"}\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The parser is not part of the bundle every query loads.
    assert.doesNotMatch(readFileSync(join(root, 'dist', 'cliQuery.js'), 'utf8'), /Excessive alias count/);
    assert.match(readFileSync(join(root, 'dist', 'yaml.js'), 'utf8'), /Excessive alias count/);
  });

  it('lines up a text table of wide characters with the width tables shipped beside the query command', () => {
    const r = spawnSync(process.execPath, [cli, 'query', 'print who = "日本語", n = 1 | union (print who = "ab", n = 22)'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'who     n\n------  --\n日本語  1\nab      22\n(2 rows)\n');
    // The Unicode tables are not part of the bundle every query loads.
    for (const bundle of ['cliQuery.js', 'cliMain.js']) assert.doesNotMatch(readFileSync(join(root, 'dist', bundle), 'utf8'), /ambiguousIsNarrow/);
    assert.match(readFileSync(join(root, 'dist', 'string-width.js'), 'utf8'), /ambiguousIsNarrow/);
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
