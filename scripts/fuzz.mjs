#!/usr/bin/env node
// npm run fuzz -- [--seed N] [--cases N] [--seeds K] [--charts] [--out FILE]
//
// Longer runs of the security fuzzer (test/security/fuzz/harness.ts): random hostile JSON Lines
// through the source loader, random queries from the query grammar, every output checked. The
// unit tests run a few thousand cases of the same harness; this runs as many as you ask, over
// one seed or K consecutive seeds. --charts also compiles every chart spec with Vega-Lite.
// Prints the statistics and every finding (with the query, and the data to reproduce with
// --out); exits 1 when there are findings other than instances of the known defects listed in
// the harness (and in docs/security.md).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    cases: { type: 'string', default: '20000' },
    seeds: { type: 'string', default: '1' },
    charts: { type: 'boolean', default: false },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('usage: npm run fuzz -- [--seed N] [--cases N] [--seeds K] [--charts] [--out findings.json]');
  process.exit(0);
}

const { fuzz, KNOWN_DEFECTS } = await tsImport('../test/security/fuzz/harness.ts', import.meta.url);
const first = Number(values.seed);
const cases = Number(values.cases);
const seeds = Number(values.seeds);
if (!Number.isSafeInteger(first) || !Number.isSafeInteger(cases) || cases < 1 || !Number.isSafeInteger(seeds) || seeds < 1) {
  console.error('--seed, --cases and --seeds take whole numbers');
  process.exit(2);
}

/** A progress line on an interactive stderr only. */
const progress = (text) => {
  if (process.stderr.isTTY) process.stderr.write(`\r\u001b[2K${text}`);
};

const all = [];
const totals = { cases: 0, datasets: 0, rows: 0, results: 0, syntaxErrors: 0, runtimeErrors: 0, malformedLines: 0, seconds: 0 };
for (let seed = first; seed < first + seeds; seed++) {
  const report = await fuzz({
    seed,
    cases,
    charts: values.charts,
    onProgress: (done, r) => progress(`seed ${seed}: ${done}/${cases} cases, ${r.findings.length} findings`),
  });
  progress('');
  for (const key of Object.keys(totals)) totals[key] += report[key];
  console.log(
    `seed ${seed}: ${report.cases} cases over ${report.datasets} data files (${report.rows} rows, ${report.malformedLines} malformed lines), ` +
      `${report.results} results, ${report.syntaxErrors} syntax errors, ${report.runtimeErrors} runtime errors, ${report.findings.length} findings, ${report.seconds.toFixed(1)} s`,
  );
  all.push(...report.findings.map((f) => ({ seed, ...f })));
}

const known = all.filter((f) => f.known);
const unknown = all.filter((f) => !f.known);
console.log(`\n${totals.cases} cases, ${seeds} seed(s) from ${first}, ${totals.seconds.toFixed(1)} s: ${unknown.length} new findings, ${known.length} of known defects`);
for (const f of [...unknown, ...known]) {
  console.log(`\n[${f.known ? `known: ${f.known}` : f.kind}] seed ${f.seed}, case ${f.case}: ${f.message}`);
  if (f.query) console.log(`  query: ${JSON.stringify(f.query)}`);
}
if (known.length) {
  console.log('\nKnown defects (see docs/security.md):');
  for (const d of KNOWN_DEFECTS) console.log(`  ${d.id}: ${d.description}`);
}
if (values.out) {
  writeFileSync(values.out, JSON.stringify({ first, seeds, cases, totals, findings: all }, null, 2));
  console.log(`\nfindings with their data written to ${values.out}`);
}
process.exitCode = unknown.length ? 1 : 0;
