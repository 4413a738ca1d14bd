import { describe, expect, it } from 'vitest';
import { isValidLabelName } from '../engine/labels-util.js';
import { goQuote, unquoteString } from './strings.js';

describe('byte escapes', () => {
  // [literal, Go's %q of the unquoted value]
  const cases: [string, string][] = [
    ['"a\\xc5z"', '"a\\xc5z"'], // invalid UTF-8 stays a raw byte
    ['"\\xff"', '"\\xff"'],
    ['"\\xc5\\x82"', '"ł"'], // a valid two-byte sequence decodes
    ['"\\305\\202x"', '"łx"'], // octal escapes too
    ['"\\xe2\\x82"', '"\\xe2\\x82"'], // truncated sequence: both bytes raw
    ['"\\xed\\xa0\\x80"', '"\\xed\\xa0\\x80"'], // encoded surrogate is not valid UTF-8
    ['"\\xf0\\x9f\\x98\\x80!"', '"😀!"'],
    ['"\\u00e9"', '"é"'],
  ];
  it.each(cases)('%s', (lit, quoted) => {
    expect(goQuote(unquoteString(lit))).toBe(quoted);
  });
  it('raw bytes make a label name invalid; UTF-8 names are valid', () => {
    expect(isValidLabelName(unquoteString('"a\\xc5z"'))).toBe(false);
    expect(isValidLabelName(unquoteString('"\\xff"'))).toBe(false);
    expect(isValidLabelName('é')).toBe(true);
    expect(isValidLabelName(unquoteString('"\\xc3\\xa9"'))).toBe(true);
    expect(isValidLabelName('\ufffd')).toBe(true);
    expect(isValidLabelName('')).toBe(false);
  });
});
