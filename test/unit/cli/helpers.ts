import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** Node.js arguments that run the `casebook` command from source (no build needed) with `args`. */
function fromSource(args: readonly string[]): string[] {
  return ['--require', require.resolve('tsx/cjs'), join(root, 'src', 'cli', 'main.ts'), ...args];
}

/** The environment as it is now, without colours, so output compares as text. */
const plainEnv = () => ({ ...process.env, NO_COLOR: '1' });

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the `casebook` command from source (no build needed), like a user would from a shell. */
export function casebook(args: readonly string[], cwd = root): CliResult {
  const r = spawnSync(process.execPath, fromSource(args), { cwd, encoding: 'utf8', env: plainEnv(), timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `casebook` with its output going straight into the file at `outputPath` (as `> FILE` does). */
export function casebookInto(args: readonly string[], outputPath: string, cwd = root): Omit<CliResult, 'stdout'> {
  const fd = openSync(outputPath, 'w');
  try {
    const r = spawnSync(process.execPath, fromSource(args), { cwd, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env: plainEnv(), timeout: 60_000 });
    return { status: r.status, stderr: r.stderr };
  } finally {
    closeSync(fd);
  }
}

/**
 * `casebook` with a reader that starts reading its output only after `pauseMs`: the command has
 * written all it can into the pipe by then and waits for room.
 */
export function casebookSlowReader(args: readonly string[], pauseMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, fromSource(args), { cwd: root, env: plainEnv() });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), pauseMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** `casebook` with a reader that closes its end of the output pipe after the first chunk (as `| head -1` does). */
export function casebookEarlyCloser(args: readonly string[]): Promise<CliResult & { firstChunk: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, fromSource(args), { cwd: root, env: plainEnv() });
    let firstChunk = '';
    const err: Buffer[] = [];
    child.stdout.once('data', (b: Buffer) => {
      firstChunk = b.toString('utf8');
      child.stdout.destroy();
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: firstChunk, stderr: Buffer.concat(err).toString('utf8'), firstChunk }));
  });
}

/** A scratch copy of the fixture workspace, so tests can write and tamper. */
export function scratchWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-cli-'));
  cpSync(join(root, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  return dir;
}
