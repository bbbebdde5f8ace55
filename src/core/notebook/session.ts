/**
 * Runs notebook cells. One session per open notebook (in the extension's worker) or per CLI run:
 * it keeps what earlier cells defined (`let` names, tables by cell id) and the source cache, and
 * turns each cell into outputs. Front ends only adapt these results to their medium.
 */
import type { ClaimRuleOutcome } from '../claims/ach';
import type { VerdictRecord } from '../claims/record';
import type { CellRecord } from '../format';
import { QueryRuntimeError, QuerySyntaxError } from '../query/errors';
import { Scope, type Definition } from '../query/scope';
import type { Table } from '../query/table';
import { DateTime, type Value } from '../query/values';

/** A code cell as the session sees it. `key` is stable while the notebook is open. */
export interface SessionCell {
  readonly key: string;
  readonly kind: string;
  readonly id?: string;
  readonly source: string;
  readonly records: readonly CellRecord[];
}

export type CellOutput =
  | { readonly type: 'table'; readonly table: Table; readonly title?: string }
  | { readonly type: 'markdown'; readonly text: string }
  | { readonly type: 'chart'; readonly spec: Readonly<Record<string, unknown>>; readonly title?: string; readonly note?: string; readonly marks?: number }
  | { readonly type: 'claim'; readonly card: unknown };

export interface CellError {
  /** One line a person can act on. */
  readonly message: string;
  /** More context: the query line with a caret, available names, the failing upstream cell. */
  readonly detail?: string;
}

export interface CellRunResult {
  readonly ok: boolean;
  readonly outputs: readonly CellOutput[];
  readonly error?: CellError;
  /** Records to store after the cell in the file (claim verdicts); undefined leaves them as they are. */
  readonly records?: readonly CellRecord[];
  /** One line for the CLI and status bar, e.g. `42 rows` or `contradicted`. */
  readonly summary: string;
  readonly warnings: readonly string[];
  /** For claim cells: the computed verdict as stored in the file. */
  readonly verdict?: VerdictRecord;
}

export interface SessionOptions {
  /** Folder the notebook lives in; source paths resolve relative to it. */
  readonly baseDir: string;
  /** Front-matter parameters, usable by name in queries. */
  readonly params?: Readonly<Record<string, Value>>;
  /** `now()` for every query in this session; the wall clock at each run when absent. */
  readonly now?: DateTime;
  readonly limits?: SessionLimits;
}

export interface SessionLimits {
  /** Largest result a query may produce before it stops with an error. */
  readonly maxResultRows?: number;
}

export type ProgressReporter = (message: string) => void;

/** What a cell left for later cells. */
export interface CellState {
  readonly ok: boolean;
  /** The cell's result table (query cells), usable by the cell's id from later cells. */
  readonly table?: Table;
  /** Names this cell itself defined (`let`), for later cells. */
  readonly definitions?: ReadonlyMap<string, Definition>;
  /** Front-matter sources this cell read, directly or through the cells it used. */
  readonly sources?: readonly string[];
  /** Claim cells: what timelines need to draw the claim's window. */
  readonly claim?: ClaimSummary;
}

export interface ClaimSummary {
  readonly id: string;
  readonly statement: string;
  readonly by: string;
  readonly verdict: 'supported' | 'contradicted' | 'inconclusive' | 'error';
  readonly rule?: string;
  readonly window?: { readonly from: DateTime; readonly to: DateTime };
  readonly judgement?: { readonly verdict: string; readonly by: string };
  /** Each rule's outcome and the evidence it read, for the ACH matrix. */
  readonly outcomes: readonly ClaimRuleOutcome[];
}

/** One file of a source, as claims record it: path relative to the notebook. */
export interface SourceFileHash {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** Tables declared in the front matter, loaded on first use. */
export interface SourceProvider {
  names(): string[];
  load(name: string, signal: AbortSignal, progress: ProgressReporter, warn?: (message: string) => void): Promise<Table | undefined>;
  /** SHA-256 and size of every file of a source (cached while the files do not change). */
  provenance(name: string, signal: AbortSignal): Promise<readonly SourceFileHash[]>;
}

/** Everything a cell handler may use. */
export interface CellContext {
  readonly signal: AbortSignal;
  readonly progress: ProgressReporter;
  readonly now: DateTime;
  readonly limits: SessionLimits;
  /** Front-matter parameters plus what the cells above defined. */
  readonly scope: Scope;
  /** An earlier cell's id, then a front-matter source. */
  resolveTable(name: string, signal: AbortSignal): Promise<Table | undefined>;
  tableNames(): string[];
  /** Result of an earlier cell by id, or an error saying why it is not available. */
  cellState(id: string): CellState | undefined;
  /** Adds a warning to this cell's result (skipped lines, assumptions). */
  warn(message: string): void;
  /**
   * Records tables a query read by name, including through `let`s defined in earlier cells (which
   * resolve through those cells' contexts), so provenance names every source behind a result.
   */
  noteTablesUsed(names: readonly string[]): void;
  /** Claims above this cell that have run, in notebook order. */
  precedingClaims(): ClaimSummary[];
  /** Hashes of the files of the given sources. */
  provenance(sources: readonly string[], signal: AbortSignal): Promise<Record<string, readonly SourceFileHash[]>>;
}

export interface HandlerOutcome {
  readonly result: CellRunResult;
  readonly state: CellState;
}

export type CellHandler = (cell: SessionCell, context: CellContext) => Promise<HandlerOutcome>;

export class NotebookSession {
  private readonly states = new Map<string, CellState>();
  private readonly baseScope: Scope;
  private readonly fixedNow: DateTime | undefined;

