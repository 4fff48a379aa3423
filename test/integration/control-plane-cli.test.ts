/**
 * `tributary run` (the built CLI, as a subprocess) driven by the real AWS CLI (awscli from PyPI) against ElasticMQ,
 * kinesis-local and Kafka, while records flow, every record counted in the function's own ledger:
 * - the file declares functions and no pipeline: every mapping comes from `aws lambda create-event-source-mapping`;
 * - SQS: create, list, get, disable, enable with a new batch size, delete;
 * - Kinesis: a disabled mapping keeps its position (records put meanwhile are handled once it is enabled, none twice),
 *   a live update of the retry setting, delete;
 * - Kafka: a self-managed mapping; a second mapping on its consumer group is refused; after a delete the consumer
 *   group keeps its offsets, so a new mapping on that group resumes where the first one stopped;
 * - requests are signed with the operator's key (TRIBUTARY_API_*), the secret appears nowhere in the output;
 *   bound beyond loopback without a key the service refuses to start with a clear message.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { ensureAwsCli, runAwsCli, type AwsCliInstall } from '../services/awscli.ts';
import { createQueue, sendAll, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { createStream, deleteStream, kinesisClient, kinesisEndpoint, putAll } from './helpers/kinesis.ts';
import { createTopic, kafkaBrokers, kafkaTestClient, produce, type KafkaTestClient } from './helpers/kafka.ts';
import { duplicates, ledger, ledgerFunctionsYaml, writeLedgerHandler } from './helpers/control-plane.ts';
import { startCli, type RunningCli } from './helpers/cli.ts';
import { delay, waitFor } from './helpers/wait.ts';

const API_PORT = 22510;
const OPS_PORT = 22511;
const KEY = { accessKeyId: 'AKIDTRIBUTARYCLI', secretAccessKey: 'cli-secret-never-logged-3f9a' } as const;

let dir: string;
let cli: AwsCliInstall;
let sqs: SQSClient;
let kinesis: KinesisClient;
let kafka: KafkaTestClient;
let service: RunningCli;
const stream = uniqueName('cp-cli-stream');
const ledgerFile = (): string => join(dir, 'ledger.jsonl');

beforeAll(async () => {
  cli = await ensureAwsCli((line) => process.stderr.write(`[awscli] ${line}\n`));
  dir = mkdtempSync(join(tmpdir(), 'tributary-cp-cli-'));
  writeLedgerHandler(dir);
  sqs = sqsClient();
  kinesis = kinesisClient();
  kafka = await kafkaTestClient();
  await createStream(kinesis, stream, 2);
  writeFileSync(
    join(dir, 'tributary.yaml'),
    `server: { host: 127.0.0.1, port: ${OPS_PORT} }
checkpoints: { type: file, path: ./state }
shutdownTimeoutSeconds: 10
logLevel: warn
${ledgerFunctionsYaml()}api:
  port: ${API_PORT}
  syncIntervalSeconds: 1
  sourceDefaults:
    sqs: { endpoint: '\${SQS_ENDPOINT}' }
    kinesis: { endpoint: '\${KINESIS_ENDPOINT}' }
pipelines: []
`,
  );
  service = startCli(['run', '-c', join(dir, 'tributary.yaml')], {
    LEDGER_FILE: ledgerFile(),
    SQS_ENDPOINT: sqsEndpoint(),
    KINESIS_ENDPOINT: kinesisEndpoint(),
    TRIBUTARY_API_ACCESS_KEY_ID: KEY.accessKeyId,
    TRIBUTARY_API_SECRET_ACCESS_KEY: KEY.secretAccessKey,
  });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${OPS_PORT}/readyz`).then((r) => r.status).catch(() => 0)) === 200, 30_000, 'tributary run to be ready');
}, 600_000);

afterAll(async () => {
  service.child.kill('SIGTERM');
  expect(await service.exited).toBe(0);
  expect(service.output()).not.toContain(KEY.secretAccessKey);
  await deleteStream(kinesis, stream).catch(() => undefined);
  await kafka.close();
  sqs.destroy();
  kinesis.destroy();
}, 60_000);

/** `aws lambda …` against the running service; the JSON of a successful call. */
async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const result = await runAwsCli(cli, ['lambda', ...args], { endpointUrl: `http://127.0.0.1:${API_PORT}`, region: 'us-east-1', cwd: dir, ...KEY });
  expect(result.exitCode, `aws lambda ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return (result.json ?? {}) as Record<string, unknown>;
}

async function refused(...args: string[]): Promise<string> {
  const result = await runAwsCli(cli, ['lambda', ...args], { endpointUrl: `http://127.0.0.1:${API_PORT}`, region: 'us-east-1', cwd: dir, ...KEY });
  expect(result.exitCode).not.toBe(0);
  return result.stderr;
}

