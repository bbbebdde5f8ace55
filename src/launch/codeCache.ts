/**
 * Runs a CommonJS bundle with a V8 code cache, so the `casebook` command does not parse and
 * compile its JavaScript on every start (about 50 ms of each run), nor a reader thread (in the
 * command or in the editor) its bundle (about 15 ms of each thread's start), nor a notebook's cell
 * worker its bundle (about 20 ms of the wait for the first cell's answer).
 *
 * The cache lives in the user's cache folder (`$XDG_CACHE_HOME/casebook`, else `~/.cache/casebook`;
 * on Windows `%LOCALAPPDATA%\casebook`, on macOS `~/Library/Caches/casebook`). Cached code runs as
 * the program, so it is used only from a folder and file that the user owns and no one else can
 * write, and only when its SHA-256 (stored with it) matches: V8 itself does not check the bytes,
 * and damaged code would crash the process rather than be rejected. It is keyed by the Node.js
 * version, the bundle's content and the flags Node.js runs with (V8 rejects code cached under other
 * flags); a missing or rejected cache is written again, and any failure just compiles as usual.
 * `CASEBOOK_CODE_CACHE=off` turns it off.
 *
 * Launchers load this before the bundle, so it imports Node.js built-ins only.
 */
import { lstatSync, mkdirSync, type Stats, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';

/** Where cached code may be kept, or null for nowhere. */
export function codeCacheFolder(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CASEBOOK_CODE_CACHE === 'off') return null;
  const base =
    env.XDG_CACHE_HOME ||
    (process.platform === 'win32' ? env.LOCALAPPDATA : process.platform === 'darwin' ? join(homedir(), 'Library', 'Caches') : join(homedir(), '.cache'));
  return base ? join(base, 'casebook') : null;
}

const DIGEST_BYTES = 32;
/** What follows the family in a cache's name: the bundle's digest and the flags'. */
const CACHE_NAME = /^[0-9a-f]{24}-[0-9a-f]{8}\.v8$/;
/** Temporary files older than this were left by a process that stopped while writing. */
const STALE_TEMPORARY_MS = 10 * 60 * 1000;

/**
 * node:crypto, loaded on first use: it takes 2-4 ms to load, and the command's launcher starts its
 * reader threads before it checks a cache (see launch/cli.ts).
 */
let loadedCrypto: typeof import('node:crypto') | undefined;
const nodeCrypto = () => (loadedCrypto ??= require('node:crypto') as typeof import('node:crypto'));

const sha256 = (...parts: (string | Uint8Array)[]) => {
  const hash = nodeCrypto().createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest();
};

/** Whether a folder or file (as `lstat` found it) is one only this user can change (always true where there are no owners to check). */
function ownedAndPrivate(stat: Stats, kind: 'folder' | 'file'): boolean {
  if (typeof process.getuid !== 'function') return true;
  return (kind === 'folder' ? stat.isDirectory() : stat.isFile()) && stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
}

/** The cached code in `file`, if it is intact and safe to run. */
function readCache(folder: string, file: string): Buffer | undefined {
  try {
    const fileStat = lstatSync(file);
    if (!ownedAndPrivate(lstatSync(folder), 'folder') || !ownedAndPrivate(fileStat, 'file')) return undefined;
    const stored = readFileSync(file);
    const data = stored.subarray(DIGEST_BYTES);
    if (stored.length <= DIGEST_BYTES || !sha256(data).equals(stored.subarray(0, DIGEST_BYTES))) return undefined;
    markUsed(file, fileStat.mtimeMs);
    return data;
  } catch {
    return undefined;
  }
}

/** How old a cache's time stamp may get while it is used before it is renewed (see `store`). */
const USE_MARK_MS = 24 * 60 * 60 * 1000;

/** Renews the time stamp (`stamped`) of a cache in use, at most daily: caches are kept by it (see `store`). */
function markUsed(file: string, stamped: number): void {
  try {
    const now = Date.now();
    if (now - stamped > USE_MARK_MS) utimesSync(file, now / 1000, now / 1000);
  } catch {
    // Only its place among the caches kept depends on it.
  }
}

/**
 * How many other builds of a bundle (for this Node.js) keep their caches when one is written: those
 * used last. Two builds run in turn (an installed command and a project's, a checkout's `dist` and
 * an installed one) then each keep theirs, where removing every other build's cache made each start
 * of one compile its bundle again; older builds' caches do not pile up.
 */
