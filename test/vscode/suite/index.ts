// Entry point VS Code's extension host calls: runs every *.test.js next to it with mocha and writes
// a machine-readable summary the outer runner checks (the page only sees an exit code).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  // The runner says whether this instance's workspace is trusted; each mode runs its own files.
  const { mode } = JSON.parse(fs.readFileSync(path.join(__dirname, 'mode.json'), 'utf8')) as { mode: 'trusted' | 'untrusted' };
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && f.endsWith('.untrusted.test.js') === (mode === 'untrusted'));
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const failed: { title: string; error: string }[] = [];
    const runner = mocha.run((failures) => {
      const stats = runner.stats ?? { tests: 0, passes: 0, failures, pending: 0 };
      fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify({ tests: stats.tests, passes: stats.passes, failures: stats.failures, pending: stats.pending, failed }, null, 2));
      if (failures) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
    runner.on('fail', (test, err: Error) => failed.push({ title: test.fullTitle(), error: String(err?.stack ?? err) }));
  });
}
