/** `source: { type: dynamodb-streams }`: its schema and its resolver (src/connector/source-descriptor.ts). */
import * as z from 'zod';
import {
  DYNAMODB_STREAM_ARN,
  DYNAMODB_TABLE_NAME,
  awsClientShape,
  dynamoDbTableNameOfArn,
  matching,
  optional,
  regionOfArn,
  strictMapping,
} from '../../src/connector/config-kit.js';
import type { DynamoDbStreamsSourceConfig } from '../../src/connector/config.js';

/** `type: dynamodb-streams`: tableName or streamArn. */
export const dynamoDbStreamsSourceSchema = strictMapping({
  type: z.literal('dynamodb-streams'),
  tableName: optional(matching(DYNAMODB_TABLE_NAME, 'a DynamoDB table name'), { description: 'Table name (or give streamArn)' }),
  streamArn: optional(
    matching(DYNAMODB_STREAM_ARN, 'a DynamoDB stream ARN (arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>)'),
    { description: 'Stream ARN (or give tableName; the latest stream of the table is used)' },
  ),
  ...awsClientShape,
});

/** The table's name and region from the stream ARN when not given. */
export function resolveDynamoDbStreams(source: z.output<typeof dynamoDbStreamsSourceSchema>): DynamoDbStreamsSourceConfig {
  const streamArn = source.streamArn ?? null;
  return {
    type: 'dynamodb-streams',
    tableName: source.tableName ?? (streamArn === null ? null : dynamoDbTableNameOfArn(streamArn)),
    streamArn,
    region: source.region ?? (streamArn === null ? null : regionOfArn(streamArn)),
    endpoint: source.endpoint ?? null,
  };
}
