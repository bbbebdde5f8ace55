/**
 * Runs a CommonJS bundle with a V8 code cache, so the `casebook` command does not parse and
 * compile its two megabytes of JavaScript on every start (about 50 ms of each run), nor a reader
 * thread its half megabyte (about 30 ms of each thread's start). The cache
 * lives in the user's cache folder (`$XDG_CACHE_HOME/casebook`, else `~/.cache/casebook`; on
 * Windows `%LOCALAPPDATA%\casebook`, on macOS `~/Library/Caches/casebook`), never in a shared one:
 * cached code is trusted. It is keyed by the bundle's content, the Node.js version and the flags
 * Node.js runs with (V8 rejects code cached under other flags), written once when missing or
 * rejected, and never required: any failure just compiles as usual.
 * `CASEBOOK_CODE_CACHE=off` turns it off.
 *
 * This file is the whole of a launcher's code, so it imports Node.js built-ins only.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** Where cached code may be kept, or null for nowhere. */
export function codeCacheFolder(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CASEBOOK_CODE_CACHE === 'off') return null;
  const base =
    env.XDG_CACHE_HOME ||
    (process.platform === 'win32' ? env.LOCALAPPDATA : process.platform === 'darwin' ? join(homedir(), 'Library', 'Caches') : join(homedir(), '.cache'));
  return base ? join(base, 'casebook') : null;
}

function readOrNull(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Writes `data` as `file` (atomically) and removes the caches of other builds of the bundle (their
 * names start with `prefix` but not with `build`).
 */
function store(folder: string, file: string, prefix: string, build: string, data: Buffer): void {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, data, { mode: 0o600 });
    renameSync(temporary, file);
    for (const name of readdirSync(folder)) {
      if (name.startsWith(prefix) && !name.startsWith(build) && !name.endsWith('.tmp')) unlinkSync(join(folder, name));
    }
  } catch {
    // A cache that cannot be written costs the next start its compile time, nothing more.
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
  const prefix = `${basename(bundle, '.js')}-`;
  const build = `${prefix}${createHash('sha256').update(`${process.version} ${process.arch} `).update(bytes).digest('hex').slice(0, 24)}`;
  const flags = createHash('sha256').update(JSON.stringify([...process.execArgv, process.env.NODE_OPTIONS ?? ''])).digest('hex').slice(0, 8);
  const file = folder ? join(folder, `${build}-${flags}.v8`) : null;
  const cachedData = file ? readOrNull(file) : undefined;
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  const write = folder && file && (cachedData === undefined || script.cachedDataRejected) ? () => store(folder, file, prefix, build, script.createCachedData()) : null;
  if (write && writeWhen === 'exit') process.once('exit', write);
  const main = new Module(bundle, undefined);
  main.filename = bundle;
  main.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(bundle));
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  wrapper.call(main.exports, main.exports, Module.createRequire(bundle), main, bundle, dirname(bundle));
  if (write && writeWhen === 'loaded') write();
}
