/** The DynamoDB Streams connector: a table's stream (or a stream ARN) read as Lambda's DynamoDB event source mapping. */
import { resolveRegion } from '../../src/connector/aws-client-options.js';
import { defineConnector, destinationCarriesPayload, streamFailureBuilder } from '../../src/connector/index.js';
import type { DynamoDbStreamsSourceConfig } from '../../src/connector/config.js';
import { TributaryError } from '../../src/errors.js';
import { DynamoDbStreamsApi } from './client.js';
import { DynamoDbStreamsSource } from './source.js';

export { IteratorRecoveryError, recoveryOf, type IteratorRecovery } from './errors.js';
export { DEFAULT_EVENT_VERSION, itemKeyOf, toDynamoDbEventRecord } from './event.js';
export { MAX_RECOVERIES_PER_READ, toStreamStart } from './reader.js';
export { DYNAMODB_STREAMS_IDLE_POLL_INTERVAL_MS, DynamoDbStreamsSource, type DynamoDbStreamsSourceOptions } from './source.js';

export const dynamoDbStreamsConnector = defineConnector<DynamoDbStreamsSourceConfig>({
  type: 'dynamodb-streams',
  laneLabel: 'shard',
  lagMetric: 'iterator-age',
  settledMetric: null,
  // Patterns address the stream record itself (`eventName`, `dynamodb.NewImage…` in typed JSON): no encoded payload.
  filterTarget: (record) => ({ target: record.eventRecord, key: null }),
  failureRecords: ({ destination, sourceArn, toEvent }) =>
    streamFailureBuilder('dynamodb-streams', sourceArn, { withPayload: destinationCarriesPayload(destination), keyByShard: destination.type === 'kafka', toEvent }),
  async create(config, context) {
    // Refuse a config without a table or stream before building a client; no I/O until open().
    if ((config.tableName ?? '') === '' && (config.streamArn ?? '') === '') {
      throw new TributaryError('CONFIG_INVALID', 'a dynamodb-streams source needs tableName or streamArn');
    }
    const api = new DynamoDbStreamsApi({ region: resolveRegion(config.region, config.streamArn), endpoint: config.endpoint });
    return new DynamoDbStreamsSource(config, api, context);
  },
});
