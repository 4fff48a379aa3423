/**
 * `source: { type: sqs }`: its schema and its resolver (src/connector/source-descriptor.ts). queueUrl or queueArn
 * (src/config/rules/sqs-rules.ts requires one).
 */
import * as z from 'zod';
import {
  SQS_MAXIMUM_CONCURRENCY,
  SQS_QUEUE_ARN,
  awsClientShape,
  int,
  isFifoQueueName,
  matching,
  optional,
  optionalNumber,
  strictMapping,
  sqsArnFromUrl,
  sqsQueueRef,
  sqsUrlFromArn,
  url,
} from '../../src/connector/config-kit.js';
import type { SqsSourceConfig } from '../../src/connector/config.js';
import { TributaryError } from '../../src/errors.js';

/** `type: sqs`: queueUrl or queueArn (rules/sqs-rules.ts requires one). */
export const sqsSourceSchema = strictMapping({
  type: z.literal('sqs'),
  queueUrl: optional(url(['http:', 'https:'], 'an SQS queue URL (http or https)'), { description: 'Queue URL (or give queueArn)' }),
  queueArn: optional(matching(SQS_QUEUE_ARN, 'an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)'), {
    description: 'Queue ARN (or give queueUrl)',
  }),
  ...awsClientShape,
  // ScalingConfig.MaximumConcurrency 2–1000 [API-SC].
  scalingConfig: optional(
    strictMapping({ maximumConcurrency: optionalNumber(int(SQS_MAXIMUM_CONCURRENCY)) }),
    { description: 'ScalingConfig: maximumConcurrency 2–1000' },
  ),
});

type SqsInput = z.output<typeof sqsSourceSchema>;

/**
 * `queueUrl` from the ARN when only the ARN is given (real AWS form, or `<endpoint>/<account>/<name>`
 * with an endpoint override); `queueArn` from the URL when it has an account id.
 */
export function resolveSqs(source: SqsInput): SqsSourceConfig {
  const endpoint = source.endpoint ?? null;
  const given = source.queueUrl ?? source.queueArn;
  const ref = given === undefined ? null : sqsQueueRef(given);
  const region = source.region ?? ref?.region ?? null;
  const queueUrl = source.queueUrl ?? (source.queueArn === undefined ? null : sqsUrlFromArn(source.queueArn, endpoint));
  if (queueUrl === null || ref === null) {
    // Unreachable after validation: rules/sqs-rules.ts requires a URL or a valid ARN.
    throw new TributaryError('INTERNAL', 'SQS source without a resolvable queue URL');
  }
  return {
    type: 'sqs',
    queueUrl,
    queueArn: source.queueArn ?? sqsArnFromUrl(queueUrl, region),
    fifo: isFifoQueueName(ref.name),
    region,
    endpoint,
    maximumConcurrency: source.scalingConfig?.maximumConcurrency ?? null,
  };
}
