/** When two Kinesis mappings read the same stream (src/connector/source-traits.ts SourceIdentity): its name, and region when both tell it. */
import type { KinesisSourceConfig } from '../../src/connector/config.js';
import { agree } from '../../src/connector/identity-kit.js';
import type { SourceIdentity } from '../../src/connector/source-traits.js';

export const kinesisIdentity: SourceIdentity<KinesisSourceConfig> = {
  same: (a, b) => a.streamName !== null && a.streamName === b.streamName && agree(a.region, b.region),
  displayName: (config) => config.streamName ?? '',
  conflictKind: 'stream',
};
