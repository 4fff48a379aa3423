import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfigObject, type TributaryConfigInput } from '../../../src/config/index.js';
import { NOW_MS, objectIssuesOf } from './helpers.js';

const handler = async (event: unknown): Promise<unknown> => ({ event });

const base = {
  pipelines: [
    {
      name: 'orders',
      source: { type: 'sqs', queueUrl: 'http://127.0.0.1:19324/000000000000/orders' },
      function: { type: 'in-process', handler },
    },
  ],
} satisfies TributaryConfigInput;

describe('resolveConfigObject', () => {
  it('accepts an in-process handler and applies the same defaults', () => {
    const config = resolveConfigObject(base, { baseDir: '/app' });
    expect(config.file).toBeNull();
    expect(config.checkpoints).toEqual({ type: 'file', path: '/app/.tributary' });
    expect(config.pipelines[0]?.function).toEqual({ type: 'in-process', handler, timeoutMs: 3000, memorySizeMb: 128, functionName: 'orders' });
    expect(config.pipelines[0]?.function.type === 'in-process' && config.pipelines[0].function.handler).toBe(handler);
    expect(Object.isFrozen(config.pipelines[0]?.function)).toBe(true);
    expect(Object.isFrozen(handler)).toBe(false);
  });

  it('resolves module handlers against baseDir, or the working directory', () => {
    const input = { pipelines: [{ ...base.pipelines[0], function: { type: 'module', handler: './fn/index.handler' } }] };
    expect(resolveConfigObject(input, { baseDir: '/app' }).pipelines[0]?.function).toMatchObject({ handlerFile: '/app/fn/index' });
    expect(resolveConfigObject(input).pipelines[0]?.function).toMatchObject({ handlerFile: resolve(process.cwd(), 'fn/index') });
  });

  it('reports issues without file or line, all at once', () => {
    const issues = objectIssuesOf({
      pipelines: [{ ...base.pipelines[0], batchSize: 20_000, function: { type: 'in-process', handler: 'not a function' }, extra: 1 }],
    });
    expect(issues).toEqual(expect.arrayContaining([
      { file: null, line: null, column: null, path: 'pipelines[0].extra', message: 'unknown field' },
      { file: null, line: null, column: null, path: 'pipelines[0].function.handler', message: 'expected a function (got "not a function")' },
      { file: null, line: null, column: null, path: 'pipelines[0].batchSize', message: 'must be between 1 and 10000 (got 20000)' },
    ]));
    expect(issues).toHaveLength(3);
  });

  it('interpolates only when an env is given', () => {
    const input = { pipelines: [{ ...base.pipelines[0], batchSize: '${BATCH:-5}' }] };
    expect(resolveConfigObject(input, { env: {} }).pipelines[0]?.batchSize).toBe(5);
    expect(objectIssuesOf(input)).toMatchObject([{ path: 'pipelines[0].batchSize', message: 'expected an integer (got "${BATCH:-5}")' }]);
  });

  it('uses the injected clock', () => {
    const input = {
      pipelines: [
        {
          name: 'k',
          source: { type: 'kinesis', streamName: 's' },
          function: { type: 'in-process', handler },
          startingPosition: 'AT_TIMESTAMP',
          startingPositionTimestamp: NOW_MS / 1000 + 10,
        },
      ],
    };
    expect(objectIssuesOf(input)).toMatchObject([{ path: 'pipelines[0].startingPositionTimestamp' }]);
    expect(resolveConfigObject(input, { now: () => NOW_MS + 10_000 }).pipelines[0]?.startingPositionTimestampMs).toBe(NOW_MS + 10_000);
  });

  it('refuses non-objects', () => {
    expect(objectIssuesOf(null)).toEqual([{ file: null, line: null, column: null, path: '', message: 'expected a mapping (got null)' }]);
    expect(objectIssuesOf([])).toMatchObject([{ message: 'expected a mapping (got a list)' }]);
  });
});
