/** The cell kinds Casebook runs, and what runs them. */
import { runClaimCell } from './claimCell';
import { runClaimsSummaryCell } from './claimsSummaryCell';
import { runQueryCell } from './queryCell';
import { runTimelineCell } from './timelineCell';
import type { CellHandler } from './session';

export const cellHandlers: Readonly<Record<string, CellHandler>> = {
  kql: runQueryCell,
  claim: runClaimCell,
  timeline: runTimelineCell,
  claims: runClaimsSummaryCell,
};
