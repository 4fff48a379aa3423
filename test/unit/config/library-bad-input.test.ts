/**
 * The library API on hostile input (issue 19): circular, deeply nested, `null` or oversized objects are a
 * ConfigError naming the field, never a RangeError or TypeError.
 */
import { describe, expect, it } from 'vitest';
import { createPipeline, createService } from '../../../src/index.js';
import { resolveConfigObject } from '../../../src/config/index.js';
import { CONFIG_LIMITS } from '../../../src/config/limits.js';
import { ConfigError } from '../../../src/errors.js';

const handler = async (): Promise<null> => null;
const source = { type: 'sqs', queueUrl: 'http://127.0.0.1:19324/000000000000/orders' };

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    expect.fail(`expected a ConfigError, got ${String(error)}`);
  }
  expect.fail('expected a ConfigError');
}

function deep(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 0; i < levels; i += 1) {
    const child: Record<string, unknown> = {};
    node['x'] = child;
    node = child;
  }
  return root;
}

describe('library input that is not a configuration', () => {
  it.each([null, undefined, 42, 'pipelines', []])('createService(%j)', (input) => {
    const error = configError(() => createService(input as never, { env: {} }));
    expect(error.issues[0]).toMatchObject({ path: '', message: expect.stringContaining('expected a mapping') as unknown });
  });

  it.each([null, 7, 'x'])('createPipeline(%j)', (input) => {
    const error = configError(() => createPipeline(input as never, { env: {} }));
    expect(error.issues[0]).toMatchObject({ path: 'pipelines[0]', message: expect.stringContaining('expected a mapping') as unknown });
  });

  it('pipelines: [null]', () => {
    // @ts-expect-error -- the types refuse it too; at runtime (plain JavaScript callers) the validator does.
    const error = configError(() => createService({ pipelines: [null] }, { env: {} }));
    expect(error.issues).toEqual([expect.objectContaining({ path: 'pipelines[0]' })]);
  });
});

describe('circular and deep objects', () => {
  it('a pipeline that contains itself', () => {
    const pipeline: Record<string, unknown> = { name: 'a', function: handler };
    pipeline['source'] = pipeline;
    const error = configError(() => createPipeline(pipeline as never, { env: {} }));
    // createPipeline copies the pipeline to add the in-process function; the original's `source` is the loop.
    expect(error.issues).toEqual([expect.objectContaining({ path: 'pipelines[0].source.source', message: expect.stringContaining('refers back to pipelines[0].source (a circular reference') as unknown })]);
  });

  it('a configuration whose pipelines list contains the configuration', () => {
    const config: Record<string, unknown> = { pipelines: [] };
    (config['pipelines'] as unknown[]).push(config);
    const error = configError(() => resolveConfigObject(config, { env: {} }));
    expect(error.issues[0]?.message).toContain('refers back to the whole configuration');
  });

  it('shared (non-circular) objects are fine', () => {
    const shared = { type: 'in-process', handler };
    const config = resolveConfigObject({ pipelines: [{ name: 'a', source, function: shared }, { name: 'b', source, function: shared }] }, { env: {} });
    expect(config.pipelines).toHaveLength(2);
  });

  it('nesting past the limit, with or without interpolation', () => {
    for (const env of [undefined, {}]) {
      const error = configError(() => resolveConfigObject({ pipelines: [{ name: 'a', source: deep(20_000), function: handler }] }, env === undefined ? {} : { env }));
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]?.message).toContain(`nested deeper than ${CONFIG_LIMITS.maxDepth} levels`);
    }
    // @ts-expect-error -- a source without `type` does not compile; the validator bounds the depth for data.
    const error = configError(() => createPipeline({ name: 'a', function: handler, source: deep(20_000) }, { env: {} }));
    expect(error.issues[0]?.path).toMatch(/^pipelines\[0\]\.source(\.x)+$/);
  });

  it('too many pipelines', () => {
    const pipeline = { name: 'a', source, function: { type: 'in-process', handler } };
    const error = configError(() => resolveConfigObject({ pipelines: Array(255_000).fill(pipeline) }));
    expect(error.issues).toEqual([expect.objectContaining({ path: `pipelines[${CONFIG_LIMITS.maxPipelines}]`, message: expect.stringContaining('too many pipelines: 255000') as unknown })]);
  });

  it('a getter that throws', () => {
    const pipeline = { name: 'a', function: handler, get source(): unknown { throw new RangeError('boom'); } };
    const error = configError(() => resolveConfigObject({ pipelines: [pipeline] }));
    expect(error.issues).toEqual([expect.objectContaining({ path: 'pipelines[0].source', message: 'cannot be read: boom' })]);
  });
});
