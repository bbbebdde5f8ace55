/**
 * The `casebook` command's entry point (dist/cli.js): starts reader threads when the command may
 * read a large source with them (they start while the tool loads; see cli/earlyReaders.ts), then
 * runs the bundled command from a code cache: `casebook query` from dist/cliQuery.js (built from
 * src/cli/queryMain.ts: the query command alone, a third less code to load), every other command
 * from dist/cliMain.js (src/cli/main.ts).
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
runWithCodeCache(join(__dirname, process.argv[2] === 'query' ? 'cliQuery.js' : 'cliMain.js'), 'exit');
