/**
 * A function's asynchronous-invocation rules now: the settings PutFunctionEventInvokeConfig stored (AWS has no
 * other source, so they win), else the file's `eventInvokeConfig`, else AWS's defaults — turned into the policy
 * of policy/async-step.ts. Pure.
 */
import type { EventInvokeConfig } from '../../api/ports.js';
import type { EventInvokeConfigSettings } from '../../config/types.js';
import { MAXIMUM_EVENT_AGE_SECONDS, MAXIMUM_RETRY_ATTEMPTS, type AsyncRetryPolicy } from '../../policy/async-step.js';

/** The settings that apply, from the API's store and the file. */
export interface EffectiveEventInvokeConfig {
  readonly policy: AsyncRetryPolicy;
  readonly onSuccess: string | null;
  readonly onFailure: string | null;
}

/**
 * `stored` (the API's) over `file`; `timeScale` shortens every wait (1 in production). The file's `extendedRetries`
 * (beyond AWS) applies unless the API stored a MaximumRetryAttempts of its own.
 */
export function effectiveEventInvokeConfig(stored: EventInvokeConfig | null, file: EventInvokeConfigSettings | null, timeScale: number): EffectiveEventInvokeConfig {
  const extended = file?.extendedRetries ?? null;
  const apiRetries = stored?.maximumRetryAttempts ?? null;
  const useExtended = extended !== null && (stored === null || apiRetries === null);
  const retries = useExtended ? extended.maximumRetryAttempts : ((stored === null ? file?.maximumRetryAttempts : apiRetries) ?? MAXIMUM_RETRY_ATTEMPTS.default);
  const age = (stored === null ? file?.maximumEventAgeInSeconds : stored.maximumEventAgeInSeconds) ?? MAXIMUM_EVENT_AGE_SECONDS.default;
  return {
    policy: {
      maximumRetryAttempts: retries,
      maximumEventAgeMs: age * 1000,
      retryDelays: useExtended ? { kind: 'exponential', initialMs: extended.initialDelayMs, maximumMs: extended.maximumDelayMs } : { kind: 'aws' },
      timeScale,
    },
    onSuccess: stored === null ? (file?.onSuccess ?? null) : stored.onSuccess,
    onFailure: stored === null ? (file?.onFailure ?? null) : stored.onFailure,
  };
}
