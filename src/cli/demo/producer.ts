/**
 * The demo's producer: creates the stream and writes sample orders every second with PutRecords, keyed by customer
 * (so each customer's orders keep their order within a shard).
 */
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { TributaryError, errorMessage } from '../../errors.js';
import { sleep } from '../../connector/kit/sleep.js';
import { ordersPerTick, sampleOrder, type DemoOrder } from './orders.js';

/** A client for the emulator: HTTP/1.1 (emulators speak no HTTP/2) and dummy credentials (any are accepted). */
export function emulatorClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
    requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 10_000 }),
  });
}

/** Creates the stream and waits until it is ACTIVE. Returns its ARN. */
export async function createDemoStream(client: KinesisClient, streamName: string, shards: number, signal: AbortSignal): Promise<string> {
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shards }), { abortSignal: signal });
  for (let i = 0; i < 200; i += 1) {
    const { StreamDescriptionSummary: summary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }), { abortSignal: signal });
    if (summary?.StreamStatus === 'ACTIVE') return summary.StreamARN ?? streamName;
    await sleep(50, signal);
  }
  throw new TributaryError('SOURCE_UNAVAILABLE', `stream ${streamName} did not become ACTIVE`);
}

export interface ProducerOptions {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly intervalMs: number;
  readonly now: () => number;
  /** Told after each successful PutRecords with the orders written (1-based numbers). */
  readonly onProduced: (orders: readonly { readonly n: number; readonly order: DemoOrder }[]) => void;
  readonly onError: (message: string) => void;
}

export interface Producer {
  /** Orders written so far. */
  readonly produced: () => number;
  /** Stops after the PutRecords in flight, if any. */
  stop(): Promise<void>;
}

export function startProducer(options: ProducerOptions): Producer {
  const abort = new AbortController();
  let next = 1;
  const loop = (async () => {
    for (let tick = 0; !abort.signal.aborted; tick += 1) {
      const batch = Array.from({ length: ordersPerTick(tick) }, (_, i) => ({ n: next + i, order: sampleOrder(next + i, options.now()) }));
      try {
        const result = await options.client.send(
          new PutRecordsCommand({
            StreamName: options.streamName,
            Records: batch.map(({ order }) => ({ PartitionKey: order.customerId, Data: Buffer.from(JSON.stringify(order)) })),
          }),
          { abortSignal: abort.signal },
        );
        if ((result.FailedRecordCount ?? 0) > 0) options.onError(`PutRecords: ${result.FailedRecordCount} of ${batch.length} records failed`);
        next += batch.length;
        options.onProduced(batch);
      } catch (error) {
        if (abort.signal.aborted) break;
        options.onError(`PutRecords failed: ${errorMessage(error)}`);
      }
      await sleep(options.intervalMs, abort.signal);
    }
  })();
  return {
    produced: () => next - 1,
    stop: async () => {
      abort.abort();
      await loop;
    },
  };
}
