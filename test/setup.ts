/**
 * Loaded before every mocha run (.mocharc.json). Everything the tests write to a temporary folder
 * (fixture files, notebooks, the code cache of the commands and reader threads they start) goes
 * under one scratch folder, removed when the run ends, so no test leaves files behind and none
 * touches the user's cache folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scratch = mkdtempSync(join(tmpdir(), 'casebook-test-'));
// os.tmpdir() reads these on every call (TMPDIR on POSIX, TEMP/TMP on Windows); child processes inherit them.
process.env.TMPDIR = process.env.TEMP = process.env.TMP = scratch;
process.env.XDG_CACHE_HOME = mkdtempSync(join(scratch, 'cache-'));
process.on('exit', () => {
  try {
    rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  } catch (e) {
    // A folder left behind must not fail a run that passed.
    process.stderr.write(`could not remove the tests' scratch folder ${scratch}: ${(e as Error).message}\n`);
  }
});
