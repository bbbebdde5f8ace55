// What the UI test does in VS Code, scenario by scenario. Each asserts on what a person would see.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Opens a file through Quick Open and waits for the notebook editor to show its cells. */
export async function openNotebook(page, fileName) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: fileName.split('/').pop() }).first().waitFor({ timeout: 90_000 }).catch(() => {});
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(fileName) }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator('.notebookOverlay').waitFor({ timeout: 60_000 });
  await page.locator('.notebookOverlay .cell-list-container .code-cell-row').first().waitFor({ timeout: 60_000 });
}

export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** The notebook's output webview (outputs are two iframes deep). */
export function outputs(page) {
  return page.frameLocator('iframe.webview').frameLocator('iframe#active-frame');
}

/**
 * Walks the notebook cell by cell with the keyboard (each focused cell is revealed, so its outputs
 * render), wrapping to the top, until `done()` holds or the timeout passes.
 */
export async function scrollUntil(page, done, timeoutMs) {
  const start = Date.now();
  // Leave the cell's text editor so arrow keys move between cells (each focused cell is revealed).
  await page.keyboard.press('Escape');
  let steps = 0;
  while (!(await done())) {
    if (Date.now() - start > timeoutMs) throw new Error(`not rendered after ${timeoutMs / 1000} s of walking the notebook`);
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(150);
    if (++steps % 100 === 0) await page.keyboard.press('Control+Home');
  }
}

