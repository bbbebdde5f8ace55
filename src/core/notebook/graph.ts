/**
 * The notebook's dependency graph: which cells define which names (their id, their `let`s) and
 * which cells use them. It drives dependency-aware execution (run out-of-date upstream cells
 * first), staleness (a result is stale when its text, inputs or source files changed since it
 * ran), and errors before anything runs (missing references, duplicate ids, cycles).
 *
 * Name resolution: a cell id is visible to every cell in the notebook (forward references run the
 * referenced cell first); a `let` name is visible to the cells below the one that defines it, the
 * nearest definition winning, as when reading the notebook top to bottom.
 */
import { parse as parseYaml } from 'yaml';
import { conditionPredicates, conditionRefs, PREDICATE_ROWS } from '../claims/conditions';
import { parseClaim } from '../claims/claimCell';
import { analyzeQuery, parseQuery } from '../query';

export interface GraphCell {
  readonly key: string;
  readonly kind: string;
  readonly id?: string;
  readonly source: string;
}

export interface GraphProblem {
  readonly kind: 'missing' | 'duplicate-id' | 'cycle';
  readonly message: string;
}

export interface GraphNode {
  readonly key: string;
  readonly index: number;
  readonly id?: string;
  /** `let` names this cell defines. */
  readonly lets: readonly string[];
  /** Keys of the cells this cell reads, directly. */
  readonly upstream: readonly string[];
  /** Front-matter sources this cell reads directly. */
  readonly sources: readonly string[];
  readonly problems: readonly GraphProblem[];
}

export interface NotebookGraph {
  readonly nodes: ReadonlyMap<string, GraphNode>;
  readonly order: readonly string[];
}

interface Uses {
  lets: string[];
  /** Names that must resolve: tables, functions, cell ids. */
  required: string[];
  /** Names that must be cell ids: a claim's conditions, a timeline's `claims:`. */
  cells: string[];
  /** Names that must be a cell id or a source: a timeline's `from:`. */
  tables?: string[];
  /** Bare names that may be columns; they resolve only to earlier lets or parameters. */
  optional: string[];
  /** Those of `optional` that may also be tables (`x in (b)`): a cell id or a source too. */
  maybeTables: string[];
  /** Claim summaries depend on every claim above them. */
  allClaimsAbove?: boolean;
  /** The cell's queries read the clock (`now()`, `ago()`). */
  readsClock?: boolean;
}

const usesCache = new Map<string, Uses>();

/** What one cell defines and needs, from its text alone (cached by kind and text). */
export function cellUses(kind: string, source: string): Uses {
  const cacheKey = `${kind}\u0000${source}`;
  const cached = usesCache.get(cacheKey);
  if (cached) return cached;
  const uses = computeUses(kind, source);
  if (usesCache.size > 2000) usesCache.clear();
  usesCache.set(cacheKey, uses);
  return uses;
}

function queryUses(text: string): Uses {
  try {
    const a = analyzeQuery(parseQuery(text));
    return { lets: a.defines, required: a.uses, cells: [], optional: a.references, maybeTables: a.tableReferences, ...(a.readsClock ? { readsClock: true } : {}) };
  } catch {
    return NOTHING; // the run reports the syntax error with its position
  }
}

const NOTHING: Uses = { lets: [], required: [], cells: [], optional: [], maybeTables: [] };

