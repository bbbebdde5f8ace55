/**
 * Runs notebook cells. One session per open notebook (in the extension's worker) or per CLI run:
 * it keeps what earlier cells defined (`let` names, tables by cell id) and the source cache, and
 * turns each cell into outputs. Front ends only adapt these results to their medium.
 */
import type { ClaimRuleOutcome } from '../claims/ach';
import type { VerdictRecord } from '../claims/record';
import type { CellRecord } from '../format';
import { isStringTooLong, QueryRuntimeError, QuerySyntaxError, STRING_TOO_LONG } from '../query/errors';
import { createHash } from 'node:crypto';
import { Scope, type Definition } from '../query/scope';
import { buildGraph, downstreamClosure, executionOrder, upstreamClosure, type NotebookGraph } from './graph';
import type { AggregatedTable } from '../query/engine';
import type { PartialAggregation } from '../query/partialAggregation';
import type { SourceRequest } from '../query/sourceRequest';
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
  /** Rows the result had before the row limit cut it to `table` (absent when it was not cut). */
  readonly cutFrom?: number;
  /** The id of a cell whose cut result this one was computed from, directly or through others. */
  readonly partialFrom?: string;
  /** Names this cell itself defined (`let`), for later cells. */
  readonly definitions?: ReadonlyMap<string, Definition>;
  /** Front-matter sources this cell read, directly or through the cells it used. */
  readonly sources?: readonly string[];
  /** Claim cells: what timelines need to draw the claim's window. */
  readonly claim?: ClaimSummary;
  /** A cell that failed because a cell it reads failed: the first cell in that chain that failed itself. */
  readonly failedBecause?: string;
}

export interface ClaimSummary {
  /** The claim cell's id, if it has one. */
  readonly id?: string;
  readonly statement: string;
  readonly by: string;
  readonly verdict: 'supported' | 'contradicted' | 'inconclusive' | 'error';
  readonly rule?: string;
  readonly window?: { readonly from: DateTime; readonly to: DateTime };
  readonly judgement?: { readonly verdict: string; readonly by: string };
  /** Each rule's outcome and the evidence it read, for the ACH matrix. */
  readonly outcomes: readonly ClaimRuleOutcome[];
  /** The claim's inline evidence names (see `AchClaim.inline`). */
  readonly inline: readonly string[];
}

/** One file of a source, as claims record it: path relative to the notebook. */
export interface SourceFileHash {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** How one load of a source runs. */
export interface SourceLoad {
  readonly signal: AbortSignal;
  readonly progress: ProgressReporter;
  /** What the query being run needs from the source (see `SourceRequest`); undefined: all of it. */
  readonly request?: SourceRequest;
  /** Receives warnings about the read (skipped lines, assumed years). */
  readonly warn?: (message: string) => void;
}

/** Tables declared in the front matter, loaded on first use. */
export interface SourceProvider {
  names(): string[];
  /** A source's table, or only what `how.request` asks of it. */
  load(name: string, how: SourceLoad): Promise<Table | undefined>;
  /** SHA-256 and size of every file of a source (cached while the files do not change). */
  provenance(name: string, signal: AbortSignal): Promise<readonly SourceFileHash[]>;
  /** Cheap identity of a source's files as they are now (paths, sizes, modification times). */
  fingerprint?(name: string): Promise<string>;
  /** Every column of a source read only in part (a projected JSON Lines read), from a sample; see `QueryEnvironment.sourceColumns`. */
  columns?(name: string, signal: AbortSignal): Promise<readonly string[] | undefined>;
  /**
   * A source read for one query's aggregation, run where the rows are read (see
   * `QueryEnvironment.aggregateTable`). For one-off queries: nothing is kept for the next query.
   */
  aggregate?(name: string, plan: PartialAggregation, how: SourceLoad & { readonly request: SourceRequest }): Promise<AggregatedTable | undefined>;
}

/** Everything a cell handler may use. */
export interface CellContext {
  readonly signal: AbortSignal;
  readonly progress: ProgressReporter;
  readonly now: DateTime;
  readonly limits: SessionLimits;
  /** Front-matter parameters plus what the cells above defined. */
  readonly scope: Scope;
  /** An earlier cell's id, then a front-matter source; `warn` receives the read's warnings, else `warn` below. */
  resolveTable(name: string, signal: AbortSignal, request?: SourceRequest, warn?: (message: string) => void): Promise<Table | undefined>;
  /** A source's columns, for an error about a name it does not have (see `QueryEnvironment.sourceColumns`). */
  sourceColumns(name: string, signal: AbortSignal): Promise<readonly string[] | undefined>;
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
  /** The sources this cell has read so far, directly or through earlier cells' results. */
  sourcesRead(): string[];
  /**
   * Of the tables a query used (`QueryResult.tablesUsed`, lets' included), the first cell whose
   * result the row limit cut, or that was computed from one: the id of the cut cell.
   */
  partialOf(names: readonly string[]): string | undefined;
  /** See `NotebookSession.queriesSha256`. */
  queriesSha256(): string;
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

/** Parameter values (as `queryParams` gives them) as JSON; integers, which are bigints, by their digits. */
function paramsJson(params: Readonly<Record<string, unknown>> | undefined): string {
  return JSON.stringify(params ?? {}, (_key, v: unknown) => (typeof v === 'bigint' ? { integer: v.toString() } : v));
}

/** See `NotebookSession.queriesSha256`; also computed by the editor for records it has not run. */
export function queriesSha256Of(graph: NotebookGraph, cells: readonly SessionCell[], key: string, params: Readonly<Record<string, unknown>>, nowUs: number | undefined): string {
  const upstream = upstreamClosure(graph, [key]);
  const hash = createHash('sha256').update(paramsJson(params) + String(nowUs ?? ''));
  for (const c of cells) if (c.key === key || upstream.has(c.key)) hash.update('\u0000' + JSON.stringify([c.kind, c.id ?? null, c.source]));
  return hash.digest('hex');
}

export class NotebookSession {
  private readonly states = new Map<string, CellState & { readonly version: string }>();
  private readonly baseScope: Scope;
  private readonly fixedNow: DateTime | undefined;
  private cells: readonly SessionCell[] = [];
  private cachedGraph: NotebookGraph | undefined;

