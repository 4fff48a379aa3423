import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../../src/config/load-yaml.js';
import { issuesOf } from './helpers.js';

describe('loadYaml', () => {
  const text = `server:
  port: 1
pipelines:
  - name: a
    source:
      type: sqs
  - name: b
    list: [x, y]
`;

  it('locates keys, items and the nearest parent of missing fields', () => {
    const loaded = loadYaml(text, 'f.yaml');
    if (!loaded.ok) expect.fail('should parse');
    expect(loaded.locate([])).toEqual({ line: 1, column: 1 });
    expect(loaded.locate(['server', 'port'])).toEqual({ line: 2, column: 3 });
    expect(loaded.locate(['pipelines', 0])).toEqual({ line: 4, column: 5 });
    expect(loaded.locate(['pipelines', 0, 'source', 'type'])).toEqual({ line: 6, column: 7 });
    expect(loaded.locate(['pipelines', 0, 'source', 'queueUrl'])).toEqual({ line: 5, column: 5 });
    expect(loaded.locate(['pipelines', 1, 'list', 1])).toEqual({ line: 8, column: 15 });
    expect(loaded.locate(['pipelines', 7, 'name'])).toEqual({ line: 3, column: 1 });
    expect(loaded.locate(['nope'])).toEqual({ line: 1, column: 1 });
  });

  it('follows aliases', () => {
    const loaded = loadYaml('base: &b\n  port: 1\nserver: *b\n', 'f.yaml');
    if (!loaded.ok) expect.fail('should parse');
    expect(loaded.value).toEqual({ base: { port: 1 }, server: { port: 1 } });
    expect(loaded.locate(['server', 'port'])).toEqual({ line: 2, column: 3 });
  });

  it('reports a syntax error with its line and column', () => {
    const loaded = loadYaml('pipelines:\n  - name: a\n    source: {type: sqs\n  - name: b\n', 'f.yaml');
    expect(loaded).toMatchObject({ ok: false, issues: [{ file: 'f.yaml', line: 4, column: 3, path: '', message: expect.stringContaining('invalid YAML') }] });
  });

  it('reports every duplicate key, but not the cascade after a syntax error', () => {
    const loaded = loadYaml('a: 1\na: 2\nb:\n  c: 1\n  c: 2\n', 'f.yaml');
    expect(loaded).toMatchObject({ ok: false, issues: [{ line: 2, column: 1 }, { line: 5, column: 3 }] });
    const broken = loadYaml('a: [1, 2\nb: 3\nc: {d\n', 'f.yaml');
    expect(broken.ok ? [] : broken.issues).toHaveLength(1);
  });
});

describe('YAML errors through parseConfigText', () => {
  it('gives the line of a syntax error', () => {
    const issues = issuesOf('pipelines:\n  - name: a\n\tbatchSize: 1\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'pipelines.yaml', line: 3, column: 1, message: expect.stringContaining('invalid YAML') });
  });

  it('refuses an empty file', () => {
    expect(issuesOf('# nothing\n')).toMatchObject([{ line: 1, message: expect.stringContaining('empty') }]);
  });
});

describe('loadYaml values, as Document.toJS gave them', () => {
  it('keys: numbers and booleans as text, a null key as ""; __proto__ is data', () => {
    const loaded = loadYaml('1: a\ntrue: b\n~: c\n__proto__: { polluted: 1 }\nlist: [x: 1, 2]\n', 'f.yaml');
    if (!loaded.ok) expect.fail('should parse');
    expect(loaded.value).toEqual({ 1: 'a', true: 'b', '': 'c', ['__proto__']: { polluted: 1 }, list: [{ x: 1 }, 2] });
    expect(Object.getPrototypeOf(loaded.value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(loaded.locate([''])).toEqual({ line: 3, column: 1 });
  });

  it('an alias is the anchored value itself, found at the anchor', () => {
    const loaded = loadYaml('a: &x { k: 1 }\nb: *x\n', 'f.yaml');
    if (!loaded.ok) expect.fail('should parse');
    const value = loaded.value as Record<string, unknown>;
    expect(value['b']).toBe(value['a']);
    expect(loaded.locate(['b', 'k'])).toEqual({ line: 1, column: 9 });
  });
});
