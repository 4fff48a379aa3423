/** SQS's light half (src/connector/source-descriptor.ts): config schema and resolver. */
import { defineSourceDescriptor } from '../../src/connector/source-descriptor.js';
import { resolveSqs, sqsSourceSchema } from './config.js';

export const sqsDescriptor = defineSourceDescriptor({
  type: 'sqs',
  schema: sqsSourceSchema,
  resolve: resolveSqs,
});
