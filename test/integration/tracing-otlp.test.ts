/**
 * Tracing end to end (README "Tracing"): the service's spans, exported by the OpenTelemetry SDK over OTLP/HTTP as
 * the `OTEL_*` variables configure it, arrive at a real OpenTelemetry Collector (built from test/services/otelcol by
 * test/services/otel-collector.ts, its OTLP receiver writing what it gets to a file). One SQS message through real
 * ElasticMQ → an in-process handler → settle, and a Kafka record through the real broker whose `traceparent` header
 * links the invocation to its producer.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { untypedPipeline } from '../support/untyped-input.ts';
import { createService, startTracing, type TributaryService } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startCollector, type ReceivedSpan, type RunningCollector } from '../services/otel-collector.ts';
import { createTopic, kafkaBrokers, kafkaTestClient, type KafkaTestClient } from './helpers/kafka.ts';
import { startCli } from './helpers/cli.ts';
import { createStream, deleteStream, kinesisClient, kinesisEndpoint, putAll } from './helpers/kinesis.ts';
import { createQueue, queueDepth, sqsClient, sqsEndpoint, uniqueName } from './helpers/sqs.ts';
import { waitFor } from './helpers/wait.ts';

/** In the port range this suite may use (TRIBUTARY_TEST_OTLP_PORT moves it). */
const OTLP_PORT = Number(process.env['TRIBUTARY_TEST_OTLP_PORT'] ?? 23140);
/** Set for this file only; the exporters read them from process.env. */
const OTEL_ENV: Readonly<Record<string, string>> = { OTEL_SERVICE_NAME: 'tributary-tracing-test', OTEL_BSP_SCHEDULE_DELAY: '200' };

let collector: RunningCollector;
let sqs: SQSClient;
let kafka: KafkaTestClient;
const services: TributaryService[] = [];
const saved = new Map<string, string | undefined>();
const dir = mkdtempSync(join(tmpdir(), 'tributary-tracing-'));

beforeAll(async () => {
  // Builds the collector on the first run (a few minutes), then reuses .infra/otelcol/<key>/. A missing Go
  // toolchain fails here with the reason; never skipped.
  collector = await startCollector({ port: OTLP_PORT, log: (line) => process.stderr.write(`[otelcol] ${line}\n`) });
  if (collector.build.buildMs > 0) process.stderr.write(`[otelcol] built in ${(collector.build.buildMs / 1000).toFixed(1)} s\n`);
  for (const [name, value] of Object.entries({ ...OTEL_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint })) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  sqs = sqsClient();
  kafka = await kafkaTestClient();
}, 16 * 60_000);

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

