import { strict as assert } from 'node:assert';
import { safeJson, safeText } from '../../../src/cli/terminal';

describe('cli: terminal-safe text and JSON', () => {
  it('JSON output escapes C1 controls, DEL, separators and bidi overrides, and stays valid JSON', () => {
    const value = { user: 'a\u009b31mred\u007f\u2028\u202e' };
    const text = safeJson(value);
    assert.ok(!/[\u007f-\u009f\u2028\u202e]/.test(text), text);
    assert.deepEqual(JSON.parse(text), value);
  });

  it('text output shows escape sequences instead of sending them', () => {
    assert.equal(safeText('\u001b[2Jgone'), '\\x1b[2Jgone');
  });
});
