// The QueueSource contract (test/contract/queue-source.contract.ts) for the SQS connector against the real
// ElasticMQ, on a standard queue and on a FIFO queue (content-based deduplication). Each test gets a fresh queue
// whose VisibilityTimeout is the contract's short one. Setup goes through the SDK directly.

import { DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll } from 'vitest';
import { sqsConnector } from '../../connectors/sqs/index.js';
import type { ConnectorDefinition } from '../../src/connector/definition.js';
import type { SqsSourceConfig } from '../../src/connector/config.js';
import type { QueueSource } from '../../src/connector/types.js';
import { describeQueueSourceContract, QUEUE_VISIBILITY_TIMEOUT_SECONDS, type QueueFixture } from '../contract/queue-source.contract.ts';
import { contractSourceContext } from '../contract/source-context.ts';
import { AWS_REGION } from '../services/endpoints.ts';
import { createQueue, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';

const client: SQSClient = sqsClient();
// A function timeout shorter than any visibility timeout here: no warning about it.
const context = contractSourceContext('queue-contract', { functionTimeoutMs: 1_000, batchSize: 10, startingPosition: null });

afterAll(() => client.destroy());

function sqsFixture(fifo: boolean) {
  return async (label: string): Promise<QueueFixture> => {
    const name = `${uniqueName(`queue-contract-${label}`)}${fifo ? '.fifo' : ''}`;
    const attributes: Record<string, string> = { VisibilityTimeout: String(QUEUE_VISIBILITY_TIMEOUT_SECONDS), ...(fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {}) };
    const { url, arn } = await createQueue(client, name, attributes);
    const config: SqsSourceConfig = { type: 'sqs', queueUrl: url, queueArn: null, fifo, maximumConcurrency: null, region: AWS_REGION, endpoint: sqsEndpoint() };
    return {
      fifo,
      expected: { sourceArn: new RegExp(`^${arn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), region: arn.split(':')[3] ?? '' },
      connector: sqsConnector as ConnectorDefinition,
      pipelineSource: { type: 'sqs', queueUrl: url, region: AWS_REGION, endpoint: sqsEndpoint() },
      createSource: async () => (await sqsConnector.create(config, context)) as QueueSource,
      send: async (messages) => {
        await sendAll(client, url, messages.map((m) => ({ body: m.body, ...(m.group === undefined ? {} : { groupId: m.group }) })));
      },
      depth: () => queueDepth(client, url),
      decode: (eventRecord) => {
        const attributes = eventRecord['attributes'] as Record<string, string | undefined>;
        return { body: String(eventRecord['body']), group: attributes['MessageGroupId'] ?? null };
      },
      dispose: async () => {
        await client.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
      },
    };
  };
}

describeQueueSourceContract('sqs standard queue (ElasticMQ)', sqsFixture(false));
describeQueueSourceContract('sqs FIFO queue (ElasticMQ)', sqsFixture(true));
