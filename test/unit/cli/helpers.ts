import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the `casebook` command from source (no build needed), like a user would from a shell. */
export function casebook(args: readonly string[], cwd = root): CliResult {
  const r = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), join(root, 'src', 'cli', 'main.ts'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A scratch copy of the fixture workspace, so tests can write and tamper. */
export function scratchWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-cli-'));
  cpSync(join(root, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  return dir;
}
