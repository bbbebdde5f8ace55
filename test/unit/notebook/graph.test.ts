import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGraph, downstreamClosure, executionOrder, upstreamClosure, type GraphCell } from '../../../src/core/notebook/graph';
import { createSession, runNotebook, sessionCellOf } from '../../../src/core/notebook/runner';
import type { NotebookSession, SessionCell } from '../../../src/core/notebook/session';
import { parseNotebook, type CodeCell } from '../../../src/core/format';
import { staleRecordKeys } from '../../../src/core/notebook/recordStaleness';
import { withFreshRecords } from '../../../src/core/notebook/writeBack';

const known = { sources: ['auth'], params: ['victim'] };
const cell = (key: string, kind: string, source: string, id?: string): GraphCell => ({ key, kind, source, ...(id ? { id } : {}) });

describe('notebook graph: definitions and uses', () => {
  it('links cells through ids, lets, claims, timelines and summaries', () => {
    const g = buildGraph(
      [
        cell('a', 'kql', 'let fails = auth | where outcome == "failure";\nfails | count', 'failures'),
        cell('b', 'kql', 'fails | where user == victim', 'victim-fails'),
        cell('c', 'kql', "['victim-fails'] | take 1"),
        cell('d', 'claim', 'claim: x\nby: y\ncontradicted-if: victim-fails has rows', 'c1'),
        cell('e', 'timeline', 'from: failures\nclaims: [c1]'),
        cell('f', 'claims', ''),
      ],
      known,
    );
    const up = (k: string) => [...g.nodes.get(k)!.upstream].sort();
    assert.deepEqual(g.nodes.get('a')!.lets, ['fails']);
    assert.deepEqual(g.nodes.get('a')!.sources, ['auth']);
    assert.deepEqual(up('a'), []);
    assert.deepEqual(up('b'), ['a'], 'a let from an earlier cell');
    assert.deepEqual(up('c'), ['b'], 'a bracketed cell id');
    assert.deepEqual(up('d'), ['b'], 'a claim condition');
    assert.deepEqual(up('e'), ['a', 'd'], 'a timeline source and claim window');
    assert.deepEqual(up('f'), ['d'], 'a claims summary reads every claim above it');
    for (const n of g.nodes.values()) assert.deepEqual(n.problems, [], n.key);
  });

  it('a claim\'s predicates read cells and lets too, as its conditions do', () => {
    const g = buildGraph(
      [
        cell('a', 'kql', 'let limit = 5;\nauth', 'all'),
        cell('b', 'claim', 'claim: x\nby: y\nsupported-if: every row of all satisfies `user in (admins) and attempts < limit`\ncontradicted-if: not (no row of all satisfies `user == victim`)', 'c1'),
        cell('c', 'kql', 'print user = "root"', 'admins'),
      ],
      known,
    );
    assert.deepEqual([...g.nodes.get('b')!.upstream].sort(), ['a', 'c'], 'the cell below (by id) and the let above');
    assert.deepEqual(g.nodes.get('b')!.problems, []);
    assert.deepEqual(executionOrder(g, ['a', 'b', 'c']), ['a', 'c', 'b']);
  });

  it('lets are visible below their cell only; ids everywhere', () => {
    const g = buildGraph([cell('a', 'kql', 'later | count'), cell('b', 'kql', 'x | count'), cell('c', 'kql', 'let x = auth; x', 'later')], known);
    assert.deepEqual(g.nodes.get('a')!.upstream, ['c'], 'a forward reference by id');
    assert.equal(g.nodes.get('b')!.problems[0]?.kind, 'missing', 'a let defined below is not visible');
  });

  it('reports a reference to a missing id before anything runs, listing what exists', () => {
    const g = buildGraph([cell('a', 'kql', 'auth | take 1', 'first'), cell('b', 'claim', 'claim: x\nby: y\ncontradicted-if: ghost has rows')], known);
    const [p] = g.nodes.get('b')!.problems;
    assert.equal(p.kind, 'missing');
    // A condition reads a cell's result, so it names the cells there are.
    assert.equal(p.message, 'no cell #ghost in this notebook (cell ids: first)');
    const q = buildGraph([cell('a', 'kql', 'auth | take 1', 'first'), cell('b', 'kql', 'ghost | count')], known).nodes.get('b')!.problems[0];
    assert.match(q.message, /`ghost` is not a cell id.*known: first, auth/);
  });

  it('resolves a table name with * to every cell id and source it matches (union Sign*)', () => {
    const g = buildGraph([cell('a', 'kql', 'auth | take 1', 'hits-a'), cell('b', 'kql', 'auth | take 2', 'hits-b'), cell('c', 'kql', 'union hits* | count'), cell('d', 'kql', 'union au* | count'), cell('e', 'kql', 'union nothing* | count')], known);
    assert.deepEqual([...g.nodes.get('c')!.upstream].sort(), ['a', 'b']);
    assert.deepEqual(g.nodes.get('c')!.problems, []);
    assert.deepEqual(g.nodes.get('d')!.sources, ['auth']);
    assert.match(g.nodes.get('e')!.problems[0].message, /no let, cell id or source matches `nothing\*`/);
    // Tabular lets match too: from a cell above (a dependency), or the cell's own.
    const lets = buildGraph([cell('l', 'kql', 'let hits_x = auth | take 1;'), cell('y', 'kql', 'auth | take 2', 'hits_y'), cell('c', 'kql', 'union hits* | count'), cell('o', 'kql', 'let loc_a = auth; let loc_b = auth; union loc* | count')], known);
    assert.deepEqual([...lets.nodes.get('c')!.upstream].sort(), ['l', 'y']);
    assert.deepEqual(lets.nodes.get('o')!.problems, []);
  });

  it('reads a timeline\'s from: as a cell or a source', () => {
    const g = buildGraph([cell('a', 'kql', 'auth | take 1', 'first'), cell('t', 'timeline', 'from: auth'), cell('u', 'timeline', 'from: first'), cell('v', 'timeline', 'from: nowhere')], known);
    assert.deepEqual(g.nodes.get('t')!.sources, ['auth']);
    assert.deepEqual(g.nodes.get('t')!.problems, []);
    assert.deepEqual(g.nodes.get('u')!.upstream, ['a']);
    assert.equal(g.nodes.get('v')!.problems[0].kind, 'missing');
  });

  it('resolves a bare name to a let or a parameter only, and a name in an `in` list or a condition as what it may be', () => {
    // A column named like a cell (`room`) made a false cycle: #reads -> #room -> #reads.
    const reads = cell('a', 'kql', 'auth | summarize n = count() by room', 'reads');
    const room = cell('b', 'kql', 'reads | top 1 by n', 'room');
    const g = buildGraph([reads, room], known);
    assert.deepEqual(g.nodes.get('a')!.upstream, []);
    assert.deepEqual([...g.nodes.values()].flatMap((n) => n.problems), []);
    // In an `in` list a name may be a cell's result; so may an argument of a user function (a
    // tabular parameter `T:(*)`) or of materialize.
    assert.deepEqual(buildGraph([reads, cell('c', 'kql', 'auth | where user in (reads)')], known).nodes.get('c')!.upstream, ['a']);
    for (const text of ['let m = materialize(reads); m | count', 'let f = (T:(*)) { T | count }; f(reads)', 'let f = (T:(*)) { T | count }; print n = toscalar(f(reads))']) {
      assert.deepEqual(buildGraph([reads, cell('c', 'kql', text)], known).nodes.get('c')!.upstream, ['a'], text);
    }
    assert.deepEqual(buildGraph([cell('c', 'kql', 'let m = materialize(auth); m | count')], known).nodes.get('c')!.sources, ['auth']);
    // A call of a built-in's name reads a user function of that name above.
    const fns = cell('f', 'kql', 'let ago = (d:timespan) { datetime(2026-01-03) - d };', 'fns');
    assert.deepEqual(buildGraph([fns, cell('u', 'kql', 'auth | where ts > ago(2d)')], known).nodes.get('u')!.upstream, ['f']);
    assert.deepEqual(buildGraph([cell('u', 'kql', 'auth | where ts > ago(2d)')], known).nodes.get('u')!.problems, []);
    // A parameter's default reads the lets around the function.
    const limits = cell('l', 'kql', 'let threshold = 1; print x = threshold', 'limits');
    assert.deepEqual(buildGraph([limits, cell('u', 'kql', 'let above = (x:long, t:long = threshold) { x > t }; auth | where above(n)')], known).nodes.get('u')!.upstream, ['l']);
    // A condition reads the cell of that id, not a `let` of the same name above the claim.
    const suspects = cell('q', 'kql', 'auth | take 1', 'suspects');
    const shadow = cell('l', 'kql', 'let suspects = auth | take 0;');
    const claim = cell('c', 'claim', 'claim: x\nby: y\ncontradicted-if: suspects has rows');
    assert.deepEqual(buildGraph([suspects, shadow, claim], known).nodes.get('c')!.upstream, ['q']);
  });

  it('a name that may be a column does not close a cycle: a claim reading a column named like the claims cell below', async () => {
    const text = ['```kql #events', 'print n = 1, summary = "s1"', '```', '', '```claim #c1', 'claim: x', 'by: y', 'supported-if: every row of events satisfies `isnotempty(summary)`', '```', '', '```claims #summary', '```', ''].join('\n');
    const parsed = parseNotebook(text);
    assert.ok(parsed.ok);
    const run = await runNotebook(parsed.notebook, { baseDir: tmpdir() });
    assert.deepEqual(run.cells.map((c) => [c.id, c.result.ok]), [['events', true], ['c1', true], ['summary', true]]);
  });

  it('a name in a query that is a table (`x in (b)`) still makes a cycle an error', () => {
    const g = buildGraph([cell('a', 'kql', 'print x = 1 | where x in (b)', 'a'), cell('b', 'kql', 'a | project x', 'b')], known);
    assert.equal(g.nodes.get('a')!.problems[0]?.kind, 'cycle');
    assert.match(g.nodes.get('a')!.problems[0].message, /reference cycle: #a → #b → #a/);
  });

  it('a reference cycle fails its cells by name and the run ends (it waited for itself, and the process exited 0 without a word)', async () => {
    const text = ['```kql #r', 'print x = 1', '```', '', '```kql #a', 'r | union b', '```', '', '```kql #b', 'a | union r', '```', ''].join('\n');
    const parsed = parseNotebook(text);
    assert.ok(parsed.ok);
    const run = await runNotebook(parsed.notebook, { baseDir: tmpdir() });
    assert.equal(run.ok, false);
    assert.deepEqual(run.cells.map((c) => [c.id, c.result.ok]), [['r', true], ['a', false], ['b', false]]);
    assert.match(run.cells[1].result.error!.message, /reference cycle: #a → #b → #a|reference cycle: #b → #a → #b/);
  });

  it('reports duplicate ids on the later cell', () => {
    const g = buildGraph([cell('a', 'kql', 'auth', 'q'), cell('b', 'kql', 'auth', 'q')], known);
    assert.deepEqual(g.nodes.get('a')!.problems, []);
    assert.equal(g.nodes.get('b')!.problems[0].kind, 'duplicate-id');
  });

  it('reports a cycle with every cell on it', () => {
    const g = buildGraph([cell('a', 'kql', 'q2 | count', 'q1'), cell('b', 'kql', 'q3 | count', 'q2'), cell('c', 'kql', 'q1 | count', 'q3'), cell('d', 'kql', 'q1 | count', 'q4')], known);
    for (const k of ['a', 'b', 'c']) {
      const cycle = g.nodes.get(k)!.problems.find((p) => p.kind === 'cycle');
      assert.ok(cycle, k);
      assert.match(cycle.message, /#q1 → #q2 → #q3 → #q1|#q2 → #q3 → #q1 → #q2|#q3 → #q1 → #q2 → #q3/);
    }
    assert.deepEqual(g.nodes.get('d')!.problems, [], 'a cell reading a cycle is not on it');
  });

  it('orders execution so every cell runs after what it reads', () => {
    const g = buildGraph([cell('a', 'kql', 'later | count'), cell('b', 'kql', 'auth', 'middle'), cell('c', 'kql', 'middle', 'later')], known);
    assert.deepEqual(executionOrder(g, ['a', 'b', 'c']), ['b', 'c', 'a']);
    assert.deepEqual([...upstreamClosure(g, ['a'])].sort(), ['b', 'c']);
    assert.deepEqual([...downstreamClosure(g, ['b'])].sort(), ['a', 'c']);
  });
});

describe('notebook session: staleness and dependency-aware runs', () => {
  function setup(): { dir: string; file: string } {
    const dir = mkdtempSync(join(tmpdir(), 'casebook-graph-'));
    writeFileSync(join(dir, 'auth.jsonl'), ['{"user":"a","outcome":"failure"}', '{"user":"b","outcome":"success"}', '{"user":"a","outcome":"failure"}'].join('\n') + '\n');
    const file = join(dir, 'n.casebook.md');
    writeFileSync(
      file,
      ['---', 'sources:', '  auth: auth.jsonl', '---', '', '```kql #fails', 'auth | where outcome == "failure"', '```', '', '```kql #by-user', "['fails'] | summarize n = count() by user", '```', '', '```claim #c', 'claim: nobody failed', 'by: x', 'contradicted-if: fails has rows', 'supported-if: fails has no rows', '```', ''].join('\n'),
    );
    return { dir, file };
  }

  function sessionFor(dir: string, text: string): { session: NotebookSession; cells: SessionCell[] } {
    const parsed = parseNotebook(text);
    assert.ok(parsed.ok);
    const created = createSession(parsed.notebook.frontMatter, { baseDir: dir });
    assert.ok(created.ok);
    const cells = parsed.notebook.cells.flatMap((c, i) => (c.type === 'code' ? [sessionCellOf(c as CodeCell, i)] : []));
    created.session.setCells(cells);
    return { session: created.session, cells };
  }

  it('running a claim first runs its out-of-date upstream cells', async () => {
    const { dir, file } = setup();
    const { session, cells } = sessionFor(dir, readFileSync(file, 'utf8'));
    const claim = cells.find((c) => c.id === 'c')!;
    const plan = await session.plan([claim.key]);
    assert.deepEqual(plan.map((k) => cells.find((c) => c.key === k)!.id), ['fails', 'c'], 'only what the claim needs, in order');
    for (const key of plan) await session.runCell(key, new AbortController().signal);
    assert.deepEqual(await session.plan([claim.key]), [claim.key], 'nothing upstream is out of date any more');
    assert.deepEqual(await session.staleKeys(), []);
  });

  it('marks downstream results stale after an upstream edit, and re-runs the edit first', async () => {
    const { dir, file } = setup();
    const text = readFileSync(file, 'utf8');
    const first = sessionFor(dir, text);
    for (const key of await first.session.plan(first.cells.map((c) => c.key))) await first.session.runCell(key, new AbortController().signal);
    // The analyst edits the upstream query in the same session.
    const edited = first.cells.map((c) => (c.id === 'fails' ? { ...c, source: 'auth | where outcome == "nothing"' } : c));
    first.session.setCells(edited);
    const stale = (await first.session.staleKeys()).map((k) => edited.find((c) => c.key === k)!.id);
    assert.deepEqual(stale.sort(), ['by-user', 'c', 'fails']);
    const claim = edited.find((c) => c.id === 'c')!;
    const plan = await first.session.plan([claim.key]);
    assert.deepEqual(plan.map((k) => edited.find((c) => c.key === k)!.id), ['fails', 'c']);
    let verdict;
    for (const key of plan) verdict = (await first.session.runCell(key, new AbortController().signal)).verdict;
    assert.equal(verdict?.verdict, 'supported', 'the verdict reflects the edit');
  });

  it('a changed source file makes the cells that read it stale', async () => {
    const { dir, file } = setup();
    const { session, cells } = sessionFor(dir, readFileSync(file, 'utf8'));
    for (const key of await session.plan(cells.map((c) => c.key))) await session.runCell(key, new AbortController().signal);
    assert.deepEqual(await session.staleKeys(), []);
    writeFileSync(join(dir, 'auth.jsonl'), '{"user":"z","outcome":"failure"}\n');
    utimesSync(join(dir, 'auth.jsonl'), new Date(), new Date(Date.now() + 5000));
    assert.equal((await session.staleKeys()).length, 3);
  });

  it('a cell sees the lets of the cells it reads, not the old definitions of a cell whose let was since deleted', async () => {
    const { dir } = setup();
    const text = ['---', 'sources: { auth: auth.jsonl }', '---', '', '```kql #defaults', 'let wanted = "b";', '```', '', '```kql #tuning', 'let wanted = "a";', '```', '', '```kql #picked', 'auth | where user == wanted', '```', ''].join('\n');
    const { session, cells } = sessionFor(dir, text);
    const runAll = async (list: SessionCell[]) => {
      const results = new Map<string, Awaited<ReturnType<NotebookSession['runCell']>>>();
      for (const key of await session.plan(list.map((c) => c.key))) results.set(key, await session.runCell(key, new AbortController().signal));
      return results;
    };
    const picked = cells.find((c) => c.id === 'picked')!;
    assert.equal((await runAll(cells)).get(picked.key)!.summary, '2 rows', '#tuning wins: user a');
    // The analyst deletes the let of #tuning and does not run that cell: #picked reads #defaults now.
    const edited = cells.map((c) => (c.id === 'tuning' ? { ...c, source: '// tuning removed' } : c));
    session.setCells(edited);
    const again = await session.runCell(picked.key, new AbortController().signal);
    assert.equal(again.summary, '1 row', 'user b, from #defaults (the deleted let gave 2 rows)');
  });

  it('a claim hashes its sources as they are, not as another cell last loaded them', async () => {
    const { dir } = setup();
    writeFileSync(join(dir, 'a-1.jsonl'), '{"user":"a"}\n');
    const text = ['---', 'sources: { access: "a-*.jsonl" }', '---', '', '```kql #reads', 'access | where user == "a"', '```', '', '```kql #volume', 'access | count', '```', '', '```claim #c', 'claim: a read nothing', 'by: x', 'contradicted-if: reads has rows', '```', ''].join('\n');
    const { session, cells } = sessionFor(dir, text);
    const key = (id: string) => cells.find((c) => c.id === id)!.key;
    const run = async (id: string) => {
      let last;
      for (const k of await session.plan([key(id)])) last = await session.runCell(k, new AbortController().signal);
      return last!;
    };
    assert.equal((await run('c')).verdict?.verdict, 'contradicted');
    // Another cell reads the source while a second file is there; then that file goes away.
    writeFileSync(join(dir, 'a-2.jsonl'), '{"user":"b"}\n');
    assert.ok((await run('volume')).outputs.some((o) => o.type === 'table' && o.table.column('Count')!.get(0) === 2n), 'the other cell read both files');
    rmSync(join(dir, 'a-2.jsonl'));
    const again = await run('c');
    assert.equal(again.ok, true, again.error?.message);
    assert.deepEqual(again.verdict?.sources, { access: [{ path: 'a-1.jsonl', sha256: again.verdict!.sources.access[0].sha256, bytes: 13 }] });
  });

  it('a cell still sees the current lets of every cell above: functions named like built-ins, defaults read where called, tables passed to invoke', async () => {
    const { dir } = setup();
    const text = [
      '---', 'sources: { auth: auth.jsonl }', '---', '',
      '```kql #fns', 'let ago = (d:timespan) { datetime(2026-01-03) - d };', 'let h = (x:long = thr) { x };', 'let j = (T:(*), U:(*)) { T | union U };', 'let k = (T:(*) = tt) { T | count };', '```', '',
      '```kql #d1', 'let thr = 2;', '```', '',
      '```kql #use-ago', 'datatable(t:datetime)[datetime(2026-01-02)] | where t > ago(2d)', '```', '',
      '```kql #use-default', 'print v = h()', '```', '',
      '```kql #use-invoke', 'auth | invoke j(tt)', '```', '',
      '```kql #use-table-default', 'k()', '```', '',
      '```kql #sign-a', 'auth | take 1', '```', '',
      '```kql #sign-all', 'union sign* | count', '```', '',
      '```kql #tt', 'datatable(user:string)["zed"]', '```', '',
    ].join('\n');
    const { session, cells } = sessionFor(dir, text);
    const results = new Map<string, Awaited<ReturnType<NotebookSession['runCell']>>>();
    for (const key of await session.plan(cells.map((c) => c.key))) results.set(cells.find((c) => c.key === key)!.id!, await session.runCell(key, new AbortController().signal));
    for (const [id, r] of results) assert.ok(r.ok, `${id}: ${r.error?.message}`);
    const value = (id: string, column: string) => results.get(id)!.outputs.flatMap((o) => (o.type === 'table' ? [o.table.column(column)!.get(0)] : []))[0];
    assert.equal(results.get('use-ago')!.summary, '1 row', "the notebook's own ago");
    assert.equal(value('use-default', 'v'), 2n);
    assert.equal(results.get('use-invoke')!.summary, '4 rows');
    assert.equal(value('use-table-default', 'Count'), 1n);
    assert.equal(value('sign-all', 'Count'), 1n, 'sign-a only, not itself');
  });

  it('a failing upstream cell stops its dependents with an error naming it', async () => {
    const { dir } = setup();
    const { session, cells } = sessionFor(dir, '---\nsources: { auth: auth.jsonl }\n---\n\n```kql #broken\nauth | summarise count()\n```\n\n```kql #after\nbroken | count\n```\n');
    const results = [];
    for (const key of await session.plan(cells.map((c) => c.key))) results.push(await session.runCell(key, new AbortController().signal));
    assert.equal(results[0].ok, false);
    assert.equal(results[1].ok, false);
    assert.match(results[1].error!.message, /#broken, which this cell reads, failed/);
  });

  it('a claim whose last run failed is stale: the record it keeps is from an earlier run', async () => {
    const { dir, file } = setup();
    const { session, cells } = sessionFor(dir, readFileSync(file, 'utf8'));
    for (const key of await session.plan(cells.map((c) => c.key))) await session.runCell(key, new AbortController().signal);
    assert.deepEqual(await session.staleKeys(), []);
    const claim = cells.find((c) => c.id === 'c')!;
    const broken = cells.map((c) => (c.id === 'c' ? { ...c, source: c.source.replace('fails has rows', 'nosuch has rows') } : c));
    session.setCells(broken);
    const r = await session.runCell(claim.key, new AbortController().signal);
    assert.equal(r.ok, false);
    assert.ok((await session.staleKeys()).includes(claim.key));
  });

  it('after a front matter edit the new session takes over what ran: changed parameters make it stale', async () => {
    const { dir, file } = setup();
    const text = readFileSync(file, 'utf8').replace('  auth: auth.jsonl\n', '  auth: auth.jsonl\nparams:\n  who: a\n');
    const first = sessionFor(dir, text);
    for (const key of await first.session.plan(first.cells.map((c) => c.key))) await first.session.runCell(key, new AbortController().signal);
    const next = (frontMatter: string) => {
      const created = createSession(frontMatter, { baseDir: dir });
      assert.ok(created.ok);
      created.session.setCells(first.cells);
      created.session.adoptResults(first.session);
      return created.session;
    };
    assert.deepEqual(await next('title: renamed\nsources:\n  auth: auth.jsonl\nparams:\n  who: a').staleKeys(), [], 'a new title changes no result');
    const changed = next('sources:\n  auth: auth.jsonl\nparams:\n  who: b');
    assert.deepEqual((await changed.staleKeys()).sort(), first.cells.map((c) => c.key).sort());
    assert.deepEqual(await changed.plan([first.cells.find((c) => c.id === 'c')!.key]), [first.cells.find((c) => c.id === 'fails')!.key, first.cells.find((c) => c.id === 'c')!.key]);
  });

  it('a failure two cells up is named where the chain started', async () => {
    const { dir } = setup();
    const { session, cells } = sessionFor(dir, '---\nsources: { auth: auth.jsonl }\n---\n\n```kql #bad\nauth | where nosuch > 1\n```\n\n```kql #down\nbad | count\n```\n\n```kql #further\ndown | count\n```\n');
    const results = [];
    for (const key of await session.plan(cells.map((c) => c.key))) results.push(await session.runCell(key, new AbortController().signal));
    assert.deepEqual(results.map((r) => r.ok), [false, false, false]);
    assert.equal(results[2].error!.message, '#down, which this cell reads, failed because #bad failed; fix #bad first');
    // Running it again says the same: the chain is remembered, not forgotten as "never ran".
    const again = await session.runCell(cells[2].key, new AbortController().signal);
    assert.equal(again.error!.message, results[2].error!.message);
  });

  it('run with dependents first brings every cell the dependents read up to date', async () => {
    const { dir } = setup();
    const text = ['---', 'sources: { auth: auth.jsonl }', '---', '', '```kql #a', 'auth | where user == "a"', '```', '', '```kql #b', 'auth | where outcome == "failure"', '```', '', '```claim #c', 'claim: a signed in and nobody failed', 'by: x', 'supported-if: [a has rows, b has no rows]', 'contradicted-if: b has rows', '```', ''].join('\n');
    const { session, cells } = sessionFor(dir, text);
    for (const key of await session.plan(cells.map((c) => c.key))) await session.runCell(key, new AbortController().signal);
    // The analyst edits #b (now empty), then runs #a with its dependents: #c must not read the old #b.
    const edited = cells.map((c) => (c.id === 'b' ? { ...c, source: 'auth | where outcome == "nothing"' } : c));
    session.setCells(edited);
    const a = edited.find((c) => c.id === 'a')!;
    const plan = await session.plan([a.key], { dependents: true });
    assert.deepEqual(plan.map((k) => edited.find((c) => c.key === k)!.id), ['a', 'b', 'c']);
    let verdict;
    for (const key of plan) verdict = (await session.runCell(key, new AbortController().signal)).verdict;
    assert.equal(verdict?.verdict, 'supported');
    assert.deepEqual(await session.staleKeys(), []);
  });

  it('a cell refuses to read a result older than the cell that made it', async () => {
    const { dir, file } = setup();
    const { session, cells } = sessionFor(dir, readFileSync(file, 'utf8'));
    for (const key of await session.plan(cells.map((c) => c.key))) await session.runCell(key, new AbortController().signal);
    const edited = cells.map((c) => (c.id === 'fails' ? { ...c, source: 'auth | where outcome == "nothing"' } : c));
    session.setCells(edited);
    const r = await session.runCell(edited.find((c) => c.id === 'c')!.key, new AbortController().signal);
    assert.equal(r.ok, false);
    assert.equal(r.error!.message, '#fails, which this cell reads, changed since it ran');
    // The claim stays stale (its record in the file is from the earlier run) until it runs again.
    const claimKey = edited.find((c) => c.id === 'c')!.key;
    assert.ok((await session.staleKeys()).includes(claimKey));
    for (const key of await session.plan([claimKey])) await session.runCell(key, new AbortController().signal);
    assert.ok(!(await session.staleKeys()).includes(claimKey));
  });

  it('a stored verdict record made from other queries is stale before anything runs', async () => {
    const { dir, file } = setup();
    const parsed = parseNotebook(readFileSync(file, 'utf8'));
    assert.ok(parsed.ok);
    // Records as `run --write` stores them; then the file is opened afresh, with nothing run.
    const recorded = withFreshRecords(parsed.notebook, await runNotebook(parsed.notebook, { baseDir: dir }));
    const cells = recorded.cells.flatMap((c, i) => (c.type === 'code' ? [sessionCellOf(c as CodeCell, i)] : []));
    const claim = cells.find((c) => c.id === 'c')!;
    assert.ok(claim.records.length > 0);
    assert.deepEqual(staleRecordKeys(recorded.frontMatter, cells), []);
    const edited = cells.map((c) => (c.id === 'fails' ? { ...c, source: c.source + ' | take 1' } : c));
    assert.deepEqual(staleRecordKeys(recorded.frontMatter, edited), [claim.key]);
    // A cell the claim does not read changes nothing.
    const unrelated = cells.map((c) => (c.id === 'by-user' ? { ...c, source: c.source + ' | take 1' } : c));
    assert.deepEqual(staleRecordKeys(recorded.frontMatter, unrelated), []);
  });

  it('the headless runner uses the same graph: forward references run in dependency order', async () => {
    const { dir } = setup();
    const parsed = parseNotebook('---\nsources: { auth: auth.jsonl }\n---\n\n```kql #summary\ndetail | count\n```\n\n```kql #detail\nauth | where user == "a"\n```\n');
    assert.ok(parsed.ok);
    const run = await runNotebook(parsed.notebook, { baseDir: dir });
    assert.ok(run.ok, JSON.stringify(run.cells.map((c) => c.result.error)));
    const summary = run.cells.find((c) => c.id === 'summary')!.result.outputs[0];
    assert.ok(summary.type === 'table' && summary.table.get(0, 0) === 2n);
  });
});
