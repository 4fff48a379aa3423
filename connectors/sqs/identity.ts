/** When two SQS mappings read the same queue (src/connector/source-traits.ts SourceIdentity): its name, and account when both tell it. */
import { sqsQueueRef } from '../../src/connector/config-kit.js';
import type { SqsSourceConfig } from '../../src/connector/config.js';
import { agree } from '../../src/connector/identity-kit.js';
import type { SourceIdentity } from '../../src/connector/source-traits.js';

export const sqsIdentity: SourceIdentity<SqsSourceConfig> = {
  same(a, b) {
    const left = sqsQueueRef(a.queueArn ?? a.queueUrl);
    const right = sqsQueueRef(b.queueArn ?? b.queueUrl);
    return left !== null && right !== null && left.name === right.name && agree(left.accountId, right.accountId);
  },
  displayName: (config) => config.queueUrl,
  conflictKind: 'sqs',
};
