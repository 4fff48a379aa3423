/** The Kinesis Data Streams connector: standard shared-throughput iterators, or enhanced fan-out through a stream consumer. */
import { resolveRegion } from '../../src/connector/aws-client-options.js';
import { defineConnector, destinationCarriesPayload, streamFailureBuilder } from '../../src/connector/index.js';
import type { KinesisSourceConfig } from '../../src/connector/config.js';
import type { SourceRecord } from '../../src/connector/index.js';
import { KinesisApi } from './client.js';
import { FanOutApi } from './fanout-api.js';
import { sequenceNumberOfPosition } from './position.js';
import { consumerOf, KinesisSource, streamRefOf } from './source.js';

export { ExpiredIteratorError, isExpiredIterator } from './errors.js';
export { defaultInvokeIdentityArn } from './event.js';
export { KINESIS_IDLE_POLL_INTERVAL_MS, KinesisSource, type KinesisSourceOptions } from './source.js';

export const kinesisConnector = defineConnector<KinesisSourceConfig>({
  type: 'kinesis',
  laneLabel: 'shard',
  lagMetric: 'iterator-age',
  settledMetric: null,
  // Lambda filters Kinesis records on the `kinesis` object's fields (`data`, `partitionKey`…), `data` decoded.
  filterTarget: (record) => ({ target: (record.eventRecord['kinesis'] as Record<string, unknown> | undefined) ?? {}, key: 'data' }),
  failureRecords: ({ destination, sourceArn, toEvent }) => {
    // S3 and a kafka:// topic get the records too (AWS's S3 form; kafka:// keyed by shard); SQS, SNS, file get AWS's metadata record.
    const build = streamFailureBuilder('kinesis', sourceArn, { withPayload: destinationCarriesPayload(destination), keyByShard: destination.type === 'kafka', toEvent });
    // KinesisBatchInfo's start/end sequence numbers are AWS's, not the user-record positions the engine orders by.
    return (facts) => build({ ...facts, records: facts.records.map(withSequencePosition) });
  },
  async create(config, context) {
    streamRefOf(config); // refuse a config without a stream before building a client; no I/O until open()
    const endpoint = { region: resolveRegion(config.region, config.streamArn ?? config.consumerArn ?? null), endpoint: config.endpoint };
    const api = new KinesisApi(endpoint);
    return new KinesisSource(config, api, context, consumerOf(config) === null ? {} : { fanOut: new FanOutApi(endpoint) });
  },
});

function withSequencePosition(record: SourceRecord): SourceRecord {
  return { ...record, position: sequenceNumberOfPosition(record.position) };
}
