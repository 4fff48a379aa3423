/**
 * DynamoDB Streams on the campaign's DynamoDB Local (persistent: it holds the table, its stream and the lease
 * table, so restarting it hits source and leases at once). Every record is a PutItem of its key; the stream's
 * NEW_IMAGE carries its id. Started at LATEST (or TRIM_HORIZON); discarded records go to a `file://` on-failure destination.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DYNAMODB_TEST_CREDENTIALS } from '../../services/endpoints.ts';
import { type DriverContext, type SourceDriver } from '../driver.ts';
import type { ChaosRecord } from '../records.ts';
import { CHAOS_ENDPOINTS } from '../services.ts';
import { discardedRanges, idsInRanges, type PositionIndex } from './destination-file.ts';
import { BATCHES_PER_LANE } from '../bound.ts';
import { leaseTableYaml, shardsBehind } from './lease-table.ts';

const BATCH_SIZE = 20;
const MAX_RETRIES = 3;
const WRITERS = 8;

export function dynamoDbStreamsDriver(options: { readonly latest: boolean }): SourceDriver {
  const clientOptions = { region: 'us-east-1', endpoint: CHAOS_ENDPOINTS.dynamodb, credentials: DYNAMODB_TEST_CREDENTIALS, requestHandler: new NodeHttpHandler() };
  const db = new DynamoDBClient(clientOptions);
  const streams = new DynamoDBStreamsClient(clientOptions);
  let tableName = '';
  let leases = '';
  let streamArn = '';
  let destination = '';
  let shards = 1;
  /** The destination's ids as of its last size (reading the whole stream again only when it grew). */
  let known: { ranges: number; ids: readonly string[] } = { ranges: 0, ids: [] };

  /** Reads the whole stream: shard → sequence number → id. */
  async function index(): Promise<PositionIndex> {
    const byShard: PositionIndex = new Map();
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of described.StreamDescription?.Shards ?? []) {
      const positions = new Map<string, string>();
      byShard.set(shard.ShardId ?? '', positions);
      let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
      for (let empty = 0; iterator !== undefined && empty < 2; ) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const records = page.Records ?? [];
        empty = records.length === 0 ? empty + 1 : 0;
        for (const r of records) positions.set(r.dynamodb?.SequenceNumber ?? '', r.dynamodb?.NewImage?.['id']?.S ?? '?');
        iterator = page.NextShardIterator;
      }
    }
    return byShard;
  }

  return {
    name: 'dynamodb-streams',
    ordered: true,
    restartsBroker: true,
    longOutageMs: null,
    broker: 'dynamodb',
    leases: true,
    latest: options.latest,
    discardTo: 'destination',
    maxRetries: MAX_RETRIES,
    batchSize: BATCH_SIZE,
    quietMs: 20_000,
    faultSpacingMs: 0,
    get inFlight() {
      return shards * BATCHES_PER_LANE * BATCH_SIZE;
    },
    handlerEnv: { CHAOS_TRANSIENT_MODE: 'throw' },
    processEnv: { AWS_ACCESS_KEY_ID: DYNAMODB_TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DYNAMODB_TEST_CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1' },

    async setup(ctx: DriverContext) {
      tableName = `chaos-${ctx.runId}`;
      leases = `chaos-leases-ddb-${ctx.runId}`;
      destination = `${ctx.dir}/failed.jsonl`;
      const created = await db.send(
        new CreateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
        }),
      );
      streamArn = created.TableDescription?.LatestStreamArn ?? (await db.send(new DescribeTableCommand({ TableName: tableName }))).Table?.LatestStreamArn ?? '';
      const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      shards = Math.max(1, described.StreamDescription?.Shards?.length ?? 1);
    },

    config(_ctx: DriverContext, fn: string) {
      return `server: { enabled: false }
shutdownTimeoutSeconds: 10
checkpoints: ${leaseTableYaml(leases)}
pipelines:
  - name: chaos
    source: { type: dynamodb-streams, streamArn: "${streamArn}", endpoint: "${CHAOS_ENDPOINTS.dynamodb}", region: us-east-1 }
    function: ${fn}
    startingPosition: ${options.latest ? 'LATEST' : 'TRIM_HORIZON'}
    batchSize: ${BATCH_SIZE}
    maximumRetryAttempts: ${MAX_RETRIES}
    bisectBatchOnFunctionError: true
    functionResponseTypes: [ReportBatchItemFailures]
    destinationConfig: { onFailure: { destination: "file://${destination}" } }
`;
    },

    async produce(records: readonly ChaosRecord[]) {
      // Writes of one key in order (its stream order); keys in parallel.
      const byKey = new Map<string, ChaosRecord[]>();
      for (const r of records) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
      const queues = [...byKey.values()];
      await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          for (let queue = queues.shift(); queue !== undefined; queue = queues.shift()) {
            for (const r of queue) {
              await db.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: r.key }, id: { S: r.id }, seq: { N: String(r.seq) } } }));
            }
          }
        }),
      );
    },

    async discarded() {
      const ranges = discardedRanges(destination, 'DDBStreamBatchInfo');
      if (ranges.length !== known.ranges) known = { ranges: ranges.length, ids: ranges.length === 0 ? [] : idsInRanges(ranges, await index()) };
      return known.ids;
    },

    async unsettled() {
      const last = new Map<string, string>();
      for (const [shard, positions] of await index()) {
        const sequences = [...positions.keys()].map((s) => BigInt(s));
        if (sequences.length > 0) last.set(shard, sequences.reduce((a, b) => (a > b ? a : b)).toString());
      }
      return shardsBehind(leases, 'chaos', last);
    },

    async teardown() {
      db.destroy();
      streams.destroy();
    },
  };
}
