/** Kusto's Unicode `\d`, `\w` and `\s` written for RE2, leaving every other part of a pattern as it is. */
import assert from 'node:assert/strict';
import { unicodeClasses } from '../../../src/core/query/regex';

describe('query/regex classes', () => {
  it('rewrites the class escapes outside and inside classes', () => {
    assert.equal(unicodeClasses('\\d+'), '\\p{Nd}+');
    assert.equal(unicodeClasses('\\D'), '\\P{Nd}');
    assert.equal(unicodeClasses('\\w'), '[\\p{L}\\p{M}\\p{Nd}\\p{Pc}]');
    assert.equal(unicodeClasses('\\W'), '[^\\p{L}\\p{M}\\p{Nd}\\p{Pc}]');
    assert.equal(unicodeClasses('[^\\w.-]'), '[^\\p{L}\\p{M}\\p{Nd}\\p{Pc}.-]');
    assert.equal(unicodeClasses('[a\\d]'), '[a\\p{Nd}]');
    assert.equal(unicodeClasses('\\s'), '[\\t-\\r\\x{85}\\p{Z}]');
    // Each ends in a class, so a `-` after one in a class stays a literal, as in RE2.
    assert.equal(unicodeClasses('[\\w\\s-.]'), '[\\p{L}\\p{M}\\p{Nd}\\p{Pc}\\t-\\r\\x{85}\\p{Z}-.]');
  });

  it('leaves escaped backslashes, other escapes, \\Q...\\E text and POSIX classes alone', () => {
    for (const pattern of ['\\\\d', '\\.\\*\\p{Greek}\\x{41}', '\\Q\\d\\w\\E', '[[:digit:]]', 'abc', '\\bword\\b', '\\Q\\d']) assert.equal(unicodeClasses(pattern), pattern, pattern);
    assert.equal(unicodeClasses('\\\\\\d'), '\\\\\\p{Nd}');
    assert.equal(unicodeClasses('\\Q\\d\\E\\d'), '\\Q\\d\\E\\p{Nd}');
    assert.equal(unicodeClasses('[[:alpha:]\\d]'), '[[:alpha:]\\p{Nd}]');
  });

  it('knows where a class ends: a ] first in it is a literal', () => {
    assert.equal(unicodeClasses('[]\\d]\\d'), '[]\\p{Nd}]\\p{Nd}');
    assert.equal(unicodeClasses('[^]\\w]\\W'), '[^]\\p{L}\\p{M}\\p{Nd}\\p{Pc}][^\\p{L}\\p{M}\\p{Nd}\\p{Pc}]');
    // \W and \S inside a class cannot be written as RE2 items: they stay RE2's (ASCII) classes.
    assert.equal(unicodeClasses('[\\W\\S]'), '[\\W\\S]');
  });

  it('refuses the class set operations Kusto documents, which RE2 would read as literal characters', () => {
    for (const pattern of ['[0-9--4]', '[a-y&&xyz]', '[a-g~~b-h]', '[\\w&&[^\\d]]']) assert.throws(() => unicodeClasses(pattern), /class set operation/, pattern);
    // A range to or from `-`, and the same characters outside a class, are not set operations.
    for (const pattern of ['[+--]', '[--/]', '[^--/]', 'a&&b--c~~d', '[a\\--z]']) assert.doesNotThrow(() => unicodeClasses(pattern), pattern);
  });

  it('refuses the word start and end assertions Kusto documents, which RE2 would read as < and >', () => {
    for (const pattern of ['\\<ab\\>', 'ab\\>', '\\b{start}ab']) assert.throws(() => unicodeClasses(pattern), /word start or end/, pattern);
    for (const pattern of ['\\bab\\b', '[\\<]', '\\\\<']) assert.doesNotThrow(() => unicodeClasses(pattern), pattern);
  });
});
