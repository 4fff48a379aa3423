/** The SQS connector (standard and FIFO queues). */
import { resolveRegion } from '../../src/connector/aws-client-options.js';
import { defineConnector } from '../../src/connector/index.js';
import type { SqsSourceConfig } from '../../src/connector/config.js';
import { SqsApi } from './client.js';
import { SqsSource } from './source.js';

export const sqsConnector = defineConnector<SqsSourceConfig>({
  type: 'sqs',
  async create(config, context) {
    const region = resolveRegion(config.region, config.queueArn);
    const api = new SqsApi({ region, endpoint: config.endpoint });
    return new SqsSource(config, api, context, region);
  },
});