const OTHER_BUILDS_KEPT = 3;

/**
 * Writes `data` with its digest as `file` (atomically: a private temporary file, renamed), removes
 * the caches of other builds of the bundle for this Node.js (names that start with `family` but
 * not with `build`) but for the OTHER_BUILDS_KEPT used last (by their files' time stamps, renewed
 * as they are used), and stale temporary files.
 */
function store(folder: string, file: string, family: string, build: string, data: () => Buffer): void {
  let temporary: string | null = null;
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    if (!ownedAndPrivate(lstatSync(folder), 'folder')) return;
    const code = data();
    temporary = `${file}.${process.pid}-${threadId}-${nodeCrypto().randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, Buffer.concat([sha256(code), code]), { mode: 0o600, flag: 'wx' });
    renameSync(temporary, file);
    temporary = null;
    const now = Date.now();
    const others: { path: string; build: string; used: number }[] = [];
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      // A file another process removes meanwhile is skipped; folders and other names are left alone.
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (!stat?.isFile()) continue;
      if (name.endsWith('.tmp')) {
        if (now - stat.mtimeMs > STALE_TEMPORARY_MS) rmSync(path, { force: true });
      } else if (name.startsWith(family) && !name.startsWith(build) && CACHE_NAME.test(name.slice(family.length))) {
        others.push({ path, build: name.slice(0, build.length), used: stat.mtimeMs });
      }
    }
    // A build's caches (one per set of flags) go together: the builds of the latest files are kept.
    others.sort((a, b) => b.used - a.used);
    const kept = new Set<string>();
    for (const other of others) {
      if (kept.size < OTHER_BUILDS_KEPT) kept.add(other.build);
      if (!kept.has(other.build)) rmSync(other.path, { force: true });
    }
  } catch {
    // A cache that cannot be written costs the next start its compile time, nothing more (and
    // caches left over are removed by the next write).
    if (temporary) {
      try {
        unlinkSync(temporary);
      } catch {
        // already gone
      }
    }
  }
}

/**
 * Loads `bundle` (a CommonJS file) as the main program, compiled from the code cache when it holds
 * it. A missing or rejected cache is written when the program exits (then it also holds the
 * functions the run compiled), or, for a thread that is stopped rather than exits, once the bundle
 * has loaded.
 */
export function runWithCodeCache(bundle: string, writeWhen: 'exit' | 'loaded'): void {
  const bytes = readFileSync(bundle);
  let source = bytes.toString('utf8');
  if (source.startsWith('#!')) source = `//${source.slice(2)}`;
  const folder = codeCacheFolder();
  // Builds for other Node.js versions (the command's, the editor's) keep caches of their own. The
  // editor's Node.js can report the version of a plain Node.js while running another V8 (V8 would
  // reject the other's cache every time, and the two would rewrite it in turn): V8's version too.
  const family = `${basename(bundle, '.js')}-${sha256(`${process.version} ${process.versions.v8} ${process.arch}`).toString('hex').slice(0, 8)}-`;
  const build = `${family}${sha256(bytes).toString('hex').slice(0, 24)}`;
  const flags = sha256(JSON.stringify([...process.execArgv, process.env.NODE_OPTIONS ?? ''])).toString('hex').slice(0, 8);
  const file = folder ? join(folder, `${build}-${flags}.v8`) : null;
  const cachedData = folder && file ? readCache(folder, file) : undefined;
  // The wrapper's first line is line -1, so positions in stack traces are the bundle's own.
  const wrapped = `(function (exports, require, module, __filename, __dirname) {\n${source}\n})`;
  const script = new Script(wrapped, { filename: bundle, lineOffset: -1, cachedData });
  const write = folder && file && (cachedData === undefined || script.cachedDataRejected) ? () => store(folder, file, family, build, () => script.createCachedData()) : null;
  if (write && writeWhen === 'exit') process.once('exit', write);
  const main = new Module(bundle, undefined);
  main.filename = bundle;
  main.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(bundle));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(main.exports, main.exports, Module.createRequire(bundle), main, bundle, dirname(bundle));
  if (write && writeWhen === 'loaded') write();
}
