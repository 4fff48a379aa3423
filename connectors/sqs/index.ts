/** The SQS connector (standard and FIFO queues). */
import { resolveRegion } from '../../src/connector/aws-client-options.js';
import { defineConnector } from '../../src/connector/index.js';
import type { SqsSourceConfig } from '../../src/connector/config.js';
import { SqsApi } from './client.js';
import { SqsSource } from './source.js';

export const sqsConnector = defineConnector<SqsSourceConfig>({
  type: 'sqs',
  laneLabel: 'lane',
  lagMetric: null,
  settledMetric: 'deleted',
  // Filter patterns address the message record; `body` is decoded as JSON when it is JSON (reference §5).
  filterTarget: (record) => ({ target: record.eventRecord, key: 'body' }),
  // SQS mappings have no on-failure destination: the queue's redrive policy moves poison messages to its DLQ.
  failureRecords: () => null,
  async create(config, context) {
    const region = resolveRegion(config.region, config.queueArn);
    const api = new SqsApi({ region, endpoint: config.endpoint });
    return new SqsSource(config, api, context, region);
  },
});
