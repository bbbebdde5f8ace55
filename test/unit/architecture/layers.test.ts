// The core must stay usable from the CLI and plain mocha: it may not import `vscode`, and nothing
// outside the extension layer may either.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|mts|cts|js)$/.test(name) ? [p] : [];
  });
}

const IMPORTS_VSCODE = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

describe('architecture: layers', () => {
  for (const layer of ['src/core', 'src/cli', 'src/worker', 'src/renderer']) {
    it(`${layer} never imports vscode`, () => {
      const files = sourceFiles(join(root, layer));
      assert.ok(files.length > 0, `${layer} has source files`);
      const offenders = files.filter((f) => IMPORTS_VSCODE.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
      assert.deepEqual(offenders, []);
    });
  }

  it('the core does not import from the front ends', () => {
    const offenders = sourceFiles(join(root, 'src/core')).filter((f) => /from\s+['"](?:\.\.\/)+(extension|cli|worker|renderer)\//.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders.map((f) => relative(root, f)), []);
  });

  it('the check itself recognises every import form', () => {
    for (const line of ["import * as vscode from 'vscode';", 'const v = require("vscode");', "await import('vscode')", "import { window } from \"vscode\""]) {
      assert.ok(IMPORTS_VSCODE.test(line), line);
    }
    assert.ok(!IMPORTS_VSCODE.test("import x from 'vscode-uri'"));
  });
});
