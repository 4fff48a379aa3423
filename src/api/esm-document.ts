/**
 * AWS's EventSourceMappingConfiguration document (API_EventSourceMappingConfiguration) of a mapping. Pure.
 *
 * Values are the resolved ones, defaults included, as Lambda returns them (e.g. `BatchSize: 100`,
 * `MaximumBatchingWindowInSeconds: 0`, `ParallelizationFactor: 1`, `DestinationConfig: {}` for a stream without
 * destination, API_CreateEventSourceMapping examples). Only members that apply to the source type appear: an SQS
 * mapping has no `StartingPosition`, a stream mapping no `ScalingConfig`. Timestamps are epoch seconds (rest-json's
 * default timestamp format). Secrets (Kafka SASL passwords) are never part of it.
 */
import type { PipelineConfig, SourceConfig } from '../config/types.js';
import { awsOnlyParameter } from '../config/aws-only.js';
import { isMappingSource, sourceDescriptorOf } from '../connector/source-descriptors.js';
import { knobMembers } from './esm-knobs.js';
import { functionArn, mappingArn, type ApiIdentity } from './function-name.js';
import { asRecord } from './json-object.js';
import type { MappingRecord } from './ports.js';

/** The document of `record`, whose pipeline resolved to `config`. */
export function mappingDocument(record: MappingRecord, config: PipelineConfig, identity: ApiIdentity): Record<string, unknown> {
  const source = config.source;
  const eventSourceArn = eventSourceArnOf(source);
  return {
    UUID: record.uuid,
    ...(eventSourceArn === null ? {} : { EventSourceArn: eventSourceArn }),
    FunctionArn: functionArn(identity, record.functionName, record.qualifier),
    EventSourceMappingArn: mappingArn(identity, record.uuid),
    State: record.state,
    StateTransitionReason: record.stateTransitionReason,
    LastModified: record.lastModifiedMs / 1000,
    LastProcessingResult: record.lastProcessingResult,
    BatchSize: config.batchSize,
    MaximumBatchingWindowInSeconds: config.maximumBatchingWindowMs / 1000,
    ...sourceMembers(config, writtenDestination(record.pipeline) ?? config.onFailureDestination),
    FunctionResponseTypes: config.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
    ...(config.filterPatterns.length === 0 ? {} : { FilterCriteria: { Filters: config.filterPatterns.map((pattern) => ({ Pattern: pattern })) } }),
    ...knobMembers(config),
    ...echoed(record.awsOnly),
  };
}

/**
 * AWS-only members the document carries back: all but `Tags`, which Lambda returns only from ListTags, and members
 * that are real parameters now (a mapping stored when `MetricsConfig` was still AWS-only: its pipeline says).
 */
function echoed(awsOnly: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(awsOnly).filter(([member]) => member !== 'Tags' && awsOnlyParameter(member) !== undefined));
}

/** The ARN a mapping's source is known by in AWS terms, or null (self-managed Kafka, a stream named only by name). */
export function eventSourceArnOf(source: SourceConfig): string | null {
  // An internal queue (issue 14) is never a mapping's source.
  return isMappingSource(source) ? sourceDescriptorOf(source).esm.eventSourceArn(source) : null;
}

/** The members of the source's type (connectors/<x>/esm.ts), in the order Lambda returns them. */
function sourceMembers(config: PipelineConfig, destination: string | null): Record<string, unknown> {
  const source = config.source;
  if (!isMappingSource(source)) return {};
  return sourceDescriptorOf(source).esm.documentMembers(source, {
    pipeline: config,
    startingPosition: () => startingPosition(config),
    errorHandling: () => errorHandling(config, destination),
  });
}

function startingPosition(config: PipelineConfig): Record<string, unknown> {
  return {
    ...(config.startingPosition === null ? {} : { StartingPosition: config.startingPosition }),
    ...(config.startingPositionTimestampMs === null ? {} : { StartingPositionTimestamp: config.startingPositionTimestampMs / 1000 }),
  };
}

function errorHandling(config: PipelineConfig, destination: string | null): Record<string, unknown> {
  const age = config.maximumRecordAgeMs;
  return {
    BisectBatchOnFunctionError: config.bisectBatchOnFunctionError,
    MaximumRetryAttempts: config.maximumRetryAttempts,
    MaximumRecordAgeInSeconds: age < 0 ? age : age / 1000,
    DestinationConfig: destination === null ? {} : { OnFailure: { Destination: destination } },
  };
}

/** The on-failure destination as the mapping's pipeline writes it (a `file://` path stays as written), or null. */
export function writtenDestination(pipeline: Readonly<Record<string, unknown>>): string | null {
  const destination = asRecord(asRecord(pipeline['destinationConfig'])['onFailure'])['destination'];
  return typeof destination === 'string' ? destination : null;
}
