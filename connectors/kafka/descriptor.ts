/** Kafka's light half (src/connector/source-descriptor.ts): config schema and resolver, ESM API mapping, traits, rules, identity, CloudFormation import. */
import { defineSourceDescriptor } from '../../src/connector/source-descriptor.js';
import { kafkaSourceSchema } from './config.js';
import { resolveKafka } from './resolve-config.js';
import { kafkaEsm } from './esm.js';
import { kafkaIdentity } from './identity.js';
import { kafkaImport } from './import.js';
import { kafkaRules, kafkaFileRules } from './rules.js';
import { kafkaTraits } from './traits.js';

export const kafkaDescriptor = defineSourceDescriptor({
  type: 'kafka',
  schema: kafkaSourceSchema,
  resolve: resolveKafka,
  esm: kafkaEsm,
  traits: kafkaTraits,
  rules: kafkaRules,
  fileRules: kafkaFileRules,
  identity: kafkaIdentity,
  cloudFormation: kafkaImport,
});
