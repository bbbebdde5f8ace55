import { strict as assert } from 'node:assert';
import { showInvisible } from '../../../src/core/output/invisible';

describe('output: invisible characters', () => {
  it('shows characters of no width as escapes, so look-alike values read apart', () => {
    // Three users a table showed as "admin" three times.
    assert.equal(showInvisible('adm\u200bin'), 'adm\\u200bin');
    assert.equal(showInvisible('admin\ufeff'), 'admin\\ufeff');
    assert.equal(showInvisible('ad\u00admin'), 'ad\\xadmin');
    assert.equal(showInvisible('a\u200cb\u2060c\u2063d\u180ee'), 'a\\u200cb\\u2060c\\u2063d\\u180ee');
    // Tag characters can spell a whole hidden text ("Hi" here).
    assert.equal(showInvisible('ok\u{e0048}\u{e0069}'), 'ok\\u{e0048}\\u{e0069}');
    assert.equal(showInvisible('x\u200dy'), 'x\\u200dy');
  });

  it('keeps the joiner inside an emoji sequence, where it is part of what is drawn', () => {
    for (const emoji of ['👩‍💻', '👩🏽‍💻', '🏳️‍🌈', '👨‍👩‍👧']) assert.equal(showInvisible(emoji), emoji);
    assert.equal(showInvisible('\u200d👩'), '\\u200d👩');
    assert.equal(showInvisible('👩\u200d'), '👩\\u200d');
  });

  it('leaves ordinary text, tabs and line breaks alone', () => {
    const text = 'Grüße, 東京\tline\nnext — ok';
    assert.equal(showInvisible(text), text);
  });
});
