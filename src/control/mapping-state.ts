/**
 * Lambda's view of a mapping from what this replica runs: `State`, `StateTransitionReason`, `LastProcessingResult`
 * (API_EventSourceMappingConfiguration). Pure.
 *
 * - State follows the pipeline's lifecycle (src/pipeline/lifecycle.ts uses Lambda's names). A mapping that has not
 *   reached Enabled or Disabled once is still `Creating` (AWS: "Creating" until the mapping first runs; `Enabling`
 *   is what a disabled mapping shows on its way back). Tributary's `Failed` is AWS's `Enabled` with a
 *   `LastProcessingResult` of `PROBLEM: …`, which is how Lambda reports a mapping that is on but cannot work
 *   (e.g. "PROBLEM: Connection error." for an unreachable Kafka cluster).
 * - A mapping being deleted is `Deleting` on every replica until the last one released it.
 * - StateTransitionReason: every change here is a user's (the API or the file), which Lambda reports as
 *   `USER_INITIATED` for SQS and Kafka mappings and `User action` for Kinesis and DynamoDB Streams ones (AWS CLI
 *   and API examples).
 */
import { findSourceDescriptor } from '../connector/source-descriptors.js';
import type { MappingState } from '../api/ports.js';
import type { SourceConfig } from '../config/types.js';
import type { PipelineStatus } from '../pipeline/pipeline.js';

/** What the record of a mapping says about its state. */
export interface MappingStateView {
  readonly state: MappingState;
  readonly stateTransitionReason: string;
  readonly lastProcessingResult: string;
}

const NOTHING_YET = 'No records processed';

/** The state of a mapping whose pipeline this replica runs (`status`), or not yet (null). */
export function mappingStateOf(
  status: PipelineStatus | null,
  options: { readonly sourceType: SourceConfig['type']; readonly deleting: boolean; readonly settledOnce: boolean },
): MappingStateView {
  const stateTransitionReason = findSourceDescriptor(options.sourceType)?.esm.userActionReason ?? 'User action';
  const lastProcessingResult = status === null ? NOTHING_YET : status.state === 'Failed' ? `PROBLEM: ${status.stateReason ?? status.lastError ?? 'the mapping cannot run'}` : status.lastProcessingResult;
  if (options.deleting) return { state: 'Deleting', stateTransitionReason, lastProcessingResult };
  if (status === null) return { state: 'Creating', stateTransitionReason, lastProcessingResult };
  const state: MappingState = ((): MappingState => {
    switch (status.state) {
      case 'Failed':
        return 'Enabled';
      case 'Enabling':
        return options.settledOnce ? 'Enabling' : 'Creating';
      default:
        return status.state;
    }
  })();
  return { state, stateTransitionReason, lastProcessingResult };
}

/** The state an Update answers with at once: `Enabling` / `Disabling` when it switched `Enabled`, else `Updating`. */
export function updateState(enabledChanged: boolean, enabled: boolean): MappingState {
  if (!enabledChanged) return 'Updating';
  return enabled ? 'Enabling' : 'Disabling';
}
