/**
 * Reader threads take about a tenth of a second to start. `casebook query` over a large JSON Lines
 * file starts them here, before the rest of the tool loads (main.ts imports this module first),
 * and the read takes them over. A guess that turns out wrong costs only idle threads.
 */
import { statSync } from 'node:fs';
import { formatFromName } from '../core/sources/formats';
import { PARALLEL_MIN_BYTES, startReadersEarly } from '../core/sources/readerPool';

/** Plain JSON Lines files named by `--source NAME=PATH` arguments (globs and directories are left to the load). */
export function largeJsonlSources(argv: readonly string[]): boolean {
  if (argv[0] !== 'query') return false;
  let bytes = 0;
  for (let i = 1; i < argv.length; i++) {
    const value = argv[i] === '--source' ? argv[++i] : argv[i].startsWith('--source=') ? argv[i].slice('--source='.length) : undefined;
    const path = value?.slice(value.indexOf('=') + 1);
    if (!path || formatFromName(path) !== 'jsonl') continue;
    try {
      const s = statSync(path);
      if (s.isFile()) bytes += s.size;
    } catch {
      // not a plain path: the load says what is wrong with it
    }
  }
  return bytes >= PARALLEL_MIN_BYTES;
}

if (largeJsonlSources(process.argv.slice(2))) startReadersEarly();
