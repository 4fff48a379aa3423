/**
 * Watches a running service's pipelines and resolves once the exit policy says the process should give up
 * (see exit-policy.ts). The failure of a Failed pipeline is the error its `start()` rejected with (code, message,
 * `retryable`); a pipeline whose status says whether its supervisor is still retrying overrides `retryable` with it.
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
  const failure = (pipeline: (typeof service.pipelines)[number]): Failure | null => {
    if (pipeline.state !== 'Failed') return null;
    const started = failures.get(pipeline.name);
    // A supervisor that says whether it keeps retrying (`status().retrying`) has the last word; otherwise the error
    // that failed the start says it (`retryable`).
    const status = pipeline.status() as { readonly retrying?: unknown; readonly lastError?: unknown };
    const retryable = typeof status.retrying === 'boolean' ? status.retrying : (started?.retryable ?? false);
    return { code: started?.code ?? 'FAILED', message: started?.message ?? String(status.lastError ?? 'Failed'), retryable };
  };
  const check = (): void => {
    if (done) return;
    const health = service.pipelines.map((p) => ({ name: p.name, enabled: p.config.enabled, state: p.state, failure: failure(p) }));
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
