/** The SQS connector (standard and FIFO queues). */
import { defineConnector } from '../../src/connector/index.js';
import type { SqsSourceConfig } from '../../src/connector/config.js';
import { SqsApi } from './client.js';
import { SqsSource } from './source.js';

export const sqsConnector = defineConnector<SqsSourceConfig>({
  type: 'sqs',
  async create(config, context) {
    const region = config.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
    const api = new SqsApi({ region, endpoint: config.endpoint });
    return new SqsSource(config, api, context, region);
  },
});
