/**
 * A Kafka source in Lambda's ESM API (src/connector/source-descriptor.ts `SourceEsmMapping`): Amazon MSK by its
 * cluster ARN (brokers from the operator's `mskBootstrapServers`), self-managed Kafka by `SelfManagedEventSource`.
 * Pure.
 */
import { asRecord, schemaRegistryDocument, schemaRegistryOfRequest, withoutUndefined } from '../../src/connector/esm-kit.js';
import type { KafkaSourceConfig } from '../../src/connector/config.js';
import type { SourceEsmMapping } from '../../src/connector/source-descriptor.js';

export const kafkaEsm: SourceEsmMapping<KafkaSourceConfig> = {
  arnService: 'kafka',
  sourceOfArn: (arn, body, defaults) =>
    withoutUndefined({
      type: 'kafka',
      clusterArn: arn,
      bootstrapServers: defaults.mskBootstrapServers?.[arn],
      topics: body['Topics'],
      consumerGroupId: asRecord(body['AmazonManagedKafkaEventSourceConfig'])['ConsumerGroupId'],
      schemaRegistryConfig: schemaRegistryOfRequest(body['AmazonManagedKafkaEventSourceConfig']),
    }),
  sourceOfSelfManaged: (body) =>
    withoutUndefined({
      type: 'kafka',
      bootstrapServers: asRecord(asRecord(body['SelfManagedEventSource'])['Endpoints'])['KAFKA_BOOTSTRAP_SERVERS'],
      topics: body['Topics'],
      consumerGroupId: asRecord(body['SelfManagedKafkaEventSourceConfig'])['ConsumerGroupId'],
      schemaRegistryConfig: schemaRegistryOfRequest(body['SelfManagedKafkaEventSourceConfig']),
    }),
  userActionReason: 'USER_INITIATED',
  eventSourceArn: (source) => source.clusterArn,
  documentMembers: (source, { startingPosition, errorHandling }) => ({
    ...startingPosition(),
    Topics: [...source.topics],
    ...(source.clusterArn === null
      ? {
          SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: [...source.bootstrapServers] } },
          SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: source.consumerGroupId, ...registryMember(source) },
        }
      : { AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: source.consumerGroupId, ...registryMember(source) } }),
    ...errorHandling(),
  }),
};

function registryMember(source: KafkaSourceConfig): Record<string, unknown> {
  const registry = source.schemaRegistry;
  return registry === undefined || registry === null ? {} : { SchemaRegistryConfig: schemaRegistryDocument(registry) };
}
