/**
 * Loaded before every mocha run (.mocharc.json): the commands and reader threads the tests start
 * keep their code cache in a scratch folder, not in the user's cache folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cacheHome = mkdtempSync(join(tmpdir(), 'casebook-test-cache-'));
process.env.XDG_CACHE_HOME = cacheHome;
process.on('exit', () => rmSync(cacheHome, { recursive: true, force: true }));
