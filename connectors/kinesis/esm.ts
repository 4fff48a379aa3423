/** A Kinesis source in Lambda's ESM API (src/connector/source-descriptor.ts `SourceEsmMapping`). Pure. */
import { withoutUndefined } from '../../src/connector/esm-kit.js';
import type { KinesisSourceConfig } from '../../src/connector/config.js';
import type { SourceEsmMapping } from '../../src/connector/source-descriptor.js';
import { streamDocumentMembers } from '../../src/connector/stream-esm.js';

export const kinesisEsm: SourceEsmMapping<KinesisSourceConfig> = {
  arnService: 'kinesis',
  sourceOfArn: (arn, _body, defaults) =>
    // A stream consumer's ARN maps the stream through enhanced fan-out, as on AWS (it names the stream too).
    /:stream\/[^/]+\/consumer\//.test(arn)
      ? withoutUndefined({ type: 'kinesis', consumerArn: arn, ...defaults.kinesis })
      : withoutUndefined({ type: 'kinesis', streamArn: arn, ...defaults.kinesis }),
  // An enhanced fan-out mapping is known by its consumer's ARN (Lambda's EventSourceArn for it).
  userActionReason: 'User action',
  eventSourceArn: (source) => source.consumerArn ?? source.streamArn,
  documentMembers: (_source, parts) => streamDocumentMembers(parts),
};
