import { describe, expect, it } from 'vitest';
import { JsonNumber, parseJson } from '../../../src/filter/json-text.js';

describe('parseJson', () => {
  it.each([
    ['300', '300', 300],
    ['300.0', '300.0', 300],
    ['3.0e2', '3.0e2', 300],
    ['-0.5E-3', '-0.5E-3', -0.0005],
  ])('keeps the text of the number %s', (text, raw, value) => {
    const result = parseJson(text);
    expect(result).toEqual({ ok: true, value: new JsonNumber(raw, value) });
  });

  it('parses nested structures, escapes and literals', () => {
    const result = parseJson(' { "a" : [ 1 , "x\\n\\u0041\\"" , true , false , null ] , "b" : { } } ');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toEqual({ a: [new JsonNumber('1', 1), 'x\nA"', true, false, null], b: {} });
  });

  it('keeps the last of duplicate keys, as Lambda does for patterns', () => {
    const result = parseJson('{"k": 1, "k": 2}');
    expect(result.ok && result.value).toEqual({ k: new JsonNumber('2', 2) });
  });

  it('treats __proto__ as an ordinary key', () => {
    const result = parseJson('{"__proto__": {"polluted": true}}');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.value as object)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['', 'unexpected end of input'],
    ['{"a": [}', 'unexpected character "}" at position 7'],
    ['{"a": 1,}', 'expected a quoted key, unexpected character "}" at position 8'],
    ['[1 2]', 'unexpected character "2" at position 3'],
    ['01', 'unexpected character "1" at position 1'],
    ['"abc', 'unterminated string'],
    ['"a\tb"', 'control character in string at position 2'],
    ['"\\x"', 'invalid escape at position 1'],
    ['"\\u12G4"', 'invalid \\u escape at position 1'],
    ['tru', 'unexpected character "t" at position 0'],
    ['{} {}', 'unexpected character "{" at position 3'],
    ['\uFEFF{}', 'unexpected character "\uFEFF" at position 0'],
  ])('rejects %j: %s', (text, message) => {
    const result = parseJson(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe(message);
  });

  it('refuses nesting past the depth limit without overflowing the stack', () => {
    expect(parseJson('[[[1]]]', 3).ok).toBe(true);
    const result = parseJson('[[[[1]]]]', 3);
    expect(result).toMatchObject({ ok: false, message: 'nested deeper than 3 levels' });
    expect(parseJson('['.repeat(100_000)).ok).toBe(false);
  });
});
