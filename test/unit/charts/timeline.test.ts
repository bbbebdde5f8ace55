import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSpec } from '../../../src/core/charts/render';
import { compileChart, chartToSvg } from '../../../src/core/charts/svg';
import { ChartError, MAX_EVENT_MARKS, MAX_LANES, timelineSpec } from '../../../src/core/charts/timeline';
import { Table } from '../../../src/core/query/table';
import { DateTime } from '../../../src/core/query/values';

const T0 = Date.UTC(2026, 5, 9, 2, 0, 0);
const schema = [
  { name: 'timestamp', type: 'datetime' },
  { name: 'session_id', type: 'string' },
  { name: 'room_visibility', type: 'string' },
  { name: 'room', type: 'string' },
] as const;

function events(n: number, spreadMs: number): Table {
  const visibility = ['public', 'private', 'direct'];
  return Table.fromRows(
    schema,
    Array.from({ length: n }, (_, i) => ({
      timestamp: DateTime.fromMillis(T0 + Math.floor((i * spreadMs) / n)),
      session_id: `s-${i % 3}`,
      room_visibility: visibility[i % 3],
      room: `<img src=x onerror=alert(${i})>`,
    })),
  );
}

const snapshots = join(__dirname, '../../fixtures/charts');
function matchSnapshot(name: string, value: unknown): void {
  const file = join(snapshots, `${name}.json`);
  const text = JSON.stringify(value, null, 2) + '\n';
  if (process.env.UPDATE_SNAPSHOTS || !existsSync(file)) {
    if (!process.env.UPDATE_SNAPSHOTS && process.env.CI) assert.fail(`snapshot ${name} is missing`);
    writeFileSync(file, text);
  }
  assert.equal(text, readFileSync(file, 'utf8'), `snapshot ${name} changed (UPDATE_SNAPSHOTS=1 to accept)`);
}

