// The StreamSource contract (test/contract/stream-source.contract.ts, read directly, and
// stream-source-engine.contract.ts, through the real engine) for the Kinesis connector against the real
// kinesis-local. Each fixture is a fresh two-shard stream; closing a shard is a SplitShard at the middle of its hash
// range (the parent closes, two children name it). Setup goes through the SDK directly.

import { CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, KinesisClient, ListShardsCommand, PutRecordCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll } from 'vitest';
import { kinesisConnector } from '../../connectors/kinesis/index.js';
import { userRecordPosition } from '../../connectors/kinesis/position.js';
import type { ConnectorDefinition } from '../../src/connector/definition.js';
import type { KinesisSourceConfig } from '../../src/connector/config.js';
import type { StreamSource } from '../../src/connector/types.js';
import { describeStreamSourceContract } from '../contract/stream-source.contract.ts';
import { describeStreamSourceEngineContract } from '../contract/stream-source-engine.contract.ts';
import type { StreamFixture } from '../contract/stream-fixture.ts';
import { contractSourceContext } from '../contract/source-context.ts';
import { AWS_REGION, AWS_TEST_CREDENTIALS, readEndpoints } from '../services/endpoints.ts';
import { waitFor } from './helpers/wait.js';

const endpoints = readEndpoints();
const run = `${Date.now().toString(36)}-${process.pid}`;
const admin = new KinesisClient({ region: AWS_REGION, endpoint: endpoints.kinesis, credentials: AWS_TEST_CREDENTIALS, requestHandler: new NodeHttpHandler() });
const context = contractSourceContext('stream-contract-kinesis');

afterAll(() => admin.destroy());

async function waitActive(streamName: string): Promise<void> {
  await waitFor(async () => {
    const { StreamDescriptionSummary } = await admin.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    return StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
  }, 30_000, `stream ${streamName} ACTIVE`);
}

async function kinesisFixture(label: string): Promise<StreamFixture> {
  const streamName = `stream-contract-${label}-${run}`;
  await admin.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 2 }));
  await waitActive(streamName);
  const config: KinesisSourceConfig = { type: 'kinesis', streamName, streamArn: null, region: AWS_REGION, endpoint: endpoints.kinesis };
  return {
    expected: {
      sourceArn: new RegExp(`^arn:aws:kinesis:${AWS_REGION}:\\d{12}:stream/${streamName}$`),
      region: AWS_REGION,
      // kinesis-local's default RetentionPeriodHours, as AWS's: 24.
      retentionMs: 24 * 3_600_000,
      idlePollIntervalMs: 1_000,
      atTimestamp: true,
      closeMakesChildren: true,
    },
    connector: kinesisConnector as ConnectorDefinition,
    pipelineSource: { type: 'kinesis', streamName, region: AWS_REGION, endpoint: endpoints.kinesis },
    createSource: async () => (await kinesisConnector.create(config, context)) as StreamSource,
    // One PutRecord at a time: PutRecords does not promise order, successive PutRecords of a key do.
    write: async (writes) => {
      for (const { key, value } of writes) await admin.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: key, Data: Buffer.from(value) }));
    },
    decode: (eventRecord) => {
      const kinesis = eventRecord['kinesis'] as { partitionKey: string; data: string; sequenceNumber: string };
      // A plain (not KPL-aggregated) record: the only user record of its Kinesis record.
      const position = userRecordPosition(kinesis.sequenceNumber, null, true);
      return { key: kinesis.partitionKey, value: Buffer.from(kinesis.data, 'base64').toString('utf8'), id: kinesis.sequenceNumber, position };
    },
    closeAll: async () => {
      const { Shards = [] } = await admin.send(new ListShardsCommand({ StreamName: streamName }));
      for (const shard of Shards.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined)) {
        const start = BigInt(shard.HashKeyRange?.StartingHashKey ?? '0');
        const end = BigInt(shard.HashKeyRange?.EndingHashKey ?? '0');
        await admin.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: shard.ShardId, NewStartingHashKey: ((start + end) / 2n).toString() }));
        await waitActive(streamName);
      }
    },
    dispose: async () => {
      await admin.send(new DeleteStreamCommand({ StreamName: streamName, EnforceConsumerDeletion: true })).catch(() => undefined);
    },
  };
}

describeStreamSourceContract('kinesis (kinesis-local)', kinesisFixture);
describeStreamSourceEngineContract('kinesis (kinesis-local)', kinesisFixture);
