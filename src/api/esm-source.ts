/**
 * The `source:` of a pipeline from CreateEventSourceMapping's `EventSourceArn` / `SelfManagedEventSource` /
 * `Topics` / `*KafkaEventSourceConfig`, and back: the `EventSourceArn` a source has. Pure.
 *
 * AWS names the source by ARN only; Tributary also needs where to reach it. The operator's `SourceDefaults` supply
 * the endpoint (emulators, VPC endpoints) per source type and the brokers of each MSK cluster; the region comes from
 * the ARN, as resolve-source.ts already does.
 */
import { invalidParameter } from './api-errors.js';
import { asRecord, type JsonObject } from './json-object.js';
import { schemaRegistryOfRequest } from './esm-schema-registry.js';

/** Where API-created sources are reached (from the service's configuration). */
export interface SourceDefaults {
  /** `endpoint` (and optional `region` override) for SQS, Kinesis and DynamoDB Streams sources. */
  readonly sqs?: AwsEndpointDefaults;
  readonly kinesis?: AwsEndpointDefaults;
  readonly dynamodbStreams?: AwsEndpointDefaults;
  /** Bootstrap servers per MSK cluster ARN (AWS looks them up from the cluster; Tributary cannot). */
  readonly mskBootstrapServers?: Readonly<Record<string, readonly string[]>>;
}

/** `endpoint` / `region` of an AWS source. */
export interface AwsEndpointDefaults {
  readonly endpoint?: string;
  readonly region?: string;
}

/** What kind of source an ARN names (the service segment of `arn:aws:<service>:…`). */
type ArnService = 'sqs' | 'kinesis' | 'dynamodb' | 'kafka' | 'mq' | 'rds' | 'other';

/**
 * The `source:` mapping for a CreateEventSourceMapping body.
 * @throws LambdaApiError InvalidParameterValueException for sources Tributary cannot consume.
 */
export function sourceOfCreateRequest(body: JsonObject, defaults: SourceDefaults): Record<string, unknown> {
  const arn = body['EventSourceArn'];
  const selfManaged = asRecord(body['SelfManagedEventSource']);
  if (typeof arn === 'string' && arn !== '') return sourceOfArn(arn, body, defaults);
  if (Object.keys(selfManaged).length > 0) {
    const servers = asRecord(selfManaged['Endpoints'])['KAFKA_BOOTSTRAP_SERVERS'];
    return withoutUndefined({
      type: 'kafka',
      bootstrapServers: servers,
      topics: body['Topics'],
      consumerGroupId: asRecord(body['SelfManagedKafkaEventSourceConfig'])['ConsumerGroupId'],
      schemaRegistryConfig: schemaRegistryOfRequest(body['SelfManagedKafkaEventSourceConfig']),
    });
  }
  // AWS's answer when neither is given (LocalStack's AWS-validated provider).
  throw invalidParameter('Unrecognized event source.');
}

function sourceOfArn(arn: string, body: JsonObject, defaults: SourceDefaults): Record<string, unknown> {
  switch (arnService(arn)) {
    case 'sqs':
      return withoutUndefined({ type: 'sqs', queueArn: arn, ...defaults.sqs });
    case 'kinesis':
      // A stream consumer's ARN maps the stream through enhanced fan-out, as on AWS (it names the stream too).
      if (/:stream\/[^/]+\/consumer\//.test(arn)) return withoutUndefined({ type: 'kinesis', consumerArn: arn, ...defaults.kinesis });
      return withoutUndefined({ type: 'kinesis', streamArn: arn, ...defaults.kinesis });
    case 'dynamodb':
      return withoutUndefined({ type: 'dynamodb-streams', streamArn: arn, ...defaults.dynamodbStreams });
    case 'kafka':
      return withoutUndefined({
        type: 'kafka',
        clusterArn: arn,
        bootstrapServers: defaults.mskBootstrapServers?.[arn],
        topics: body['Topics'],
        consumerGroupId: asRecord(body['AmazonManagedKafkaEventSourceConfig'])['ConsumerGroupId'],
        schemaRegistryConfig: schemaRegistryOfRequest(body['AmazonManagedKafkaEventSourceConfig']),
      });
    case 'mq':
      throw invalidParameter(`Amazon MQ event sources are not supported by Tributary: ${arn}`);
    case 'rds':
      throw invalidParameter(`Amazon DocumentDB event sources are not supported by Tributary: ${arn}`);
    case 'other':
      throw invalidParameter('Unrecognized event source.');
  }
}

function arnService(arn: string): ArnService {
  const service = arn.split(':')[2];
  return service === 'sqs' || service === 'kinesis' || service === 'dynamodb' || service === 'kafka' || service === 'mq' || service === 'rds' ? service : 'other';
}

/** `ScalingConfig` → `scalingConfig` (SQS only; an empty `{}` means unset). */
export function scalingConfigOf(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return { maximumConcurrency: value };
  const concurrency = (value as JsonObject)['MaximumConcurrency'];
  return concurrency === undefined || concurrency === null ? undefined : { maximumConcurrency: concurrency };
}

function withoutUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
