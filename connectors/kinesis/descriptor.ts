/** Kinesis's light half (src/connector/source-descriptor.ts): config schema and resolver. */
import { defineSourceDescriptor } from '../../src/connector/source-descriptor.js';
import { kinesisSourceSchema, resolveKinesis } from './config.js';

export const kinesisDescriptor = defineSourceDescriptor({
  type: 'kinesis',
  schema: kinesisSourceSchema,
  resolve: resolveKinesis,
});