  constructor(
    private readonly options: SessionOptions,
    private readonly sources: SourceProvider,
    private readonly handlers: Readonly<Record<string, CellHandler>>,
  ) {
    this.baseScope = Scope.of(options.params ?? {});
    this.fixedNow = options.now;
  }

  /**
   * Takes over what an earlier session of the same notebook ran (its front matter was edited). The
   * results keep the versions they ran with, so those the edit affects (parameters, `now`, a
   * source's files) show as stale and are run again before anything reads them.
   */
  adoptResults(previous: NotebookSession): void {
    for (const [key, state] of previous.states) if (!this.states.has(key)) this.states.set(key, state);
  }

  /** The notebook's code cells, in order. Call whenever the notebook may have changed. */
  setCells(cells: readonly SessionCell[]): void {
    const same = cells.length === this.cells.length && cells.every((c, i) => sameCell(c, this.cells[i]));
    this.cells = cells;
    if (!same) this.cachedGraph = undefined;
    const keys = new Set(cells.map((c) => c.key));
    for (const key of [...this.states.keys()]) if (!keys.has(key)) this.states.delete(key);
  }

  graph(): NotebookGraph {
    this.cachedGraph ??= buildGraph(this.cells, { sources: this.sources.names(), params: Object.keys(this.options.params ?? {}) });
    return this.cachedGraph;
  }

  /**
   * What a cell's result depends on: its kind, id and text, the versions of the cells it reads and
   * the files of the sources it reads. Equal versions mean an equal result.
   */
  async version(key: string, memo = new Map<string, Promise<string>>(), path: ReadonlySet<string> = new Set()): Promise<string> {
    // On a cycle the cell would wait for its own version; such cells cannot run anyway. The path
    // is checked before the memo, which holds the unfinished versions of the cells on it.
    if (path.has(key)) return 'cycle';
    const known = memo.get(key);
    if (known) return known;
    const inner = new Set(path).add(key);
    const compute = async (): Promise<string> => {
      const node = this.graph().nodes.get(key);
      const cell = this.cells.find((c) => c.key === key);
      if (!node || !cell) return 'missing';
      const hash = createHash('sha256').update(JSON.stringify([cell.kind, cell.id ?? null, cell.source]) + paramsJson(this.options.params) + String(this.fixedNow?.us ?? ''));
      for (const up of [...node.upstream].sort()) hash.update('\u0000' + (await this.version(up, memo, inner)));
      for (const source of node.sources) hash.update('\u0001' + source + ((await this.sources.fingerprint?.(source)) ?? ''));
      return hash.digest('hex');
    };
    const pending = compute();
    memo.set(key, pending);
    return pending;
  }

  /**
   * SHA-256 of what a cell's result is defined by as written: its own text and that of every cell
   * it reads, directly or not (in notebook order), the parameters and the fixed `now`; not the data,
   * which provenance hashes. The same in the editor and the command line, so verdict records keep
   * it and `check` notices a changed query even when its rows stay the same.
   */
  queriesSha256(key: string): string {
    return queriesSha256Of(this.graph(), this.cells, key, this.options.params ?? {}, this.fixedNow?.us);
  }

