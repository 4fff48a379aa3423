import { describe, expect, it } from 'vitest';
import { matchesBody, matchesEvent } from './support.js';

type Row = readonly [name: string, pattern: object, event: Record<string, unknown>, expected: boolean];

const run = (rows: readonly Row[]) =>
  it.each(rows)('%s', (_name, pattern, event, expected) => {
    expect(matchesEvent(pattern, event)).toBe(expected);
  });

describe('exact values', () => {
  run([
    ['string equal', { a: ['x'] }, { a: 'x' }, true],
    ['string is case-sensitive', { a: ['x'] }, { a: 'X' }, false],
    ['string is not trimmed', { a: ['x'] }, { a: 'x ' }, false],
    ['missing field never equals', { a: ['x'] }, {}, false],
    ['list is an OR', { a: ['x', 'y'] }, { a: 'y' }, true],
    ['list without the value', { a: ['x', 'y'] }, { a: 'z' }, false],
    ['event array: any element', { a: ['x'] }, { a: ['y', 'x'] }, true],
    ['event array: no element', { a: ['x'] }, { a: ['y', 'z'] }, false],
    ['nested event arrays are flattened', { a: ['x'] }, { a: [['y'], ['x']] }, true],
    ['string "300" is not the number 300', { a: ['300'] }, { a: 300 }, false],
    ['number 300 is not the string "300"', { a: [300] }, { a: '300' }, false],
    ['number equal (metadata number)', { a: [300] }, { a: 300 }, true],
    ['true', { a: [true] }, { a: true }, true],
    ['true is not "true"', { a: [true] }, { a: 'true' }, false],
    ['false is not true', { a: [false] }, { a: true }, false],
    ['null matches null', { a: [null] }, { a: null }, true],
    ['null does not match a missing field', { a: [null] }, {}, false],
    ['null does not match ""', { a: [null] }, { a: '' }, false],
    ['"" matches ""', { a: [''] }, { a: '' }, true],
    ['"" does not match null', { a: [''] }, { a: null }, false],
    ['AND: both fields', { a: ['x'], b: ['y'] }, { a: 'x', b: 'y' }, true],
    ['AND: one field wrong', { a: ['x'], b: ['y'] }, { a: 'x', b: 'z' }, false],
    ['AND: one field missing', { a: ['x'], b: ['y'] }, { a: 'x' }, false],
    ['extra event fields are ignored', { a: ['x'] }, { a: 'x', b: 'y', c: { d: 1 } }, true],
    ['nested object', { a: { b: ['x'] } }, { a: { b: 'x' } }, true],
    ['nested object, wrong value', { a: { b: ['x'] } }, { a: { b: 'y' } }, false],
    ['nested pattern vs scalar', { a: { b: ['x'] } }, { a: 'x' }, false],
    ['leaf pattern vs object', { a: ['x'] }, { a: { b: 'x' } }, false],
    ['inherited members are not fields', { constructor: [{ exists: true }] }, {}, false],
  ]);

  it('only own properties are fields (inherited values and __proto__ tricks do not count)', () => {
    const inherited = Object.create({ tier: 'gold' }) as Record<string, unknown>;
    expect(matchesEvent({ tier: ['gold'] }, inherited)).toBe(false);
    expect(matchesEvent({ tier: [{ exists: false }] }, inherited)).toBe(true);
    // A "__proto__" key in pattern and payload is an ordinary field on both sides.
    expect(matchesBody(JSON.parse('{"__proto__": ["x"]}') as object, '{"__proto__": "x"}')).toBe(true);
    expect(matchesBody(JSON.parse('{"__proto__": ["x"]}') as object, '{"other": "x"}')).toBe(false);
  });

  it('numbers in exact matches compare by their text (AWS: 300, 300.0 and 3.0e2 are not equal)', () => {
    expect(matchesBody({ a: [300] }, '{"a": 300}')).toBe(true);
    expect(matchesBody({ a: [300] }, '{"a": 300.0}')).toBe(false);
    expect(matchesBody({ a: [300] }, '{"a": 3.0e2}')).toBe(false);
    // A pattern written as JSON text keeps its own spelling too.
    expect(matchesEvent('{"a": [300.0]}', { a: 300 })).toBe(false);
  });
});

