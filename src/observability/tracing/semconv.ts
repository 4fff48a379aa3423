/**
 * Span names and attributes, after the OpenTelemetry semantic conventions (registry v1.45.0, the one
 * @opentelemetry/semantic-conventions 1.45 ships; test/unit/observability/tracing-semconv.test.ts checks these names
 * against it). The messaging and FaaS conventions are still in development; where v1.45 renamed an attribute that
 * backends and the OpenTelemetry Lambda instrumentations still query, both names are set:
 * `messaging.system` (→ `messaging.system.name`) and `faas.invocation_id` (→ `faas.invocation.id`). Pure.
 * https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/
 * https://opentelemetry.io/docs/specs/semconv/faas/aws-lambda/
 */
import type { Attributes } from '@opentelemetry/api';
import type { SourceRecord } from '../../connector/types.js';
import type { PipelineFacts } from './types.js';

export const ATTR = {
  messagingSystem: 'messaging.system',
  messagingSystemName: 'messaging.system.name',
  destinationName: 'messaging.destination.name',
  partitionId: 'messaging.destination.partition.id',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  batchMessageCount: 'messaging.batch.message_count',
  messageId: 'messaging.message.id',
  consumerGroupName: 'messaging.consumer.group.name',
  faasTrigger: 'faas.trigger',
  faasInvocationId: 'faas.invocation.id',
  faasInvocationIdLegacy: 'faas.invocation_id',
  faasName: 'faas.name',
  faasColdstart: 'faas.coldstart',
  cloudProvider: 'cloud.provider',
  cloudRegion: 'cloud.region',
  cloudResourceId: 'cloud.resource_id',
  resourceMappingId: 'aws.lambda.resource_mapping.id',
  kinesisStreamName: 'aws.kinesis.stream_name',
  errorType: 'error.type',
} as const;

/** `messaging.operation.type` values. */
export type OperationType = 'process' | 'receive' | 'settle';

interface SystemFacts {
  /** `messaging.system` (the older, widely queried name and values). */
  readonly system: string;
  /** `messaging.system.name` (v1.45). */
  readonly systemName: string;
  /** `faas.trigger`: `pubsub` for messages and streams, `datasource` for a database's change stream. */
  readonly trigger: 'pubsub' | 'datasource';
}

/**
 * The known sources. SQS and Kafka have registry values; Kinesis and DynamoDB Streams have none (custom values, low
 * cardinality as the registry asks). A library user's own source type is used as it is.
 */
const SYSTEMS: Readonly<Record<string, SystemFacts>> = {
  sqs: { system: 'aws_sqs', systemName: 'aws.sqs', trigger: 'pubsub' },
  kafka: { system: 'kafka', systemName: 'kafka', trigger: 'pubsub' },
  kinesis: { system: 'aws.kinesis', systemName: 'aws.kinesis', trigger: 'pubsub' },
  'dynamodb-streams': { system: 'aws.dynamodb_streams', systemName: 'aws.dynamodb_streams', trigger: 'datasource' },
};

function systemOf(sourceType: string): SystemFacts {
  return SYSTEMS[sourceType] ?? { system: sourceType, systemName: sourceType, trigger: 'pubsub' };
}

/**
 * The destination name from the source ARN: the queue (`…:sqs:…:orders`), the stream (`…:stream/orders`), the
 * table of a DynamoDB stream (`…:table/orders/stream/…`). Kafka names its topic per record ({@link destinationOf}).
 */
export function destinationFromArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  if (resource === '') return arn;
  const table = /^table\/([^/]+)/.exec(resource);
  if (table?.[1] !== undefined) return table[1];
  const slash = resource.indexOf('/');
  return slash >= 0 ? resource.slice(slash + 1) : resource;
}

/** A Kafka lane is `<topic>-<partition>`, as in the Lambda event's `records` keys. */
const KAFKA_LANE = /^(.*)-(\d+)$/;

/**
 * The batch's destination: a Kafka record names its topic (a lane without records: the topic in its name); every
 * other source has one per pipeline.
 */
export function destinationOf(facts: PipelineFacts, lane: string, records: readonly SourceRecord[]): string {
  if (facts.sourceType !== 'kafka') return destinationFromArn(facts.sourceArn);
  const topic = records[0]?.eventRecord['topic'];
  return typeof topic === 'string' ? topic : (KAFKA_LANE.exec(lane)?.[1] ?? lane);
}

/** `{operation} {destination}`, the convention's span name (`process orders`, `commit payments`). */
export function spanName(operation: string, destination: string): string {
  return destination === '' ? operation : `${operation} ${destination}`;
}

/** What every span of a pipeline carries. */
export function pipelineAttributes(facts: PipelineFacts): Attributes {
  const system = systemOf(facts.sourceType);
  const attributes: Attributes = {
    [ATTR.messagingSystem]: system.system,
    [ATTR.messagingSystemName]: system.systemName,
    [ATTR.resourceMappingId]: facts.mappingUuid,
    'tributary.pipeline': facts.pipeline,
  };
  if (facts.consumerGroup !== null) attributes[ATTR.consumerGroupName] = facts.consumerGroup;
  if (facts.region !== null) {
    attributes[ATTR.cloudProvider] = 'aws';
    attributes[ATTR.cloudRegion] = facts.region;
  }
  if (facts.sourceType === 'kinesis') attributes[ATTR.kinesisStreamName] = destinationFromArn(facts.sourceArn);
  return attributes;
}

/** A lane's attributes: its destination and partition (a shard, a Kafka partition; SQS pollers are not partitions). */
export function laneAttributes(facts: PipelineFacts, lane: string, records: readonly SourceRecord[]): Attributes {
  const attributes: Attributes = { [ATTR.destinationName]: destinationOf(facts, lane, records), 'tributary.lane': lane };
  if (facts.sourceType === 'kafka') {
    const partition = KAFKA_LANE.exec(lane)?.[2];
    if (partition !== undefined) attributes[ATTR.partitionId] = partition;
  } else if (facts.sourceKind === 'stream') attributes[ATTR.partitionId] = lane;
  return attributes;
}

/** The invocation (process) span's own attributes: the FaaS side, and the batch. */
export function invocationAttributes(facts: PipelineFacts, records: readonly SourceRecord[], requestId: string): Attributes {
  const attributes: Attributes = {
    [ATTR.operationType]: 'process',
    [ATTR.operationName]: 'process',
    [ATTR.batchMessageCount]: records.length,
    [ATTR.faasTrigger]: systemOf(facts.sourceType).trigger,
    [ATTR.faasInvocationId]: requestId,
    [ATTR.faasInvocationIdLegacy]: requestId,
    [ATTR.faasName]: facts.functionName,
    [ATTR.cloudResourceId]: facts.functionArn,
  };
  const only = records.length === 1 ? records[0] : undefined;
  if (only !== undefined) attributes[ATTR.messageId] = only.id;
  return attributes;
}

/** The settle operation's name: SQS deletes, a stream lease checkpoints, a Kafka group commits. */
export function settleOperation(kind: PipelineFacts['sourceKind']): 'delete' | 'checkpoint' | 'commit' {
  return kind === 'queue' ? 'delete' : kind === 'group' ? 'commit' : 'checkpoint';
}