  /**
   * Cells whose last result no longer matches their text, inputs or sources (never-run cells are
   * not stale), and claims whose last run failed: the record they keep is from an earlier run.
   */
  async staleKeys(): Promise<string[]> {
    const memo = new Map<string, Promise<string>>();
    const stale: string[] = [];
    for (const c of this.cells) {
      const state = this.states.get(c.key);
      if (state && (state.version !== (await this.version(c.key, memo)) || (!state.ok && c.kind === 'claim'))) stale.push(c.key);
    }
    return stale;
  }

  /**
   * The cells to run, in order, to bring `targets` up to date: the targets themselves, every
   * upstream cell that is out of date or has never run, and (when asked) every downstream cell.
   */
  async plan(targets: readonly string[], options: { dependents?: boolean } = {}): Promise<string[]> {
    const graph = this.graph();
    const memo = new Map<string, Promise<string>>();
    const wanted = new Set(targets);
    if (options.dependents) for (const down of downstreamClosure(graph, targets)) wanted.add(down);
    // Dependents may read cells besides the targets: those must be current too.
    for (const up of upstreamClosure(graph, [...wanted])) {
      const state = this.states.get(up);
      if (!state || !state.ok || state.version !== (await this.version(up, memo))) wanted.add(up);
    }
    return executionOrder(graph, wanted);
  }

  /** Runs one cell. Its upstream cells must have run (see `plan`); their failures are reported here. */
  async runCell(key: string, signal: AbortSignal, progress: ProgressReporter = () => {}): Promise<CellRunResult> {
    const cell = this.cells.find((c) => c.key === key);
    if (!cell) return failure('this cell is not part of the notebook any more');
    const node = this.graph().nodes.get(key)!;
    const memo = new Map<string, Promise<string>>();
    const version = await this.version(key, memo);
    if (node.problems.length) {
      this.states.set(key, { ok: false, version });
      return failure(node.problems[0].message, node.problems.slice(1).map((p) => p.message).join('\n') || undefined);
    }
    for (const up of node.upstream) {
      const state = this.states.get(up);
      const name = this.cellName(up);
      if (!state) return failure(`${name}, which this cell reads, has not run yet`, 'Run this cell again: Casebook runs the cells it depends on first.');
      if (!state.ok) {
        // Failures pass down the chain naming where it started, so the message says what to fix.
        const root = state.failedBecause ?? name;
        this.states.set(key, { ok: false, version, failedBecause: root });
        return failure(root === name ? `${name}, which this cell reads, failed; fix it first` : `${name}, which this cell reads, failed because ${root} failed; fix ${root} first`);
      }
      if (state.version !== (await this.version(up, memo))) {
        // A result from an older version of that cell would be passed off as current. The failure
        // is kept as one (a claim's record, from an earlier run, is then stale; forgotten, it was not).
        this.states.set(key, { ok: false, version });
        return failure(`${name}, which this cell reads, changed since it ran`, 'Run this cell again: Casebook runs the cells it depends on first.');
      }
    }
    const handler = this.handlers[cell.kind];
    if (!handler) {
      return failure(`Casebook does not run ${cell.kind} cells`, `Cells Casebook runs: ${Object.keys(this.handlers).join(', ')}.`);
    }
    const warnings: string[] = [];
    const sourcesRead = new Set<string>();
    const partial: { from?: string; fromDefinitions?: string } = {};
    // Lets of the cells above are evaluated where they are defined (a scalar one once, there): a
    // cell reading lets of a cell computed from a cut result is computed from it too (conservatively:
    // whichever of that cell's lets it reads).
    for (const up of this.graph().nodes.get(key)?.upstream ?? []) {
      const state = this.states.get(up);
      if (state?.partialFrom === undefined || !state.definitions?.size) continue;
      partial.fromDefinitions ??= state.partialFrom;
      partial.from ??= state.partialFrom;
      warnings.push(`the definitions of ${this.cellName(up)} were computed from part of the rows of cell #${state.partialFrom} (row limit), and so is this result`);
      break;
    }
    // The lets of the cells above whose results are current: a cell whose `let` was since deleted
    // or renamed (its text changed, and it has not run again) still holds its old definitions, and
    // those would feed this cell unseen.
    const currentAbove = new Set<string>();
    for (const c of this.cells.slice(0, this.cells.indexOf(cell))) {
      const state = this.states.get(c.key);
      if (state?.definitions?.size && state.version === (await this.version(c.key, memo))) currentAbove.add(c.key);
    }
    const context = this.contextFor(cell, currentAbove, signal, progress, (w) => warnings.includes(w) || warnings.push(w), sourcesRead, partial);
    try {
      const { result, state } = await handler(cell, context);
      this.states.set(key, { ...state, sources: [...sourcesRead].sort(), ...(partial.from !== undefined ? { partialFrom: partial.from } : {}), version });
      return { ...result, warnings: [...warnings, ...result.warnings] };
    } catch (e) {
      this.states.set(key, { ok: false, version });
      if (isAbort(e) || signal.aborted) return { ...failure('cancelled'), summary: 'cancelled' };
      return failure(...describeError(e, cell.source));
    }
  }

