/** The Kinesis Data Streams connector (standard shared-throughput iterators; no enhanced fan-out). */
import { defineConnector } from '../../src/connector/index.js';
import type { KinesisSourceConfig } from '../../src/connector/config.js';
import { KinesisApi } from './client.js';
import { KinesisSource, streamRefOf } from './source.js';

export { ExpiredIteratorError, isExpiredIterator } from './errors.js';
export { defaultInvokeIdentityArn } from './event.js';
export { KINESIS_IDLE_POLL_INTERVAL_MS, KinesisSource, type KinesisSourceOptions } from './source.js';

/** The region a client needs: configured, else the stream ARN's, else the SDK's usual environment variables. */
function regionOf(config: KinesisSourceConfig): string {
  const arnRegion = config.streamArn?.split(':')[3];
  return (
    config.region ??
    (arnRegion !== undefined && arnRegion !== '' ? arnRegion : undefined) ??
    process.env['AWS_REGION'] ??
    process.env['AWS_DEFAULT_REGION'] ??
    'us-east-1'
  );
}

export const kinesisConnector = defineConnector<KinesisSourceConfig>({
  type: 'kinesis',
  async create(config, context) {
    streamRefOf(config); // refuse a config without a stream before building a client; no I/O until open()
    const api = new KinesisApi({ region: regionOf(config), endpoint: config.endpoint });
    return new KinesisSource(config, api, context);
  },
});
