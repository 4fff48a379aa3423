/** An SQS source in Lambda's ESM API (src/connector/source-descriptor.ts `SourceEsmMapping`). Pure. */
import { isFifoQueueName } from '../../src/connector/config-kit.js';
import { asRecord, withoutUndefined } from '../../src/connector/esm-kit.js';
import type { SqsSourceConfig } from '../../src/connector/config.js';
import type { SourceEsmMapping } from '../../src/connector/source-descriptor.js';

export const sqsEsm: SourceEsmMapping<SqsSourceConfig> = {
  arnService: 'sqs',
  sourceOfArn: (arn, _body, defaults) => withoutUndefined({ type: 'sqs', queueArn: arn, ...defaults.sqs }),
  userActionReason: 'USER_INITIATED',
  eventSourceArn: (source) => source.queueArn,
  documentMembers: (source) => (source.maximumConcurrency === null ? {} : { ScalingConfig: { MaximumConcurrency: source.maximumConcurrency } }),
  awsIssueMessage(field, pipeline) {
    if (field === 'startingPosition' || field === 'startingPositionTimestamp') return 'StartingPosition is not valid for SQS event sources.';
    if (field === 'batchSize' && typeof pipeline['batchSize'] === 'number' && pipeline['batchSize'] > 10 && !isFifo(asRecord(pipeline['source']))) {
      const window = pipeline['maximumBatchingWindowInSeconds'];
      if (window === undefined || window === 0) return 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10';
    }
    return null;
  },
};

function isFifo(source: Readonly<Record<string, unknown>>): boolean {
  return [source['queueArn'], source['queueUrl']].some((value) => typeof value === 'string' && isFifoQueueName(value));
}
