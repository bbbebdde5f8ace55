// Bundles the extension-host test suite (TypeScript) into CommonJS files VS Code's extension host can load.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

export async function buildSuite(root, outDir) {
  const suiteDir = path.join(root, 'test', 'vscode', 'suite');
  const entries = fs.readdirSync(suiteDir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries.map((f) => path.join(suiteDir, f)),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(outDir, 'index.js');
}