afterAll(async () => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  sqs?.destroy();
  await kafka?.close();
  await collector?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function tracedService(pipeline: Record<string, unknown>, config: Record<string, unknown> = {}): Promise<TributaryService> {
  const tracing = await startTracing({ logger: silentLogger() });
  expect(tracing.enabled).toBe(true);
  const service = createService({ server: { enabled: false }, shutdownTimeoutSeconds: 10, pipelines: [untypedPipeline(pipeline)], ...config }, { logger: silentLogger(), tracing, baseDir: dir, leaseDurationMs: 1000 });
  services.push(service);
  return service;
}

/** Stops the service (its tracing exports the last spans) and waits until the collector wrote `count` matching spans. */
async function spansOf(service: TributaryService, match: (span: ReceivedSpan) => boolean, count: number): Promise<ReceivedSpan[]> {
  services.splice(services.indexOf(service), 1);
  await service.stop();
  await waitFor(() => collector.spans().filter(match).length >= count, 20_000, `${count} spans at the collector\n${collector.logTail()}`);
  return collector.spans().filter(match);
}

const PRODUCER_XRAY = { traceId: '6a1b2c3d0123456789abcdef01234567', spanId: '89abcdef01234567' };
const PRODUCER_W3C = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

describe('tracing to a real OTLP receiver', () => {
  it('SQS → handler → settle: receive, process (linked to the producers, its trace handed to the handler) and delete spans', async () => {
    const queue = uniqueName('traced');
    const { url } = await createQueue(sqs, queue, { VisibilityTimeout: '30' });
    // An X-Ray-traced sender (AWSTraceHeader system attribute) that also propagates W3C context in an attribute.
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'order-1',
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: `Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=${PRODUCER_XRAY.spanId};Sampled=1` } },
        MessageAttributes: { traceparent: { DataType: 'String', StringValue: `00-${PRODUCER_W3C.traceId}-${PRODUCER_W3C.spanId}-01` } },
      }),
    );
    // A module handler (its own sandbox, as in Lambda): what it sees of its trace, one JSON line per invocation.
    const ledger = join(dir, 'traced.jsonl');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(
      join(dir, 'traced.mjs'),
      `import { appendFileSync } from 'node:fs';\nexport const handler = async (event, context) => {\n  appendFileSync(${JSON.stringify(ledger)}, JSON.stringify({ env: process.env._X_AMZN_TRACE_ID, xRayTraceId: context.xRayTraceId, requestId: context.awsRequestId }) + '\\n');\n  return {};\n};\n`,
    );
    const seen = (): { env?: string; xRayTraceId?: string; requestId: string }[] => {
      try {
        return readFileSync(ledger, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { requestId: string });
      } catch {
        return [];
      }
    };
    const name = uniqueName('tp');
    const service = await tracedService({
      name,
      source: { type: 'sqs', queueUrl: url, endpoint: sqsEndpoint(), region: 'us-east-1' },
      function: { type: 'module', handler: './traced.handler', timeout: 30 },
    });
    await service.start();
    await waitFor(() => seen().length >= 1, 30_000, 'the handler');
    await waitFor(async () => (await queueDepth(sqs, url)).inFlight + (await queueDepth(sqs, url)).visible === 0, 20_000, 'the message deleted');
    const ofQueue = (span: ReceivedSpan): boolean => span.attributes['tributary.pipeline'] === name;
    const spans = await spansOf(service, (span) => ofQueue(span) && span.name !== `receive ${queue}`, 2);
    const process_ = spans.find((s) => s.name === `process ${queue}`);
    const settle = spans.find((s) => s.name === `delete ${queue}`);
    expect(process_).toBeDefined();
    expect(settle).toBeDefined();
    const receive = collector.spans().filter(ofQueue).find((s) => s.name === `receive ${queue}`);
    expect(receive).toMatchObject({ kind: 3, attributes: { 'messaging.operation.type': 'receive', 'messaging.batch.message_count': 1 } });
    const [handled] = seen();
    // The handler's trace header is the invocation span's, in _X_AMZN_TRACE_ID (as Lambda hands a traced invocation
    // its X-Ray header) and context.xRayTraceId.
    const header = `Root=1-${process_?.traceId.slice(0, 8)}-${process_?.traceId.slice(8)};Parent=${process_?.spanId};Sampled=1`;
    expect(handled).toEqual({ env: header, xRayTraceId: header, requestId: expect.any(String) });
    expect(process_).toMatchObject({
      kind: 5, // CONSUMER
      resource: { 'service.name': 'tributary-tracing-test' },
      attributes: {
        'messaging.system': 'aws_sqs',
        'messaging.system.name': 'aws.sqs',
        'messaging.destination.name': queue,
        'messaging.operation.type': 'process',
        'messaging.batch.message_count': 1,
        'messaging.message.id': sent.MessageId,
        'faas.trigger': 'pubsub',
        'faas.invocation.id': handled?.requestId,
        'cloud.provider': 'aws',
        'cloud.region': 'us-east-1',
      },
    });
    expect(process_?.parentSpanId).toBeUndefined(); // a root span: producers are links (a batch has many)
    expect(typeof process_?.attributes['faas.coldstart']).toBe('boolean');
    expect(process_?.attributes['cloud.resource_id']).toMatch(/^arn:aws:lambda:us-east-1:\d{12}:function:/);
    expect(process_?.attributes['cloud.resource_id']).toContain(`:function:${String(process_?.attributes['faas.name'])}`);
    expect(process_?.attributes['aws.lambda.resource_mapping.id']).toMatch(/^[0-9a-f-]{36}$/);
    // Linked to both producers, each marked with where its context was found.
    expect(process_?.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, from: l.attributes['tributary.link.source'] }))).toEqual([
      { ...PRODUCER_XRAY, from: 'AWSTraceHeader' },
      { ...PRODUCER_W3C, from: 'traceparent' },
    ]);
    // The settle span links to the invocation it settles.
    expect(settle).toMatchObject({ kind: 3, attributes: { 'messaging.operation.name': 'delete', 'tributary.settle.done': 1, 'tributary.settle.redeliver': 0 } });
    expect(settle?.links.map((l) => [l.traceId, l.spanId])).toEqual([[process_?.traceId, process_?.spanId]]);
  });

  it('a Kafka record with a traceparent header: the process span is linked to its producer; the offset commit is traced', async () => {
    const topic = uniqueName('traced-orders');
    await createTopic(kafka, topic, 1);
    await kafka.producer.send({ topic, acks: -1, messages: [{ partition: 0, key: 'k', value: 'v', headers: { traceparent: `00-${PRODUCER_W3C.traceId}-${PRODUCER_W3C.spanId}-01` } }] });
    let handled = 0;
    const name = uniqueName('tk');
    const group = uniqueName('group');
    const service = await tracedService({
      name,
      source: { type: 'kafka', bootstrapServers: kafkaBrokers(), topics: [topic], consumerGroupId: group },
      function: {
        type: 'in-process',
        timeout: 30,
        handler: () => {
          handled += 1;
          return {};
        },
      },
      startingPosition: 'TRIM_HORIZON',
    });
    await service.start();
    await waitFor(() => handled >= 1, 60_000, 'the handler');
    const ofPipeline = (span: ReceivedSpan): boolean => span.attributes['tributary.pipeline'] === name;
    const spans = await spansOf(service, (span) => ofPipeline(span) && (span.name === `process ${topic}` || span.name === `commit ${topic}`), 2);
    const process_ = spans.find((s) => s.name === `process ${topic}`);
    expect(process_).toMatchObject({
      kind: 5,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': '0',
        'messaging.consumer.group.name': group,
        'messaging.batch.message_count': 1,
        'faas.trigger': 'pubsub',
      },
    });
    expect(process_?.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, from: l.attributes['tributary.link.source'] }))).toEqual([{ ...PRODUCER_W3C, from: 'traceparent' }]);
    const commit = spans.find((s) => s.name === `commit ${topic}`);
    expect(commit).toMatchObject({ kind: 3, attributes: { 'messaging.operation.type': 'settle', 'messaging.operation.name': 'commit' } });
  });

  it('Kinesis: no producer links (its records carry none); an in-place retry is a second process span; the checkpoint is traced', async () => {
    const kinesis = kinesisClient();
    const stream = uniqueName('traced-clicks');
    await createStream(kinesis, stream, 1);
    try {
      await putAll(kinesis, stream, [{ key: 'k', data: 'click-1' }]);
      let calls = 0;
      const name = uniqueName('tks');
      const service = await tracedService(
        {
          name,
          source: { type: 'kinesis', streamName: stream, endpoint: kinesisEndpoint(), region: 'us-east-1' },
          function: {
            type: 'in-process',
            timeout: 30,
            handler: () => {
              calls += 1;
              if (calls === 1) throw new Error('first attempt fails');
              return {};
            },
          },
          startingPosition: 'TRIM_HORIZON',
        },
        { checkpoints: { type: 'file', path: join(dir, `checkpoints-${name}`) } },
      );
      await service.start();
      await waitFor(() => calls >= 2, 60_000, 'the retried invocation');
      const ofPipeline = (span: ReceivedSpan): boolean => span.attributes['tributary.pipeline'] === name;
      const spans = await spansOf(service, (span) => ofPipeline(span) && (span.name === `process ${stream}` || span.name === `checkpoint ${stream}`), 3);
      const processes = spans.filter((s) => s.name === `process ${stream}`);
      expect(processes.map((s) => [s.status.code ?? 0, s.attributes['error.type'] ?? null, s.links.length])).toEqual([
        [2, 'Error', 0],
        [0, null, 0],
      ]);
      expect(processes[0]?.attributes).toMatchObject({ 'messaging.system': 'aws.kinesis', 'aws.kinesis.stream_name': stream, 'messaging.destination.partition.id': 'shardId-000000000000' });
      expect(spans.some((s) => s.name === `checkpoint ${stream}` && s.attributes['messaging.operation.name'] === 'checkpoint')).toBe(true);
    } finally {
      await deleteStream(kinesis, stream);
      kinesis.destroy();
    }
  });

  it('tributary run reads OTEL_* at start and exports the last spans when SIGTERM stops it', async () => {
    const queue = uniqueName('traced-cli');
    const { url } = await createQueue(sqs, queue, { VisibilityTimeout: '30' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'order-2' }));
    const ledger = join(dir, 'cli.jsonl');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(dir, 'cli.mjs'), `import { appendFileSync } from 'node:fs';\nexport const handler = async () => {\n  appendFileSync(${JSON.stringify(ledger)}, process.env._X_AMZN_TRACE_ID + '\\n');\n  return {};\n};\n`);
    const file = join(dir, 'cli.yaml');
    writeFileSync(
      file,
      `server: { enabled: false }
shutdownTimeoutSeconds: 10
pipelines:
  - name: ${queue}
    source: { type: sqs, queueUrl: '${url}', endpoint: '${sqsEndpoint()}', region: us-east-1 }
    function: { type: module, handler: ./cli.handler, timeout: 10 }
`,
    );
    // A long export delay: only the flush at shutdown can deliver the spans in time.
    const cli = startCli(['run', '-c', file], { OTEL_SERVICE_NAME: 'tributary-cli', OTEL_BSP_SCHEDULE_DELAY: '600000', LOG_LEVEL: 'warn' }, dir);
    const lines = (): string[] => {
      try {
        return readFileSync(ledger, 'utf8').split('\n').filter(Boolean);
      } catch {
        return [];
      }
    };
    await waitFor(() => lines().length >= 1, 30_000, `the handler\n${cli.output()}`);
    await waitFor(async () => (await queueDepth(sqs, url)).inFlight === 0, 20_000, 'the message deleted');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    const ofCli = (span: ReceivedSpan): boolean => span.attributes['tributary.pipeline'] === queue;
    await waitFor(() => collector.spans().filter(ofCli).some((s) => s.name === `delete ${queue}`), 20_000, `the spans of the CLI run\n${cli.output()}`);
    const process_ = collector.spans().filter(ofCli).find((s) => s.name === `process ${queue}`);
    expect(process_?.resource['service.name']).toBe('tributary-cli');
    expect(lines()[0]).toBe(`Root=1-${process_?.traceId.slice(0, 8)}-${process_?.traceId.slice(8)};Parent=${process_?.spanId};Sampled=1`);
  });
});
