/**
 * The `source:` of a pipeline from CreateEventSourceMapping's `EventSourceArn` / `SelfManagedEventSource` /
 * `Topics` / `*KafkaEventSourceConfig`, and back: the `EventSourceArn` a source has. Pure.
 *
 * AWS names the source by ARN only; Tributary also needs where to reach it. The operator's `SourceDefaults` supply
 * the endpoint (emulators, VPC endpoints) per source type and the brokers of each MSK cluster; the region comes from
 * the ARN, as resolve-source.ts already does. Each source type's mapping is its connector's (connectors/<x>/esm.ts).
 */
import type { SourceDefaults } from '../connector/source-descriptor.js';
import { SOURCE_DESCRIPTORS, sourceDescriptorOfArnService } from '../connector/source-descriptors.js';
import { invalidParameter } from './api-errors.js';
import { asRecord, type JsonObject } from './json-object.js';

export type { AwsEndpointDefaults, SourceDefaults } from '../connector/source-descriptor.js';

/**
 * The `source:` mapping for a CreateEventSourceMapping body.
 * @throws LambdaApiError InvalidParameterValueException for sources Tributary cannot consume.
 */
export function sourceOfCreateRequest(body: JsonObject, defaults: SourceDefaults): Record<string, unknown> {
  const arn = body['EventSourceArn'];
  const selfManaged = asRecord(body['SelfManagedEventSource']);
  if (typeof arn === 'string' && arn !== '') return sourceOfArn(arn, body, defaults);
  if (Object.keys(selfManaged).length > 0) {
    for (const descriptor of SOURCE_DESCRIPTORS) if (descriptor.esm.sourceOfSelfManaged !== undefined) return descriptor.esm.sourceOfSelfManaged(body, defaults);
  }
  // AWS's answer when neither is given (LocalStack's AWS-validated provider).
  throw invalidParameter('Unrecognized event source.');
}

/** Services Lambda maps that Tributary does not, with the answer it gives. */
const UNSUPPORTED_SERVICES: Readonly<Record<string, string>> = { mq: 'Amazon MQ', rds: 'Amazon DocumentDB' };

function sourceOfArn(arn: string, body: JsonObject, defaults: SourceDefaults): Record<string, unknown> {
  const service = arn.split(':')[2];
  const descriptor = sourceDescriptorOfArnService(service);
  if (descriptor !== undefined) return descriptor.esm.sourceOfArn(arn, body, defaults);
  const unsupported = service === undefined ? undefined : UNSUPPORTED_SERVICES[service];
  if (unsupported !== undefined) throw invalidParameter(`${unsupported} event sources are not supported by Tributary: ${arn}`);
  throw invalidParameter('Unrecognized event source.');
}

/** `ScalingConfig` → `scalingConfig` (SQS only; an empty `{}` means unset). */
export function scalingConfigOf(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) return { maximumConcurrency: value };
  const concurrency = (value as JsonObject)['MaximumConcurrency'];
  return concurrency === undefined || concurrency === null ? undefined : { maximumConcurrency: concurrency };
}
