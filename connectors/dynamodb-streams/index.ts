/** The DynamoDB Streams connector: a table's stream (or a stream ARN) read as Lambda's DynamoDB event source mapping. */
import { defineConnector } from '../../src/connector/index.js';
import type { DynamoDbStreamsSourceConfig } from '../../src/connector/config.js';
import { TributaryError } from '../../src/errors.js';
import { DynamoDbStreamsApi } from './client.js';
import { DynamoDbStreamsSource } from './source.js';

export { IteratorRecoveryError, recoveryOf, type IteratorRecovery } from './errors.js';
export { DEFAULT_EVENT_VERSION, itemKeyOf, toDynamoDbEventRecord } from './event.js';
export { MAX_RECOVERIES_PER_READ, toStreamStart } from './reader.js';
export { DYNAMODB_STREAMS_IDLE_POLL_INTERVAL_MS, DynamoDbStreamsSource, type DynamoDbStreamsSourceOptions } from './source.js';

/** The region a client needs: configured, else the stream ARN's, else the SDK's usual environment variables. */
function regionOf(config: DynamoDbStreamsSourceConfig): string {
  const arnRegion = config.streamArn?.split(':')[3];
  return (
    config.region ??
    (arnRegion !== undefined && arnRegion !== '' ? arnRegion : undefined) ??
    process.env['AWS_REGION'] ??
    process.env['AWS_DEFAULT_REGION'] ??
    'us-east-1'
  );
}

export const dynamoDbStreamsConnector = defineConnector<DynamoDbStreamsSourceConfig>({
  type: 'dynamodb-streams',
  async create(config, context) {
    // Refuse a config without a table or stream before building a client; no I/O until open().
    if ((config.tableName ?? '') === '' && (config.streamArn ?? '') === '') {
      throw new TributaryError('CONFIG_INVALID', 'a dynamodb-streams source needs tableName or streamArn');
    }
    const api = new DynamoDbStreamsApi({ region: regionOf(config), endpoint: config.endpoint });
    return new DynamoDbStreamsSource(config, api, context);
  },
});