describe('prefix / suffix / equals-ignore-case', () => {
  run([
    ['prefix', { r: [{ prefix: 'us-' }] }, { r: 'us-east-1' }, true],
    ['prefix: other value', { r: [{ prefix: 'us-' }] }, { r: 'eu-west-1' }, false],
    ['prefix is case-sensitive', { r: [{ prefix: 'us-' }] }, { r: 'US-east-1' }, false],
    ['prefix only on strings', { r: [{ prefix: '12' }] }, { r: 123 }, false],
    ['empty prefix matches any string', { r: [{ prefix: '' }] }, { r: 'anything' }, true],
    ['prefix, ignore case', { s: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, { s: 'eventbridge' }, true],
    ['prefix, ignore case, upper', { s: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }, { s: 'EVENTBRIDGE' }, true],
    ['prefix, ignore case, not at start', { s: [{ prefix: { 'equals-ignore-case': 'eventb' } }] }, { s: 'xEventB' }, false],
    ['suffix', { f: [{ suffix: '.png' }] }, { f: 'cat.png' }, true],
    ['suffix is case-sensitive', { f: [{ suffix: '.png' }] }, { f: 'cat.PNG' }, false],
    ['suffix, ignore case', { f: [{ suffix: { 'equals-ignore-case': '.png' } }] }, { f: 'cat.PNG' }, true],
    ['suffix, other extension', { f: [{ suffix: '.png' }] }, { f: 'cat.jpg' }, false],
    ['equals-ignore-case', { n: [{ 'equals-ignore-case': 'alice' }] }, { n: 'ALICE' }, true],
    ['equals-ignore-case is still whole-value', { n: [{ 'equals-ignore-case': 'alice' }] }, { n: 'Alicia' }, false],
    ['equals-ignore-case only on strings', { n: [{ 'equals-ignore-case': 'true' }] }, { n: true }, false],
    ['operators OR with values', { r: ['eu-west-1', { prefix: 'us-' }] }, { r: 'eu-west-1' }, true],
  ]);
});

describe('anything-but', () => {
  run([
    ['single string, other value', { w: [{ 'anything-but': 'Raining' }] }, { w: 'Sunny' }, true],
    ['single string, that value', { w: [{ 'anything-but': 'Raining' }] }, { w: 'Raining' }, false],
    ['list of strings', { s: [{ 'anything-but': ['stopped', 'overloaded'] }] }, { s: 'running' }, true],
    ['list of strings, excluded', { s: [{ 'anything-but': ['stopped', 'overloaded'] }] }, { s: 'overloaded' }, false],
    ['needs the field to be present', { w: [{ 'anything-but': 'Raining' }] }, {}, false],
    ['does not match an object', { w: [{ 'anything-but': 'Raining' }] }, { w: { x: 1 } }, false],
    ['any other type passes a string exclusion', { w: [{ 'anything-but': 'Raining' }] }, { w: 5 }, true],
    ['null passes', { w: [{ 'anything-but': ['Raining'] }] }, { w: null }, true],
    ['event array: one element not excluded', { w: [{ 'anything-but': 'Raining' }] }, { w: ['Raining', 'Sunny'] }, true],
    ['event array: all excluded', { w: [{ 'anything-but': 'Raining' }] }, { w: ['Raining'] }, false],
    ['numbers', { x: [{ 'anything-but': [100, 200, 300] }] }, { x: 150 }, true],
    ['numbers, excluded', { x: [{ 'anything-but': [100, 200, 300] }] }, { x: 200 }, false],
    ['single number', { x: [{ 'anything-but': 123 }] }, { x: 123 }, false],
    ['a numeric string is not the number', { x: [{ 'anything-but': [100] }] }, { x: '100' }, true],
    ['prefix', { s: [{ 'anything-but': { prefix: 'init' } }] }, { s: 'initializing' }, false],
    ['prefix, other value', { s: [{ 'anything-but': { prefix: 'init' } }] }, { s: 'running' }, true],
    ['suffix', { f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 'a.png' }, false],
    ['suffix, other value', { f: [{ 'anything-but': { suffix: '.png' } }] }, { f: 'a.jpg' }, true],
    ['equals-ignore-case', { s: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { s: 'INITIALIZING' }, false],
    ['equals-ignore-case, other value', { s: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, { s: 'running' }, true],
    ['equals-ignore-case list', { s: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] }, { s: 'b' }, false],
  ]);

  it('excluded numbers compare by text, like exact matches', () => {
    expect(matchesBody({ x: [{ 'anything-but': [300] }] }, '{"x": 300}')).toBe(false);
    expect(matchesBody({ x: [{ 'anything-but': [300] }] }, '{"x": 300.0}')).toBe(true);
  });
});

describe('numeric', () => {
  run([
    ['= equal', { p: [{ numeric: ['=', 100] }] }, { p: 100 }, true],
    ['= other', { p: [{ numeric: ['=', 100] }] }, { p: 101 }, false],
    ['= only on numbers', { p: [{ numeric: ['=', 100] }] }, { p: '100' }, false],
    ['range: lower bound is open', { p: [{ numeric: ['>', 10, '<=', 20] }] }, { p: 10 }, false],
    ['range: inside', { p: [{ numeric: ['>', 10, '<=', 20] }] }, { p: 10.5 }, true],
    ['range: upper bound is closed', { p: [{ numeric: ['>', 10, '<=', 20] }] }, { p: 20 }, true],
    ['range: above', { p: [{ numeric: ['>', 10, '<=', 20] }] }, { p: 20.00001 }, false],
    ['range: digits past the sixth decimal are ignored', { p: [{ numeric: ['>', 10, '<=', 20] }] }, { p: 20.0000001 }, true],
    ['>= includes the bound', { p: [{ numeric: ['>=', 10] }] }, { p: 10 }, true],
    ['>= below', { p: [{ numeric: ['>=', 10] }] }, { p: 9.99 }, false],
    ['< excludes the bound', { p: [{ numeric: ['<', 10] }] }, { p: 10 }, false],
    ['< below', { p: [{ numeric: ['<', 10] }] }, { p: -3 }, true],
    ['<= negative bound', { p: [{ numeric: ['<=', -5] }] }, { p: -5 }, true],
    ['>= with <', { p: [{ numeric: ['>=', 0, '<', 1] }] }, { p: 1 }, false],
    ['event array: any element', { p: [{ numeric: ['>', 10] }] }, { p: [1, 15] }, true],
    ['booleans are not numbers', { p: [{ numeric: ['>', 0] }] }, { p: true }, false],
    ['missing field', { p: [{ numeric: ['>', 0] }] }, {}, false],
    ['event value beyond ±5e9 never matches', { p: [{ numeric: ['>', 0] }] }, { p: 6e9 }, false],
    ['event value at the limit', { p: [{ numeric: ['>=', 5e9] }] }, { p: 5e9 }, true],
  ]);

  it('compares values, not text: 3.0e2 = 300', () => {
    expect(matchesBody({ x: [{ numeric: ['=', 300] }] }, '{"x": 3.0e2}')).toBe(true);
    expect(matchesBody({ x: [{ numeric: ['=', 3.018e2] }] }, '{"x": 301.8}')).toBe(true);
  });
});

describe('exists (leaf nodes only)', () => {
  run([
    ['true: present string', { a: [{ exists: true }] }, { a: 'x' }, true],
    ['true: present null', { a: [{ exists: true }] }, { a: null }, true],
    ['true: missing', { a: [{ exists: true }] }, {}, false],
    ['true: object is not a leaf', { a: [{ exists: true }] }, { a: { b: 1 } }, false],
    ['true: empty array has no leaf', { a: [{ exists: true }] }, { a: [] }, false],
    ['true: array with a leaf', { a: [{ exists: true }] }, { a: [1] }, true],
    ['true: array of objects has no leaf', { a: [{ exists: true }] }, { a: [{ b: 1 }] }, false],
    ['false: missing', { a: [{ exists: false }] }, {}, true],
    ['false: present', { a: [{ exists: false }] }, { a: 'x' }, false],
    ['false: object value (not a leaf)', { a: [{ exists: false }] }, { a: { b: 1 } }, true],
    ['false: missing parent object', { d: { c: [{ exists: false }] } }, { x: 1 }, true],
    ['false: parent is a scalar', { d: { c: [{ exists: false }] } }, { d: 'str' }, true],
    ['false: field in parent', { d: { c: [{ exists: false }] } }, { d: { c: 1 } }, false],
    ['false OR a value', { a: [{ exists: false }, 'x'] }, { a: 'x' }, true],
    ['undefined counts as missing', { a: [{ exists: false }] }, { a: undefined }, true],
  ]);
});

describe('$or', () => {
  const metricOr = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] };
  run([
    ['first branch', { $or: [{ a: ['x'] }, { b: ['y'] }] }, { a: 'x' }, true],
    ['second branch', { $or: [{ a: ['x'] }, { b: ['y'] }] }, { b: 'y' }, true],
    ['no branch', { $or: [{ a: ['x'] }, { b: ['y'] }] }, { a: 'z', b: 'z' }, false],
    ['AND with a field', metricOr, { source: 'aws.cloudwatch', namespace: 'AWS/EC2' }, true],
    ['AND with a field, field fails', metricOr, { source: 'aws.ec2', namespace: 'AWS/EC2' }, false],
    ['branch with two fields needs both', { $or: [{ a: ['1'], b: ['2'] }, { c: ['3'] }] }, { a: '1', b: '9' }, false],
    ['nested inside an object', { detail: { $or: [{ s: ['a'] }, { t: ['b'] }] } }, { detail: { t: 'b' } }, true],
    ['nested inside an object, no branch', { detail: { $or: [{ s: ['a'] }, { t: ['b'] }] } }, { detail: { t: 'c' } }, false],
    [
      'nested $or',
      { $or: [{ a: ['1'] }, { b: ['2'], $or: [{ c: ['3'] }, { d: ['4'] }] }] },
      { b: '2', d: '4' },
      true,
    ],
    ['nested $or, inner fails', { $or: [{ a: ['1'] }, { b: ['2'], $or: [{ c: ['3'] }, { d: ['4'] }] }] }, { b: '2', d: '5' }, false],
    ['two $or groups must both hold', { $or: [{ a: ['1'] }, { b: ['2'] }], x: { $or: [{ c: ['3'] }, { d: ['4'] }] } }, { a: '1', x: { d: '5' } }, false],
  ]);
});

describe('arrays of objects (array-consistent)', () => {
  const employees = { employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }] };
  run([
    ['one field in any element', { employees: { firstName: ['Anna'] } }, employees, true],
    ['two fields from the same element', { employees: { firstName: ['Anna'], lastName: ['Smith'] } }, employees, true],
    ['two fields from different elements do not match', { employees: { firstName: ['Anna'], lastName: ['Jones'] } }, employees, false],
    ['nested arrays', { employees: { firstName: ['Peter'] } }, { employees: [[{ firstName: 'John' }], [{ firstName: 'Peter' }]] }, true],
    ['exists:false checked per element', { e: { b: [{ exists: false }] } }, { e: [{ b: 1 }, { c: 2 }] }, true],
    ['exists:false, every element has it', { e: { b: [{ exists: false }] } }, { e: [{ b: 1 }, { b: 2 }] }, false],
    ['empty array: fields are missing', { e: { b: [{ exists: false }] } }, { e: [] }, true],
  ]);
});
