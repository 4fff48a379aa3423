/**
 * The realistic fixtures (SAM, CloudFormation, CDK v2 synth output, and one of what only partly maps) imported in
 * process: what each part of the output is, what is noted where, and that the output validates.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import { importTemplates, type ImportResult } from '../../../src/import/import-templates.js';
import type { ImportNote } from '../../../src/import/notes.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'import');
const OUT = '/srv/out/pipelines.yaml';
type Json = Record<string, unknown>;
type Ok = Extract<ImportResult, { ok: true }>;

function importFixture(relative: string, stackName: string, parameters: Record<string, string> = {}): Ok {
  const path = join(FIXTURES, relative);
  const result = importTemplates({
    templates: [{ text: readFileSync(path, 'utf8'), file: relative, dir: join(path, '..'), stackName }],
    parameters: new Map(Object.entries(parameters)),
    region: 'us-east-1',
    accountId: '000000000000',
    outPath: OUT,
    outLabel: 'pipelines.yaml',
    env: {},
    nowMs: 1_700_000_000_000,
  });
  if (!result.ok) expect.fail(JSON.stringify(result.issues));
  return result;
}

const output = (result: Ok): Json => parseYaml(result.text) as Json;
const pipeline = (out: Json, name: string): Json => ((out['pipelines'] as Json[]).find((p) => p['name'] === name) ?? expect.fail(`no pipeline ${name}`)) as Json;
const fn = (out: Json, key: string): Json => ((out['functions'] as Json)[key] ?? expect.fail(`no function ${key}`)) as Json;
const notesOf = (result: Ok, kind: ImportNote['kind']): string[] => result.notes.filter((n) => n.kind === kind).map((n) => `${n.at.line}:${n.at.column} ${n.message}`);
const lineOf = (relative: string, needle: string): number => readFileSync(join(FIXTURES, relative), 'utf8').split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('import of the SAM fixture', () => {
  const result = importFixture('sam/template.yaml', 'shop');
  const out = output(result);

  it('validates, and lists what it needs from the environment', () => {
    expect(result.outputIssues).toEqual([]);
    expect(result.requiredEnv).toEqual(['KAFKA_CREDENTIALS_PASSWORD', 'KAFKA_CREDENTIALS_USERNAME']);
    expect(result.pipelines).toBe(4);
    expect(out['server']).toEqual({ host: '127.0.0.1', port: '${TRIBUTARY_PORT:-9400}' });
  });

  it('functions: Globals applied (lists, maps merged; the function wins), handler relative to the output', () => {
    expect(Object.keys(out['functions'] as Json)).toEqual(['shop-orders', 'ClicksFunction', 'PaymentsFunction']);
    expect(fn(out, 'shop-orders')).toEqual({
      type: 'module',
      handler: `${relative('/srv/out', join(FIXTURES, 'sam/src/orders'))}.handler`,
      timeout: 30,
      memorySize: 256,
      environment: { STAGE: 'dev', LEDGER_FILE: '/tmp/orders-ledger.txt' },
      reservedConcurrency: 5,
      description: 'Handles new orders and order changes',
    });
    expect(fn(out, 'ClicksFunction')).toMatchObject({ timeout: 60, environment: { STAGE: 'dev', LEDGER_FILE: '/tmp/orders-ledger.txt', SOURCE: 'clicks' } });
  });

  it('SQS: the queue ARN, an emulator endpoint variable, scaling, a Number parameter as a number, the filter', () => {
    expect(pipeline(out, 'OrdersFunctionNewOrders')).toEqual({
      name: 'OrdersFunctionNewOrders',
      function: 'shop-orders',
      source: { type: 'sqs', queueArn: 'arn:aws:sqs:us-east-1:000000000000:shop-orders', endpoint: '${SQS_ENDPOINT:-}', scalingConfig: { maximumConcurrency: 5 } },
      batchSize: 10,
      maximumBatchingWindowInSeconds: 1,
      functionResponseTypes: ['ReportBatchItemFailures'],
      filterCriteria: { filters: [{ pattern: '{"body": {"type": ["order"]}}' }] },
      metricsConfig: { metrics: ['EventCount'] },
    });
  });

  it('DynamoDB by table name; Kinesis with a generated name overridable; Fn::If → AWS::NoValue left out; SQS destination', () => {
    expect(pipeline(out, 'OrdersFunctionOrderChanges')['source']).toEqual({ type: 'dynamodb-streams', tableName: 'shop-orders', region: 'us-east-1', endpoint: '${DDB_ENDPOINT:-}' });
    const clicks = pipeline(out, 'ClicksFunctionClicks');
    expect(clicks['source']).toEqual({ type: 'kinesis', streamName: '${CLICK_STREAM_NAME:-shop-ClickStream}', region: 'us-east-1', endpoint: '${KINESIS_ENDPOINT:-}' });
    expect(clicks).not.toHaveProperty('tumblingWindowInSeconds');
    expect(clicks['destinationConfig']).toEqual({ onFailure: { destination: '${SQS_ENDPOINT:-https://sqs.us-east-1.amazonaws.com}/000000000000/shop-click-failures' } });
  });

  it('self-managed Kafka: brokers from a CommaDelimitedList, SASL/PLAIN from the secret, TLS by default', () => {
    expect(pipeline(out, 'PaymentsFunctionPayments')['source']).toEqual({
      type: 'kafka',
      bootstrapServers: '${KAFKA_BROKERS:-b-1.kafka.example.com:9096,b-2.kafka.example.com:9096}',
      topics: ['shop-payments'],
      consumerGroupId: 'shop-payments',
      ssl: '${KAFKA_SSL:-true}',
      sasl: { mechanism: 'plain', username: '${KAFKA_CREDENTIALS_USERNAME}', password: '${KAFKA_CREDENTIALS_PASSWORD}' },
    });
  });

  it('notes at the template lines: the Schedule event, AWS-only settings (warnings), the generated name', () => {
    const file = 'sam/template.yaml';
    expect(notesOf(result, 'unmapped')).toEqual([`${lineOf(file, 'Type: Schedule')}:11 OrdersFunction event Nightly: Schedule events are not event source mappings; Tributary runs event source mappings only`]);
    const warnings = notesOf(result, 'warning');
    expect(warnings).toContain(`${lineOf(file, 'KmsKeyArn:')}:13 OrdersFunctionNewOrders: KmsKeyArn: accepted and ignored: AWS encrypts the filter criteria at rest with this key; Tributary reads them from this file (AWS KMSKeyArn)`);
    // MetricsConfig is a real setting now (mapped above), not an AWS-only one.
    expect(warnings.filter((w) => w.includes('MetricsConfig'))).toEqual([]);
    expect(warnings.filter((w) => w.includes('Architectures'))).toHaveLength(3);
    expect(warnings.some((w) => w.includes('VPC_SUBNET'))).toBe(true);
    expect(notesOf(result, 'action').some((a) => a.includes('set CLICK_STREAM_NAME'))).toBe(true);
    // The header of the file lists what was not imported and what needs a hand, not the warnings.
    expect(result.text).toContain(`# sam/template.yaml:${lineOf(file, 'Type: Schedule')}:11 not imported: OrdersFunction event Nightly`);
    expect(result.text).not.toContain('# sam/template.yaml:30:5 warning');
  });

  it('loads as a configuration whose pipelines share the declared functions', () => {
    const config = parseConfigText(result.text, { file: 'p.yaml', absolutePath: OUT, env: { KAFKA_CREDENTIALS_USERNAME: 'u', KAFKA_CREDENTIALS_PASSWORD: 'p' }, now: () => 1_700_000_000_000 });
    const [orders, changes] = config.pipelines;
    expect(orders?.function).toBe(config.functions['shop-orders']);
    expect(changes?.function).toBe(config.functions['shop-orders']);
    expect(config.functions['shop-orders']).toMatchObject({ reservedConcurrency: 5, handlerFile: join(FIXTURES, 'sam/src/orders') });
    expect(config.warnings).toEqual([]);
  });
});

describe('import of the CloudFormation fixture', () => {
  const result = importFixture('cloudformation/template.yaml', 'billing', { SharedStreamName: 'shared' });
  const out = output(result);
  const file = 'cloudformation/template.yaml';

  it('inline Code.ZipFile is written next to the output as CommonJS, and the function names it', () => {
    expect([...result.extraFiles.keys()]).toEqual(['functions/billing-billing/index.cjs']);
    const code = result.extraFiles.get('functions/billing-billing/index.cjs') ?? '';
    expect(code.startsWith("const { appendFileSync } = require('node:fs');\n")).toBe(true);
    expect(code).toContain('exports.handler = async (event) => {');
    expect(fn(out, 'billing-billing')).toMatchObject({ type: 'module', handler: './functions/billing-billing/index.handler', timeout: 10, memorySize: 512 });
  });

  it('FIFO queue, FindInMap batch size, MSK with SASL/SCRAM, a stream ARN from Fn::Sub, and the false condition', () => {
    expect(result.outputIssues).toEqual([]);
    expect(pipeline(out, 'InvoicesMapping')).toMatchObject({ source: { queueArn: 'arn:aws:sqs:us-east-1:000000000000:billing-invoices.fifo' }, batchSize: 5, enabled: true });
    expect(pipeline(out, 'AuditMapping')).toMatchObject({
      source: {
        type: 'kafka',
        bootstrapServers: '${AUDIT_CLUSTER_BROKERS:-localhost:9092}',
        clusterArn: expect.stringMatching(/^\$\{AUDIT_CLUSTER_ARN:-arn:aws:kafka:us-east-1:000000000000:cluster\/billing-audit\/[0-9a-f-]+-1\}$/),
        topics: ['billing-audit'],
        consumerGroupId: 'billing-audit',
        ssl: '${AUDIT_CLUSTER_SSL:-true}',
        sasl: { mechanism: 'scram-sha-512', username: '${AUDIT_SECRET_USERNAME}', password: '${AUDIT_SECRET_PASSWORD}' },
      },
      startingPosition: 'TRIM_HORIZON',
      maximumRetryAttempts: 1,
    });
    expect(pipeline(out, 'SharedStreamMapping')['source']).toEqual({ type: 'kinesis', streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/shared', endpoint: '${KINESIS_ENDPOINT:-}' });
    expect((out['pipelines'] as Json[]).map((p) => p['name'])).not.toContain('LegacyMapping');
    expect(notesOf(result, 'unmapped')).toEqual([`${lineOf(file, 'LegacyMapping:')}:3 LegacyMapping: not created by CloudFormation here: its Condition Never is false`]);
    expect(notesOf(result, 'warning').map((w) => w.replace(/^\d+:\d+ /, '').split(':').slice(0, 2).join(':'))).toEqual(
      expect.arrayContaining(['function billing-billing: Role', 'function billing-billing: Tags', 'InvoicesMapping: Tags']),
    );
    // ProvisionedPollerConfig and MetricsConfig are real settings now.
    expect(pipeline(out, 'AuditMapping')['provisionedPollerConfig']).toEqual({ minimumPollers: 1, maximumPollers: 3 });
    expect(pipeline(out, 'SharedStreamMapping')['metricsConfig']).toEqual({ metrics: ['EventCount'] });
  });

  it('a parameter without Default and not given leaves the mapping out, saying how to pass it', () => {
    const missing = importFixture(file, 'billing');
    expect((output(missing)['pipelines'] as Json[]).map((p) => p['name'])).toEqual(['InvoicesMapping', 'AuditMapping']);
    expect(notesOf(missing, 'unmapped')).toContain(`${lineOf(file, 'stream/${SharedStreamName}')}:7 SharedStreamMapping: EventSourceArn: parameter SharedStreamName has no Default; pass --parameter SharedStreamName=VALUE`);
  });
});

describe('import of the CDK synth output', () => {
  const result = importFixture('cdk/cdk.out/ImportCdkStack.template.json', 'import-cdk-stack');
  const out = output(result);

  it('generated names with overrides, the asset folder as code, CDK conditions and SSM parameters cause no noise', () => {
    expect(result.outputIssues).toEqual([]);
    const names = (out['pipelines'] as Json[]).map((p) => p['name']);
    expect(names).toEqual([
      'HandlerSqsEventSourceImportCdkStackOrdersQueue5C9F4E0E3D7A4B1C',
      expect.stringMatching(/^HandlerKinesisEventSourceImportCdkStackClicksStream2B7D-[0-9a-f]{8}$/),
      expect.stringMatching(/^HandlerDynamoDBEventSourceImportCdkStackOrdersTable7E4A-[0-9a-f]{8}$/),
    ]);
    expect((names as string[]).every((name) => name.length <= 64)).toBe(true);
    const [sqs, kinesis, dynamodb] = (out['pipelines'] as Json[]).map((p) => p['source'] as Json);
    expect(sqs?.['queueArn']).toBe('${ORDERS_QUEUE_ARN:-arn:aws:sqs:us-east-1:000000000000:import-cdk-stack-OrdersQueue1F2B8A43}');
    expect(kinesis?.['streamName']).toBe('${CLICKS_STREAM_NAME:-import-cdk-stack-ClicksStreamE5E1ADA9}');
    expect(dynamodb?.['tableName']).toBe('${ORDERS_TABLE_NAME:-import-cdk-stack-OrdersTable315BB997}');
    expect(fn(out, 'Handler886CB40B')['handler']).toMatch(/cdk\.out\/asset\.8d3c2c1f[0-9a-f]+\/index\.handler$/);
    expect(fn(out, 'Handler886CB40B')['environment']).toEqual({ LEDGER_FILE: '/tmp/cdk-ledger.txt', AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' });
    expect(notesOf(result, 'unmapped')).toEqual([]);
    expect(result.notes.map((n) => n.message).filter((m) => m.includes('BootstrapVersion') || m.includes('CDKMetadata'))).toEqual([]);
  });
});

describe('import of what only partly maps', () => {
  const file = 'edge/template.yaml';
  const result = importFixture(file, 'edge');
  const out = output(result);

  it('an out-of-range value is reported at the template line it came from', () => {
    expect(result.outputIssues).toHaveLength(1);
    expect(result.outputIssues[0]?.issue.message).toBe('must be between 1 and 10000 (got 20000)');
    expect(result.outputIssues[0]?.origin).toEqual({ file, line: lineOf(file, 'BatchSize: 20000'), column: 13 });
  });

  it('non-Node.js runtimes and images run behind the Runtime Interface Emulator; a function not in the template is invoked in AWS', () => {
    expect(fn(out, 'ScoringFunction')).toEqual({ type: 'http', url: '${SCORING_FUNCTION_URL:-http://127.0.0.1:9000}', timeout: 20 });
    expect(fn(out, 'ImageFunction')).toEqual({ type: 'http', url: '${IMAGE_FUNCTION_URL:-http://127.0.0.1:9001}' });
    expect(fn(out, 'remote-worker')).toEqual({ type: 'lambda', functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:remote-worker', endpoint: '${LAMBDA_ENDPOINT:-}' });
    expect(result.text).toContain('docker run --rm -p 9000:8080 -v "' + join(FIXTURES, 'edge/scoring') + ':/var/task:ro" public.ecr.aws/lambda/python:3.12 app.lambda_handler');
  });

  it('lists every part it cannot take over, at its line; SNS failures go to a stand-in file', () => {
    const unmapped = notesOf(result, 'unmapped');
    const expected = [
      [lineOf(file, '- !Ref ScoringLayer') - 1, 'function ScoringFunction: Layers: layer code is not available here'],
      [lineOf(file, 'DeadLetterQueue:'), 'function ScoringFunction: DeadLetterQueue: asynchronous-invocation settings are not imported'],
      [lineOf(file, 'Destination: !Ref ScoresAlerts'), 'ScoringFunctionScores: DestinationConfig.OnFailure: SNS topics are not supported'],
      [lineOf(file, 'Foo: bar'), 'ScoringFunctionScores: Foo: not a setting tributary import knows'],
      [lineOf(file, 'Queue: !ImportValue'), 'ScoringFunctionUpstream: EventSourceArn: Fn::ImportValue "platform-QueueArn" is exported by another stack'],
      [lineOf(file, 'Broker:'), 'ScoringFunctionBroker: Amazon MQ event sources are not supported by Tributary'],
      [lineOf(file, 'OnSuccess:') + 1, 'RemoteMapping: DestinationConfig.OnSuccess.Destination: on-success destinations do not exist'],
    ] as const;
    for (const [line, text] of expected) expect(unmapped.some((note) => note.startsWith(`${line}:`) && note.includes(text)), `${line} ${text} in\n${unmapped.join('\n')}`).toBe(true);
    expect(unmapped).toHaveLength(expected.length);
    expect(pipeline(out, 'ScoringFunctionScores')['destinationConfig']).toEqual({ onFailure: { destination: 'file://./failed/ScoringFunctionScores.jsonl' } });
    expect(pipeline(out, 'ScoringFunctionScores')['maximumRetryAttempts']).toBe(4);
  });
});
