/** Kafka's light half (src/connector/source-descriptor.ts): config schema and resolver. */
import { defineSourceDescriptor } from '../../src/connector/source-descriptor.js';
import { kafkaSourceSchema } from './config.js';
import { resolveKafka } from './resolve-config.js';

export const kafkaDescriptor = defineSourceDescriptor({
  type: 'kafka',
  schema: kafkaSourceSchema,
  resolve: resolveKafka,
});
