/**
 * Enhanced fan-out's calls, the second file that imports the Kinesis SDK (client.ts has the polling ones):
 * stream consumers (Describe / RegisterStreamConsumer) over HTTP/1.1 like every other call, and SubscribeToShard over
 * HTTP/2 — the only operation that needs it — with the SDK's NodeHttp2Handler (http2-handler.ts). Results are plain
 * data; SDK errors become TributaryErrors (errors.ts).
 * https://docs.aws.amazon.com/streams/latest/dev/building-enhanced-consumers-api.html
 */
import type { SecureClientSessionOptions } from 'node:http2';
import {
  DescribeStreamConsumerCommand,
  KinesisClient,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
  type Consumer,
  type ConsumerDescription,
  type SubscribeToShardEventStream,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { awsClientOptions } from '../../src/connector/aws-client-options.js';
import { TributaryError } from '../../src/errors.js';
import { startingPositionOf, toRecordData, type IteratorPosition, type KinesisApiOptions } from './client.js';
import { toKinesisError } from './errors.js';
import type { KinesisRecordData } from './event.js';
import { eventStreamHttp2Handler } from './http2-handler.js';

export interface FanOutApiOptions extends KinesisApiOptions {
  /** Extra options for `http2.connect` (a private CA for a TLS emulator, in tests). */
  readonly http2ConnectOptions?: SecureClientSessionOptions;
}

/** A registered stream consumer. */
export interface StreamConsumer {
  readonly consumerArn: string;
  readonly consumerName: string;
  /** CREATING | DELETING | ACTIVE. */
  readonly status: string;
  /** The stream it reads; empty when the service did not say (RegisterStreamConsumer's answer). */
  readonly streamArn: string;
}

/** How a consumer is named: by ARN, or by name on a stream. */
export type ConsumerRef = { readonly consumerArn: string } | { readonly streamArn: string; readonly consumerName: string };

/** A child shard announced by the last event of a closed shard. */
export interface ChildShardInfo {
  readonly shardId: string;
  readonly parentShardIds: readonly string[];
}

/** One SubscribeToShardEvent, SDK-independent. https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SubscribeToShardEvent.html */
export interface FanOutEvent {
  readonly records: readonly KinesisRecordData[];
  /** Where to resubscribe (AFTER_SEQUENCE_NUMBER); null in the last event of a closed shard. */
  readonly continuationSequenceNumber: string | null;
  readonly millisBehindLatest: number | null;
  /** Present in the last event of a closed shard. */
  readonly childShards: readonly ChildShardInfo[];
}

/** A SubscribeToShard connection's events until it ends (after about 5 minutes, or an error). */
export type FanOutSubscription = AsyncIterable<FanOutEvent>;

/** How long an event stream may stay silent before the connection counts as dead (AWS sends an event at least every 5 s). */
const EVENT_STREAM_IDLE_MS = 60_000;

function toConsumer(consumer: Consumer | ConsumerDescription | undefined, streamArn: string): StreamConsumer {
  if (consumer?.ConsumerARN === undefined) throw new TributaryError('SOURCE_READ_FAILED', 'Kinesis returned no stream consumer');
  return {
    consumerArn: consumer.ConsumerARN,
    consumerName: consumer.ConsumerName ?? '',
    status: consumer.ConsumerStatus ?? 'ACTIVE',
    streamArn: ('StreamARN' in consumer ? consumer.StreamARN : undefined) ?? streamArn,
  };
}

/** The event of one stream item, or throws the modeled error the service sent instead. */
function toEvent(item: SubscribeToShardEventStream): FanOutEvent | null {
  const event = item.SubscribeToShardEvent;
  if (event === undefined) {
    const failure = Object.entries(item).find(([key, value]) => key !== '$unknown' && value !== undefined);
    if (failure === undefined) return null; // an event type this SDK does not know: skip it
    throw failure[1];
  }
  return {
    records: (event.Records ?? []).map(toRecordData),
    continuationSequenceNumber: event.ContinuationSequenceNumber ?? null,
    millisBehindLatest: event.MillisBehindLatest ?? null,
    childShards: (event.ChildShards ?? []).flatMap((child) =>
      child.ShardId === undefined ? [] : [{ shardId: child.ShardId, parentShardIds: child.ParentShards ?? [] }],
    ),
  };
}

export class FanOutApi {
  readonly #control: KinesisClient;
  readonly #streaming: KinesisClient;

  constructor(options: FanOutApiOptions) {
    const common = awsClientOptions(options);
    this.#control = new KinesisClient({ ...common, maxAttempts: 3, requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }) });
    // One attempt: a failed subscription is retried by the reader, from the right position and at the allowed pace.
    this.#streaming = new KinesisClient({
      ...common,
      maxAttempts: 1,
      requestHandler: eventStreamHttp2Handler({ requestTimeout: EVENT_STREAM_IDLE_MS, ...(options.http2ConnectOptions === undefined ? {} : { nodeHttp2ConnectOptions: options.http2ConnectOptions }) }),
    });
  }

  /** The consumer, or null when it does not exist. https://docs.aws.amazon.com/kinesis/latest/APIReference/API_DescribeStreamConsumer.html */
  async describeConsumer(ref: ConsumerRef, signal: AbortSignal): Promise<StreamConsumer | null> {
    const input = 'consumerArn' in ref ? { ConsumerARN: ref.consumerArn } : { StreamARN: ref.streamArn, ConsumerName: ref.consumerName };
    try {
      const result = await this.#control.send(new DescribeStreamConsumerCommand(input), { abortSignal: signal });
      return toConsumer(result.ConsumerDescription, 'streamArn' in ref ? ref.streamArn : '');
    } catch (error) {
      const mapped = toKinesisError('DescribeStreamConsumer', error, signal);
      if (mapped.code === 'SOURCE_NOT_FOUND') return null;
      throw mapped;
    }
  }

  /** https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html */
  async registerConsumer(streamArn: string, consumerName: string, signal: AbortSignal): Promise<StreamConsumer> {
    try {
      const result = await this.#control.send(new RegisterStreamConsumerCommand({ StreamARN: streamArn, ConsumerName: consumerName }), { abortSignal: signal });
      return toConsumer(result.Consumer, streamArn);
    } catch (error) {
      throw toKinesisError('RegisterStreamConsumer', error, signal);
    }
  }

  /**
   * Opens a subscription; its events end when the service closes it (5 minutes) and reject with a mapped error when
   * the connection fails. Aborting `signal` ends it. https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SubscribeToShard.html
   */
  async subscribe(consumerArn: string, shardId: string, position: IteratorPosition, signal: AbortSignal): Promise<FanOutSubscription> {
    let stream: AsyncIterable<SubscribeToShardEventStream>;
    try {
      const result = await this.#streaming.send(
        new SubscribeToShardCommand({ ConsumerARN: consumerArn, ShardId: shardId, StartingPosition: startingPositionOf(position) }),
        { abortSignal: signal },
      );
      if (result.EventStream === undefined) throw new TributaryError('SOURCE_READ_FAILED', `Kinesis SubscribeToShard returned no event stream for ${shardId}`);
      stream = result.EventStream;
    } catch (error) {
      throw toKinesisError('SubscribeToShard', error, signal);
    }
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for await (const item of stream) {
            const event = toEvent(item);
            if (event !== null) yield event;
          }
        } catch (error) {
          throw toKinesisError('SubscribeToShard', error, signal);
        }
      },
    };
  }

  close(): void {
    this.#control.destroy();
    this.#streaming.destroy();
  }
}
