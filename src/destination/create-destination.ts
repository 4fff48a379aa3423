/**
 * Builds the on-failure destination of a pipeline (DESIGN §3.4) from its resolved `onFailure` config. No I/O here:
 * files are opened, SDKs loaded and connections made on the first delivery.
 */
import type { OnFailureDestinationConfig, SourceConfig } from '../config/types.js';
import { TributaryError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { FileDestination } from './file-destination.js';
import { plaintextCluster } from './kafka-client-config.js';
import { KafkaDestination } from './kafka-destination.js';
import { S3Destination } from './s3-destination.js';
import { SnsDestination } from './sns-destination.js';
import { SqsDestination } from './sqs-destination.js';
import type { OnFailureDestination } from './types.js';

export interface DestinationContext {
  /** The pipeline's source: a `kafka://<topic>` destination uses its brokers, TLS and SASL. */
  readonly source: SourceConfig;
  readonly logger: Logger;
}

/**
 * The destination for `config`. A `kafka://<brokers>/<topic>` destination connects to those brokers in plaintext;
 * `kafka://<topic>` to the Kafka source's cluster, with its TLS and SASL. Throws `CONFIG_INVALID` for combinations
 * the config validation normally catches first: `kafka://<topic>` without a Kafka source.
 */
export function createDestination(config: OnFailureDestinationConfig, context: DestinationContext): OnFailureDestination {
  switch (config.type) {
    case 'file':
      return new FileDestination(config.path, context.logger);
    case 'sqs':
      return new SqsDestination({ queueUrl: config.queueUrl, queueArn: config.queueArn, region: config.region, logger: context.logger });
    case 's3':
      return new S3Destination({ ...config, logger: context.logger });
    case 'sns':
      return new SnsDestination({ topicArn: config.topicArn, region: config.region, endpoint: config.endpoint, logger: context.logger });
    case 'kafka': {
      const { topic, bootstrapServers } = config;
      if (bootstrapServers !== undefined) {
        const target = `kafka://${bootstrapServers.join(',')}/${topic}`;
        return new KafkaDestination({ topic, source: plaintextCluster(bootstrapServers), target, logger: context.logger });
      }
      if (context.source.type !== 'kafka') {
        throw new TributaryError(
          'CONFIG_INVALID',
          `on-failure destination kafka://${topic}: without brokers it is a topic of the Kafka source's cluster; name the brokers: kafka://host:port/${topic}`,
        );
      }
      return new KafkaDestination({ topic, source: context.source, logger: context.logger });
    }
  }
}
