/** SQS's light half (src/connector/source-descriptor.ts): config schema and resolver, ESM API mapping, traits, rules, identity, CloudFormation import. */
import { defineSourceDescriptor } from '../../src/connector/source-descriptor.js';
import { resolveSqs, sqsSourceSchema } from './config.js';
import { sqsEsm } from './esm.js';
import { sqsIdentity } from './identity.js';
import { sqsImport } from './import.js';
import { sqsRules } from './rules.js';
import { sqsTraits } from './traits.js';

export const sqsDescriptor = defineSourceDescriptor({
  type: 'sqs',
  schema: sqsSourceSchema,
  resolve: resolveSqs,
  esm: sqsEsm,
  traits: sqsTraits,
  rules: sqsRules,
  identity: sqsIdentity,
  cloudFormation: sqsImport,
});