  constructor(
    private readonly options: SessionOptions,
    private readonly sources: SourceProvider,
    private readonly handlers: Readonly<Record<string, CellHandler>>,
  ) {
    this.baseScope = Scope.of(options.params ?? {});
    this.fixedNow = options.now;
  }

  /** Runs a cell given the code cells above it (their ids and definitions are visible to it). */
  async runCell(cell: SessionCell, preceding: readonly SessionCell[], signal: AbortSignal, progress: ProgressReporter = () => {}): Promise<CellRunResult> {
    const handler = this.handlers[cell.kind];
    if (!handler) {
      return failure(`Casebook does not run ${cell.kind} cells`, `Cells Casebook runs: ${Object.keys(this.handlers).join(', ')}.`);
    }
    const warnings: string[] = [];
    const sourcesRead = new Set<string>();
    const context = this.contextFor(preceding, signal, progress, (w) => warnings.includes(w) || warnings.push(w), sourcesRead);
    try {
      const { result, state } = await handler(cell, context);
      this.states.set(cell.key, { ...state, sources: [...sourcesRead].sort() });
      return { ...result, warnings: [...warnings, ...result.warnings] };
    } catch (e) {
      this.states.set(cell.key, { ok: false });
      if (isAbort(e) || signal.aborted) return { ...failure('cancelled'), summary: 'cancelled' };
      return failure(...describeError(e, cell.source));
    }
  }

  /** Forgets a cell's results (it was deleted, or its text changed and it must run again). */
  forget(cellKey: string): void {
    this.states.delete(cellKey);
  }

  private contextFor(preceding: readonly SessionCell[], signal: AbortSignal, progress: ProgressReporter, warn: (message: string) => void, sourcesRead: Set<string>): CellContext {
    let scope = this.baseScope;
    for (const c of preceding) {
      const defs = this.states.get(c.key)?.definitions;
      if (defs?.size) scope = scope.extend(defs);
    }
    const byId = new Map<string, SessionCell>();
    for (const c of preceding) if (c.id !== undefined) byId.set(c.id, c);
    const cellState = (id: string) => {
      const c = byId.get(id);
      return c ? this.states.get(c.key) : undefined;
    };
    return {
      signal,
      progress,
      now: this.fixedNow ?? DateTime.fromMillis(Date.now()),
      limits: this.options.limits ?? {},
      scope,
      cellState: (id) => {
        const state = cellState(id);
        state?.sources?.forEach((s) => sourcesRead.add(s));
        return state;
      },
      warn,
      noteTablesUsed: (names) => {
        const sourceNames = new Set(this.sources.names());
        for (const name of names) {
          if (byId.has(name)) cellState(name)?.sources?.forEach((s) => sourcesRead.add(s));
          else if (sourceNames.has(name)) sourcesRead.add(name);
        }
      },
      precedingClaims: () => preceding.map((c) => this.states.get(c.key)?.claim).filter((c): c is ClaimSummary => c !== undefined),
      tableNames: () => [...byId.keys(), ...this.sources.names()],
      resolveTable: async (name, tableSignal) => {
        if (byId.has(name)) {
          const state = cellState(name);
          if (!state) throw new NotebookError(`cell #${name} has not run yet`, `Run cell #${name} first, or use Run All.`);
          if (!state.ok) throw new NotebookError(`cell #${name} failed, so its result is not available`, `Fix cell #${name} and run it again.`);
          if (!state.table) throw new NotebookError(`cell #${name} has no result table`);
          state.sources?.forEach((s) => sourcesRead.add(s));
          return state.table;
        }
        const table = await this.sources.load(name, tableSignal, progress, warn);
        if (table) sourcesRead.add(name);
        return table;
      },
      provenance: async (names, provenanceSignal) => {
        const out: Record<string, readonly SourceFileHash[]> = {};
        for (const name of [...names].sort()) out[name] = await this.sources.provenance(name, provenanceSignal);
        return out;
      },
    };
  }
}

/** A problem a person can fix, with an optional longer explanation. */
export class NotebookError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'NotebookError';
  }
}

export function failure(message: string, detail?: string): CellRunResult {
  return { ok: false, outputs: [], error: { message, ...(detail ? { detail } : {}) }, summary: 'error', warnings: [] };
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error || e instanceof DOMException ? e.name === 'AbortError' : false;
}

function describeError(e: unknown, source: string): [string, string?] {
  if (e instanceof QuerySyntaxError) return [e.message, e.format(source)];
  if (e instanceof QueryRuntimeError) return [e.message, e.hint];
  if (e instanceof NotebookError) return [e.message, e.detail];
  if (e instanceof Error) return [e.message];
  return [String(e)];
}
