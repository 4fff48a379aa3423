/**
 * The S3 and SNS on-failure destinations against moto's real S3 and SNS protocol servers (test/services/moto.ts):
 * records read back with the AWS SDK (ListObjectsV2 / GetObject; SNS → a subscribed SQS queue on moto), the 256 KB
 * SNS rule, a missing bucket, and an unreachable endpoint (a retryable DESTINATION_FAILED).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDestination } from '../../src/destination/create-destination.ts';
import { SNS_MAX_MESSAGE_BYTES } from '../../src/destination/sns-destination.ts';
import type { OnFailureDestination } from '../../src/destination/types.ts';
import type { SourceConfig } from '../../src/config/types.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { streamFailureRecord } from '../../src/policy/on-failure-record.ts';
import { freePortInRange } from '../services/local-process.ts';
import { startMoto, type RunningMoto } from '../services/moto.ts';
import { createBucket, motoClients, readObjects, receiveSnsMessages, topicWithQueue, type MotoClients } from './helpers/moto-clients.ts';
import { rejection } from '../support/rejection.ts';
import type { TributaryError } from '../../src/errors.ts';

const UUID = '8f9232c0-fd5f-5d0a-8a1a-91483e5f8426';
const source: SourceConfig = { type: 'kinesis', streamName: 's', streamArn: null, region: 'us-east-1', endpoint: null };
const signal = (): AbortSignal => AbortSignal.timeout(30_000);
let moto: RunningMoto;
let clients: MotoClients;
const opened: OnFailureDestination[] = [];

beforeAll(async () => {
  moto = await startMoto((line) => process.stderr.write(`[moto] ${line}\n`));
  clients = motoClients(moto);
});
afterAll(async () => {
  await Promise.all(opened.map((d) => d.close()));
  clients?.destroy();
  await moto?.stop();
});

function record(shardId: string, payload?: string): object {
  return streamFailureRecord({
    source: 'kinesis',
    requestId: 'd5a1f4c2-0000-4000-8000-000000000001',
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
    condition: 'RetryAttemptsExhausted',
    approximateInvokeCount: 3,
    response: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    timestamp: '2026-03-04T05:06:07.089Z',
    shardId,
    startSequenceNumber: '49590338271490256608559692538361571095921575989136588898',
    endSequenceNumber: '49590338271490256608559692538361571095921575989136588898',
    approximateArrivalOfFirstRecord: '2026-03-04T05:06:00.000Z',
    approximateArrivalOfLastRecord: '2026-03-04T05:06:00.000Z',
    batchSize: 1,
    streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
    ...(payload === undefined ? {} : { payload }),
  });
}

function destination(config: Parameters<typeof createDestination>[0]): OnFailureDestination {
  const built = createDestination(config, { source, logger: silentLogger() });
  opened.push(built);
  return built;
}

describe('S3 destination on moto', () => {
  it('stores each record as JSON at aws/lambda/<uuid>/<shard>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>', async () => {
    await createBucket(clients, 'failed-batches');
    const s3 = destination({ type: 's3', bucket: 'failed-batches', bucketArn: 'arn:aws:s3:::failed-batches', mappingUuid: UUID, endpoint: moto.endpoint, region: null });
    const payload = JSON.stringify({ Records: [{ kinesis: { data: Buffer.from('POISON').toString('base64') } }] });
    const records = [record('shardId-000000000000', payload), record('shardId-000000000001', payload)];
    await s3.deliver(records, signal());

    const objects = await readObjects(clients, 'failed-batches', `aws/lambda/${UUID}/`);
    expect(objects).toHaveLength(2);
    for (const [index, shard] of ['shardId-000000000000', 'shardId-000000000001'].entries()) {
      const object = objects.find((o) => o.key.includes(`/${shard}/`));
      expect(object?.key).toMatch(new RegExp(`^aws/lambda/${UUID}/${shard}/2026/03/04/2026-03-04T05\\.06\\.07-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
      expect(object?.contentType).toBe('application/json');
      expect(JSON.parse(object?.body ?? '')).toEqual(records[index]);
    }
  });

  it('a missing bucket is a retryable DESTINATION_FAILED that says so', async () => {
    const s3 = destination({ type: 's3', bucket: 'no-such-bucket', bucketArn: 'arn:aws:s3:::no-such-bucket', mappingUuid: UUID, endpoint: moto.endpoint, region: null });
    const error = (await rejection(s3.deliver([record('shardId-000000000000')], signal()))) as TributaryError;
    expect(error).toMatchObject({ code: 'DESTINATION_FAILED', retryable: true });
    expect(error.message).toContain('arn:aws:s3:::no-such-bucket: PutObject: the bucket does not exist');
  });
});

describe('SNS destination on moto', () => {
  it('publishes each record as the message; a subscribed SQS queue receives it', async () => {
    const { topicArn, queueUrl } = await topicWithQueue(clients, 'failed-batches');
    const sns = destination({ type: 'sns', topicArn, region: moto.region, endpoint: moto.endpoint });
    const sent = record('shardId-000000000003');
    await sns.deliver([sent], signal());
    const messages = await receiveSnsMessages(clients, queueUrl);
    expect(messages.map((m) => JSON.parse(m) as unknown)).toEqual([sent]);
  });

  it('a record over 256 KB is dropped and reported, the others are published, nothing throws', async () => {
    const { topicArn, queueUrl } = await topicWithQueue(clients, 'failed-big');
    const sns = destination({ type: 'sns', topicArn, region: moto.region, endpoint: moto.endpoint });
    const small = record('shardId-000000000004');
    const big = { ...record('shardId-000000000005'), padding: 'x'.repeat(SNS_MAX_MESSAGE_BYTES) };
    const report = await sns.deliverAndReport?.([big, small], signal());
    expect(report?.dropped.map((d) => d.index)).toEqual([0]);
    expect((await receiveSnsMessages(clients, queueUrl)).map((m) => JSON.parse(m) as unknown)).toEqual([small]);
  });

  it('a missing topic is a retryable DESTINATION_FAILED that says so', async () => {
    const topicArn = `arn:aws:sns:${moto.region}:${moto.accountId}:no-such-topic`;
    const sns = destination({ type: 'sns', topicArn, region: moto.region, endpoint: moto.endpoint });
    const error = (await rejection(sns.deliver([record('shardId-000000000006')], signal()))) as TributaryError;
    expect(error).toMatchObject({ code: 'DESTINATION_FAILED', retryable: true });
    expect(error.message).toContain(`${topicArn}: Publish: the topic does not exist`);
  });
});

describe('an unreachable endpoint', () => {
  it('is a retryable DESTINATION_FAILED for S3 and for SNS', async () => {
    const closed = `http://127.0.0.1:${await freePortInRange(22350, 22359)}`;
    const s3 = destination({ type: 's3', bucket: 'b-unreachable', bucketArn: 'arn:aws:s3:::b-unreachable', mappingUuid: UUID, endpoint: closed, region: null });
    const sns = destination({ type: 'sns', topicArn: 'arn:aws:sns:us-east-1:123456789012:t', region: 'us-east-1', endpoint: closed });
    for (const target of [s3, sns]) {
      const error = (await rejection(target.deliver([record('shardId-000000000007')], signal()))) as TributaryError;
      expect(error).toMatchObject({ code: 'DESTINATION_FAILED', retryable: true });
      expect(error.message).toMatch(/(PutObject|Publish) failed: .*ECONNREFUSED|connect/i);
    }
  });
});
