/**
 * Two `tributary run` replicas (the built CLI) sharing a DynamoDB lease table (DynamoDB Local) and a kinesis-local
 * stream: a mapping created through one replica's API is stored in the table, the other replica runs it within a
 * few seconds, they split the shards, an update made through the second replica reaches the first, and when the
 * first is killed (-9) the second takes every shard over and handles everything — nothing lost, counted with the
 * function's ledger. A delete through the survivor removes the mapping and, once the dead replica's leases expired,
 * its lease rows.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteTableCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateEventSourceMappingCommand, DeleteEventSourceMappingCommand, GetEventSourceMappingCommand, ListEventSourceMappingsCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { createStream, deleteStream, kinesisClient, kinesisEndpoint, putAll } from './helpers/kinesis.ts';
import { dynamodbClient, dynamodbEndpoint } from './helpers/dynamodb.ts';
import { uniqueName } from './helpers/sqs.ts';
import { lambdaClient, ledger, ledgerFunctionsYaml, writeLedgerHandler } from './helpers/control-plane.ts';
import { startCli, type RunningCli } from './helpers/cli.ts';
import { waitFor } from './helpers/wait.ts';

const PORTS = { a: { api: 22520, ops: 22521 }, b: { api: 22522, ops: 22523 } } as const;
type Replica = keyof typeof PORTS;

let dir: string;
let kinesis: KinesisClient;
let ddb: DynamoDBClient;
const stream = uniqueName('cp-replicas');
const table = `tributary_cp_replicas_${Date.now()}_${process.pid}`;
const running: RunningCli[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tributary-cp-replicas-'));
  writeLedgerHandler(dir);
  kinesis = kinesisClient();
  ddb = dynamodbClient();
  await createStream(kinesis, stream, 4);
  writeFileSync(
    join(dir, 'tributary.yaml'),
    `server: { host: 127.0.0.1, port: '\${OPS_PORT}' }
checkpoints: { type: dynamodb, tableName: ${table}, endpoint: '\${DYNAMODB_ENDPOINT}', region: us-east-1, leaseDurationSeconds: 2 }
shutdownTimeoutSeconds: 5
logLevel: warn
${ledgerFunctionsYaml({ replica: true })}api:
  port: \${API_PORT}
  syncIntervalSeconds: 1
  sourceDefaults:
    kinesis: { endpoint: '\${KINESIS_ENDPOINT}' }
pipelines: []
`,
  );
}, 120_000);

afterAll(async () => {
  for (const cli of running) cli.child.kill('SIGKILL');
  await deleteStream(kinesis, stream).catch(() => undefined);
  await ddb.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  kinesis.destroy();
  ddb.destroy();
});

function start(replica: Replica): RunningCli {
  const cli = startCli(['run', '-c', join(dir, 'tributary.yaml')], {
    OPS_PORT: String(PORTS[replica].ops),
    API_PORT: String(PORTS[replica].api),
    REPLICA: replica,
    LEDGER_FILE: join(dir, 'ledger.jsonl'),
    DYNAMODB_ENDPOINT: dynamodbEndpoint(),
    KINESIS_ENDPOINT: kinesisEndpoint(),
  });
  running.push(cli);
  return cli;
}

const ready = async (replica: Replica): Promise<boolean> => (await fetch(`http://127.0.0.1:${PORTS[replica].ops}/readyz`).then((r) => r.status).catch(() => 0)) === 200;

/** Lanes (shards) `replica` runs for the pipeline `name`. */
async function lanes(replica: Replica, name: string): Promise<number> {
  const status = (await fetch(`http://127.0.0.1:${PORTS[replica].ops}/status`).then((r) => r.json())) as { pipelines: { name: string; lanes: number }[] };
  return status.pipelines.find((p) => p.name === name)?.lanes ?? 0;
}

const bodies = (prefix: string): Set<string> => new Set(ledger(join(dir, 'ledger.jsonl')).filter((row) => row.body.startsWith(prefix)).map((row) => row.body));

describe('two replicas sharing a DynamoDB lease table', () => {
  it('a mapping created on one replica runs on both, is updated through the other, and fails over when the first is killed', async () => {
    const a = start('a');
    start('b');
    await waitFor(async () => (await ready('a')) && (await ready('b')), 40_000, 'both replicas to be ready').catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${running.map((cli) => cli.output()).join('\n')}`);
    });
    const lambdaA = lambdaClient(`http://127.0.0.1:${PORTS.a.api}`);
    const lambdaB = lambdaClient(`http://127.0.0.1:${PORTS.b.api}`);

    const created = await lambdaA.send(
      new CreateEventSourceMappingCommand({ FunctionName: 'ledger', EventSourceArn: `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`, StartingPosition: 'TRIM_HORIZON', BatchSize: 10 }),
    );
    const uuid = created.UUID ?? '';
    // B learns of it from the table (sync every second) and runs it too; the four shards are split between them.
    await waitFor(async () => ((await lambdaB.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings ?? []).some((m) => m.UUID === uuid), 10_000, 'replica B to list the mapping');
    await waitFor(async () => (await lanes('a', uuid)) >= 1 && (await lanes('b', uuid)) >= 1 && (await lanes('a', uuid)) + (await lanes('b', uuid)) === 4, 60_000, 'the shards to be split between the replicas');
    await putAll(kinesis, stream, Array.from({ length: 40 }, (_, i) => ({ key: `key-${i}`, data: `r1-${i}` })));
    await waitFor(() => bodies('r1-').size === 40, 60_000, 'the first 40 records');
    const handledBy = new Set(ledger(join(dir, 'ledger.jsonl')).map((row) => row.replica));
    expect(handledBy).toEqual(new Set(['a', 'b']));

    // An update through B reaches A.
    expect((await lambdaB.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 5 }))).State).toBe('Updating');
    await waitFor(async () => (await lambdaA.send(new GetEventSourceMappingCommand({ UUID: uuid }))).BatchSize === 5, 10_000, 'replica A to see the update');

    // kill -9 A: B takes all four shards once A's leases expire, and handles everything.
    a.child.kill('SIGKILL');
    await a.exited;
    await putAll(kinesis, stream, Array.from({ length: 40 }, (_, i) => ({ key: `key-${i}`, data: `r2-${i}` })));
    await waitFor(async () => (await lanes('b', uuid)) === 4, 60_000, 'replica B to take every shard');
    await waitFor(() => bodies('r2-').size === 40, 60_000, 'the records put after the kill');
    expect(bodies('r1-').size).toBe(40);
    expect(ledger(join(dir, 'ledger.jsonl')).filter((row) => row.body.startsWith('r2-')).every((row) => row.batch <= 5)).toBe(true);

    // Delete through the survivor: the mapping goes, and so do its lease rows (A's after they expired).
    await lambdaB.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    await waitFor(
      async () => (await lambdaB.send(new GetEventSourceMappingCommand({ UUID: uuid })).then(() => 'found', (error: unknown) => (error as Error).name)) === 'ResourceNotFoundException',
      60_000,
      'the mapping to be deleted',
    );
    const rows = await ddb.send(new QueryCommand({ TableName: table, KeyConditionExpression: '#p = :p', ExpressionAttributeNames: { '#p': 'pipeline' }, ExpressionAttributeValues: { ':p': { S: uuid } }, ConsistentRead: true }));
    expect(rows.Items ?? []).toEqual([]);
  }, 300_000);
});
