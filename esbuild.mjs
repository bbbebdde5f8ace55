// One build script: the extension (Node, CommonJS, `vscode` external), the worker that runs cells
// off the extension host's thread (and the JSON Lines parsing worker it starts), the notebook renderer (browser, ES modules,
// heavy chart code split into lazily loaded chunks) and the `casebook` command-line tool.
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

// vega-canvas's Node build awaits an optional native `canvas` at the top level, which a CommonJS
// bundle cannot express; its browser build degrades to estimated text metrics, which SVG output needs.
const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  alias: { 'vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js' },
};

// Packages a bundle loads from files of their own next to it, on first use: code that most runs
// never need is then not read or hashed at start-up. The bundle requires them rather than importing
// them: the command runs from a code cache, and Node.js 20 cannot import dynamically from cached code.
function loadedApart(name, packages) {
  const names = new RegExp(`^(${packages.join('|')})$`);
  const files = new RegExp(`^\\./(${packages.join('|')})\\.js$`);
  return {
    name,
    setup(build) {
      build.onResolve({ filter: names }, (args) => ({ path: args.path, namespace: name }));
      build.onLoad({ filter: /.*/, namespace: name }, (args) => ({ contents: `module.exports = require('./${args.path}.js');`, loader: 'js' }));
      build.onResolve({ filter: files }, (args) => ({ path: args.path, external: true }));
    },
  };
}
// The command-line tool's chart engine (vega, vega-lite: most of its size), so commands that draw
// no chart do not parse it at start-up.
const chartEngineApart = loadedApart('chart-engine-apart', ['vega', 'vega-lite']);
// `casebook query` reads YAML only for a source given with settings (`--source NAME={...}`).
const yamlApart = loadedApart('yaml-apart', ['yaml']);
// Terminal widths of text (CJK, emoji) matter only to a text table.
const textWidthApart = loadedApart('text-width-apart', ['string-width']);

// Bundles loaded at every start of the command, a reader thread or a cell worker: without comments and spaces
// (names stay, and the source map maps back) they read, hash and decode about 15 ms faster, and
// are plain ASCII, which V8 holds in half the memory.
const startsOften = { minifyWhitespace: true };

const builds = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  // A small launcher (dist/cellWorker.js) runs the cell worker's bundle (dist/worker.js) from a code cache.
  { ...node, entryPoints: { cellWorker: 'src/launch/cellWorker.ts' }, outdir: 'dist' },
  { ...node, ...startsOften, entryPoints: { worker: 'src/worker/main.ts' }, outdir: 'dist' },
  // Parses byte ranges of large JSON Lines files in parallel; the loader finds it next to its bundle.
  // A small launcher (dist/jsonlWorker.js) runs the thread's bundle (dist/jsonlReader.js) from a code cache.
  { ...node, entryPoints: { jsonlWorker: 'src/launch/jsonlWorker.ts' }, outdir: 'dist' },
  { ...node, ...startsOften, entryPoints: { jsonlReader: 'src/core/sources/jsonlWorker.ts' }, outdir: 'dist' },
  // The command: a small launcher (dist/cli.js) that runs a bundle from a code cache: dist/cliQuery.js
  // for `casebook query` (that command alone starts sooner), dist/cliMain.js for the others.
  { ...node, entryPoints: { cli: 'src/launch/cli.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...node, ...startsOften, entryPoints: { cliMain: 'src/cli/main.ts' }, outdir: 'dist', plugins: [chartEngineApart, textWidthApart] },
  { ...node, ...startsOften, entryPoints: { cliQuery: 'src/cli/queryMain.ts' }, outdir: 'dist', plugins: [chartEngineApart, yamlApart, textWidthApart] },
  { ...node, entryPoints: { vega: 'vega', 'vega-lite': 'vega-lite', yaml: 'yaml', 'string-width': 'string-width' }, outdir: 'dist' },
  {
    ...common,
    entryPoints: { index: 'src/renderer/index.ts' },
    outdir: 'dist/renderer',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    splitting: true,
    loader: { '.css': 'text' },
  },
];

// The renderer's chunks have content hashes in their names: old ones would pile up (and ship in
// the .vsix) without a clean start.
fs.rmSync('dist/renderer', { recursive: true, force: true });

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
