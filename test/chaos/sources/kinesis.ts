/**
 * Kinesis on the campaign's kinesis-local: 4 shards, parallelizationFactor 2, started at LATEST (or TRIM_HORIZON), shards leased
 * through a DynamoDB lease table (so two instances can share them), and no on-failure destination — so a record
 * discarded with retries that were not its own is simply lost, as issue 19 found.
 */
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DYNAMODB_TEST_CREDENTIALS } from '../../services/endpoints.ts';
import { type DriverContext, type SourceDriver } from '../driver.ts';
import type { ChaosRecord } from '../records.ts';
import { CHAOS_ENDPOINTS } from '../services.ts';
import { BATCHES_PER_LANE } from '../bound.ts';
import { leaseTableYaml, shardsBehind } from './lease-table.ts';

const SHARDS = 4;
const BATCH_SIZE = 20;
const PARALLELIZATION = 2;
const MAX_RETRIES = 3;

export function kinesisDriver(options: { readonly latest: boolean }): SourceDriver {
  const client = new KinesisClient({ region: 'us-east-1', endpoint: CHAOS_ENDPOINTS.kinesis, credentials: DYNAMODB_TEST_CREDENTIALS, requestHandler: new NodeHttpHandler() });
  let stream = '';
  let table = '';
  const last = new Map<string, string>();
  return {
    name: 'kinesis',
    ordered: true,
    restartsBroker: true,
    longOutageMs: null,
    broker: 'dynamodb',
    leases: true,
    latest: options.latest,
    discardTo: 'dropped',
    maxRetries: MAX_RETRIES,
    batchSize: BATCH_SIZE,
    quietMs: 20_000,
    inFlight: SHARDS * PARALLELIZATION * BATCHES_PER_LANE * BATCH_SIZE,
    faultSpacingMs: 0,
    handlerEnv: { CHAOS_TRANSIENT_MODE: 'throw' },
    processEnv: { AWS_ACCESS_KEY_ID: DYNAMODB_TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DYNAMODB_TEST_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' },

    async setup(ctx: DriverContext) {
      stream = `chaos-${ctx.runId}`;
      table = `chaos-leases-kinesis-${ctx.runId}`;
      await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: SHARDS }));
      for (let i = 0; i < 300; i += 1) {
        const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
        if (summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`stream ${stream} did not become ACTIVE`);
    },

    config(_ctx: DriverContext, fn: string) {
      return `server: { enabled: false }
shutdownTimeoutSeconds: 10
checkpoints: ${leaseTableYaml(table)}
pipelines:
  - name: chaos
    source: { type: kinesis, streamName: ${stream}, endpoint: "${CHAOS_ENDPOINTS.kinesis}", region: us-east-1 }
    function: ${fn}
    startingPosition: ${options.latest ? 'LATEST' : 'TRIM_HORIZON'}
    batchSize: ${BATCH_SIZE}
    parallelizationFactor: ${PARALLELIZATION}
    maximumRetryAttempts: ${MAX_RETRIES}
    bisectBatchOnFunctionError: true
    functionResponseTypes: [ReportBatchItemFailures]
`;
    },

    async produce(records: readonly ChaosRecord[]) {
      for (let i = 0; i < records.length; i += 500) {
        const chunk = records.slice(i, i + 500);
        const result = await client.send(new PutRecordsCommand({ StreamName: stream, Records: chunk.map((r) => ({ PartitionKey: r.key, Data: Buffer.from(JSON.stringify(r)) })) }));
        if ((result.FailedRecordCount ?? 0) > 0) throw new Error(`PutRecords refused ${result.FailedRecordCount} records`);
        for (const put of result.Records ?? []) {
          const previous = last.get(put.ShardId ?? '');
          if (put.SequenceNumber !== undefined && (previous === undefined || BigInt(put.SequenceNumber) > BigInt(previous))) last.set(put.ShardId ?? '', put.SequenceNumber);
        }
      }
    },

    discarded: () => Promise.resolve([]),

    unsettled: () => shardsBehind(table, 'chaos', last),

    async teardown() {
      client.destroy();
    },
  };
}
