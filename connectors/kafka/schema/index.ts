/**
 * A Kafka source's schema registry (AWS's SchemaRegistryConfig): builds the record decoder the source's partition
 * feeds run each fetched record through. See ./record-decoder.ts.
 */
import type { KafkaSchemaRegistryConfig } from '../../../src/connector/index.js';
import type { SecretStringFetcher } from '../../../src/connector/secrets-manager-client.js';
import { ConfluentRegistry } from './confluent-registry.js';
import { GlueRegistry } from './glue-registry.js';
import { RecordDecoder } from './record-decoder.js';
import { RegistryAccess } from './registry-access.js';

export { RecordDecoder, type SchemaMetadata } from './record-decoder.js';

export function createRecordDecoder(config: KafkaSchemaRegistryConfig, fetchSecret?: SecretStringFetcher): RecordDecoder {
  if (config.kind === 'glue') return new RecordDecoder(config, new GlueRegistry(config.uri));
  return new RecordDecoder(config, new ConfluentRegistry(config.uri, new RegistryAccess(config.accessConfigs, fetchSecret)));
}
