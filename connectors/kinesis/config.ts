/**
 * `source: { type: kinesis }`: its schema and its resolver (src/connector/source-descriptor.ts). streamName or
 * streamArn; consumerArn or consumerName for enhanced fan-out (src/config/rules/stream-rules.ts).
 */
import * as z from 'zod';
import {
  KINESIS_CONSUMER_ARN,
  KINESIS_CONSUMER_NAME,
  KINESIS_STREAM_ARN,
  KINESIS_STREAM_NAME,
  awsClientShape,
  kinesisStreamArnOfConsumerArn,
  kinesisStreamNameOfArn,
  matching,
  optional,
  regionOfArn,
  strictMapping,
} from '../../src/connector/config-kit.js';
import type { KinesisSourceConfig } from '../../src/connector/config.js';

/** `type: kinesis`: streamName or streamArn; consumerArn or consumerName for enhanced fan-out (rules/stream-rules.ts). */
export const kinesisSourceSchema = strictMapping({
  type: z.literal('kinesis'),
  streamName: optional(matching(KINESIS_STREAM_NAME, 'a Kinesis stream name'), { description: 'Stream name (or give streamArn)' }),
  streamArn: optional(matching(KINESIS_STREAM_ARN, 'a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)'), {
    description: 'Stream ARN (or give streamName)',
  }),
  consumerArn: optional(
    matching(KINESIS_CONSUMER_ARN, 'a Kinesis stream consumer ARN (arn:aws:kinesis:<region>:<account>:stream/<name>/consumer/<consumer>:<timestamp>)'),
    { description: 'Enhanced fan-out: the stream consumer to read through, as a Lambda mapping\'s EventSourceArn (names the stream too)' },
  ),
  consumerName: optional(matching(KINESIS_CONSUMER_NAME, 'a stream consumer name (1-128 of a-z A-Z 0-9 _ . -)'), {
    description: 'Enhanced fan-out: the stream consumer by name; registered (RegisterStreamConsumer) when the stream has none of that name',
  }),
  ...awsClientShape,
});

/** The stream's name and region from its ARN when not given; a consumer ARN names its stream. */
export function resolveKinesis(source: z.output<typeof kinesisSourceSchema>): KinesisSourceConfig {
  const consumerArn = source.consumerArn ?? null;
  // A consumer ARN names its stream (AWS's EFO mappings give only the consumer ARN as EventSourceArn).
  const streamArn = source.streamArn ?? (consumerArn === null ? null : kinesisStreamArnOfConsumerArn(consumerArn));
  return {
    type: 'kinesis',
    streamName: source.streamName ?? (streamArn === null ? null : kinesisStreamNameOfArn(streamArn)),
    streamArn,
    region: source.region ?? (streamArn === null ? null : regionOfArn(streamArn)),
    endpoint: source.endpoint ?? null,
    consumerArn,
    consumerName: source.consumerName ?? null,
  };
}
