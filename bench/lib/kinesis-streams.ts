/** Streams the Kinesis workloads read: created and filled once per run (every contender reads from TRIM_HORIZON). */
import { CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { sleep } from './probe.ts';

export async function createStream(client: KinesisClient, name: string, shards: number, timeoutMs = 120_000): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`stream ${name} not ACTIVE within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** `records` records of about `bytes` each, `keys` distinct partition keys, 500 per PutRecords, 4 calls in flight. */
export async function fillStream(client: KinesisClient, name: string, records: number, bytes: number, keys: number): Promise<void> {
  const calls: Promise<void>[] = [];
  for (let from = 0; from < records; from += 500) {
    const entries = [];
    for (let i = from; i < Math.min(records, from + 500); i += 1) {
      entries.push({ PartitionKey: `k${i % keys}`, Data: Buffer.from(JSON.stringify({ n: i, pad: 'x'.repeat(Math.max(0, bytes - 20)) })) });
    }
    calls.push(
      client.send(new PutRecordsCommand({ StreamName: name, Records: entries })).then((result) => {
        if ((result.FailedRecordCount ?? 0) > 0) throw new Error(`PutRecords failed for ${result.FailedRecordCount} records`);
      }),
    );
    if (calls.length >= 4) await calls.shift();
  }
  await Promise.all(calls);
}

export async function deleteStream(client: KinesisClient, name: string): Promise<void> {
  await client.send(new DeleteStreamCommand({ StreamName: name, EnforceConsumerDeletion: true })).catch(() => undefined);
}
