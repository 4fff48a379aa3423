/**
 * kafkajs client settings for a `kafka://` destination. `kafka://<topic>` is a topic of the pipeline's own Kafka
 * cluster, as on AWS [KF-OFD], so brokers, TLS and SASL are the source's; `kafka://<brokers>/<topic>` names its
 * cluster, reached in plaintext without SASL ({@link plaintextCluster}).
 * Pure (type-only kafkajs import); `kafka-destination.ts` loads kafkajs itself.
 */
import { kafkaSaslOptions, kafkaSslOptions } from '../connector/kafka-sasl.js';
import type { KafkaConfig, LogEntry, SASLOptions, logCreator } from 'kafkajs';
import type { KafkaSourceConfig } from '../config/types.js';
import type { Logger } from '../observability/logger.js';

/** kafkajs `logLevel` values (a runtime enum; only the type is imported here). */
const KAFKAJS_ERROR = 1;
const KAFKAJS_WARN = 2;
const KAFKAJS_INFO = 4;

/** What the client needs of a cluster: a Kafka source config is one. */
export type KafkaCluster = Pick<
  KafkaSourceConfig,
  'bootstrapServers' | 'ssl' | 'sslCaFile' | 'sslRejectUnauthorized' | 'sslCaPem' | 'sslClientCertificate' | 'sasl' | 'clusterArn'
>;

/** The cluster of `kafka://<brokers>/<topic>`: those brokers, no TLS, no SASL. */
export function plaintextCluster(bootstrapServers: readonly string[]): KafkaCluster {
  return { bootstrapServers: [...bootstrapServers], ssl: false, sasl: null, clusterArn: null };
}

export interface KafkaClientSettings {
  readonly clientId: string;
  /** Retries of kafkajs for connecting and producing (its default is 5). */
  readonly retries: number;
}

/** SASL options for kafkajs, as the Kafka source uses them (MSK IAM included). */
export function kafkaSasl(cluster: KafkaCluster): SASLOptions | undefined {
  return kafkaSaslOptions(cluster);
}

/** The kafkajs client configuration (no secret ever reaches the logger: kafkajs does not log its SASL options). */
export function kafkaClientConfig(cluster: KafkaCluster, target: string, logger: Logger, settings: KafkaClientSettings, sasl: SASLOptions | undefined = kafkaSasl(cluster)): KafkaConfig {
  const ssl = kafkaSslOptions(cluster);
  return {
    clientId: settings.clientId,
    brokers: [...cluster.bootstrapServers],
    ssl: ssl === undefined || ssl === true ? ssl === true : { ...ssl },
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
