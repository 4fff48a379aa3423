/**
 * The lifecycle of one event source mapping as a transition table, with Lambda's state names
 * (https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingConfiguration.html: Creating, Enabling,
 * Enabled, Disabling, Disabled, Updating, Deleting) plus `Failed`: a mapping that cannot run. Pure: the supervisor
 * (pipeline.ts), the config file and the control-plane API drive it; `/readyz`, `/status` and the state metric read it.
 *
 *   Creating ─start→ Enabling ─running→ Enabled ─disable→ Disabling ─stopped→ Disabled ─enable→ Enabling
 *   Creating ─start-disabled→ Disabled
 *   Enabling | Enabled ─fail→ Failed ─running→ Enabled          (a supervisor that recovered)
 *   Enabling | Enabled | Failed | Disabled ─update→ Updating ─updated→ Enabling | Disabled
 *   any but Deleting ─delete→ Deleting ─stopped→ (removed)
 *   any but Disabled / Deleting ─disable→ Disabling             (also the service shutting down)
 */

import type { PipelineState } from '../observability/events.js';

export { PIPELINE_STATES } from '../observability/events.js';
export type { PipelineState };

export type LifecycleEvent =
  /** The mapping starts enabled. */
  | 'start'
  /** The mapping starts disabled (`enabled: false`). */
  | 'start-disabled'
  /** Lanes are running and every part is healthy. */
  | 'running'
  /** It cannot run (a permanent error, or a part failing past the supervisor's budget). */
  | 'fail'
  | 'disable'
  | 'enable'
  | 'update'
  /** The update is applied; the mapping is enabled again. */
  | 'updated-enabled'
  /** The update is applied; the mapping stays disabled. */
  | 'updated-disabled'
  | 'delete'
  /** Every lane stopped (after disable, delete or shutdown). */
  | 'stopped';

export type Transition = { readonly kind: 'ok'; readonly state: PipelineState } | { readonly kind: 'refused'; readonly why: string };

const TABLE: Readonly<Record<PipelineState, Partial<Record<LifecycleEvent, PipelineState>>>> = {
  Creating: { start: 'Enabling', 'start-disabled': 'Disabled', fail: 'Failed', disable: 'Disabling', delete: 'Deleting' },
  Enabling: { running: 'Enabled', fail: 'Failed', disable: 'Disabling', update: 'Updating', delete: 'Deleting' },
  Enabled: { fail: 'Failed', disable: 'Disabling', update: 'Updating', delete: 'Deleting', running: 'Enabled' },
  Failed: { running: 'Enabled', fail: 'Failed', disable: 'Disabling', update: 'Updating', delete: 'Deleting' },
  Disabling: { stopped: 'Disabled', delete: 'Deleting' },
  Disabled: { enable: 'Enabling', update: 'Updating', delete: 'Deleting', disable: 'Disabled' },
  Updating: { 'updated-enabled': 'Enabling', 'updated-disabled': 'Disabled', fail: 'Failed', delete: 'Deleting', disable: 'Disabling' },
  Deleting: { stopped: 'Deleting' },
};

/** The next state after `event`, or a refusal (e.g. `enable` while Deleting: AWS's ResourceConflictException). */
export function transition(state: PipelineState, event: LifecycleEvent): Transition {
  const next = TABLE[state][event];
  return next === undefined ? { kind: 'refused', why: `cannot ${event} a mapping that is ${state}` } : { kind: 'ok', state: next };
}

/** States in which lanes may be running. */
export function isActive(state: PipelineState): boolean {
  return state === 'Enabling' || state === 'Enabled' || state === 'Failed';
}
