/**
 * A Kafka mapping's `SchemaRegistryConfig` (API_KafkaSchemaRegistryConfig, inside Amazon/SelfManagedKafkaEventSourceConfig)
 * in both directions: the request's members become the `source.schemaRegistryConfig` a configuration file would hold
 * (validated there, with the file's messages), and a resolved registry becomes the document's members again. Pure.
 * https://docs.aws.amazon.com/lambda/latest/api/API_KafkaSchemaRegistryConfig.html
 */
import type { KafkaSchemaRegistryConfig } from '../config/types.js';
import { asRecord } from './json-object.js';

/** `source.schemaRegistryConfig` for a request's `SchemaRegistryConfig`, or undefined when it has none. */
export function schemaRegistryOfRequest(kafkaConfig: unknown): Record<string, unknown> | undefined {
  const given = asRecord(kafkaConfig)['SchemaRegistryConfig'];
  if (given === undefined || given === null) return undefined;
  const registry = asRecord(given);
  const list = (value: unknown): unknown[] | undefined => (Array.isArray(value) ? value : value === undefined ? undefined : [value]);
  const validations = list(registry['SchemaValidationConfigs'])?.map((entry) => ({ attribute: asRecord(entry)['Attribute'] }));
  const access = list(registry['AccessConfigs'])?.map((entry) => ({ type: asRecord(entry)['Type'], uri: asRecord(entry)['URI'] }));
  return Object.fromEntries(
    Object.entries({
      schemaRegistryURI: registry['SchemaRegistryURI'],
      eventRecordFormat: registry['EventRecordFormat'],
      schemaValidationConfigs: validations,
      accessConfigs: access,
    }).filter(([, value]) => value !== undefined),
  );
}

/** The document's `SchemaRegistryConfig` for a resolved registry. */
export function schemaRegistryDocument(registry: KafkaSchemaRegistryConfig): Record<string, unknown> {
  return {
    SchemaRegistryURI: registry.uri,
    EventRecordFormat: registry.eventRecordFormat,
    SchemaValidationConfigs: [...(registry.validateKey ? [{ Attribute: 'KEY' }] : []), ...(registry.validateValue ? [{ Attribute: 'VALUE' }] : [])],
    ...(registry.accessConfigs.length === 0 ? {} : { AccessConfigs: registry.accessConfigs.map((access) => ({ Type: access.type, URI: access.uri })) }),
  };
}
