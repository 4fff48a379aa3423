/** When two DynamoDB Streams mappings read the same table's stream (src/connector/source-traits.ts SourceIdentity): its table, and region when both tell it. */
import type { DynamoDbStreamsSourceConfig } from '../../src/connector/config.js';
import { agree } from '../../src/connector/identity-kit.js';
import type { SourceIdentity } from '../../src/connector/source-traits.js';

export const dynamoDbStreamsIdentity: SourceIdentity<DynamoDbStreamsSourceConfig> = {
  same: (a, b) => a.tableName !== null && a.tableName === b.tableName && agree(a.region, b.region),
  displayName: (config) => config.tableName ?? '',
  conflictKind: 'stream',
};
