/**
 * Builds the on-failure destination of a pipeline (DESIGN §3.4) from its resolved `onFailure` config. No I/O here:
 * files are opened, SDKs loaded and connections made on the first delivery.
 */
import type { OnFailureDestinationConfig, SourceConfig } from '../config/types.js';
import { TributaryError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { FileDestination } from './file-destination.js';
import { KafkaDestination } from './kafka-destination.js';
import { SqsDestination } from './sqs-destination.js';
import type { OnFailureDestination } from './types.js';

export interface DestinationContext {
  /** The pipeline's source: a `kafka://` destination uses its brokers, TLS and SASL. */
  readonly source: SourceConfig;
  readonly logger: Logger;
}

/**
 * The destination for `config`. Throws `CONFIG_INVALID` for combinations AWS refuses and the config validation
 * normally catches first (a `kafka://` destination without a Kafka source, an SQS FIFO queue) and for SASL aws-iam,
 * which Kafka destinations do not support yet.
 */
export function createDestination(config: OnFailureDestinationConfig, context: DestinationContext): OnFailureDestination {
  switch (config.type) {
    case 'file':
      return new FileDestination(config.path, context.logger);
    case 'sqs':
      return new SqsDestination({ queueUrl: config.queueUrl, queueArn: config.queueArn, region: config.region, logger: context.logger });
    case 'kafka':
      if (context.source.type !== 'kafka') {
        throw new TributaryError('CONFIG_INVALID', `on-failure destination kafka://${config.topic}: Kafka topics are on-failure destinations of Kafka sources only, as on AWS`);
      }
      return new KafkaDestination({ topic: config.topic, source: context.source, logger: context.logger });
  }
}
