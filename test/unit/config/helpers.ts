/** Shared helpers of the configuration tests. */
import { expect } from 'vitest';
import { parseConfigText, resolveConfigObject, type ResolveConfigOptions } from '../../../src/config/index.js';
import type { TributaryConfig } from '../../../src/config/types.js';
import { ConfigError, type ConfigIssue } from '../../../src/errors.js';

/** 2023-11-14T22:13:20Z, the injected clock of every test. */
export const NOW_MS = 1_700_000_000_000;
export const CONFIG_DIR = '/srv/tributary';
export const CONFIG_FILE = `${CONFIG_DIR}/pipelines.yaml`;

/** Parse YAML text as if it were `/srv/tributary/pipelines.yaml`. */
export function parse(text: string, env: Record<string, string> = {}): TributaryConfig {
  return parseConfigText(text, { file: 'pipelines.yaml', absolutePath: CONFIG_FILE, env, now: () => NOW_MS });
}

/** The issues of an invalid YAML text (fails the test if the text is valid). */
export function issuesOf(text: string, env: Record<string, string> = {}): readonly ConfigIssue[] {
  return caught(() => parse(text, env));
}

/** The issues of an invalid library object. */
export function objectIssuesOf(input: unknown, options: ResolveConfigOptions = {}): readonly ConfigIssue[] {
  return caught(() => resolveConfigObject(input, { now: () => NOW_MS, ...options }));
}

function caught(run: () => unknown): readonly ConfigIssue[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  expect.fail('expected a ConfigError');
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) expect.fail(`${needle} not in the text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Expect exactly one issue at `path` whose message contains `message`, located at the first
 * occurrence of `at` in `text` (a key such as `batchSize:`).
 */
export function expectIssue(text: string, issues: readonly ConfigIssue[], path: string, message: string, at: string): void {
  const matching = issues.filter((issue) => issue.path === path);
  expect(matching, `issues: ${JSON.stringify(issues, null, 1)}`).toHaveLength(1);
  const [issue] = matching;
  expect(issue?.message).toContain(message);
  expect({ line: issue?.line, column: issue?.column }).toEqual(positionOf(text, at));
  expect(issue?.file).toBe('pipelines.yaml');
}

const MODULE_FUNCTION = ['    function:', '      type: module', '      handler: ./handlers/orders.handler'];

/**
 * A one-pipeline file: `source` lines go under `source:` (indent 6), `extra` lines are pipeline
 * fields (indent 4).
 */
export function onePipeline(source: readonly string[], extra: readonly string[] = []): string {
  return [
    'pipelines:',
    '  - name: orders',
    ...MODULE_FUNCTION,
    '    source:',
    ...source.map((line) => `      ${line}`),
    ...extra.map((line) => `    ${line}`),
    '',
  ].join('\n');
}

export const SQS = ['type: sqs', 'queueUrl: https://sqs.eu-west-1.amazonaws.com/123456789012/orders'];
export const SQS_FIFO = ['type: sqs', 'queueUrl: https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo'];
export const KINESIS = ['type: kinesis', 'streamName: orders'];
export const DYNAMODB = ['type: dynamodb-streams', 'tableName: orders'];
export const KAFKA = ['type: kafka', 'bootstrapServers: [127.0.0.1:9092]', 'topics: [orders]'];