describe('charts: timeline specs', () => {
  it('draws every event in lanes, coloured, with claim windows and markers, and compiles without warnings', async () => {
    const build = timelineSpec(events(30, 3_600_000), {
      title: 'Attacker activity',
      lane: 'session_id',
      color: 'room_visibility',
      tooltip: ['room'],
      windows: [{ from: DateTime.fromMillis(T0), to: DateTime.fromMillis(T0 + 1_800_000), label: 'operator: access ended 02:30', verdict: 'contradicted' }],
      markers: [{ at: DateTime.fromMillis(T0 + 600_000), label: 'token stolen' }],
    });
    assert.equal(build.marks, 30);
    assert.equal(build.lanes, 3);
    assert.equal(build.note, undefined);
    const { warnings } = await compileChart(build.spec);
    assert.deepEqual(warnings, []);
    matchSnapshot('timeline-lanes', build.spec);
  });

  it('names each window on the chart and lists only the kinds of window present', async () => {
    const build = timelineSpec(events(30, 3_600_000), {
      lane: 'session_id',
      windows: [
        { from: DateTime.fromMillis(T0), to: DateTime.fromMillis(T0 + 1_800_000), label: 'Only public rooms were exposed (contradicted)', name: 'operator-scope: contradicted', verdict: 'contradicted' },
        { from: DateTime.fromMillis(T0 + 600_000), to: DateTime.fromMillis(T0 + 900_000), label: 'access log gap' },
      ],
    });
    const layers = (build.spec as { layer: { encoding?: { fill?: { scale?: { domain?: string[] } } } }[] }).layer;
    const domains = layers.flatMap((l) => (l.encoding?.fill?.scale?.domain ? [l.encoding.fill.scale.domain] : []));
    assert.ok(domains.length > 0 && domains.every((d) => JSON.stringify(d) === '["contradicted","noted"]'), JSON.stringify(domains));
    const svg = await chartToSvg(build.spec);
    assert.match(svg, />operator-scope: contradicted</);
    assert.match(svg, />access log gap</);
    assert.doesNotMatch(svg, />supported</, 'kinds that are not present stay out of the legend');
  });

  it('puts window names close in time on different lines, and lets one share the line of a name that has ended', async () => {
    const at = (min: number) => DateTime.fromMillis(T0 + min * 60_000);
    const build = timelineSpec(events(30, 3_600_000), {
      lane: 'session_id',
      windows: [
        { from: at(0), to: at(30), label: 'Only public rooms were exposed', name: 'operator-scope: contradicted', verdict: 'contradicted' },
        { from: at(5), to: at(9), label: 'gap' },
        { from: at(12), to: at(20), label: 'containment', verdict: 'supported' },
      ],
    });
    type WindowLayer = { data?: { values?: { name?: string; line?: number }[] } };
    const names = (build.spec.layer as WindowLayer[]).find((l) => l.data?.values?.[0]?.line !== undefined)!.data!.values!;
    // The long first name runs past minute 12; the short second one has ended by then.
    assert.deepEqual(names.map((w) => `${w.name}@${w.line}`), ['operator-scope: contradicted@0', 'gap@1', 'containment@1']);
    const { warnings } = await compileChart(build.spec);
    assert.deepEqual(warnings, []);
  });

  it('puts marker labels close in time on different lines (of three), lets far ones share a line, and late ones read leftwards so they stay inside the plot', async () => {
    const at = (min: number) => DateTime.fromMillis(T0 + min * 60_000);
    const build = timelineSpec(events(30, 3_600_000), {
      lane: 'session_id',
      markers: [{ at: at(3), label: 'token replayed' }, { at: at(0), label: 'phishing sign-in' }, { at: at(21), label: 'MFA reset' }, { at: at(24), label: 'export' }, { at: at(58), label: 'sessions revoked' }],
    });
    type TextLayer = { mark: { type: string; align: string }; data: { values: { label: string; top: number }[] } };
    const texts = (build.spec.layer as TextLayer[]).filter((l) => l.mark.type === 'text');
    assert.deepEqual(
      texts.map((l) => [l.mark.align, l.data.values.map((v) => `${v.label}@${v.top}`)]),
      [
        ['left', ['phishing sign-in@2', 'token replayed@15', 'MFA reset@2', 'export@15']],
        ['right', ['sessions revoked@2']],
      ],
    );
    const { warnings } = await compileChart(build.spec);
    assert.deepEqual(warnings, []);
    const svg = await chartToSvg(build.spec);
    for (const label of ['phishing sign-in', 'token replayed', 'MFA reset', 'sessions revoked']) assert.ok(svg.includes(`>${label}<`), label);
  });

  it('bins dense data so the marks stay bounded, and says so', async () => {
    const build = timelineSpec(events(200_000, 86_400_000), { lane: 'session_id', color: 'room_visibility' });
    assert.ok(build.marks <= MAX_EVENT_MARKS, `marks ${build.marks}`);
    assert.ok(build.marks > 100, `marks ${build.marks}`);
    assert.match(build.note ?? '', /binned to 10 min: 200,000 events → [\d,]+ bins/);
    const { warnings } = await compileChart(build.spec);
    assert.deepEqual(warnings, []);
  });

  it('renders to SVG headlessly with one mark per event', async () => {
    const svg = await chartToSvg(timelineSpec(events(12, 3_600_000), { lane: 'session_id' }).spec);
    assert.ok(svg.startsWith('<svg'));
    const ticks = svg.match(/aria-roledescription="tick"/g) ?? [];
    assert.equal(ticks.length, 12);
    assert.ok(!svg.includes('<img'), 'log text is escaped in SVG');
  });

  it('explains what is wrong with a bad timeline request', () => {
    const noTime = Table.fromRows([{ name: 'user', type: 'string' }], [{ user: 'a' }]);
    assert.throws(() => timelineSpec(noTime), (e: unknown) => e instanceof ChartError && /needs a datetime column; the result has user \(string\)/.test(e.message));
    assert.throws(() => timelineSpec(events(3, 10), { lane: 'sesion_id' }), /lane column `sesion_id` is not in the result/);
  });
});

