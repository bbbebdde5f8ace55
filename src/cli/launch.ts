/**
 * The `casebook` command's entry point: runs the bundled command (cliMain.js, built from main.ts)
 * from a code cache (see codeCache.ts).
 */
import { join } from 'node:path';
import { runWithCodeCache } from './codeCache';

runWithCodeCache(join(__dirname, 'cliMain.js'));
