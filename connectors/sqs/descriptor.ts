/** SQS's light half (src/connector/source-descriptor.ts): config schema and resolver, ESM API mapping. */
import { defineSourceDescriptor } from '../../src/connector/source-descriptor.js';
import { resolveSqs, sqsSourceSchema } from './config.js';
import { sqsEsm } from './esm.js';

export const sqsDescriptor = defineSourceDescriptor({
  type: 'sqs',
  schema: sqsSourceSchema,
  resolve: resolveSqs,
  esm: sqsEsm,
});