describe('charts: render operator', () => {
  const counts = Table.fromRows(
    [
      { name: 'timestamp', type: 'datetime' },
      { name: 'room_visibility', type: 'string' },
      { name: 'count_', type: 'long' },
    ],
    Array.from({ length: 24 }, (_, i) => ({ timestamp: DateTime.fromMillis(T0 + i * 3_600_000), room_visibility: i % 2 ? 'public' : 'private', count_: BigInt(i * 3) })),
  );

  for (const kind of ['timechart', 'columnchart', 'barchart', 'areachart', 'scatterchart', 'piechart', 'timeline']) {
    it(`render ${kind} compiles without warnings`, async () => {
      const build = renderSpec(counts, { kind });
      assert.ok(build);
      const { warnings } = await compileChart(build.spec);
      assert.deepEqual(warnings, []);
    });
  }

  it('render timechart snapshot is stable', () => {
    matchSnapshot('render-timechart', renderSpec(counts, { kind: 'timechart', properties: { title: 'Reads per hour' } })!.spec);
  });

  it('honours xcolumn, ycolumns and series as Kusto does', async () => {
    const wide = Table.fromRows(
      [
        { name: 't', type: 'datetime' },
        { name: 'a', type: 'long' },
        { name: 'b', type: 'long' },
        { name: 'i', type: 'long' },
        { name: 'user', type: 'string' },
        { name: 'host', type: 'string' },
      ],
      Array.from({ length: 4 }, (_, i) => ({ t: DateTime.fromMillis(T0 + i * 60_000), a: BigInt(i), b: BigInt(10 * i), i: BigInt(100 * i), user: i % 2 ? 'u1' : 'u2', host: 'h' })),
    );
    type Point = { x: number | string; y: number; series: string };
    const points = (build: ReturnType<typeof renderSpec>) => ((build!.spec as { data: { values: Point[] } }).data.values);
    // Without properties every numeric column is a series; with them only the named ones, split by user.
    assert.equal(new Set(points(renderSpec(wide, { kind: 'timechart' })).map((p) => p.series)).size, 6);
    const chosen = renderSpec(wide, { kind: 'timechart', properties: { ycolumns: ['a'], series: ['user', 'host'] } });
    assert.deepEqual(points(chosen).map((p) => [p.y, p.series]), [[0, 'u2, h'], [1, 'u1, h'], [2, 'u2, h'], [3, 'u1, h']]);
    assert.equal((chosen!.spec as { encoding: { color: { title: string } } }).encoding.color.title, 'user, host');
    assert.deepEqual((await compileChart(chosen!.spec)).warnings, []);
    const bars = renderSpec(wide, { kind: 'columnchart', properties: { xcolumn: 'host', ycolumns: ['i'] } });
    assert.deepEqual(points(bars).map((p) => [p.x, p.y]), [['h', 0], ['h', 100], ['h', 200], ['h', 300]]);
    assert.throws(() => renderSpec(wide, { kind: 'timechart', properties: { ycolumns: ['nope'] } }), /ycolumns names `nope`, which is not a column/);
    assert.throws(() => renderSpec(wide, { kind: 'timechart', properties: { ycolumns: ['user'] } }), /ycolumns needs numeric columns; `user` is string/);
    assert.throws(() => renderSpec(wide, { kind: 'timechart', properties: { xcolumn: 'user' } }), /timechart needs a datetime column for the x axis; xcolumn `user` is string/);
    // A timeline takes its time from xcolumn and its lanes from series.
    const lanes = renderSpec(wide, { kind: 'timeline', properties: { series: ['host'] } });
    assert.equal(lanes!.lanes, 1, 'one host, one lane (not the two users the first string column would give)');
    assert.throws(() => renderSpec(wide, { kind: 'timeline', properties: { series: ['nope'] } }), /series names `nope`, which is not a column/);
  });

  const byHost = Table.fromRows(
    [
      { name: 'host', type: 'string' },
      { name: 'reqs', type: 'long' },
      { name: 'errs', type: 'long' },
    ],
    [
      { host: 'web1', reqs: 100n, errs: 20n },
      { host: 'web2', reqs: 120n, errs: 5n },
    ],
  );
  type Enc = Record<string, { stack?: unknown; field?: string; type?: string; title?: string; format?: string }> & { tooltip?: { field: string; type: string; title?: string; format?: string }[] };
  const encodingOf = (build: ReturnType<typeof renderSpec>) => (build!.spec as { encoding: Enc }).encoding;

  it('draws column, bar and area charts unstacked by default, as Kusto does, and stacked with kind=stacked or stacked100', async () => {
    const plain = renderSpec(byHost, { kind: 'columnchart' });
    assert.equal(encodingOf(plain).y.stack, null);
    assert.deepEqual(encodingOf(plain).xOffset, { field: 'series' }, 'side by side');
    assert.equal(encodingOf(renderSpec(byHost, { kind: 'barchart', properties: { kind: 'unstacked' } })).yOffset.field, 'series');
    assert.equal(encodingOf(renderSpec(byHost, { kind: 'columnchart', properties: { kind: 'stacked' } })).y.stack, 'zero');
    assert.equal(encodingOf(renderSpec(byHost, { kind: 'barchart', properties: { kind: 'stacked100' } })).x.stack, 'normalize');
    assert.equal(encodingOf(renderSpec(byHost, { kind: 'columnchart', properties: { kind: 'stacked' } })).xOffset, undefined);
    const area = renderSpec(counts, { kind: 'areachart' });
    assert.equal(encodingOf(area).y.stack, null);
    assert.equal(encodingOf(renderSpec(counts, { kind: 'areachart', properties: { kind: 'stacked' } })).y.stack, 'zero');
    assert.throws(() => renderSpec(byHost, { kind: 'columnchart', properties: { kind: 'map' } }), /columnchart with kind=map is not supported; use default, unstacked, stacked or stacked100/);
    for (const build of [plain, renderSpec(byHost, { kind: 'barchart', properties: { kind: 'stacked100' } }), area]) assert.deepEqual((await compileChart(build!.spec)).warnings, []);
  });

  it('compiles without warnings as the notebook draws them, as wide as their cell', async () => {
    // compileChart fixes the width for headless drawing; the webview keeps width "container".
    const { compile } = await import('vega-lite');
    for (const [table, kinds] of [
      [byHost, ['columnchart', 'barchart', 'piechart', 'scatterchart']],
      [counts, ['timechart', 'areachart', 'columnchart', 'barchart', 'linechart', 'timeline']],
    ] as const) {
      for (const kind of kinds) {
        const warnings: string[] = [];
        const logger = { level: () => 0, error: (...a: unknown[]) => (warnings.push(a.join(' ')), logger), warn: (...a: unknown[]) => (warnings.push(a.join(' ')), logger), info: () => logger, debug: () => logger };
        const spec = renderSpec(table, { kind })!.spec;
        compile(spec as never, { logger: logger as never });
        assert.deepEqual(warnings, [], kind);
      }
    }
  });

  it('names tooltip entries after their columns and shows times in UTC there too', () => {
    const tips = encodingOf(renderSpec(counts, { kind: 'columnchart' })).tooltip!;
    assert.deepEqual(tips, [
      { field: 'x', type: 'temporal', title: 'timestamp (UTC)', format: '%Y-%m-%d %H:%M:%S', scale: { type: 'utc' } },
      { field: 'series', type: 'nominal', title: 'room_visibility' },
      { field: 'y', type: 'quantitative', title: 'count_' },
    ]);
    const hostTips = encodingOf(renderSpec(byHost, { kind: 'barchart' })).tooltip!;
    assert.deepEqual(hostTips.map((t) => t.title), ['host', 'column', 'value']);
  });

  it('keeps series apart whose values read alike once joined', () => {
    const t = Table.fromRows(
      [
        { name: 'ts', type: 'datetime' },
        { name: 'user', type: 'string' },
        { name: 'host', type: 'string' },
        { name: 'n', type: 'long' },
      ],
      [
        { ts: DateTime.fromMillis(T0), user: 'alice, web1', host: 'x', n: 1n },
        { ts: DateTime.fromMillis(T0), user: 'alice', host: 'web1, x', n: 100n },
        { ts: DateTime.fromMillis(T0 + 60_000), user: 'alice, web1', host: 'x', n: 2n },
        { ts: DateTime.fromMillis(T0 + 60_000), user: 'alice', host: 'web1, x', n: 200n },
      ],
    );
    const values = (renderSpec(t, { kind: 'timechart', properties: { series: ['user', 'host'] } })!.spec as { data: { values: { y: number; series: string }[] } }).data.values;
    assert.deepEqual(values.map((v) => [v.series, v.y]), [['alice, web1, x', 1], ['alice, web1, x (2)', 100], ['alice, web1, x', 2], ['alice, web1, x (2)', 200]]);
    // With several y columns a series is named by its values and its column: those can read alike too.
    const pairs = Table.fromRows(
      [
        { name: 'ts', type: 'datetime' },
        { name: 'user', type: 'string' },
        { name: 'count', type: 'long' },
        { name: 'x count', type: 'long' },
      ],
      [
        { ts: DateTime.fromMillis(T0), user: 'alice x', count: 1n, 'x count': 2n },
        { ts: DateTime.fromMillis(T0), user: 'alice', count: 3n, 'x count': 500n },
      ],
    );
    const named = (renderSpec(pairs, { kind: 'timechart' })!.spec as { data: { values: { y: number; series: string }[] } }).data.values;
    assert.deepEqual(named.map((v) => [v.series, v.y]), [['alice x count', 1], ['alice x x count', 2], ['alice count', 3], ['alice x count (2)', 500]]);
  });

  it('refuses charts too large to draw before building them: values over all y columns, and series', () => {
    const wide = Table.fromRows(
      [{ name: 't', type: 'datetime' }, ...Array.from({ length: 10 }, (_, k) => ({ name: `k${k}`, type: 'long' as const }))],
      Array.from({ length: 10_001 }, (_, i) => ({ t: DateTime.fromMillis(T0 + i * 1000), ...Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`k${k}`, BigInt(k)])) })),
    );
    assert.throws(() => renderSpec(wide, { kind: 'timechart' }), /10,001 rows of 10 numeric columns are 100,010 values, more than the 100,000 a chart draws; name the columns to draw with `ycolumns=`/);
    const manyUsers = Table.fromRows(
      [
        { name: 't', type: 'datetime' },
        { name: 'user', type: 'string' },
        { name: 'n', type: 'long' },
      ],
      Array.from({ length: 101 }, (_, i) => ({ t: DateTime.fromMillis(T0 + i), user: `u${i}`, n: 1n })),
    );
    assert.throws(() => renderSpec(manyUsers, { kind: 'timechart' }), /101 series are too many to draw \(limit 100\)/);
    assert.throws(() => renderSpec(manyUsers, { kind: 'piechart', properties: { xcolumn: 'user' } }), /101 series are too many to draw/);
    const hosts = Table.fromRows(byHost.schema, Array.from({ length: 1_001 }, (_, i) => ({ host: `h${i}`, reqs: 1n, errs: 0n })));
    assert.throws(() => renderSpec(hosts, { kind: 'barchart', properties: { ycolumns: ['reqs'] } }), /1,001 categories are too many for a barchart \(limit 1,000\); keep the largest with `top`/);
    assert.ok(renderSpec(Table.fromRows(manyUsers.schema, Array.from({ length: 100 }, (_, i) => ({ t: DateTime.fromMillis(T0 + i), user: `u${i}`, n: 1n }))), { kind: 'timechart' }));
  });

  it('refuses an x axis of text for line, area and scatter charts, which drew nothing', () => {
    for (const kind of ['linechart', 'areachart']) assert.throws(() => renderSpec(byHost, { kind }), new RegExp(`${kind} needs a datetime or numeric column for the x axis; \`host\` is string \\(use columnchart for categories`));
    assert.throws(() => renderSpec(byHost, { kind: 'scatterchart', properties: { xcolumn: 'host' } }), /scatterchart needs a numeric or datetime column for the x axis; xcolumn `host` is string/);
    assert.ok(renderSpec(byHost, { kind: 'scatterchart' }), 'two numeric columns still make a scatter chart');
  });

  it('draws one pie slice per category, summed, and refuses negative values', () => {
    const t = Table.fromRows(
      [
        { name: 'user', type: 'string' },
        { name: 'host', type: 'string' },
        { name: 'n', type: 'long' },
      ],
      [
        { user: 'alice', host: 'h1', n: 2n },
        { user: 'alice', host: 'h2', n: 3n },
        { user: 'bob', host: 'h1', n: 4n },
      ],
    );
    assert.deepEqual((renderSpec(t, { kind: 'piechart' })!.spec as { data: { values: unknown[] } }).data.values, [{ x: 'alice', y: 5 }, { x: 'bob', y: 4 }]);
    const negative = Table.fromRows(t.schema, [{ user: 'alice', host: 'h', n: -1n }]);
    assert.throws(() => renderSpec(negative, { kind: 'piechart' }), /piechart needs values of 0 or more; n is -1 for alice/);
  });

  it('asks to aggregate when there are too many points', () => {
    assert.throws(() => renderSpec(events(25_000, 1000), { kind: 'scatterchart' }), /too many to chart/);
  });
});

