/** DynamoDB Streams' light half (src/connector/source-descriptor.ts): config schema and resolver, ESM API mapping. */
import { defineSourceDescriptor } from '../../src/connector/source-descriptor.js';
import { dynamoDbStreamsSourceSchema, resolveDynamoDbStreams } from './config.js';
import { dynamoDbStreamsEsm } from './esm.js';

export const dynamoDbStreamsDescriptor = defineSourceDescriptor({
  type: 'dynamodb-streams',
  schema: dynamoDbStreamsSourceSchema,
  resolve: resolveDynamoDbStreams,
  esm: dynamoDbStreamsEsm,
});