  /** `#id`, or `cell N` for a cell without an id. */
  private cellName(key: string): string {
    const cell = this.cells.find((c) => c.key === key);
    return cell?.id !== undefined ? `#${cell.id}` : `cell ${this.graph().nodes.get(key)!.index + 1}`;
  }

  private contextFor(cell: SessionCell, currentAbove: ReadonlySet<string>, signal: AbortSignal, progress: ProgressReporter, warn: (message: string) => void, sourcesRead: Set<string>, partial: { from?: string; readonly fromDefinitions?: string }): CellContext {
    const index = this.cells.indexOf(cell);
    const above = this.cells.slice(0, index);
    let scope = this.baseScope;
    for (const c of above) {
      const defs = currentAbove.has(c.key) ? this.states.get(c.key)?.definitions : undefined;
      if (defs?.size) scope = scope.extend(defs);
    }
    const byId = new Map<string, SessionCell>();
    for (const c of this.cells) if (c.id !== undefined && !byId.has(c.id)) byId.set(c.id, c);
    const stateById = (id: string) => {
      const c = byId.get(id);
      const state = c && c.key !== cell.key ? this.states.get(c.key) : undefined;
      state?.sources?.forEach((s) => sourcesRead.add(s));
      return state;
    };
    return {
      signal,
      progress,
      now: this.fixedNow ?? DateTime.fromMillis(Date.now()),
      limits: this.options.limits ?? {},
      scope,
      cellState: stateById,
      warn,
      noteTablesUsed: (names) => {
        const sourceNames = new Set(this.sources.names());
        for (const name of names) {
          if (byId.has(name)) {
            // A result computed from part of a cell's rows says so (that cell's own warning stays
            // with it), and keeps saying so downstream; claims refuse it (see claimCell.ts).
            const state = stateById(name);
            if (!state?.table) continue;
            if (state.cutFrom !== undefined) warn(`cell #${name} kept ${state.table.rowCount.toLocaleString('en-US')} of its ${state.cutFrom.toLocaleString('en-US')} rows (row limit): this result is computed from those`);
            else if (state.partialFrom !== undefined) warn(`cell #${name} was computed from part of the rows of cell #${state.partialFrom} (row limit), and so is this result`);
            if (state.cutFrom !== undefined || state.partialFrom !== undefined) partial.from ??= state.partialFrom ?? name;
          } else if (sourceNames.has(name)) sourcesRead.add(name);
        }
      },
      sourcesRead: () => [...sourcesRead].sort(),
      partialOf: (names) => {
        for (const name of names) {
          const state = byId.has(name) ? stateById(name) : undefined;
          if (state?.cutFrom !== undefined) return name;
          if (state?.partialFrom !== undefined) return state.partialFrom;
        }
        return partial.fromDefinitions;
      },
      queriesSha256: () => this.queriesSha256(cell.key),
      precedingClaims: () => above.map((c) => this.states.get(c.key)?.claim).filter((c): c is ClaimSummary => c !== undefined),
      // Not its own id: `union sign*` in a cell #sign-all would read itself.
      tableNames: () => [...[...byId.keys()].filter((id) => id !== cell.id), ...this.sources.names()],
      sourceColumns: async (name, columnsSignal) => (byId.has(name) ? undefined : this.sources.columns?.(name, columnsSignal)),
      resolveTable: async (name, tableSignal, request, tableWarn) => {
        if (byId.has(name) && byId.get(name)!.key !== cell.key) {
          const state = stateById(name);
          if (!state) throw new NotebookError(`cell #${name} has not run yet`, `Run cell #${name} first, or use Run All.`);
          if (!state.ok) throw new NotebookError(`cell #${name} failed, so its result is not available`, `Fix cell #${name} and run it again.`);
          if (!state.table) throw new NotebookError(`cell #${name} has no result table`);
          return state.table;
        }
        const table = await this.sources.load(name, { signal: tableSignal, progress, warn: tableWarn ?? warn, request });
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

function sameCell(a: SessionCell, b: SessionCell | undefined): boolean {
  return !!b && a.key === b.key && a.kind === b.kind && a.id === b.id && a.source === b.source;
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
  if (e instanceof QueryRuntimeError) return [e.message, e.offset !== undefined && e.sourceText !== undefined ? e.format() : e.hint];
  if (e instanceof NotebookError) return [e.message, e.detail];
  if (isStringTooLong(e)) return [STRING_TOO_LONG, 'a value built from the data is too large to be text; filter or limit it first'];
  if (e instanceof Error) return [e.message];
  return [String(e)];
}