describe('charts: timelines over awkward data', () => {
  it('uses internal field names, so any column name works and none can replace the time', async () => {
    const odd = Table.fromRows(
      [
        { name: 'timestamp', type: 'datetime' },
        { name: "it's a.b x\"]", type: 'string' },
        { name: '__proto__', type: 'string' },
        { name: 't', type: 'string' },
      ],
      Array.from({ length: 20 }, (_, i) => ({ timestamp: DateTime.fromMillis(T0 + i * 60_000), "it's a.b x\"]": `l${i % 2}`, __proto__: `c${i % 3}`, t: 'not a time' })),
    );
    const build = timelineSpec(odd, { lane: "it's a.b x\"]", color: '__proto__', tooltip: ['t'] });
    assert.deepEqual((await compileChart(build.spec)).warnings, []);
    const svg = await chartToSvg(build.spec);
    assert.equal((svg.match(/aria-roledescription="tick"/g) ?? []).length, 20);
    assert.equal(build.lanes, 2);
  });

  it('keeps marks bounded when colouring dense data by a field with a unique value per event', async () => {
    const unique = Table.fromRows(
      [
        { name: 'timestamp', type: 'datetime' },
        { name: 'request_id', type: 'string' },
      ],
      Array.from({ length: 100_000 }, (_, i) => ({ timestamp: DateTime.fromMillis(T0 + i * 800), request_id: `r-${i}` })),
    );
    const build = timelineSpec(unique, { color: 'request_id' });
    assert.ok(build.marks <= MAX_EVENT_MARKS, `marks ${build.marks}`);
    assert.ok(JSON.stringify(build.spec).length < 2_000_000, 'the spec stays small');
    assert.deepEqual((await compileChart(build.spec)).warnings, []);
  });

  it('keeps marks bounded however long the time span: bins grow past a year', () => {
    // 200k events spread over eight millennia in 40 lanes (the case a stray timestamp makes).
    const span = Table.fromRows(
      [
        { name: 'timestamp', type: 'datetime' },
        { name: 'user', type: 'string' },
      ],
      Array.from({ length: 200_000 }, (_, i) => ({ timestamp: new DateTime(Date.UTC(1000, 0, 1) * 1000 + i * 1_261_440_000_000), user: `u${i % 40}` })),
    );
    const build = timelineSpec(span, { lane: 'user' });
    assert.ok(build.marks <= MAX_EVENT_MARKS, `marks ${build.marks}`);
    assert.match(build.note ?? '', /binned to \d+ d: 200,000 events/);
  });

  it('folds lanes beyond the limit into one, named so no value of the column shares it', () => {
    const schema2 = [
      { name: 'timestamp', type: 'datetime' },
      { name: 'user', type: 'string' },
    ] as const;
    const many = Table.fromRows(schema2, Array.from({ length: 500 }, (_, i) => ({ timestamp: DateTime.fromMillis(T0 + i * 1000), user: `u${i % 100}` })));
    const build = timelineSpec(many, { lane: 'user' });
    assert.equal(build.lanes, MAX_LANES);
    const lanes = (build.spec as { layer: { data: { values: { lane: string }[] } }[] }).layer[0].data.values.map((v) => v.lane);
    assert.ok(lanes.includes('(61 other values)'), [...new Set(lanes)].join(', '));
    // A frequent value written "(other)" (or as the fold would be named) keeps a lane of its own; it
    // shared the fold's, and hid there among the folded users.
    const hiding = Table.fromRows(schema2, [
      ...Array.from({ length: 50 }, (_, i) => ({ timestamp: DateTime.fromMillis(T0 + i), user: '(other)' })),
      ...Array.from({ length: 50 }, (_, i) => ({ timestamp: DateTime.fromMillis(T0 + i), user: '(8 other values)' })),
      ...Array.from({ length: 45 }, (_, i) => ({ timestamp: DateTime.fromMillis(T0 + i), user: `u${i}` })),
    ]);
    const folded = timelineSpec(hiding, { lane: 'user' });
    assert.equal(folded.lanes, MAX_LANES);
    const names = new Set((folded.spec as { layer: { data: { values: { lane: string }[] } }[] }).layer[0].data.values.map((v) => v.lane));
    assert.ok(names.has('(other)') && names.has('(8 other values)') && names.has('(8 other values) #2'), [...names].join(', '));
  });
});

