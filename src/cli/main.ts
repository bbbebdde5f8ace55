/**
 * `casebook`: run, query, check and export investigations headlessly through the same core as
 * the editor (usage and exit codes: dispatch.ts).
 */
import './earlyReaders'; // first: may start reader threads while the rest loads
import { runCommand } from './commands/run';
import { queryCommand } from './commands/query';
import { checkCommand } from './commands/check';
import { exportCommand } from './commands/export';
import { runCommandLine } from './dispatch';

runCommandLine({ run: runCommand, query: queryCommand, check: checkCommand, export: exportCommand });
