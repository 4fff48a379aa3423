/**
 * Hostile and broken YAML (issue 19, "Bad input"): cycles, alias bombs, deep nesting, several documents,
 * control characters. Each is refused with a ConfigError at a position, never a RangeError or a hang.
 */
import { describe, expect, it } from 'vitest';
import { CONFIG_LIMITS } from '../../../src/config/limits.js';
import { parse, issuesOf, positionOf } from './helpers.js';

const PIPELINE = `  - name: orders
    source: { type: sqs, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' }
    function: { type: module, handler: ./handlers/orders.handler }
`;

function only(text: string): { line: number | null; column: number | null; message: string; path: string } {
  const issues = issuesOf(text);
  expect(issues, JSON.stringify(issues)).toHaveLength(1);
  const [issue] = issues;
  if (issue === undefined) expect.fail('no issue');
  return issue;
}

describe('YAML aliases', () => {
  it('a cyclic alias is a positioned issue, not "Maximum call stack size exceeded"', () => {
    const text = 'pipelines: &l [*l]\n';
    const issue = only(text);
    expect(issue.message).toMatch(/circular/);
    expect({ line: issue.line, column: issue.column }).toEqual(positionOf(text, '*l'));
    expect(issue.path).toBe('pipelines[0]');
  });

  it('a cycle through a mapping is found too', () => {
    const text = `pipelines:\n  - &p\n    name: a\n    source: *p\n`;
    const issue = only(text);
    expect(issue.message).toMatch(/^refers back to pipelines\[0\] \(a circular reference/);
    expect(issue.path).toBe('pipelines[0].source');
    expect({ line: issue.line, column: issue.column }).toEqual(positionOf(text, 'source: *p'));
  });

  it('an alias bomb (billion laughs) stops at the node limit, with a position', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i += 1) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(', ')}]`);
    }
    const issue = only(`${levels.join('\n')}\npipelines: []\n`);
    expect(issue.message).toContain(`more than ${CONFIG_LIMITS.maxNodes.toLocaleString('en-US')} keys and values`);
    // Located at the node reached when the budget ran out, inside the anchors the aliases expand.
    expect(issue.path).toMatch(/^[a-z](\[\d+\])+$/);
    expect(issue.line).toBeGreaterThanOrEqual(1);
  });

  it('a long string repeated by aliases stops at the text limit', () => {
    const text = `big: &big "${'x'.repeat(900_000)}"\ncopies: [*big, *big, *big, *big, *big]\npipelines: []\n`;
    const issue = only(text);
    expect(issue.message).toContain('characters of text');
    expect(issue.path).toMatch(/^copies\[\d\]$/);
  });

  it('150 pipelines sharing one anchored function are valid (no arbitrary alias count)', () => {
    const pipelines = Array.from({ length: 150 }, (_, i) => `  - { name: p${i}, function: *fn, source: { type: sqs, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/q${i}' } }`);
    const text = `x-function: &fn { type: module, handler: ./handlers/orders.handler }\npipelines:\n${pipelines.join('\n')}\n`;
    // x-function is an unknown field: the only issue.
    const issues = issuesOf(text);
    expect(issues).toEqual([expect.objectContaining({ path: '["x-function"]', message: expect.stringContaining('unknown field') as unknown, line: 1, column: 1 })]);
  });

  it('an alias without an anchor is located at the alias', () => {
    const text = `pipelines:\n${PIPELINE}server: *nothing\n`;
    const issue = only(text);
    expect(issue.message).toContain('*nothing');
    expect({ line: issue.line, column: issue.column }).toEqual(positionOf(text, '*nothing'));
  });
});

