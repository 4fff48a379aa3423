import { describe, expect, it } from 'vitest';
import { decideExit, type PipelineHealth } from '../../../src/cli/exit-policy.js';

const enabled = (name: string): PipelineHealth => ({ name, enabled: true, state: 'Enabled', failure: null });
const disabled = (name: string): PipelineHealth => ({ name, enabled: false, state: 'Disabled', failure: null });
const dead = (name: string): PipelineHealth => ({ name, enabled: true, state: 'Failed', failure: { code: 'CONFIG_INVALID', message: 'bad CA file', retryable: false } });
const failedRetryable = (name: string): PipelineHealth => ({
  name,
  enabled: true,
  state: 'Failed',
  failure: { code: 'CHECKPOINT_FAILED', message: 'DescribeTable ECONNREFUSED', retryable: true },
});
const starting = (name: string): PipelineHealth => ({ name, enabled: true, state: 'Creating', failure: null });

const serverOff = { exitOnFailed: false, serverEnabled: false };
const serverOn = { exitOnFailed: false, serverEnabled: true };

describe('decideExit', () => {
  it.each([
    ['a standby that holds nothing (Enabled, no lanes)', [enabled('a')], serverOff],
    ['still connecting', [starting('a')], serverOff],
    ['every pipeline disabled', [disabled('a'), disabled('b')], serverOff],
    ['one dead beside a healthy one', [dead('a'), enabled('b')], serverOff],
    ['every pipeline dead but the server reports it', [dead('a'), dead('b')], serverOn],
    ['a retryable failure (the supervisor retries it)', [failedRetryable('a')], serverOff],
  ] as const)('keeps running: %s', (_, pipelines, options) => {
    expect(decideExit(pipelines, options)).toEqual({ kind: 'keep-running' });
  });

  it('exits when every enabled pipeline is dead and the server is off, naming each reason', () => {
    const decision = decideExit([dead('a'), disabled('b'), dead('c')], serverOff);
    expect(decision).toEqual({
      kind: 'exit',
      reason: 'every pipeline failed for good and the operations server is off (a: CONFIG_INVALID: bad CA file; c: CONFIG_INVALID: bad CA file)',
    });
  });

  it('exitOnFailed exits on a Failed pipeline whose supervisor still retries too (run --exit-on-failed, issue 18)', () => {
    const decision = decideExit([failedRetryable('a'), enabled('b')], { exitOnFailed: true, serverEnabled: true });
    expect(decision).toEqual({ kind: 'exit', reason: 'exitOnFailed: a pipeline is Failed, its supervisor still retrying (a: CHECKPOINT_FAILED: DescribeTable ECONNREFUSED)' });
  });

  it('exitOnFailed exits on the first dead pipeline, server or not', () => {
    const decision = decideExit([dead('a'), enabled('b')], { exitOnFailed: true, serverEnabled: true });
    expect(decision).toEqual({ kind: 'exit', reason: 'exitOnFailed: a pipeline failed for good (a: CONFIG_INVALID: bad CA file)' });
  });

  it('a Failed pipeline whose error is unknown counts as dead', () => {
    const decision = decideExit([{ name: 'a', enabled: true, state: 'Failed', failure: null }], serverOff);
    expect(decision).toEqual({ kind: 'exit', reason: 'every pipeline failed for good and the operations server is off (a: Failed)' });
  });
});
