/**
 * When `tributary run` must give up on its own (issue 19, issue 18 item 6). Pure: the caller feeds it what each
 * pipeline's state is and, for a Failed one, whether the error that failed it is retryable.
 *
 * A pipeline is **dead** when it is Failed by an error nothing will fix by waiting (`retryable: false`, e.g.
 * CONFIG_INVALID). A retryable failure (a lease table or broker unreachable for a while) is not dead: the pipeline
 * supervisor retries it, and exiting would only turn a blip into a restart loop.
 *
 * - `exitOnFailed: true` (supervisors that restart on exit; `--exit-on-failed`): exit 1 as soon as one enabled pipeline
 *   is Failed — dead, or Failed while its supervisor retries (Lambda's Failed: the mapping does not poll), because an
 *   operator who asked for it wants the restart rather than a process that waits (a handler whose init throws).
 * - otherwise: exit 1 once every enabled pipeline is dead and no operations server is there to report it (with the
 *   server on, the process stays up: `/readyz` answers 503 and `/status` shows why, so the operator sees it).
 * Otherwise the process keeps running until it is told to stop, whatever its pipelines hold (a standby replica
 * that owns no lease yet is working as intended).
 */
import type { PipelineState } from '../observability/events.js';

/** What the decision needs to know about one pipeline. */
export interface PipelineHealth {
  readonly name: string;
  readonly enabled: boolean;
  readonly state: PipelineState;
  /** The error that failed the pipeline, when it is Failed and the error is known. */
  readonly failure: { readonly code: string; readonly message: string; readonly retryable: boolean } | null;
}

export interface ExitPolicyOptions {
  readonly exitOnFailed: boolean;
  readonly serverEnabled: boolean;
}

export type ExitDecision = { readonly kind: 'keep-running' } | { readonly kind: 'exit'; readonly reason: string };

/** Failed for a reason no retry can fix. A Failed pipeline whose error is unknown counts as dead too. */
export function isDead(pipeline: PipelineHealth): boolean {
  return pipeline.enabled && pipeline.state === 'Failed' && pipeline.failure?.retryable !== true;
}

function describe(pipeline: PipelineHealth): string {
  const failure = pipeline.failure;
  return failure === null ? `${pipeline.name}: Failed` : `${pipeline.name}: ${failure.code}: ${failure.message}`;
}

export function decideExit(pipelines: readonly PipelineHealth[], options: ExitPolicyOptions): ExitDecision {
  const dead = pipelines.filter(isDead);
  if (options.exitOnFailed) {
    if (dead.length > 0) return { kind: 'exit', reason: `exitOnFailed: a pipeline failed for good (${dead.map(describe).join('; ')})` };
    const failed = pipelines.filter((p) => p.enabled && p.state === 'Failed');
    if (failed.length > 0) return { kind: 'exit', reason: `exitOnFailed: a pipeline is Failed, its supervisor still retrying (${failed.map(describe).join('; ')})` };
  }
  if (dead.length === 0) return { kind: 'keep-running' };
  const enabled = pipelines.filter((p) => p.enabled);
  if (!options.serverEnabled && dead.length === enabled.length) {
    return { kind: 'exit', reason: `every pipeline failed for good and the operations server is off (${dead.map(describe).join('; ')})` };
  }
  return { kind: 'keep-running' };
}
