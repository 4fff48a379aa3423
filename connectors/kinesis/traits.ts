/** Kinesis's defaults and knobs (src/connector/source-traits.ts): a stream source's (src/connector/stream-traits.ts). */
import { streamSourceTraits } from '../../src/connector/stream-traits.js';

export const kinesisTraits = streamSourceTraits({ label: 'Kinesis', awsLabel: 'Amazon Kinesis Data Streams' });
