/**
 * KPL-aggregated records (built by AWS Labs' aws-kinesis-agg, put with the real SDK) through whole pipelines against
 * the real kinesis-local, with standard iterators and with enhanced fan-out: every user record is its own event
 * record, filter patterns see each on its own, and a checkpoint inside an aggregate resumes after the last settled
 * user record — nothing lost, nothing settled delivered again.
 */
import { PutRecordCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TributaryService } from '../../src/index.js';
import { AWS_REGION } from '../services/endpoints.ts';
import { aggregateWithKpl } from '../support/kpl-aggregator.ts';
import { createStream, decode, deleteStream, kinesisClient, kinesisEndpoint, type KinesisEventRecord } from './helpers/kinesis.ts';
import { uniqueName } from './helpers/sqs.ts';
import { streamService } from './helpers/stream-service.ts';
import { waitFor } from './helpers/wait.ts';

interface AggregatedEventRecord extends KinesisEventRecord {
  kinesis: KinesisEventRecord['kinesis'] & { subSequenceNumber?: number; explicitHashKey?: string | null; aggregated?: boolean };
}

let client: KinesisClient;
const streams: string[] = [];
const services: TributaryService[] = [];

beforeAll(() => {
  client = kinesisClient();
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await Promise.all(streams.map((s) => deleteStream(client, s)));
  client.destroy();
});

async function stream(): Promise<string> {
  const name = uniqueName('kpl');
  streams.push(name);
  await createStream(client, name, 1);
  return name;
}

/** Puts one aggregate of `payloads` (partition keys k0, k1, …); returns its sequence number. */
async function putAggregate(name: string, payloads: readonly string[]): Promise<string> {
  const data = aggregateWithKpl(payloads.map((payload, i) => ({ partitionKey: `k${i}`, data: Buffer.from(payload) })));
  const result = await client.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'k0', Data: data }));
  return result.SequenceNumber ?? '';
}

const modes = [
  ['standard iterators', {}],
  ['enhanced fan-out', { consumerName: 'tributary' }],
] as const;

function service(name: string, mode: Record<string, unknown>, handler: (event: { Records: AggregatedEventRecord[] }) => unknown, pipeline: Record<string, unknown> = {}, dir?: string): TributaryService {
  const source = { type: 'kinesis', streamName: name, endpoint: kinesisEndpoint(), region: AWS_REGION, ...mode };
  const s = streamService({ name: 'kpl', source, handler, pipeline, ...(dir === undefined ? {} : { dir }) });
  services.push(s);
  return s;
}

describe.each(modes)('KPL aggregates with %s (kinesis-local)', (_label, mode) => {
  it('delivers each user record as its own event record, filtered one by one', async () => {
    const name = await stream();
    const orders = ['buy', 'sell', 'buy', 'sell', 'buy'].map((type, n) => JSON.stringify({ type, n }));
    const sequenceNumber = await putAggregate(name, orders);
    await client.send(new PutRecordCommand({ StreamName: name, PartitionKey: 'plain', Data: Buffer.from(JSON.stringify({ type: 'buy', n: 'plain' })) }));
    const seen: AggregatedEventRecord[] = [];
    const s = service(name, mode, (event) => seen.push(...event.Records), { filterCriteria: { filters: [{ pattern: '{"data": {"type": ["buy"]}}' }] } });
    await s.start();
    await waitFor(() => seen.length >= 4, 30_000, 'the matching user records');
    expect(seen.map((r) => (JSON.parse(decode(r)) as { n: unknown }).n)).toEqual([0, 2, 4, 'plain']);
    expect(seen.slice(0, 3).map((r) => [r.kinesis.sequenceNumber, r.kinesis.subSequenceNumber, r.kinesis.partitionKey, r.kinesis.aggregated])).toEqual([
      [sequenceNumber, 0, 'k0', true],
      [sequenceNumber, 2, 'k2', true],
      [sequenceNumber, 4, 'k4', true],
    ]);
    expect(seen[3]?.kinesis).not.toHaveProperty('subSequenceNumber');
  });

  it('resumes inside an aggregate after a restart: the settled user records are not delivered again', async () => {
    const name = await stream();
    const dir = mkdtempSync(join(tmpdir(), 'tributary-kpl-'));
    await putAggregate(name, Array.from({ length: 10 }, (_, i) => `u${i}`));
    const first: string[] = [];
    // Batches of 3: u0-u2 and u3-u5 succeed; the batch from u6 keeps failing, so the checkpoint stays at u5.
    const one = service(name, mode, (event) => {
      const data = event.Records.map(decode);
      if (data.includes('u6')) throw new Error('not yet');
      first.push(...data);
      return {};
    }, { batchSize: 3 }, dir);
    await one.start();
    await waitFor(() => first.length >= 6, 30_000, 'the first two batches');
    await one.stop();
    const second: string[] = [];
    const two = service(name, mode, (event) => second.push(...event.Records.map(decode)), { batchSize: 3 }, dir);
    await two.start();
    await waitFor(() => second.length >= 4, 30_000, 'the rest of the aggregate');
    expect(first).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5']);
    expect(second).toEqual(['u6', 'u7', 'u8', 'u9']);
  });

  it('retries from the first user record a handler reports failed, by its sequenceNumber', async () => {
    const name = await stream();
    await putAggregate(name, ['a', 'b', 'c']);
    const calls: string[][] = [];
    const s = service(name, mode, (event) => {
      const data = event.Records.map(decode);
      calls.push(data);
      // The aggregate's user records share AWS's sequenceNumber: reporting it retries the aggregate's records
      // from the first one in the batch (at-least-once).
      if (calls.length === 1) return { batchItemFailures: [{ itemIdentifier: event.Records[1]?.kinesis.sequenceNumber }] };
      return {};
    }, { functionResponseTypes: ['ReportBatchItemFailures'] });
    await s.start();
    await waitFor(() => calls.length >= 2, 30_000, 'the retry');
    expect(calls).toEqual([['a', 'b', 'c'], ['a', 'b', 'c']]);
  });
});
