// What CI relies on: on freshly generated default data, `casebook check` confirms every verdict and
// source hash stored in the example notebook.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { casebook } from '../cli/helpers';

const exampleDir = join(__dirname, '..', '..', '..', 'examples', 'hijack');

describe('examples/hijack: casebook check', function () {
  this.timeout(180_000);
  it('passes on freshly generated data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebook-check-'));
    try {
      execFileSync(process.execPath, [join(exampleDir, 'generate.mjs'), '--out', join(dir, 'data')], { stdio: 'ignore' });
      copyFileSync(join(exampleDir, 'investigation.casebook.md'), join(dir, 'investigation.casebook.md'));
      const r = casebook(['check', join(dir, 'investigation.casebook.md')]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /all 6 verdicts and their sources match/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
