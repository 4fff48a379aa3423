/** A DynamoDB Streams source in Lambda's ESM API (src/connector/source-descriptor.ts `SourceEsmMapping`). Pure. */
import { asRecord, withoutUndefined } from '../../src/connector/esm-kit.js';
import type { DynamoDbStreamsSourceConfig } from '../../src/connector/config.js';
import type { SourceEsmMapping } from '../../src/connector/source-descriptor.js';
import { streamDocumentMembers } from '../../src/connector/stream-esm.js';

export const dynamoDbStreamsEsm: SourceEsmMapping<DynamoDbStreamsSourceConfig> = {
  arnService: 'dynamodb',
  sourceOfArn: (arn, _body, defaults) => withoutUndefined({ type: 'dynamodb-streams', streamArn: arn, ...defaults.dynamodbStreams }),
  userActionReason: 'User action',
  eventSourceArn: (source) => source.streamArn,
  documentMembers: (_source, parts) => streamDocumentMembers(parts),
  awsIssueMessage(field, pipeline) {
    if (field !== 'startingPosition' || pipeline['startingPosition'] !== 'AT_TIMESTAMP') return null;
    const source = asRecord(pipeline['source']);
    return `Unsupported starting position for arn type: ${String(source['streamArn'] ?? source['tableName'])}`;
  },
};
