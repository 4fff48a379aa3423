/**
 * What a connector's ESM API piece (connectors/<x>/esm.ts) uses of src/api: untrusted-JSON navigation and Kafka's
 * SchemaRegistryConfig members. Connectors import src only through src/connector (DESIGN §2), hence the re-exports.
 * Pure functions only.
 */
export { asRecord } from '../api/json-object.js';
export { schemaRegistryDocument, schemaRegistryOfRequest } from '../api/esm-schema-registry.js';

/** `object` without its undefined members (a request member that is absent is not written into the pipeline). */
export function withoutUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
