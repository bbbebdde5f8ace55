import { strict as assert } from 'node:assert';
import { tmpdir } from 'node:os';
import { parseNotebook } from '../../../src/core/format';
import { runNotebook } from '../../../src/core/notebook/runner';
import { parseVerdictRecord, VERDICT_TAG } from '../../../src/core/claims/record';
import { cellUses } from '../../../src/core/notebook/graph';
import { NotebookError } from '../../../src/core/notebook/session';
import { parseTimelineCell } from '../../../src/core/notebook/timelineCell';
import { forTextsOf } from '../textProperty';

describe('timeline cells', () => {
  it('read a cell that takes its events from a query cell, with windows and markers', () => {
    const t = parseTimelineCell('title: Attack\nfrom: attacker-activity\nlane: session_id\nwindows:\n  - { from: 2026-06-09T02:00:00Z, to: 2026-06-09T03:00:00Z, label: intrusion }\nmarkers:\n  - { at: 2026-06-09T02:15:00Z, label: reset }');
    assert.equal(t.from, 'attacker-activity');
    assert.equal(t.lane, 'session_id');
    assert.equal(t.windows?.length, 1);
    assert.equal(t.markers?.[0].label, 'reset');
  });

  it('fail on any text only with a notebook error (seeded)', () => {
    const pieces = ['title', 'from', 'query', 'time', 'lane', 'color', 'tooltip', 'bin', 'claims', 'windows', 'markers', 'at', 'to', 'label', ':', ': ', '\n', '\n  ', '\n  - ', '- ', '{', '}', '[', ']', ',', "'", '"', '&a ', '*a', '!!str ', '!!timestamp ', '!x ', '#', '|', '>', '<<: ', '---', 'attacker-activity', '#cell', 'logs | take 1', '2026-06-09T02:00:00Z', '2026-13-45', 'null', '~', '1h'];
    forTextsOf(pieces, (text) => {
      try {
        parseTimelineCell(text);
      } catch (e) {
        if (!(e instanceof NotebookError)) throw new Error(`${JSON.stringify(text)}: ${String(e)}`);
        assert.match(e.message, /^timeline: /, text);
      }
    });
  });

  it('keep what YAML warns about (an unknown tag) out of the process\'s warnings', async () => {
    const warnings: Error[] = [];
    const listen = (w: Error) => warnings.push(w);
    process.on('warning', listen);
    try {
      const text = 'title: !x Attack\nfrom: !x attacker-activity';
      assert.equal(parseTimelineCell(text).from, 'attacker-activity');
      assert.deepEqual(cellUses('timeline', text).tables, ['attacker-activity']);
      assert.equal(parseVerdictRecord({ tag: VERDICT_TAG, text: `<!-- casebook:verdict\nclaim: !x c\n-->` }), undefined);
      // Warnings are emitted on a later turn.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    assert.deepEqual(warnings.map((w) => w.message), []);
  });
});

describe('claim windows', () => {
  it('are read as queries read datetimes: a time without a zone is UTC on any machine, and text that is no date-time is an error', async () => {
    const text = ['```kql #e', 'print timestamp = datetime(2026-06-09 03:00), user = "a"', '```', '', '```claim #c', 'claim: x', 'by: y', 'window: 2026-06-09T02:10 .. 2026-06-09T06:00', 'contradicted-if: e has rows', '```', '', '```claim #bad', 'claim: x', 'by: y', 'window: 1 .. 2', 'contradicted-if: e has rows', '```', '', '```timeline #t', 'from: e', 'claims: [c]', '```', ''].join('\n');
    const parsed = parseNotebook(text);
    assert.ok(parsed.ok);
    const run = await runNotebook(parsed.notebook, { baseDir: tmpdir() });
    assert.deepEqual(run.cells.map((c) => [c.id, c.result.ok]), [['e', true], ['c', true], ['bad', false], ['t', true]]);
    assert.match(run.cells[2].result.error!.message, /window "1 \.\. 2" needs two ISO 8601 date-times/);
    const chart = run.cells[3].result.outputs.find((o) => o.type === 'chart');
    const spec = JSON.stringify(chart && chart.type === 'chart' ? chart.spec : null);
    assert.ok(spec.includes(`"from":${Date.UTC(2026, 5, 9, 2, 10)},"to":${Date.UTC(2026, 5, 9, 6)}`), spec.slice(0, 300));
  });
});
