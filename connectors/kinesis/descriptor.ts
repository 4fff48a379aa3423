/** Kinesis's light half (src/connector/source-descriptor.ts): config schema and resolver, ESM API mapping, traits, rules, identity, CloudFormation import. */
import { defineSourceDescriptor } from '../../src/connector/source-descriptor.js';
import { kinesisSourceSchema, resolveKinesis } from './config.js';
import { kinesisEsm } from './esm.js';
import { kinesisIdentity } from './identity.js';
import { kinesisImport } from './import.js';
import { kinesisRules } from './rules.js';
import { kinesisTraits } from './traits.js';

export const kinesisDescriptor = defineSourceDescriptor({
  type: 'kinesis',
  schema: kinesisSourceSchema,
  resolve: resolveKinesis,
  esm: kinesisEsm,
  traits: kinesisTraits,
  rules: kinesisRules,
  identity: kinesisIdentity,
  cloudFormation: kinesisImport,
});