const state = async (uuid: string): Promise<unknown> => (await aws('get-event-source-mapping', '--uuid', uuid))['State'];
const gone = async (uuid: string): Promise<boolean> =>
  (await runAwsCli(cli, ['lambda', 'get-event-source-mapping', '--uuid', uuid], { endpointUrl: `http://127.0.0.1:${API_PORT}`, region: 'us-east-1', ...KEY })).stderr.includes('ResourceNotFoundException');
const bodies = (prefix: string): string[] => ledger(ledgerFile()).filter((row) => row.body.startsWith(prefix)).map((row) => row.body);

describe('the AWS CLI against tributary run', () => {
  it('SQS: create, list, get, disable, enable with a new batch size, delete', async () => {
    const queue = await createQueue(sqs, uniqueName('cp-cli-sqs'));
    const created = await aws('create-event-source-mapping', '--function-name', 'ledger', '--event-source-arn', queue.arn, '--batch-size', '5');
    expect(created).toMatchObject({ State: 'Creating', BatchSize: 5, EventSourceArn: queue.arn });
    const uuid = String(created['UUID']);
    await waitFor(async () => (await state(uuid)) === 'Enabled', 30_000, 'Enabled');
    const listed = (await aws('list-event-source-mappings', '--event-source-arn', queue.arn))['EventSourceMappings'] as { UUID: string }[];
    expect(listed.map((m) => m.UUID)).toEqual([uuid]);
    await sendAll(sqs, queue.url, Array.from({ length: 20 }, (_, i) => ({ body: `q1-${i}` })));
    await waitFor(() => bodies('q1-').length >= 20, 30_000, 'the first messages');
    expect(ledger(ledgerFile()).filter((row) => row.body.startsWith('q1-')).every((row) => row.batch <= 5)).toBe(true);

    expect(await aws('update-event-source-mapping', '--uuid', uuid, '--no-enabled')).toMatchObject({ State: 'Disabling' });
    await waitFor(async () => (await state(uuid)) === 'Disabled', 30_000, 'Disabled');
    await sendAll(sqs, queue.url, Array.from({ length: 10 }, (_, i) => ({ body: `q2-${i}` })));
    await delay(2_000);
    expect(bodies('q2-')).toEqual([]);
    expect(await aws('update-event-source-mapping', '--uuid', uuid, '--enabled', '--batch-size', '2')).toMatchObject({ State: 'Enabling', BatchSize: 2 });
    await waitFor(() => bodies('q2-').length >= 10, 30_000, 'the messages sent while disabled');
    const rows = ledger(ledgerFile()).filter((row) => row.body.startsWith('q'));
    expect(rows.filter((row) => row.body.startsWith('q2-')).every((row) => row.batch <= 2)).toBe(true);
    expect(rows).toHaveLength(30);
    expect(duplicates(rows)).toEqual([]);

    expect(await aws('delete-event-source-mapping', '--uuid', uuid)).toMatchObject({ State: 'Deleting' });
    await waitFor(() => gone(uuid), 30_000, 'the mapping to be gone');
  }, 240_000);

  it('Kinesis: a disabled mapping keeps its position and resumes with nothing lost; a live retry update; delete', async () => {
    const created = await aws(
      'create-event-source-mapping', '--function-name', 'ledger', '--event-source-arn', `arn:aws:kinesis:us-east-1:000000000000:stream/${stream}`,
      '--starting-position', 'TRIM_HORIZON', '--batch-size', '10',
    );
    const uuid = String(created['UUID']);
    await putAll(kinesis, stream, Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, data: `k1-${i}` })));
    await waitFor(() => bodies('k1-').length >= 30, 40_000, 'the first records');
    await aws('update-event-source-mapping', '--uuid', uuid, '--no-enabled');
    await waitFor(async () => (await state(uuid)) === 'Disabled', 30_000, 'Disabled');
    await putAll(kinesis, stream, Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, data: `k2-${i}` })));
    await delay(2_000);
    expect(bodies('k2-')).toEqual([]);
    await aws('update-event-source-mapping', '--uuid', uuid, '--enabled');
    await waitFor(() => bodies('k2-').length >= 30, 40_000, 'the records put while disabled');
    expect(await aws('update-event-source-mapping', '--uuid', uuid, '--maximum-retry-attempts', '3', '--maximum-record-age-in-seconds', '3600')).toMatchObject({
      State: 'Updating',
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
    });
    await putAll(kinesis, stream, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, data: `k3-${i}` })));
    await waitFor(() => bodies('k3-').length >= 10, 40_000, 'the records after the update');
    const rows = ledger(ledgerFile()).filter((row) => row.body.startsWith('k'));
    expect(new Set(rows.map((row) => row.body)).size).toBe(70);
    expect(duplicates(rows)).toEqual([]);
    await aws('delete-event-source-mapping', '--uuid', uuid);
    await waitFor(() => gone(uuid), 30_000, 'the mapping to be gone');
  }, 240_000);

  it('Kafka: a self-managed mapping; its consumer group is its own; after a delete the group keeps its offsets', async () => {
    const topic = uniqueName('cp-cli-topic');
    const group = `cp-cli-group-${Date.now()}`;
    await createTopic(kafka, topic, 2);
    const endpoints = JSON.stringify({ Endpoints: { KAFKA_BOOTSTRAP_SERVERS: kafkaBrokers() } });
    const groupConfig = JSON.stringify({ ConsumerGroupId: group });
    const create = (): Promise<Record<string, unknown>> =>
      aws('create-event-source-mapping', '--function-name', 'ledger', '--self-managed-event-source', endpoints, '--topics', topic, '--starting-position', 'TRIM_HORIZON', '--self-managed-kafka-event-source-config', groupConfig, '--batch-size', '10');
    const created = await create();
    expect(created).toMatchObject({ State: 'Creating', Topics: [topic], SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: group } });
    const uuid = String(created['UUID']);
    await produce(kafka, topic, Array.from({ length: 20 }, (_, i) => ({ partition: i % 2, key: `p${i}`, value: `f1-${i}` })));
    await waitFor(() => bodies('f1-').length >= 20, 60_000, 'the first Kafka records');

    const other = uniqueName('cp-cli-other');
    await createTopic(kafka, other, 1);
    const clash = await refused('create-event-source-mapping', '--function-name', 'ledger', '--self-managed-event-source', endpoints, '--topics', other, '--starting-position', 'TRIM_HORIZON', '--self-managed-kafka-event-source-config', groupConfig);
    expect(clash).toContain('ResourceConflictException');
    expect(clash).toContain(`The consumer group ${group} is already used`);

    await aws('delete-event-source-mapping', '--uuid', uuid);
    await waitFor(() => gone(uuid), 30_000, 'the mapping to be gone');
    await produce(kafka, topic, Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, key: `p${i}`, value: `f2-${i}` })));
    const again = String((await create())['UUID']);
    await waitFor(() => bodies('f2-').length >= 10, 60_000, 'the records produced while no mapping existed');
    // Resumed from the group's committed offsets: nothing of the first round again.
    const rows = ledger(ledgerFile()).filter((row) => row.body.startsWith('f'));
    expect(rows).toHaveLength(30);
    expect(duplicates(rows)).toEqual([]);
    await aws('delete-event-source-mapping', '--uuid', again);
  }, 240_000);

  it('refuses to start with the API reachable from other hosts and no key', async () => {
    const file = join(dir, 'exposed.yaml');
    writeFileSync(file, `server: { enabled: false }\nfunctions:\n  f: { type: http, url: http://127.0.0.1:1/ }\napi: { host: 0.0.0.0, port: 22530 }\npipelines: []\n`);
    const exposed = startCli(['run', '-c', file], { TRIBUTARY_API_ACCESS_KEY_ID: '', TRIBUTARY_API_SECRET_ACCESS_KEY: '' });
    expect(await exposed.exited).not.toBe(0);
    expect(exposed.output()).toContain('api.host is 0.0.0.0, reachable from other hosts: set TRIBUTARY_API_ACCESS_KEY_ID and TRIBUTARY_API_SECRET_ACCESS_KEY');
  }, 60_000);
});