/** Reveals a Markdown heading of the open notebook through Go to Symbol (the notebook outline). */
export async function revealHeading(page, heading) {
  await page.keyboard.press('Control+Shift+O');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`@${heading}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: heading }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.waitForTimeout(1500);
}

/**
 * Scrolls the notebook until the top of an output element sits in the upper part of the window,
 * so a screenshot shows it (outputs live in a webview over the cell list, which the wheel scrolls).
 */
export async function bringIntoView(page, locator) {
  const height = page.viewportSize().height;
  // Wheel over the cells' left gutter: over an output the table or the chart would take the wheel.
  const list = await page.locator('.notebook-editor .monaco-list').first().boundingBox();
  await page.mouse.move(list.x + 10, list.y + list.height / 2);
  for (let i = 0; i < 30; i++) {
    const box = await locator.boundingBox().catch(() => null);
    if (box && box.y >= 90 && box.y <= height / 3) return;
    await page.mouse.wheel(0, box ? box.y - 150 : 500);
    await page.waitForTimeout(400);
  }
  throw new Error('could not scroll the output into view');
}

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

export const scenarios = [
  {
    name: 'basic',
    prepare(workspace, root) {
      fs.cpSync(path.join(root, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    },
    async run(page, { log, screenshot }) {
      await openNotebook(page, 'basic.casebook.md');
      log('notebook open');
      await runCommand(page, 'Notebook: Run All');
      const out = outputs(page);
      await out.locator('.cb-table').nth(2).waitFor({ timeout: 90_000 });
      const counts = await out.locator('.cb-count').allTextContents();
      log('row counts shown:', JSON.stringify(counts));
      assert(counts.length === 3, `three result tables, got ${counts.length}`);
      assert(counts[0] === '2 rows' && counts[1] === '2 rows' && counts[2] === '1 row', `row counts ${JSON.stringify(counts)}`);
      const firstTable = await out.locator('.cb-table').first().locator('tbody tr:not(.cb-spacer)').allTextContents();
      assert(firstTable[0].includes('b.clerk') && firstTable[0].includes('2'), `first row of the first table: ${firstTable[0]}`);
      await screenshot('notebook.png');
    },
  },
  {
    name: 'hijack',
    prepare(workspace, root) {
      fs.mkdirSync(workspace, { recursive: true });
      fs.copyFileSync(path.join(root, 'examples', 'hijack', 'investigation.casebook.md'), path.join(workspace, 'investigation.casebook.md'));
      execFileSync(process.execPath, [path.join(root, 'examples', 'hijack', 'generate.mjs'), '--out', path.join(workspace, 'data')], { stdio: 'ignore' });
      // What the headless CLI draws for the same notebook: the editor must show the same.
      const run = JSON.parse(execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'run', '--json', path.join(workspace, 'investigation.casebook.md')], { encoding: 'utf8', maxBuffer: 64 << 20 }));
      const timeline = run.cells.find((c) => c.kind === 'timeline');
      this.expectedMarks = Number(/^([\d,]+) marks/.exec(timeline.summary)[1].replace(/,/g, ''));
    },
    async run(page, { log, screenshot, workspace }) {
      await openNotebook(page, 'investigation.casebook.md');
      log('investigation open');
      await runCommand(page, 'Notebook: Run All');
      const out = outputs(page);
      // The notebook renders outputs near the viewport only: scroll through it until every claim card
      // (and the timeline) has rendered.
      const ticks = () => out.locator('.cb-chart svg [aria-roledescription="tick"]').count();
      await scrollUntil(page, async () => (await out.locator('.cb-claim').count()) >= 6 && (await ticks()) > 0, 240_000);
      const labels = await out.locator('.cb-claim').evaluateAll((cards) => cards.map((c) => c.getAttribute('aria-label')));
      const verdicts = Object.fromEntries(labels.map((l) => /^claim (\S+): (\w+)$/.exec(l ?? '')?.slice(1) ?? [l, '?']));
      log('verdicts:', JSON.stringify(verdicts));
      const truth = JSON.parse(fs.readFileSync(path.join(workspace, 'data', 'ground-truth.json'), 'utf8')).claims;
      const sorted = (o) => JSON.stringify(Object.entries(o).sort());
      assert(sorted(verdicts) === sorted(truth), `verdicts ${JSON.stringify(verdicts)} match the ground truth ${JSON.stringify(truth)}`);
      // The timeline: an SVG with one tick per event of the lineage query.
      const drawn = await ticks();
      log('timeline ticks:', drawn);
      assert(drawn === this.expectedMarks, `the timeline draws the ${this.expectedMarks} events the CLI draws, got ${drawn}`);
      // A claim card shows its evidence table and the rule that decided.
      const first = out.locator('.cb-claim').first();
      const rule = await first.locator('.cb-claim-rule').textContent();
      assert(/contradicted-if/.test(rule ?? ''), `the operator claim names its deciding rule: ${rule}`);
      await revealHeading(page, '8. Claims');
      await screenshot('hijack-claims.png');
      await revealHeading(page, '9. Timeline');
      await bringIntoView(page, out.locator('.cb-chart', { has: out.locator('[aria-roledescription="tick"]') }).first());
      await page.waitForTimeout(500);
      await screenshot('hijack-timeline.png');
    },
  },
  {
    // 200,000 events in one timeline: binned before they reach the webview; the render time is measured.
    name: 'dense-timeline',
    prepare(workspace) {
      fs.mkdirSync(path.join(workspace, 'data'), { recursive: true });
      const lines = [];
      const t0 = Date.UTC(2026, 5, 9, 0, 0, 0);
      let seed = 42;
      const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      for (let i = 0; i < 200_000; i++) {
        const ms = t0 + Math.floor(next() * 86_400_000);
        lines.push(JSON.stringify({ timestamp: new Date(ms).toISOString(), user: `user-${Math.floor(next() * 12)}`, event: ['read', 'send', 'export'][Math.floor(next() * 3)] }));
      }
      fs.writeFileSync(path.join(workspace, 'data', 'events.jsonl'), lines.join('\n') + '\n');
      fs.writeFileSync(
        path.join(workspace, 'dense.casebook.md'),
        ['---', 'title: Dense timeline', 'sources:', '  events: data/events.jsonl', '---', '', '```kql #all-events', 'events', '```', '', '```timeline #dense', 'from: all-events', 'lane: user', 'color: event', '```', ''].join('\n'),
      );
    },
    async run(page, { log, screenshot }) {
      await openNotebook(page, 'dense.casebook.md');
      await runCommand(page, 'Notebook: Run All');
      const out = outputs(page);
      await out.locator('.cb-table').first().waitFor({ timeout: 120_000 });
      const tableShown = Date.now();
      const rects = out.locator('.cb-chart svg .mark-rect path, .cb-chart svg [aria-roledescription="rect"]');
      await scrollUntil(page, async () => (await rects.count()) > 0, 120_000);
      const chartShown = Date.now();
      const note = await out.locator('.cb-chart-note').first().textContent();
      const marks = await rects.count();
      log(`200,000 events: chart drawn ${((chartShown - tableShown) / 1000).toFixed(2)} s after the query's table appeared (binning in the worker + rendering ${marks} marks); note: ${note}`);
      assert(/binned to .*200,000 events/.test(note ?? ''), `the chart says it binned the events: ${note}`);
      assert(marks > 100 && marks <= 5000, `the chart carries a bounded number of marks: ${marks}`);
      const chart = out.locator('.cb-chart').first();
      await bringIntoView(page, chart);
      await page.waitForTimeout(500);
      await screenshot('dense-timeline.png');
      // The wheel alone scrolls the notebook past the chart; Ctrl with the wheel zooms its time axis.
      const axis = () => chart.locator('svg .role-axis-label text').allTextContents().then((t) => t.join('|'));
      const centre = async () => {
        const box = await chart.locator('svg').boundingBox();
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      };
      const before = await axis();
      let at = await centre();
      await page.mouse.move(at.x, at.y);
      await page.mouse.wheel(0, -200); // up: the notebook has room above the chart
      await page.waitForTimeout(800);
      const scrolled = await centre();
      assert(scrolled.y - at.y > 30, `the wheel over the chart scrolled the notebook (chart moved ${scrolled.y - at.y}px)`);
      assert((await axis()) === before, 'the wheel alone left the time axis as it was');
      at = scrolled;
      await page.mouse.move(at.x, at.y);
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, -300);
      await page.keyboard.up('Control');
      await page.waitForTimeout(800);
      const zoomed = await axis();
      assert(zoomed !== before, `Ctrl with the wheel zoomed the time axis (labels before: ${before.slice(0, 80)}; after: ${zoomed.slice(0, 80)})`);
      log('wheel scrolls the notebook; Ctrl+wheel zooms the chart');
    },
  },
  {
    // Adversary-written logs (test/fixtures/hostile): Run All, then nothing ran in the workbench or
    // in the output webview (payloads set window.__pwned), nothing was fetched from the attacker's
    // host, and the payloads read as text in tables, claim cards, charts and chart tooltips.
    name: 'hostile',
    prepare(workspace, root) {
      fs.cpSync(path.join(root, 'test', 'fixtures', 'hostile'), workspace, { recursive: true });
    },
    async run(page, { log, screenshot }) {
      const dialogs = [];
      const attackerRequests = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.context().on('request', (r) => {
        if (/attacker\.invalid|^javascript:/i.test(r.url())) attackerRequests.push(r.url());
      });
      await openNotebook(page, 'hostile.casebook.md');
      log('hostile notebook open');
      await runCommand(page, 'Notebook: Run All');
      const out = outputs(page);
      const rendered = async () =>
        (await out.locator('.cb-claim').count()) >= 2 && (await out.locator('.cb-chart svg').count()) >= 2 && (await out.locator('.cb-table').count()) >= 6;
      await scrollUntil(page, rendered, 240_000);
      log('outputs rendered');

      // Chart tooltips: bring the timeline into view, then hover its marks until one shows a hostile value.
      const ticks = out.locator('.cb-chart svg [aria-roledescription="tick"]');
      const inView = async (locator) => {
        const box = await locator.boundingBox().catch(() => null);
        return box && box.y > 120 && box.y + box.height < 950 ? box : null;
      };
      await scrollUntil(page, async () => (await inView(ticks.first())) !== null, 120_000);
      let tooltip = '';
      for (let i = 0, n = await ticks.count(); i < n && !tooltip.includes('window.__pwned'); i++) {
        const box = await inView(ticks.nth(i));
        if (!box) continue;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.waitForTimeout(100);
        if (await out.locator('.cb-tooltip').count()) tooltip = (await out.locator('.cb-tooltip').innerText()).trim();
      }
      log('a tooltip:', JSON.stringify(tooltip.slice(0, 120)));
      assert(tooltip.includes('window.__pwned'), `a chart tooltip shows a hostile value as text: ${JSON.stringify(tooltip)}`);
      await page.waitForTimeout(1000);

      // Nothing ran, in any frame; nothing active entered the outputs.
      const pwned = [];
      let outputFrame;
      for (const frame of page.frames()) {
        const state = await frame
          .evaluate(() => {
            const roots = Array.from(document.querySelectorAll('.cb-table, .cb-claim, .cb-chart, .cb-tooltip'));
            const bad = [];
            for (const node of roots.flatMap((r) => [r, ...Array.from(r.querySelectorAll('*'))])) {
              const tag = node.tagName.toLowerCase();
              if (['script', 'iframe', 'object', 'embed', 'img', 'image', 'foreignobject', 'a', 'use', 'animate', 'set'].includes(tag)) bad.push(`<${tag}>`);
              for (const attr of Array.from(node.attributes)) if (/^on/i.test(attr.name) || /^\s*(javascript|data):/i.test(attr.value)) bad.push(`${tag}[${attr.name}]`);
            }
            return { pwned: window.__pwned, outputs: roots.length, bad, text: roots.map((r) => r.innerText).join('\n') };
          })
          .catch(() => undefined);
        if (!state) continue;
        if (state.pwned !== undefined) pwned.push(frame.url());
        if (state.outputs > 0) outputFrame = { frame, state };
      }
      assert(pwned.length === 0, `window.__pwned was set in ${pwned.join(', ')}`);
      assert(outputFrame, 'found the frame holding the outputs');
      const { frame, state } = outputFrame;
      assert(state.bad.length === 0, `active elements or attributes in the outputs: ${state.bad.join(', ')}`);
      for (const payload of ['<img src=x onerror="window.__pwned=1">', '<script>window.__pwned=1</script>', '"><svg onload="window.__pwned=1">', '<b>Only</b> public rooms were read']) {
        assert(state.text.includes(payload), `payload shown as text: ${payload}`);
      }
      assert(dialogs.length === 0, `dialogs opened: ${dialogs.join(', ')}`);
      assert(attackerRequests.length === 0, `requests to the attacker: ${attackerRequests.join(', ')}`);
      // Control: a payload that did get into the output frame would be caught (inline handlers run there).
      await frame.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<img id="casebook-control" src="x:control" onerror="window.__casebookControl=1">'));
      await page.waitForTimeout(500);
      const control = await frame.evaluate(() => window.__casebookControl === 1);
      await frame.evaluate(() => document.getElementById('casebook-control')?.remove());
      assert(control, 'a control payload runs in the output frame, so the checks above would have caught one');
      await revealHeading(page, 'Hostile data');
      await screenshot('hostile.png');
    },
  },
];
