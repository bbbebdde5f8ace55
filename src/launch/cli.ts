/**
 * The `casebook` command's entry point (dist/cli.js): runs the bundled command (dist/cliMain.js,
 * built from src/cli/main.ts) from a code cache.
 */
import { join } from 'node:path';
import { runWithCodeCache } from './codeCache';

runWithCodeCache(join(__dirname, 'cliMain.js'), 'exit');
