/**
 * The `casebook` command's entry point (dist/cli.js): starts reader threads when the command may
 * read a large source with them (they start while the tool loads; see cli/earlyReaders.ts), then
 * runs the bundled command (dist/cliMain.js, built from src/cli/main.ts) from a code cache.
 */
import { join } from 'node:path';
import { mayReadWithThreads } from '../cli/largeSources';
import { startThreadsForHandOver } from '../core/sources/readerPool';
import { runWithCodeCache } from './codeCache';

try {
  if (mayReadWithThreads(process.argv.slice(2))) startThreadsForHandOver();
} catch {
  // Threads are only a head start: the read starts its own.
}
runWithCodeCache(join(__dirname, 'cliMain.js'), 'exit');