describe('size and nesting limits', () => {
  it('deep flow nesting is refused at the first level past the limit', () => {
    const text = `pipelines: ${'['.repeat(100_000)}`;
    const issue = only(text);
    expect(issue.message).toContain(`nested deeper than ${CONFIG_LIMITS.maxDepth} levels`);
    expect(issue.line).toBe(1);
    expect(issue.column).toBe(11 + CONFIG_LIMITS.maxDepth);
  });

  it('deep block nesting ("- - - -") is refused too', () => {
    const issue = only(`pipelines:\n${'- '.repeat(50_000)}x\n`);
    expect(issue.message).toContain('nested deeper than');
    expect(issue.line).toBe(2);
  });

  it('nesting at the limit is fine (reported by the schema, not the limit)', () => {
    const text = `pipelines: ${'['.repeat(CONFIG_LIMITS.maxDepth - 1)}${']'.repeat(CONFIG_LIMITS.maxDepth - 1)}\n`;
    expect(issuesOf(text).map((issue) => issue.message).join('\n')).not.toContain('nested deeper');
  });

  it('too many values in the text are refused before the YAML is built', { timeout: 60_000 }, () => {
    const text = `pipelines: [${'1,'.repeat(CONFIG_LIMITS.maxNodes * 2 + 10)}]\n`;
    const issue = only(text);
    expect(issue.message).toBe(`the file holds more than ${CONFIG_LIMITS.maxNodes.toLocaleString('en-US')} keys and values, the limit`);
    // The first token past twice the budget (the lexical count is at most twice the nodes): `pipelines`, `:`
    // and `[` are the first three, then one per item of two characters from column 13.
    expect({ line: issue.line, column: issue.column }).toEqual({ line: 1, column: 13 + 2 * (2 * CONFIG_LIMITS.maxNodes - 3) });
  });

  it('too many pipelines are refused at the first one past the limit', () => {
    const items = Array.from({ length: CONFIG_LIMITS.maxPipelines + 5 }, () => '  - *p').join('\n');
    const text = `x: &p { name: a }\npipelines:\n${items}\n`;
    const issue = only(text);
    expect(issue.message).toBe(`too many pipelines: ${CONFIG_LIMITS.maxPipelines + 5} (a configuration holds at most ${CONFIG_LIMITS.maxPipelines.toLocaleString('en-US')})`);
    expect(issue.path).toBe(`pipelines[${CONFIG_LIMITS.maxPipelines}]`);
    expect(issue.line).toBe(3 + CONFIG_LIMITS.maxPipelines);
  });

  it('20,000 keys in one mapping: duplicates found in linear time (yaml\'s uniqueKeys compares every pair)', { timeout: 60_000 }, () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join('\n');
    const duplicated = `${keys}\nk7: 2\npipelines:\n${PIPELINE}`;
    expect(issuesOf(duplicated)).toEqual([expect.objectContaining({ line: 20_001, column: 1, message: 'invalid YAML: duplicate key "k7" (keys must be unique)' })]);
    const unique = issuesOf(`${keys}\npipelines:\n${PIPELINE}`);
    expect(unique.filter((issue) => issue.message.startsWith('unknown field'))).toHaveLength(20_000);
  });

  it('a text past the byte limit is refused at 1:1 without being parsed', () => {
    const issue = only(`pipelines: []\n# ${'x'.repeat(CONFIG_LIMITS.maxFileBytes)}\n`);
    expect(issue).toMatchObject({ line: 1, column: 1 });
    expect(issue.message).toContain('1,048,576 bytes');
  });
});

describe('documents and characters', () => {
  it('two documents: a clear message at the second one', () => {
    const text = `pipelines:\n${PIPELINE}---\npipelines: []\n`;
    const issue = only(text);
    expect(issue.message).toBe('the file holds 2 YAML documents; Tributary reads one (remove the "---" line or split the file)');
    expect(issue.message).not.toContain('parseAllDocuments');
    expect(issue.line).toBe(5);
  });

  it('a NUL byte: not a text file, at its position', () => {
    const text = `pipelines:\n${PIPELINE}    batchSize: 1\u00002\n`;
    const issue = only(text);
    expect(issue.message).toContain('not a text file (NUL byte');
    expect({ line: issue.line, column: issue.column }).toEqual(positionOf(text, '\u0000'));
  });

  it('other control characters are refused as YAML does (c-printable)', () => {
    const text = `pipelines:\n${PIPELINE}    batchSize: 1\u00072\n`;
    const issue = only(text);
    expect(issue.message).toContain('U+0007');
    expect({ line: issue.line, column: issue.column }).toEqual(positionOf(text, '\u0007'));
  });

  it('tabs, CRLF line ends and a byte order mark are fine', () => {
    const text = `\ufeffpipelines:\r\n  - name: orders\t# tab before the comment\r\n    source: { type: sqs, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' }\r\n    function: { type: module, handler: ./handlers/orders.handler }\r\n`;
    expect(parse(text).pipelines).toHaveLength(1);
  });

  it('a mapping used as a key is refused at the key', () => {
    const text = `? [a, b]\n: 1\npipelines:\n${PIPELINE}`;
    const issue = only(text);
    expect(issue.message).toContain('key');
    expect(issue).toMatchObject({ line: 1, column: 3 });
  });

  it('messages escape invisible characters instead of echoing them', () => {
    const text = `pipelines:\n${PIPELINE}    startingPosition: "LATEST\u202e\u200b"\n`;
    const issue = issuesOf(text).find((candidate) => candidate.message.startsWith('must be one of'));
    if (issue === undefined) expect.fail('no startingPosition issue');
    expect(issue.message).toContain('\\u202e');
    expect(issue.message).not.toMatch(/[\u202e\u200b]/);
  });
});

describe('YAML 1.1 merge keys', () => {
  it('a %YAML 1.1 document merges <<: *anchor, its own keys winning', () => {
    const text = `%YAML 1.1
---
x-defaults: &defaults { type: module, handler: ./handlers/orders.handler, timeout: 5 }
pipelines:
  - name: orders
    source: { type: sqs, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders' }
    function:
      <<: *defaults
      timeout: 9
`;
    expect(issuesOf(text).map((issue) => issue.path)).toEqual(['["x-defaults"]']);
  });

  it('a merge of something that is not a mapping is refused', () => {
    const issues = issuesOf('%YAML 1.1\n---\nx: &s 1\npipelines:\n  - <<: *s\n');
    expect(issues).toEqual([expect.objectContaining({ line: 5, message: 'invalid YAML: a merge key (<<) takes a mapping or a list of mappings' })]);
  });
});
