/**
 * The `casebook` command line: usage text, dispatch to a command, exit codes. Exit codes: 0
 * success, 1 a cell/query failed or a check found differences, 2 usage or file errors.
 *
 * Two bundles run it: every command (main.ts), and `casebook query` alone (queryMain.ts), which
 * the launcher picks for that command because it starts faster without the notebook, claim and
 * report code.
 */
import { FileError, UsageError } from './args';
import { isStringTooLong, STRING_TOO_LONG } from '../core/query/errors';
import { safeJson, safeText } from './terminal';

export const HELP = `casebook — incident-investigation notebooks, headless

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
      --source NAME={path: PATH, ...} gives a source the settings a notebook's front matter can,
      as a YAML flow mapping: 'sys={path: auth.log, timezone: "+02:00", time: {year: 2025}}'.
      --max-rows: rows the table format shows (default 100; the others write every row).
  casebook help

Exit codes: 0 success, 1 a cell or query failed (check: a difference), 2 usage or file error.`;

export type CommandName = 'run' | 'query' | 'check' | 'export';
export type Command = (args: readonly string[]) => Promise<number>;

/** Runs the command `argv[0]` names with the rest of `argv`; the exit code. */
export async function dispatch(argv: readonly string[], commands: Partial<Record<CommandName, Command>>): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP + '\n');
        return command === undefined ? 2 : 0;
    }
    const run = Object.hasOwn(commands, command) ? commands[command as CommandName] : undefined;
    if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`casebook: ${safeText(e.message)}\n\n${HELP}\n`);
      return 2;
    }
    if (e instanceof FileError) {
      process.stderr.write(`casebook: ${safeText(e.message)}\n`);
      // Whoever asked for JSON reads stdout: say what went wrong there too, as data, in the shape
      // every notebook problem has ({ notebook, ok, error: { kind, message } }).
      if ((command === 'run' || command === 'check') && rest.includes('--json')) process.stdout.write(safeJson({ ...(e.path !== undefined ? { notebook: e.path } : {}), ok: false, error: { kind: 'file', message: e.message } }) + '\n');
      return 2;
    }
    throw e;
  }
}

/** Runs the process's command line and sets its exit code. */
export function runCommandLine(commands: Partial<Record<CommandName, Command>>): void {
  // A reader that stops early (`| head`) ends the output, not the command: it finishes and exits
  // with its own code, instead of crashing on the closed pipe with a stack trace and exit code 1.
  // Output that cannot be written at all (a full disk) is a file error, said in one line.
  const outputFailed = (e: NodeJS.ErrnoException | null | undefined): void => {
    if (!e || e.code === 'EPIPE' || process.stdout.destroyed) return;
    process.stderr.write(`casebook: cannot write the output: ${safeText(e.message)}\n`);
    process.exit(2);
  };
  process.stdout.on('error', outputFailed);
  dispatch(process.argv.slice(2), commands).then(
    (code) => {
      // A write that failed in the command's last turn reports its error only on a later one.
      outputFailed(process.stdout.errored as NodeJS.ErrnoException | null);
      process.exitCode = code;
      // Exit now rather than when the event loop empties: Node.js would first wait for V8's
      // background work (compiles the run no longer needs), 10-30 ms after a large query. Output
      // still queued (a slow pipe on some platforms) is let drain the usual way.
      if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
    },
    (e: unknown) => {
      // Data can make a value too large to be text (in a report, say): the run failed, not the usage.
      if (isStringTooLong(e)) {
        process.stderr.write(`casebook: ${STRING_TOO_LONG}; filter or limit the value first\n`);
        process.exitCode = 1;
        return;
      }
      process.stderr.write(`casebook: ${safeText(e instanceof Error ? e.message : String(e))}\n`);
      process.exitCode = 2;
    },
  );
}
