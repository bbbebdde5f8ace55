#!/usr/bin/env node
/**
 * `npm run example`: make sure the example's data exists, run the investigation headlessly with the
 * built CLI, compare every claim's verdict with the generator's ground truth, and write the report.
 *
 *   node examples/hijack/run.mjs            (after `node esbuild.mjs`)
 *
 * Exit code 0 when every verdict matches the ground truth, 1 otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const notebook = join(here, 'investigation.casebook.md');
const truthFile = join(here, 'data', 'ground-truth.json');
const show = (p) => relative(process.cwd(), p) || '.';

if (!existsSync(cli)) {
  process.stderr.write(`${show(cli)} is missing: build first with \`node esbuild.mjs\` (or use \`npm run example\`)\n`);
  process.exit(2);
}

// The notebook's sources and the verdict records in it are for the default seed and scale.
const current = existsSync(truthFile) ? JSON.parse(readFileSync(truthFile, 'utf8')) : null;
if (!current || current.generator.scale !== 1 || current.generator.seed !== '20260609') {
  process.stdout.write(current ? 'data/ was generated with other settings; regenerating the default data\n' : 'generating the example data\n');
  const gen = spawnSync(process.execPath, [join(here, 'generate.mjs')], { stdio: 'inherit' });
  if (gen.status !== 0) process.exit(gen.status ?? 1);
}
const truth = JSON.parse(readFileSync(truthFile, 'utf8'));

const ran = spawnSync(process.execPath, [cli, 'run', notebook], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
process.stdout.write(ran.stdout);
if (ran.status !== 0) {
  process.stderr.write(`casebook run exited with ${ran.status}\n`);
  process.exit(1);
}

// The verdicts as data (the same run, machine-readable), checked against the generator's ground truth.
const report = JSON.parse(spawnSync(process.execPath, [cli, 'run', '--json', notebook], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout);
const computed = Object.fromEntries(report.cells.filter((c) => c.verdict).map((c) => [c.id, c.verdict.verdict]));
const problems = [];
for (const [id, expected] of Object.entries(truth.claims)) {
  if (computed[id] !== expected) problems.push(`  #${id}: expected ${expected}, got ${computed[id] ?? 'nothing'}`);
}
for (const id of Object.keys(computed)) if (!(id in truth.claims)) problems.push(`  #${id}: not in the ground truth`);
if (problems.length) {
  process.stderr.write(`verdicts differ from ${show(truthFile)}:\n${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`all ${Object.keys(truth.claims).length} verdicts match ${show(truthFile)}\n`);

// Re-verify the verdict records stored in the notebook, as CI does.
const checked = spawnSync(process.execPath, [cli, 'check', notebook], { stdio: 'inherit' });
if (checked.status !== 0) process.exit(checked.status ?? 1);

const out = join(here, 'report');
const exported = spawnSync(process.execPath, [cli, 'export', notebook, '--html', join(out, 'investigation.html'), '--md', join(out, 'investigation.md')], { stdio: 'inherit' });
process.exit(exported.status ?? 1);
