/**
 * A pipeline's `destinationConfig.onFailure` resolved to the destination it names (file, SQS, S3, SNS, Kafka): an
 * on-failure destination kind, not a source type. Validated already (rules/common-rules.ts).
 */
import { absolute } from './absolute-path.js';
import { sqsArnFromUrl, sqsQueueRef, sqsUrlFromArn } from './aws-resources.js';
import { parseDestination, type DestinationRef } from './destination-string.js';
import { pipelineUuid } from './pipeline-uuid.js';
import type { ParsedPipeline } from './schema/config.js';
import type { OnFailureDestinationConfig, SourceConfig } from './types.js';
import { TributaryError } from '../errors.js';

/** What an S3 / SNS destination needs from the pipeline besides its string. */
interface DestinationTarget {
  /** The mapping UUID of the S3 object keys. */
  readonly mappingUuid: string;
  /** `destinationConfig.onFailure.endpoint`, or null. */
  readonly endpoint: string | null;
}

/**
 * The pipeline's event source mapping UUID: its `uuid` when the schema has one (a pipeline field that is being
 * added on another branch), else the UUIDv5 of its name that field defaults to (./pipeline-uuid.ts).
 */
export function destinationTarget(pipeline: ParsedPipeline): DestinationTarget {
  const given = (pipeline as { readonly uuid?: unknown }).uuid;
  return {
    mappingUuid: typeof given === 'string' && given !== '' ? given.toLowerCase() : pipelineUuid(pipeline.name),
    endpoint: pipeline.destinationConfig?.onFailure.endpoint ?? null,
  };
}

export function resolveDestination(destination: string, baseDir: string, source: SourceConfig, target: DestinationTarget): OnFailureDestinationConfig {
  const parsed = parseDestination(destination);
  if (!parsed.ok) throw new TributaryError('INTERNAL', `unvalidated destination ${destination}`);
  return fromRef(parsed.ref, baseDir, source, target);
}

function fromRef(ref: DestinationRef, baseDir: string, source: SourceConfig, target: DestinationTarget): OnFailureDestinationConfig {
  switch (ref.kind) {
    case 's3':
      return {
        type: 's3',
        bucket: ref.bucket,
        bucketArn: ref.bucketArn,
        mappingUuid: target.mappingUuid,
        endpoint: target.endpoint,
        region: 'region' in source ? source.region : null,
      };
    case 'sns':
      return { type: 'sns', topicArn: ref.topicArn, region: ref.region, endpoint: target.endpoint };
    case 'file':
      return { type: 'file', path: absolute(ref.path, baseDir) };
    case 'kafka':
      return ref.bootstrapServers === null ? { type: 'kafka', topic: ref.topic } : { type: 'kafka', topic: ref.topic, bootstrapServers: ref.bootstrapServers };
    case 'sqs': {
      const given = ref.queueUrl ?? ref.queueArn ?? '';
      const sourceRegion = 'region' in source ? source.region : null;
      const region = sqsQueueRef(given)?.region ?? sourceRegion;
      const queueUrl = ref.queueUrl ?? sqsUrlFromArn(given, null) ?? given;
      return { type: 'sqs', queueUrl, queueArn: ref.queueArn ?? sqsArnFromUrl(queueUrl, region), region };
    }
  }
}

export function destinationString(onFailure: OnFailureDestinationConfig, written: string): string {
  return onFailure.type === 'file' ? `file://${onFailure.path}` : written;
}
