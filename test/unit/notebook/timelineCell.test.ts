import { strict as assert } from 'node:assert';
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
      assert.deepEqual(cellUses('timeline', text).required, ['attacker-activity']);
      assert.equal(parseVerdictRecord({ tag: VERDICT_TAG, text: `<!-- casebook:verdict\nclaim: !x c\n-->` }), undefined);
      // Warnings are emitted on a later turn.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    assert.deepEqual(warnings.map((w) => w.message), []);
  });
});
