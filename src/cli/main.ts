/**
 * `casebook`: run, query, check and export investigations headlessly through the same core as
 * the editor. Exit codes: 0 success, 1 a cell/query failed or a check found differences,
 * 2 usage or file errors.
 */
import './earlyReaders'; // first: may start reader threads while the rest loads
import { runCommand } from './commands/run';
import { queryCommand } from './commands/query';
import { checkCommand } from './commands/check';
import { exportCommand } from './commands/export';
import { FileError, UsageError } from './args';
import { safeJson, safeText } from './terminal';

const HELP = `casebook — incident-investigation notebooks, headless

Usage:
  casebook run NOTEBOOK [--json] [--write] [--charts DIR]
      Run every cell top to bottom; print a summary per cell and every claim's verdict.
      --write stores fresh verdict records in the file (only if they changed);
      --charts writes every chart as SVG into DIR.
  casebook check NOTEBOOK [--json]
      Re-run everything and compare with the verdicts and source hashes stored in the file.
      Exit 0 when all match, 1 when a verdict, its evidence or a source changed or is missing.
  casebook export NOTEBOOK --html OUT.html [--md OUT.md]
      Run headlessly and write a self-contained report: narrative, queries, verdicts,
      competing hypotheses, evidence, charts as SVG, provenance.
  casebook query --source NAME=PATH [--source ...] [--format table|json|jsonl|csv] [--max-rows N] 'KQL'
      Run one query over log files (JSONL, .jsonl.gz, CSV/TSV, text lines).
      --max-rows: rows the table format shows (default 100; the others write every row).
  casebook help

Exit codes: 0 success, 1 a cell or query failed (check: a difference), 2 usage or file error.`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest);
      case 'query':
        return await queryCommand(rest);
      case 'check':
        return await checkCommand(rest);
      case 'export':
        return await exportCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP + '\n');
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`casebook: ${safeText(e.message)}\n\n${HELP}\n`);
      return 2;
    }
    if (e instanceof FileError) {
      process.stderr.write(`casebook: ${safeText(e.message)}\n`);
      // Whoever asked for JSON reads stdout: say what went wrong there too, as data.
      if ((command === 'run' || command === 'check') && rest.includes('--json')) process.stdout.write(safeJson({ ok: false, error: { kind: 'file', message: e.message } }) + '\n');
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Exit now rather than when the event loop empties: Node.js would first wait for V8's
    // background work (compiles the run no longer needs), 10-30 ms after a large query. Output
    // still queued (a slow pipe on some platforms) is let drain the usual way.
    if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
  },
  (e: unknown) => {
    process.stderr.write(`casebook: ${safeText(e instanceof Error ? e.message : String(e))}\n`);
    process.exitCode = 2;
  },
);
