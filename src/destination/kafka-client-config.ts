/**
 * kafkajs client settings for a `kafka://topic` destination, from the pipeline's Kafka source: AWS writes a Kafka
 * on-failure destination to a topic of the source's own cluster [KF-OFD], so brokers, TLS and SASL are the source's.
 * Pure (type-only kafkajs import); `kafka-destination.ts` loads kafkajs itself.
 */
import { kafkaSaslOptions } from '../connector/kafka-sasl.js';
import type { KafkaConfig, LogEntry, SASLOptions, logCreator } from 'kafkajs';
import type { KafkaSourceConfig } from '../config/types.js';
import type { Logger } from '../observability/logger.js';

/** kafkajs `logLevel` values (a runtime enum; only the type is imported here). */
const KAFKAJS_ERROR = 1;
const KAFKAJS_WARN = 2;
const KAFKAJS_INFO = 4;

export interface KafkaClientSettings {
  readonly clientId: string;
  /** Retries of kafkajs for connecting and producing (its default is 5). */
  readonly retries: number;
}

/** SASL options for kafkajs, as the Kafka source uses them (MSK IAM included). */
export function kafkaSasl(source: KafkaSourceConfig): SASLOptions | undefined {
  return kafkaSaslOptions(source);
}

/** The kafkajs client configuration (no secret ever reaches the logger: kafkajs does not log its SASL options). */
export function kafkaClientConfig(source: KafkaSourceConfig, target: string, logger: Logger, settings: KafkaClientSettings): KafkaConfig {
  const sasl = kafkaSasl(source);
  return {
    clientId: settings.clientId,
    brokers: [...source.bootstrapServers],
    ssl: source.ssl,
    ...(sasl === undefined ? {} : { sasl }),
    retry: { retries: settings.retries },
    logLevel: KAFKAJS_WARN,
    logCreator: kafkaLogCreator(logger.child({ destination: target, component: 'kafkajs' })),
  };
}

/** Routes kafkajs's own log lines to pino. */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const { message, timestamp: _timestamp, ...extra } = log;
      const fields = { namespace, ...extra };
      if (level === KAFKAJS_ERROR) logger.error(fields, message);
      else if (level === KAFKAJS_WARN) logger.warn(fields, message);
      else if (level === KAFKAJS_INFO) logger.info(fields, message);
      else logger.debug(fields, message);
    };
}