describe('charts: long values', () => {
  it('cut categories, series and lanes to 200 characters, keeping values that share their start apart, so a drawing stays small', async () => {
    const prefix = 'c'.repeat(300);
    const values = [`${prefix}a`, `${prefix}b`, 'short'];
    const table = Table.fromRows(
      [
        { name: 'cmd', type: 'string' },
        { name: 'n', type: 'long' },
      ],
      values.map((cmd, i) => ({ cmd: cmd + 'x'.repeat(i < 2 ? 50_000 : 0), n: BigInt(i + 1) })),
    );
    const build = renderSpec(table, { kind: 'barchart' });
    assert.ok(build);
    const data = (build.spec.data as { values: { x: string }[] }).values.map((d) => d.x);
    assert.equal(new Set(data).size, 3, 'three categories still');
    assert.ok(data[0].startsWith('c'.repeat(200) + '… (#') && data[0].endsWith(', 50,301 characters)'), data[0].slice(190));
    assert.notEqual(data[0], data[1]);
    assert.equal(data[2], 'short');
    const svg = await chartToSvg(build.spec);
    assert.ok(svg.length < 20_000, `${svg.length} characters of SVG`);
    assert.ok(!svg.includes('c'.repeat(201)));

    const events = Table.fromRows(
      [
        { name: 'timestamp', type: 'datetime' },
        { name: 'cmd', type: 'string' },
      ],
      values.map((cmd, i) => ({ timestamp: DateTime.fromMillis(T0 + i * 1000), cmd: cmd + 'x'.repeat(50_000) })),
    );
    const lanes = JSON.stringify(timelineSpec(events, { lane: 'cmd' }).spec);
    assert.ok(lanes.length < 10_000 && !lanes.includes('c'.repeat(201)), `${lanes.length} characters of timeline spec`);
  });
});

