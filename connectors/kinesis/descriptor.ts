/** Kinesis's light half (src/connector/source-descriptor.ts): config schema and resolver, ESM API mapping. */
import { defineSourceDescriptor } from '../../src/connector/source-descriptor.js';
import { kinesisSourceSchema, resolveKinesis } from './config.js';
import { kinesisEsm } from './esm.js';

export const kinesisDescriptor = defineSourceDescriptor({
  type: 'kinesis',
  schema: kinesisSourceSchema,
  resolve: resolveKinesis,
  esm: kinesisEsm,
});
