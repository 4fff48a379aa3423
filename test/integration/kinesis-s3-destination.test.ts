/**
 * End to end: a Kinesis pipeline on kinesis-local whose poison record ends in an S3 bucket on moto, as AWS writes it:
 * one object per discarded batch at aws/lambda/<mapping UUID>/<shard id>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>, the
 * invocation record with the batch's event as `payload`; the rest of the shard is processed.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pipelineUuid } from '../../src/config/pipeline-uuid.js';
import type { TributaryService } from '../../src/index.js';
import { startMoto, type RunningMoto } from '../services/moto.ts';
import { createStream, decode, deleteStream, kinesisClient, kinesisEndpoint, listShards, putAll, type KinesisEventRecord } from './helpers/kinesis.ts';
import { createBucket, motoClients, readObjects, type MotoClients } from './helpers/moto-clients.ts';
import { uniqueName } from './helpers/sqs.ts';
import { streamService } from './helpers/stream-service.ts';
import { waitFor } from './helpers/wait.ts';

let kinesis: KinesisClient;
let moto: RunningMoto;
let clients: MotoClients;
const streams: string[] = [];
const services: TributaryService[] = [];

beforeAll(async () => {
  kinesis = kinesisClient();
  moto = await startMoto((line) => process.stderr.write(`[moto] ${line}\n`));
  clients = motoClients(moto);
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await Promise.all(streams.map((s) => deleteStream(kinesis, s)));
  kinesis?.destroy();
  clients?.destroy();
  await moto?.stop();
});

interface StreamFailureObject {
  readonly requestContext: Record<string, unknown>;
  readonly responseContext: Record<string, unknown> | null;
  readonly KinesisBatchInfo: Record<string, unknown>;
  readonly timestamp: string;
  readonly payload: string;
}

describe('Kinesis → S3 on-failure destination (kinesis-local + moto)', () => {
  it('writes the discarded poison batch to the bucket at AWS key layout, with its event as payload', async () => {
    const name = uniqueName('ks3');
    streams.push(name);
    await createStream(kinesis, name, 1);
    const bucket = `${name.toLowerCase().replace(/[^a-z0-9-]/g, '-')}-failed`.slice(0, 63);
    await createBucket(clients, bucket);

    const bodies = Array.from({ length: 12 }, (_, i) => (i === 7 ? 'POISON' : `ok-${i}`));
    const sequences = await putAll(kinesis, name, bodies.map((data) => ({ key: 'k', data })));
    const handled: string[] = [];
    const s = streamService<{ Records: KinesisEventRecord[] }>({
      name: 'ks3',
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
        destinationConfig: { onFailure: { destination: `arn:aws:s3:::${bucket}`, endpoint: moto.endpoint } },
      },
    });
    services.push(s);
    await s.start();
    await waitFor(() => handled.length >= bodies.length - 1, 60_000, 'the rest of the shard');
    let objects: Awaited<ReturnType<typeof readObjects>> = [];
    await waitFor(async () => (objects = await readObjects(clients, bucket)).length > 0, 30_000, 'the on-failure object');

    expect(objects).toHaveLength(1);
    const [shard] = await listShards(kinesis, name);
    const [object] = objects;
    if (object === undefined || shard?.ShardId === undefined) throw new Error('no object or no shard');
    const stored = JSON.parse(object.body) as StreamFailureObject;
    const time = new Date(stored.timestamp);
    const day = `${time.getUTCFullYear()}/${String(time.getUTCMonth() + 1).padStart(2, '0')}/${String(time.getUTCDate()).padStart(2, '0')}`;
    expect(object.key).toMatch(new RegExp(`^aws/lambda/${pipelineUuid('ks3')}/${shard.ShardId}/${day}/${day.replaceAll('/', '-')}T\\d{2}\\.\\d{2}\\.\\d{2}-[0-9a-f-]{36}$`));
    expect(object.contentType).toBe('application/json');
    expect(stored.requestContext).toMatchObject({ condition: 'RetryAttemptsExhausted', approximateInvokeCount: 2 });
    expect(stored.responseContext).toMatchObject({ statusCode: 200, functionError: 'Unhandled' });
    expect(stored.KinesisBatchInfo).toMatchObject({ shardId: shard.ShardId, batchSize: 1, startSequenceNumber: sequences[7], endSequenceNumber: sequences[7] });
    const event = JSON.parse(stored.payload) as { Records: KinesisEventRecord[] };
    expect(event.Records.map(decode)).toEqual(['POISON']);
    expect(handled.sort()).toEqual(bodies.filter((b) => b !== 'POISON').sort());
  });
});
