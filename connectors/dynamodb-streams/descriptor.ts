/** DynamoDB Streams' light half (src/connector/source-descriptor.ts): config schema and resolver, ESM API mapping, traits, rules, identity, CloudFormation import. */
import { defineSourceDescriptor } from '../../src/connector/source-descriptor.js';
import { dynamoDbStreamsSourceSchema, resolveDynamoDbStreams } from './config.js';
import { dynamoDbStreamsEsm } from './esm.js';
import { dynamoDbStreamsIdentity } from './identity.js';
import { dynamoDbStreamsImport } from './import.js';
import { dynamoDbStreamsRules } from './rules.js';
import { dynamoDbStreamsTraits } from './traits.js';

export const dynamoDbStreamsDescriptor = defineSourceDescriptor({
  type: 'dynamodb-streams',
  schema: dynamoDbStreamsSourceSchema,
  resolve: resolveDynamoDbStreams,
  esm: dynamoDbStreamsEsm,
  traits: dynamoDbStreamsTraits,
  rules: dynamoDbStreamsRules,
  identity: dynamoDbStreamsIdentity,
  cloudFormation: dynamoDbStreamsImport,
});
