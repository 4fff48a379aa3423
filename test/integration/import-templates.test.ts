/**
 * `tributary import` end to end: each fixture (SAM, CloudFormation, CDK synth output) is imported with the built CLI,
 * the output passes `tributary validate`, and `tributary run` of the output, pointed at the real test services by
 * the environment variables the output declares, delivers records to the template's own handlers (they append to
 * a ledger). Resource names come from a stack name unique to the run.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteItemCommand, type DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteQueueCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMODB_TEST_CREDENTIALS, KAFKA_SASL_TEST_USER, readEndpoints } from '../services/endpoints.ts';
import { runCli, startCli, type RunningCli } from './helpers/cli.ts';
import { deleteTable, dynamodbClient } from './helpers/dynamodb.ts';
import { createTopic, kafkaTestClient, produce, type KafkaTestClient } from './helpers/kafka.ts';
import { createStream, deleteStream, kinesisClient, putAll } from './helpers/kinesis.ts';
import { createQueue, queueDepth, sqsClient, uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');
const endpoints = readEndpoints();
let sqs: SQSClient;
let kinesis: KinesisClient;
let dynamodb: DynamoDBClient;
let kafka: KafkaTestClient;
const cleanups: (() => Promise<unknown>)[] = [];
const processes: RunningCli[] = [];
let port = 21200 + (process.pid % 20) * 3;

/** The environment that points an imported file at the test services. */
function serviceEnv(): Record<string, string> {
  return {
    SQS_ENDPOINT: endpoints.sqs,
    KINESIS_ENDPOINT: endpoints.kinesis,
    DDB_ENDPOINT: endpoints.dynamodb,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: DYNAMODB_TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DYNAMODB_TEST_CREDENTIALS.secretAccessKey,
    LOG_LEVEL: 'warn',
  };
}

beforeAll(async () => {
  sqs = sqsClient();
  kinesis = kinesisClient();
  dynamodb = dynamodbClient();
  kafka = await kafkaTestClient();
});

afterAll(async () => {
  for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
  await kafka.close();
  for (const client of [sqs, kinesis, dynamodb]) client.destroy();
});

async function queue(name: string, attributes: Record<string, string> = {}): Promise<string> {
  const { url } = await createQueue(sqs, name, attributes);
  cleanups.push(() => sqs.send(new DeleteQueueCommand({ QueueUrl: url })));
  return url;
}

async function stream(name: string): Promise<void> {
  await createStream(kinesis, name, 1);
  cleanups.push(() => deleteStream(kinesis, name));
}

async function table(name: string, view: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES'): Promise<void> {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: view },
    }),
  );
  cleanups.push(() => deleteTable(dynamodb, name));
}

async function topic(name: string): Promise<void> {
  await createTopic(kafka, name, 2);
  cleanups.push(() => kafka.admin.deleteTopics({ topics: [name] }));
}

async function send(url: string, bodies: readonly string[], groupId?: string): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const entries = bodies.slice(i, i + 10).map((body, j) => ({ Id: `m${j}`, MessageBody: body, ...(groupId === undefined ? {} : { MessageGroupId: groupId }) }));
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
  }
}

const ledgerLines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((line) => line !== '') : []);

interface Imported {
  readonly dir: string;
  readonly file: string;
  readonly ledger: string;
  readonly output: string;
}

/** `tributary import` a fixture into a fresh folder; the import must succeed and the output validate. */
async function importFixture(template: string, stackName: string, args: readonly string[], env: Record<string, string>): Promise<Imported> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-import-'));
  const file = join(dir, 'pipelines.yaml');
  const ledger = join(dir, 'ledger.txt');
  const imported = await runCli(['import', join(FIXTURES, template), '-o', file, '--stack-name', stackName, '-p', `LedgerFile=${ledger}`, ...args]);
  expect(imported.code, imported.output).toBe(0);
  const validated = await runCli(['validate', '-c', file], env);
  expect(validated.code, validated.output).toBe(0);
  expect(validated.output).toContain('ok (');
  return { dir, file, ledger, output: imported.output };
}

function run(file: string, env: Record<string, string>): RunningCli {
  port += 1;
  const cli = startCli(['run', '-c', file], { ...serviceEnv(), TRIBUTARY_PORT: String(port), ...env });
  processes.push(cli);
  return cli;
}

async function stop(cli: RunningCli): Promise<void> {
  cli.child.kill('SIGTERM');
  expect(await cli.exited, cli.output()).toBe(0);
}