describe('charts: names and values from hostile data', () => {
  // Vega-Lite writes encoding titles (column names) into Vega expressions, escaping only quotes.
  const names = ['bytes\\', 'a"b', 'line\nbreak', 'c\\"d'];
  const table = Table.fromRows(
    [
      { name: 't', type: 'datetime' },
      { name: 'who\\', type: 'string' },
      ...names.map((name) => ({ name, type: 'long' as const })),
    ],
    Array.from({ length: 3 }, (_, i) => ({ t: DateTime.fromMillis(T0 + i * 60_000), 'who\\': `u${i}`, ...Object.fromEntries(names.map((n, j) => [n, BigInt(i + j)])) })),
  );

  for (const kind of ['timechart', 'columnchart', 'barchart', 'areachart', 'scatterchart', 'piechart', 'timeline']) {
    it(`render ${kind} draws when column names hold backslashes, quotes and line breaks`, async () => {
      const svg = await chartToSvg(renderSpec(table, { kind })!.spec);
      assert.match(svg, /^<svg/);
    });
  }

  it('shows a backslash in a title as its look-alike, in the tooltip and the description alike', async () => {
    const build = renderSpec(table, { kind: 'scatterchart', properties: { xcolumn: 'bytes\\', ycolumns: ['line\nbreak'] } })!;
    const svg = await chartToSvg(build.spec);
    assert.match(svg, /aria-label="[^"]*bytes⧵: 0; line↵break: 2/);
    const timeline = timelineSpec(table, { lane: 'who\\', tooltip: ['bytes\\', 'a"b'] });
    assert.match(await chartToSvg(timeline.spec), /who⧵: u0; bytes⧵: 0; a&quot;b: 1/);
  });

  it('keeps apart values that read alike once their invisible characters are escaped', () => {
    const rows = Table.fromRows(
      [
        { name: 't', type: 'datetime' },
        { name: 'user', type: 'string' },
        { name: 'n', type: 'long' },
      ],
      [
        { t: DateTime.fromMillis(T0), user: 'alice\u0001', n: 1n },
        { t: DateTime.fromMillis(T0 + 1000), user: 'alice\\x01', n: 2n },
      ],
    );
    const categories = (renderSpec(rows, { kind: 'columnchart', properties: { xcolumn: 'user' } })!.spec as { data: { values: { x: string }[] } }).data.values.map((v) => v.x);
    assert.deepEqual(categories, ['alice\\x01', 'alice\\x01 (2)']);
    const series = (renderSpec(rows, { kind: 'timechart' })!.spec as { data: { values: { series: string }[] } }).data.values.map((v) => v.series);
    assert.deepEqual(series, ['alice\\x01', 'alice\\x01 (2)']);
    assert.equal(timelineSpec(rows, { lane: 'user' }).lanes, 2);
  });

  it('shows invisible characters of values as escapes, so a chart file stays valid XML', async () => {
    const rows = Table.fromRows(
      [
        { name: 'user', type: 'string' },
        { name: 'n', type: 'long' },
      ],
      [
        { user: 'alice\u0001', n: 1n },
        { user: 'bob\u0000', n: 2n },
        { user: 'eve\u202e', n: 3n },
      ],
    );
    const svg = await chartToSvg(renderSpec(rows, { kind: 'columnchart' })!.spec);
    assert.ok(!/[\u0000-\u0008\u202e]/.test(svg));
    assert.ok(svg.includes('alice\\x01') && svg.includes('bob\\x00') && svg.includes('eve\\u202e'));
  });
});
