/**
 * The enhanced fan-out consumer a source reads through, ACTIVE: given by ARN (as a Lambda mapping's EventSourceArn
 * names it), or by name — registered with RegisterStreamConsumer when the stream has none of that name yet — and
 * waited for until ACTIVE (registration takes a few seconds; SubscribeToShard refuses a CREATING consumer).
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html ("Enhanced fan-out"),
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_RegisterStreamConsumer.html
 */
import { sleep } from '../../src/connector/index.js';
import { TributaryError } from '../../src/errors.js';
import { kinesisErrorName } from './errors.js';
import type { ConsumerRef, StreamConsumer } from './fanout-api.js';

/** The two consumer calls. */
export interface ConsumerApi {
  describeConsumer(ref: ConsumerRef, signal: AbortSignal): Promise<StreamConsumer | null>;
  registerConsumer(streamArn: string, consumerName: string, signal: AbortSignal): Promise<StreamConsumer>;
}

/** Which consumer the config names. */
export type ConsumerChoice = { readonly consumerArn: string } | { readonly consumerName: string };

export interface ActiveConsumerOptions {
  readonly signal: AbortSignal;
  /** Between two DescribeStreamConsumer calls while the consumer is CREATING (the call allows 20/s per account). */
  readonly pollMs?: number;
  /** How long to wait for ACTIVE before giving up for now (the engine retries `open`). */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

/** Resolves `choice` to an ACTIVE consumer of `streamArn`, registering it by name when it does not exist. */
export async function activeConsumer(api: ConsumerApi, choice: ConsumerChoice, streamArn: string, options: ActiveConsumerOptions): Promise<StreamConsumer> {
  const { signal, pollMs = 1_000, timeoutMs = 120_000, now = Date.now } = options;
  let consumer = await findOrRegister(api, choice, streamArn, signal);
  const deadline = now() + timeoutMs;
  const ref: ConsumerRef = { consumerArn: consumer.consumerArn };
  while (consumer.status !== 'ACTIVE') {
    if (consumer.status === 'DELETING') {
      throw new TributaryError('SOURCE_UNAVAILABLE', `Kinesis stream consumer ${consumer.consumerArn} is being deleted`, { retryable: true });
    }
    if (now() >= deadline) {
      throw new TributaryError('SOURCE_UNAVAILABLE', `Kinesis stream consumer ${consumer.consumerArn} is still ${consumer.status}`, { retryable: true });
    }
    await sleep(pollMs, signal);
    if (signal.aborted) throw new TributaryError('STOPPED', 'stopped while waiting for the stream consumer', { retryable: true });
    consumer = (await api.describeConsumer(ref, signal)) ?? missing(ref);
  }
  if (consumer.streamArn !== '' && consumer.streamArn !== streamArn) {
    throw new TributaryError('CONFIG_INVALID', `stream consumer ${consumer.consumerArn} belongs to ${consumer.streamArn}, not to ${streamArn}`);
  }
  return consumer;
}

async function findOrRegister(api: ConsumerApi, choice: ConsumerChoice, streamArn: string, signal: AbortSignal): Promise<StreamConsumer> {
  if ('consumerArn' in choice) return (await api.describeConsumer(choice, signal)) ?? missing(choice);
  const byName: ConsumerRef = { streamArn, consumerName: choice.consumerName };
  const existing = await api.describeConsumer(byName, signal);
  if (existing !== null) return existing;
  try {
    return await api.registerConsumer(streamArn, choice.consumerName, signal);
  } catch (error) {
    // Another instance registered it in between: use theirs.
    if (kinesisErrorName(error) !== 'ResourceInUseException') throw error;
    return (await api.describeConsumer(byName, signal)) ?? missing(byName);
  }
}

function missing(ref: ConsumerRef): never {
  const what = 'consumerArn' in ref ? ref.consumerArn : `${ref.consumerName} of ${ref.streamArn}`;
  throw new TributaryError('SOURCE_NOT_FOUND', `Kinesis stream consumer ${what} does not exist (register it, or give consumerName to let Tributary register it)`);
}
