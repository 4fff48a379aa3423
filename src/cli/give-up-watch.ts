/**
 * Watches a running service's pipelines and resolves once the exit policy says the process should give up
 * (see exit-policy.ts). The failure of a pipeline is the error its `start()` rejected with: its code and whether it
 * is retryable.
 */
import { TributaryError, errorMessage } from '../errors.js';
import type { TributaryService } from '../pipeline/service.js';
import { decideExit, type ExitPolicyOptions, type PipelineHealth } from './exit-policy.js';

export interface GiveUpWatch {
  /** Resolves with the reason to exit; never rejects, never resolves after `dispose()`. */
  readonly reason: Promise<string>;
  dispose(): void;
}

type Failure = NonNullable<PipelineHealth['failure']>;

function toFailure(error: unknown): Failure {
  if (error instanceof TributaryError) return { code: error.code, message: error.message, retryable: error.retryable };
  return { code: 'INTERNAL', message: errorMessage(error), retryable: false };
}

/** Call after `service.start()`: it reads each pipeline's start outcome. */
export function watchForGivingUp(service: TributaryService, options: ExitPolicyOptions): GiveUpWatch {
  const failures = new Map<string, Failure>();
  let done = false;
  let resolve: (reason: string) => void = () => undefined;
  const reason = new Promise<string>((r) => (resolve = r));
  const check = (): void => {
    if (done) return;
    const health = service.pipelines.map((p) => ({ name: p.name, enabled: p.config.enabled, state: p.state, failure: failures.get(p.name) ?? null }));
    const decision = decideExit(health, options);
    if (decision.kind === 'exit') {
      done = true;
      resolve(decision.reason);
    }
  };
  for (const pipeline of service.pipelines) {
    pipeline.start().then(check, (error: unknown) => {
      failures.set(pipeline.name, toFailure(error));
      check();
    });
  }
  // A later state change (a supervisor giving up, or recovering) is checked once the rejection above was seen.
  const off = service.on('state-changed', () => void setImmediate(check));
  return {
    reason,
    dispose() {
      done = true;
      off();
    },
  };
}
