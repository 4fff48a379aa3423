/** The Kinesis Data Streams connector (standard shared-throughput iterators; no enhanced fan-out). */
import { resolveRegion } from '../../src/connector/aws-client-options.js';
import { defineConnector, destinationCarriesPayload, streamFailureBuilder } from '../../src/connector/index.js';
import type { KinesisSourceConfig } from '../../src/connector/config.js';
import { KinesisApi } from './client.js';
import { KinesisSource, streamRefOf } from './source.js';

export { ExpiredIteratorError, isExpiredIterator } from './errors.js';
export { defaultInvokeIdentityArn } from './event.js';
export { KINESIS_IDLE_POLL_INTERVAL_MS, KinesisSource, type KinesisSourceOptions } from './source.js';

export const kinesisConnector = defineConnector<KinesisSourceConfig>({
  type: 'kinesis',
  laneLabel: 'shard',
  lagMetric: 'iterator-age',
  // Lambda filters Kinesis records on the `kinesis` object's fields (`data`, `partitionKey`…), `data` decoded.
  filterTarget: (record) => ({ target: (record.eventRecord['kinesis'] as Record<string, unknown> | undefined) ?? {}, key: 'data' }),
  failureRecords: ({ destination, sourceArn, toEvent }) =>
    // S3 and a kafka:// topic get the records too (AWS's S3 form; kafka:// keyed by shard); SQS, SNS, file get AWS's metadata record.
    streamFailureBuilder('kinesis', sourceArn, { withPayload: destinationCarriesPayload(destination), keyByShard: destination.type === 'kafka', toEvent }),
  async create(config, context) {
    streamRefOf(config); // refuse a config without a stream before building a client; no I/O until open()
    const api = new KinesisApi({ region: resolveRegion(config.region, config.streamArn), endpoint: config.endpoint });
    return new KinesisSource(config, api, context);
  },
});