function computeUses(kind: string, source: string): Uses {
  switch (kind) {
    case 'kql':
      return queryUses(source);
    case 'claim': {
      try {
        const claim = parseClaim(source);
        const inline = new Set(Object.keys(claim.evidence ?? {}));
        // A condition reads a cell's result by its id (a `let` of that name is not what it reads).
        const cellRefs = new Set<string>();
        for (const rule of claim.rules) for (const ref of conditionRefs(rule.condition)) if (!inline.has(ref)) cellRefs.add(ref);
        const required = new Set<string>();
        const optional = new Set<string>();
        const maybeTables = new Set<string>();
        let readsClock = false;
        const add = (u: Uses) => {
          u.required.forEach((n) => required.add(n));
          u.optional.forEach((n) => optional.add(n));
          u.maybeTables.forEach((n) => maybeTables.add(n));
          readsClock ||= u.readsClock === true;
        };
        for (const q of Object.values(claim.evidence ?? {})) add(queryUses(q));
        // A predicate may read other cells and lets too (`vis in (allowed)`): the names in it that
        // are not the rows' columns. It runs over the rows, named as the claim's evaluation names them.
        for (const rule of claim.rules) {
          for (const predicate of conditionPredicates(rule.condition)) {
            const u = queryUses(`${PREDICATE_ROWS} | where ${predicate}`);
            add({ ...u, required: u.required.filter((n) => n !== PREDICATE_ROWS) });
          }
        }
        return { lets: [], required: [...required], cells: [...cellRefs], optional: [...optional], maybeTables: [...maybeTables], ...(readsClock ? { readsClock } : {}) };
      } catch {
        return NOTHING;
      }
    }
    case 'timeline': {
      try {
        const t = (parseYaml(source, { logLevel: 'error' }) ?? {}) as { from?: unknown; query?: unknown; claims?: unknown };
        const cells = new Set<string>();
        if (Array.isArray(t.claims)) for (const c of t.claims) if (typeof c === 'string') cells.add(c.replace(/^#/, ''));
        const inline = typeof t.query === 'string' ? queryUses(t.query) : NOTHING;
        return { ...inline, lets: [], cells: [...cells], ...(typeof t.from === 'string' ? { tables: [t.from.replace(/^#/, '')] } : {}) };
      } catch {
        return NOTHING;
      }
    }
    case 'claims':
      return { ...NOTHING, allClaimsAbove: true };
    default:
      return NOTHING;
  }
}

export function buildGraph(cells: readonly GraphCell[], known: { readonly sources: readonly string[]; readonly params: readonly string[] }): NotebookGraph {
  const sources = new Set(known.sources);
  const params = new Set(known.params);
  const byId = new Map<string, string>();
  const duplicate = new Map<string, string>();
  for (const c of cells) {
    if (c.id === undefined) continue;
    if (byId.has(c.id)) duplicate.set(c.key, c.id);
    else byId.set(c.id, c.key);
  }
  const letsSoFar = new Map<string, string>(); // let name -> key of the nearest cell above defining it
  const nodes = new Map<string, GraphNode>();
  // A `claims` cell reached only through a name that may be a column (`isnotempty(summary)` in a
  // claim above `claims #summary`, which reads every claim above it): dropped where it would close
  // a cycle. Other such names may be tables (`x in (b)`), so a cycle through them stays an error.
  const weak = new Map<string, Set<string>>();
  const summaries = new Set(cells.filter((c) => c.kind === 'claims').map((c) => c.key));
  cells.forEach((cell, index) => {
    const uses = cellUses(cell.kind, cell.source);
    const upstream = new Set<string>();
    const direct = new Set<string>();
    const problems: GraphProblem[] = [];
    const dup = duplicate.get(cell.key);
    if (dup !== undefined) problems.push({ kind: 'duplicate-id', message: `the id #${dup} is already used by an earlier cell; give this cell another id` });
    // What a name may be: anything (a table or function name), a cell (a condition), a cell or a
    // source (a timeline's `from:`), or a column or scalar (a bare name: a cell id or a source of
    // that name is not what it reads; a column `room` made a false cycle with a cell #room).
    const resolve = (name: string, required: boolean, as: 'any' | 'cell' | 'table' | 'scalar' = 'any') => {
      // `union Sign*`: every let, cell id and source the pattern matches (the names the engine lists).
      if (name.includes('*') && as === 'any') {
        const pattern = new RegExp(`^${name.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
        let matched = uses.lets.some((l) => pattern.test(l));
        for (const [l, key] of letsSoFar) if (key !== cell.key && pattern.test(l)) (upstream.add(key), (matched = true));
        for (const [id, key] of byId) if (key !== cell.key && pattern.test(id)) (upstream.add(key), (matched = true));
        for (const s of sources) if (pattern.test(s)) (direct.add(s), (matched = true));
        if (!matched && required) problems.push({ kind: 'missing', message: `no let, cell id or source matches \`${name}\` (known: ${[...byId.keys(), ...sources].join(', ') || 'none'})` });
        return;
      }
      const letKey = as === 'cell' || as === 'table' ? undefined : letsSoFar.get(name);
      if (letKey !== undefined && letKey !== cell.key) return upstream.add(letKey);
      if (as === 'scalar') return;
      const idKey = byId.get(name);
      if (idKey !== undefined) {
        if (idKey === cell.key) {
          if (required) problems.push({ kind: 'cycle', message: `cell #${name} refers to itself` });
          return;
        }
        return upstream.add(idKey);
      }
      if (as !== 'cell' && sources.has(name)) return direct.add(name);
      if (as === 'any' && params.has(name)) return;
      if (required && as === 'cell') problems.push({ kind: 'missing', message: `no cell #${name} in this notebook (cell ids: ${[...byId.keys()].join(', ') || 'none'})` });
      else if (required) problems.push({ kind: 'missing', message: `\`${name}\` is not a cell id, an earlier let, a source or a parameter (known: ${[...byId.keys(), ...sources].join(', ') || 'none'})` });
    };
    uses.required.forEach((n) => resolve(n, true));
    uses.cells.forEach((n) => resolve(n, true, 'cell'));
    uses.tables?.forEach((n) => resolve(n, true, 'table'));
    const strong = new Set(upstream); // before names that may be columns
    const maybeTables = new Set(uses.maybeTables);
    uses.optional.forEach((n) => resolve(n, false, maybeTables.has(n) ? 'any' : 'scalar'));
    if (uses.allClaimsAbove) cells.slice(0, index).filter((c) => c.kind === 'claim').forEach((c) => (upstream.add(c.key), strong.add(c.key)));
    weak.set(cell.key, new Set([...upstream].filter((k) => !strong.has(k) && summaries.has(k))));
    for (const name of uses.lets) letsSoFar.set(name, cell.key);
    nodes.set(cell.key, { key: cell.key, index, ...(cell.id !== undefined ? { id: cell.id } : {}), lets: uses.lets, upstream: [...upstream], sources: [...direct].sort(), problems });
  });
  dropWeakCycles(nodes, weak);
  markCycles(nodes, cells);
  return { nodes, order: cells.map((c) => c.key) };
}

/** Removes each weak edge whose upstream cell reads, directly or not, the cell the edge leaves. */
function dropWeakCycles(nodes: Map<string, GraphNode>, weak: ReadonlyMap<string, ReadonlySet<string>>): void {
  const reaches = (from: string, target: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length) {
      const k = stack.pop()!;
      if (k === target) return true;
      if (seen.has(k)) continue;
      seen.add(k);
      stack.push(...(nodes.get(k)?.upstream ?? []));
    }
    return false;
  };
  for (const [key, edges] of weak) {
    for (const up of edges) {
      const node = nodes.get(key)!;
      if (reaches(up, key)) nodes.set(key, { ...node, upstream: node.upstream.filter((k) => k !== up) });
    }
  }
}

/** Adds a cycle problem, naming the cells involved, to every cell on a reference cycle. */
function markCycles(nodes: Map<string, GraphNode>, cells: readonly GraphCell[]): void {
  const label = (key: string) => {
    const c = cells.find((x) => x.key === key);
    return c?.id !== undefined ? `#${c.id}` : `cell ${(nodes.get(key)?.index ?? 0) + 1}`;
  };
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const onCycle = new Map<string, string[]>();
  const visit = (key: string) => {
    state.set(key, 'visiting');
    stack.push(key);
    for (const up of nodes.get(key)?.upstream ?? []) {
      if (state.get(up) === 'visiting') {
        const cycle = stack.slice(stack.indexOf(up));
        for (const k of cycle) if (!onCycle.has(k)) onCycle.set(k, cycle);
      } else if (!state.has(up)) visit(up);
    }
    stack.pop();
    state.set(key, 'done');
  };
  for (const key of nodes.keys()) if (!state.has(key)) visit(key);
  for (const [key, cycle] of onCycle) {
    const node = nodes.get(key)!;
    const path = [...cycle, cycle[0]].map(label).join(' → ');
    nodes.set(key, { ...node, problems: [...node.problems, { kind: 'cycle', message: `reference cycle: ${path}` }] });
  }
}

/** Every cell the given cells depend on, transitively, excluding themselves. */
export function upstreamClosure(graph: NotebookGraph, keys: readonly string[]): Set<string> {
  const out = new Set<string>();
  const walk = (k: string) => {
    for (const up of graph.nodes.get(k)?.upstream ?? []) {
      if (out.has(up)) continue;
      out.add(up);
      walk(up);
    }
  };
  keys.forEach(walk);
  for (const k of keys) out.delete(k);
  return out;
}

/** Every cell that depends on the given cells, transitively, excluding themselves. */
export function downstreamClosure(graph: NotebookGraph, keys: readonly string[]): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const n of graph.nodes.values()) for (const up of n.upstream) dependents.set(up, [...(dependents.get(up) ?? []), n.key]);
  const out = new Set<string>();
  const walk = (k: string) => {
    for (const d of dependents.get(k) ?? []) {
      if (out.has(d)) continue;
      out.add(d);
      walk(d);
    }
  };
  keys.forEach(walk);
  for (const k of keys) out.delete(k);
  return out;
}

/** The given cells in an order that runs every cell after the cells it reads (notebook order otherwise). */
export function executionOrder(graph: NotebookGraph, keys: Iterable<string>): string[] {
  const wanted = new Set(keys);
  const placed = new Set<string>();
  const out: string[] = [];
  const place = (k: string, seen: Set<string>) => {
    if (placed.has(k) || seen.has(k)) return; // a cycle is reported as a problem, not looped on
    seen.add(k);
    for (const up of graph.nodes.get(k)?.upstream ?? []) if (wanted.has(up)) place(up, seen);
    placed.add(k);
    out.push(k);
  };
  for (const k of graph.order) if (wanted.has(k)) place(k, new Set());
  return out;
}
