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
    // More that draw nothing: variation selectors after ASCII, supplementary variation selectors
    // (a hidden text, as tags), the combining grapheme joiner, Hangul fillers, deprecated format characters.
    assert.equal(showInvisible('admin\ufe0f'), 'admin\\ufe0f');
    assert.equal(showInvisible('admin\u{e0100}\u{e0101}'), 'admin\\u{e0100}\\u{e0101}');
    assert.equal(showInvisible('adm\u034fin\u3164\u115f\uffa0\u206a'), 'adm\\u034fin\\u3164\\u115f\\uffa0\\u206a');
  });

  it('keeps joiners and selectors where they shape the text: between letters of scripts that spell with them, in keycaps, after symbols', () => {
    for (const word of ['می\u200cخواهم', 'ශ්\u200dරී', 'क्\u200dष', '❤\ufe0f', '1\ufe0f\u20e3', '葛\u{e0100}'.slice(0, 1) + '\ufe00']) assert.equal(showInvisible(word), word, JSON.stringify(word));
    // Beside ASCII letters the same characters only hide.
    assert.equal(showInvisible('adm\u200cin'), 'adm\\u200cin');
    assert.equal(showInvisible('\u200cadmin'), '\\u200cadmin');
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
