/** An SQS source in Lambda's ESM API (src/connector/source-descriptor.ts `SourceEsmMapping`). Pure. */
import { withoutUndefined } from '../../src/connector/esm-kit.js';
import type { SqsSourceConfig } from '../../src/connector/config.js';
import type { SourceEsmMapping } from '../../src/connector/source-descriptor.js';

export const sqsEsm: SourceEsmMapping<SqsSourceConfig> = {
  arnService: 'sqs',
  sourceOfArn: (arn, _body, defaults) => withoutUndefined({ type: 'sqs', queueArn: arn, ...defaults.sqs }),
  eventSourceArn: (source) => source.queueArn,
  documentMembers: (source) => (source.maximumConcurrency === null ? {} : { ScalingConfig: { MaximumConcurrency: source.maximumConcurrency } }),
};
