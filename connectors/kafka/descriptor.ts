/** Kafka's light half (src/connector/source-descriptor.ts): config schema and resolver, ESM API mapping. */
import { defineSourceDescriptor } from '../../src/connector/source-descriptor.js';
import { kafkaSourceSchema } from './config.js';
import { resolveKafka } from './resolve-config.js';
import { kafkaEsm } from './esm.js';

export const kafkaDescriptor = defineSourceDescriptor({
  type: 'kafka',
  schema: kafkaSourceSchema,
  resolve: resolveKafka,
  esm: kafkaEsm,
});
