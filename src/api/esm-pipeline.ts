/**
 * The pipeline object of a mapping: built for CreateEventSourceMapping, merged for UpdateEventSourceMapping. Pure.
 */
import { invalidParameter } from './api-errors.js';
import { REMOVE, type EsmParameterChanges } from './esm-parameters.js';
import { asRecord } from './json-object.js';
import type { PipelineInput } from './ports.js';

/**
 * The pipeline of a new mapping named `uuid`: `enabled: true` unless the request says otherwise (AWS's default), the
 * source, and the requested parameters. A Kafka source without a consumer group gets the mapping's UUID, which is
 * Lambda's default group id (reference §2.4: "Lambda-generated (ESM UUID)").
 */
export function newPipelineInput(uuid: string, source: Readonly<Record<string, unknown>>, changes: EsmParameterChanges): PipelineInput {
  const withChanges = applied(source, changes.source);
  const withGroup = withChanges['type'] === 'kafka' && withChanges['consumerGroupId'] === undefined ? { ...withChanges, consumerGroupId: uuid } : withChanges;
  return applied({ name: uuid, enabled: true, source: withGroup }, changes.pipeline);
}

/**
 * `current` with the changes of an update applied.
 * @throws LambdaApiError InvalidParameterValueException when the update tries to change the consumer group.
 */
export function mergedPipelineInput(current: PipelineInput, changes: EsmParameterChanges): PipelineInput {
  const source = asRecord(current['source']);
  const group = changes.source['consumerGroupId'];
  if (group !== undefined && group !== source['consumerGroupId']) {
    throw invalidParameter(`ConsumerGroupId cannot be updated (it is ${JSON.stringify(source['consumerGroupId'] ?? null)})`);
  }
  return applied({ ...current, source: applied(source, changes.source) }, changes.pipeline);
}

function applied(base: Readonly<Record<string, unknown>>, changes: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === REMOVE) delete result[key];
    else result[key] = value;
  }
  return result;
}
