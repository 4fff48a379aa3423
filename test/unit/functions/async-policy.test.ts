import { describe, expect, it } from 'vitest';
import type { EventInvokeConfig } from '../../../src/api/ports.js';
import type { EventInvokeConfigSettings } from '../../../src/config/types.js';
import { effectiveEventInvokeConfig } from '../../../src/functions/async/async-policy.js';

const file: EventInvokeConfigSettings = { maximumRetryAttempts: 1, maximumEventAgeInSeconds: 600, onSuccess: 'file:///ok.jsonl', onFailure: null, extendedRetries: null };
const stored: EventInvokeConfig = { functionName: 'orders', qualifier: '$LATEST', maximumRetryAttempts: 0, maximumEventAgeInSeconds: null, onSuccess: null, onFailure: 'https://sqs.us-east-1.amazonaws.com/1/f', lastModifiedMs: 0 };

describe('effectiveEventInvokeConfig', () => {
  it('AWS\'s defaults without settings: 2 retries with AWS\'s waits, 6 hours', () => {
    expect(effectiveEventInvokeConfig(null, null, 1)).toEqual({
      policy: { maximumRetryAttempts: 2, maximumEventAgeMs: 21_600_000, retryDelays: { kind: 'aws' }, timeScale: 1 },
      onSuccess: null,
      onFailure: null,
    });
  });

  it('the file\'s settings apply when the API stored none', () => {
    expect(effectiveEventInvokeConfig(null, file, 1)).toMatchObject({ policy: { maximumRetryAttempts: 1, maximumEventAgeMs: 600_000 }, onSuccess: 'file:///ok.jsonl', onFailure: null });
  });

  it('settings stored through the API replace the file\'s entirely (unset members take AWS\'s defaults)', () => {
    expect(effectiveEventInvokeConfig(stored, file, 1)).toMatchObject({ policy: { maximumRetryAttempts: 0, maximumEventAgeMs: 21_600_000 }, onSuccess: null, onFailure: stored.onFailure });
  });

  it('extendedRetries (beyond AWS) applies unless the API set MaximumRetryAttempts', () => {
    const extended = { ...file, maximumRetryAttempts: null, extendedRetries: { maximumRetryAttempts: 7, initialDelayMs: 1_000, maximumDelayMs: 8_000 } };
    expect(effectiveEventInvokeConfig(null, extended, 1).policy).toMatchObject({ maximumRetryAttempts: 7, retryDelays: { kind: 'exponential', initialMs: 1_000, maximumMs: 8_000 } });
    expect(effectiveEventInvokeConfig(stored, extended, 1).policy).toMatchObject({ maximumRetryAttempts: 0, retryDelays: { kind: 'aws' } });
  });
});
