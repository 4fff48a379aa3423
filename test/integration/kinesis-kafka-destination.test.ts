/**
 * A Kinesis pipeline whose on-failure destination is a Kafka topic named with its brokers
 * (`kafka://host:port/topic`): one message per discarded batch, keyed by shard, carrying the invocation event.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TributaryService } from '../../src/index.js';
import { readEndpoints } from '../services/endpoints.ts';
import { createTopic, kafkaTestClient, readTopic, type KafkaTestClient } from './helpers/kafka.ts';
import { createStream, decode, deleteStream, kinesisClient, kinesisEndpoint, listShards, putAll, type KinesisEventRecord } from './helpers/kinesis.ts';
import { uniqueName } from './helpers/sqs.ts';
import { streamService } from './helpers/stream-service.ts';
import { waitFor } from './helpers/wait.ts';

let kinesis: KinesisClient;
let kafka: KafkaTestClient;
const streams: string[] = [];
const topics: string[] = [];
const services: TributaryService[] = [];

beforeAll(async () => {
  kinesis = kinesisClient();
  kafka = await kafkaTestClient();
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await Promise.all(streams.map((s) => deleteStream(kinesis, s)));
  await kafka.admin.deleteTopics({ topics }).catch(() => undefined);
  await kafka.close();
  kinesis.destroy();
});

interface StreamFailureMessage {
  readonly requestContext: Record<string, unknown>;
  readonly KinesisBatchInfo: Record<string, unknown>;
  readonly payload: string;
}

describe('Kinesis → kafka://brokers/topic on-failure destination', () => {
  it('writes the discarded poison batch with its event as payload, keyed by shard id', async () => {
    const name = uniqueName('kk');
    streams.push(name);
    await createStream(kinesis, name, 1);
    const topic = uniqueName('kk-failed');
    topics.push(topic);
    await createTopic(kafka, topic, 1);
    const broker = readEndpoints().kafkaBrokers[0];
    if (broker === undefined) throw new Error('no Kafka broker');

    const bodies = Array.from({ length: 20 }, (_, i) => (i === 11 ? 'POISON' : `ok-${i}`));
    const sequences = await putAll(kinesis, name, bodies.map((data) => ({ key: 'k', data })));
    const handled: string[] = [];
    const s = streamService<{ Records: KinesisEventRecord[] }>({
      name: 'kk',
      source: { type: 'kinesis', streamName: name, endpoint: kinesisEndpoint(), region: 'us-east-1' },
      handler: (event) => {
        const data = event.Records.map(decode);
        if (data.includes('POISON')) throw new Error('poison in batch');
        handled.push(...data);
        return {};
      },
      pipeline: {
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 1,
        destinationConfig: { onFailure: { destination: `kafka://${broker}/${topic}` } },
      },
    });
    services.push(s);
    await s.start();
    await waitFor(() => handled.length >= bodies.length - 1, 60_000, 'the rest of the shard');

    const messages = await readTopic(kafka, topic, 1);
    expect(messages).toHaveLength(1);
    const [shard] = await listShards(kinesis, name);
    expect(messages[0]?.key).toBe(shard?.ShardId);
    const message = JSON.parse(messages[0]?.value ?? '{}') as StreamFailureMessage;
    expect(message.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 });
    expect(message.KinesisBatchInfo).toMatchObject({ shardId: shard?.ShardId, batchSize: 1, startSequenceNumber: sequences[11], endSequenceNumber: sequences[11] });
    expect(typeof message.payload).toBe('string');
    const event = JSON.parse(message.payload) as { Records: KinesisEventRecord[] };
    expect(event.Records).toHaveLength(1);
    const [poison] = event.Records;
    if (poison === undefined) throw new Error('no record in the payload');
    expect(decode(poison)).toBe('POISON');
    expect(handled.sort()).toEqual(bodies.filter((b) => b !== 'POISON').sort());
  });
});
