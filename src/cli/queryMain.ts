/**
 * `casebook query` alone: the launcher runs this bundle for that command, which loads about a
 * third less code than the whole tool (no notebooks, claims, reports) and so starts sooner.
 */
import './earlyReaders'; // first: may start reader threads while the rest loads
import { queryCommand } from './commands/query';
import { runCommandLine } from './dispatch';

runCommandLine({ query: queryCommand });