describe('tributary import → run', () => {
  it('SAM: SQS (filtered), DynamoDB, Kinesis and SASL/PLAIN self-managed Kafka events reach the template\'s handlers', async () => {
    const stack = uniqueName('imp-sam');
    const ordersUrl = await queue(`${stack}-orders`);
    await queue(`${stack}-click-failures`);
    await table(`${stack}-orders`, 'NEW_AND_OLD_IMAGES');
    // ClickStream has no Name: CloudFormation would generate one; the import's default is <stack>-ClickStream.
    await stream(`${stack}-ClickStream`);
    await topic(`${stack}-payments`);
    const kafkaEnv = {
      KAFKA_BROKERS: endpoints.kafkaSaslBrokers.join(','),
      KAFKA_SSL: 'false',
      KAFKA_CREDENTIALS_USERNAME: KAFKA_SASL_TEST_USER.username,
      KAFKA_CREDENTIALS_PASSWORD: KAFKA_SASL_TEST_USER.password,
    };
    const env = { ...serviceEnv(), ...kafkaEnv };
    const imported = await importFixture('sam/template.yaml', stack, [], env);
    expect(imported.output).toMatch(/template\.yaml:\d+:\d+ not imported: OrdersFunction event Nightly: Schedule events/);
    const cli = run(imported.file, kafkaEnv);

    const orders = Array.from({ length: 25 }, (_, i) => `o${i}`);
    await send(ordersUrl, [...orders.map((id) => JSON.stringify({ type: 'order', id })), ...['r1', 'r2'].map((id) => JSON.stringify({ type: 'refund', id }))]);
    await putAll(kinesis, `${stack}-ClickStream`, Array.from({ length: 20 }, (_, i) => ({ key: `k${i % 3}`, data: `c${i}` })));
    await produce(kafka, `${stack}-payments`, Array.from({ length: 10 }, (_, i) => ({ partition: i % 2, key: `p${i}`, value: `p${i}` })));
    const item = { pk: { S: 'k1' } };
    const tableName = `${stack}-orders`;
    await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { ...item, n: { N: '1' } } }));
    await dynamodb.send(new UpdateItemCommand({ TableName: tableName, Key: item, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '2' } } }));
    await dynamodb.send(new DeleteItemCommand({ TableName: tableName, Key: item }));
    await dynamodb.send(new PutItemCommand({ TableName: tableName, Item: { ...item, n: { N: '3' } } }));

    const expected = [
      ...orders.map((id) => `orders-dev:${id}`),
      ...Array.from({ length: 20 }, (_, i) => `clicks:c${i}`),
      ...Array.from({ length: 10 }, (_, i) => `payments:p${i}`),
    ];
    await waitFor(() => {
      const seen = new Set(ledgerLines(imported.ledger));
      return expected.every((line) => seen.has(line)) && ledgerLines(imported.ledger).filter((l) => l.startsWith('order-changes:')).length >= 3;
    }, 90_000, `every record in the ledger (have:\n${ledgerLines(imported.ledger).join('\n')}\n${cli.output()})`);
    // FilterCriteria came across: the refunds were deleted unprocessed, and the stream's REMOVE filtered out (the
    // INSERT after it, of the same item, arrived, so the REMOVE was handled before it).
    await waitFor(async () => {
      const depth = await queueDepth(sqs, ordersUrl);
      return depth.visible + depth.inFlight === 0;
    }, 30_000, 'the orders queue to be empty');
    const lines = ledgerLines(imported.ledger);
    expect(lines.filter((line) => line.includes(':r'))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('order-changes:'))).toEqual(['order-changes:INSERT:k1', 'order-changes:MODIFY:k1', 'order-changes:INSERT:k1']);
    await stop(cli);
  });

  it('CloudFormation: a FIFO queue, an MSK cluster with SASL/SCRAM and a stream ARN reach an inline (Code.ZipFile) handler', async () => {
    const stack = uniqueName('imp-cfn');
    const invoicesUrl = await queue(`${stack}-invoices.fifo`, { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const shared = `${stack}-shared`;
    await stream(shared);
    await topic(`${stack}-audit`);
    const mskEnv = {
      AUDIT_CLUSTER_BROKERS: endpoints.kafkaSaslBrokers.join(','),
      AUDIT_CLUSTER_SSL: 'false',
      AUDIT_SECRET_USERNAME: KAFKA_SASL_TEST_USER.username,
      AUDIT_SECRET_PASSWORD: KAFKA_SASL_TEST_USER.password,
    };
    const imported = await importFixture('cloudformation/template.yaml', stack, ['-p', `SharedStreamName=${shared}`], { ...serviceEnv(), ...mskEnv });
    expect(imported.output).toMatch(/not imported: LegacyMapping: not created by CloudFormation here: its Condition Never is false/);
    expect(existsSync(join(imported.dir, 'functions', `${stack}-billing`, 'index.cjs'))).toBe(true);
    const cli = run(imported.file, mskEnv);

    await send(invoicesUrl, Array.from({ length: 12 }, (_, i) => `i${i}`), 'g1');
    await putAll(kinesis, shared, Array.from({ length: 15 }, (_, i) => ({ key: 'k', data: `s${i}` })));
    await produce(kafka, `${stack}-audit`, Array.from({ length: 8 }, (_, i) => ({ partition: i % 2, key: `a${i}`, value: `a${i}` })));
    const expected = [
      ...Array.from({ length: 12 }, (_, i) => `invoices:g1:i${i}`),
      ...Array.from({ length: 15 }, (_, i) => `shared:s${i}`),
      ...Array.from({ length: 8 }, (_, i) => `audit:a${i}`),
    ];
    await waitFor(() => {
      const seen = new Set(ledgerLines(imported.ledger));
      return expected.every((line) => seen.has(line));
    }, 90_000, `every record in the ledger (have:\n${ledgerLines(imported.ledger).join('\n')}\n${cli.output()})`);
    // FIFO order within the message group, as Lambda keeps it.
    const invoices = ledgerLines(imported.ledger).filter((line) => line.startsWith('invoices:'));
    expect([...new Set(invoices)]).toEqual(Array.from({ length: 12 }, (_, i) => `invoices:g1:i${i}`));
    await stop(cli);
  });

  it('CDK synth output: generated queue, stream and table names and the bundled asset handler', async () => {
    const stack = uniqueName('imp-cdk');
    const ordersUrl = await queue(`${stack}-OrdersQueue1F2B8A43`);
    await stream(`${stack}-ClicksStreamE5E1ADA9`);
    await table(`${stack}-OrdersTable315BB997`, 'NEW_IMAGE');
    const imported = await importFixture('cdk/cdk.out', stack, [], serviceEnv());
    expect(imported.output).toContain('set ORDERS_QUEUE_ARN to the deployed queue\'s ARN');
    const cli = run(imported.file, {});

    await send(ordersUrl, Array.from({ length: 10 }, (_, i) => `q${i}`));
    await putAll(kinesis, `${stack}-ClicksStreamE5E1ADA9`, Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, data: `k${i}` })));
    for (let i = 0; i < 3; i += 1) await dynamodb.send(new PutItemCommand({ TableName: `${stack}-OrdersTable315BB997`, Item: { pk: { S: `t${i}` } } }));
    const expected = [
      ...Array.from({ length: 10 }, (_, i) => `orders:q${i}`),
      ...Array.from({ length: 10 }, (_, i) => `clicks:k${i}`),
      ...Array.from({ length: 3 }, (_, i) => `changes:INSERT:t${i}`),
    ];
    await waitFor(() => {
      const seen = new Set(ledgerLines(imported.ledger));
      return expected.every((line) => seen.has(line));
    }, 90_000, `every record in the ledger (have:\n${ledgerLines(imported.ledger).join('\n')}\n${cli.output()})`);
    await stop(cli);
  });

  it('a pipelines file with AWS-only parameters runs, and tributary run logs each as a warning', async () => {
    const url = await queue(uniqueName('imp-awsonly'));
    const dir = mkdtempSync(join(tmpdir(), 'tributary-aws-only-'));
    const ledger = join(dir, 'ledger.txt');
    writeFileSync(join(dir, 'h.mjs'), `import { appendFileSync } from 'node:fs';\nexport const handler = async (event) => { appendFileSync(${JSON.stringify(ledger)}, event.Records.map((r) => r.body + '\\n').join('')); };\n`);
    const file = join(dir, 'pipelines.yaml');
    writeFileSync(
      file,
      `server: { port: "\${TRIBUTARY_PORT}" }
functions:
  echo: { type: module, handler: ./h.handler }
pipelines:
  - name: aws-only
    function: echo
    source: { type: sqs, queueUrl: "${url}", endpoint: "\${SQS_ENDPOINT}" }
    kmsKeyArn: arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab
    tags: { team: orders }
`,
    );
    const cli = run(file, {});
    await send(url, ['a', 'b', 'c']);
    await waitFor(() => ledgerLines(ledger).length >= 3, 30_000, `the three messages (${cli.output()})`);
    const warnings = cli.output().split('\n').filter((line) => line.includes('"msg":"configuration warning"'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('"level":"warn"');
    expect(warnings[0]).toContain('pipelines.yaml:8:5 pipelines[0].kmsKeyArn: accepted and ignored');
    expect(warnings[1]).toContain('pipelines.yaml:9:5 pipelines[0].tags: accepted and ignored');
    await stop(cli);
  });
});
