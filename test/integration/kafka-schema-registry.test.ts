/**
 * Kafka records through a real schema registry — Apicurio Registry's Confluent-compatible API (test/services/
 * apicurio.ts) — with Avro, Protobuf and JSON Schema, in a real pipeline (createService) on the shared broker.
 * Producers frame values as Confluent serializers do (magic byte 0, 4-byte schema id, payload; Protobuf with its
 * message indexes). The function gets AWS's shape: validated attributes as JSON (or, with SOURCE, the original
 * payload without the registry header) and `valueSchemaMetadata` / `keySchemaMetadata` `{dataFormat, schemaId}`;
 * filter patterns see the decoded value; a record that cannot be decoded goes to the on-failure destination
 * (condition SchemaValidationFailed) without an invocation and never blocks the partition.
 */
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import avro from 'avsc';
import protobuf from 'protobufjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaSource } from '../../connectors/kafka/index.js';
import { createService, type TributaryService } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startApicurio, type RunningApicurio } from '../services/apicurio.ts';
import { rejection } from '../support/rejection.ts';
import { createTopic, kafkaBrokers, kafkaTestClient, type KafkaTestClient } from './helpers/kafka.ts';
import { waitFor } from './helpers/wait.ts';
import { lambdaClient } from './helpers/control-plane.ts';
import { untypedHandler } from '../support/untyped-input.ts';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import type { KafkaSchemaRegistryInput } from '../../src/index.js';

process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const run = `${Date.now()}-${process.pid}`;
let registry: RunningApicurio;
let kafka: KafkaTestClient;
const topics: string[] = [];
const services: TributaryService[] = [];

beforeAll(async () => {
  registry = await startApicurio((line) => process.stderr.write(`[apicurio] ${line}\n`));
  kafka = await kafkaTestClient();
}, 600_000);
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await kafka?.admin.deleteTopics({ topics }).catch(() => undefined);
  await kafka?.close();
  await registry?.stop();
});

/** Registers a schema under `subject` with the registry's Confluent API; returns its id. */
async function register(subject: string, schemaType: 'AVRO' | 'PROTOBUF' | 'JSON', schema: string): Promise<number> {
  const response = await fetch(`${registry.ccompat}/subjects/${subject}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schemaType, schema }),
  });
  const body = (await response.json()) as { id?: number };
  if (!response.ok || typeof body.id !== 'number') throw new Error(`registering ${subject}: ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

/** Confluent framing: magic byte 0, schema id (4 bytes, big-endian), payload. */
function framed(id: number, payload: Uint8Array, prefix: readonly number[] = []): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt32BE(id, 1);
  return Buffer.concat([header, Buffer.from(prefix), payload]);
}

interface EventRecord {
  readonly key?: string;
  readonly value?: string;
  readonly offset: number;
  readonly keySchemaMetadata?: unknown;
  readonly valueSchemaMetadata?: unknown;
}

/** A one-pipeline service on `topic` with a file:// on-failure destination; returns what the function got and the destination path. */
async function pipeline(topic: string, schemaRegistryConfig: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<{ received: EventRecord[]; failedPath: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-schema-'));
  const failedPath = join(dir, 'failed.jsonl');
  const received: EventRecord[] = [];
  const service = createService(
    {
      server: { enabled: false },
      checkpoints: { type: 'file', path: join(dir, 'checkpoints') },
      pipelines: [
        {
          name: `schema-${topics.length}`,
          source: { type: 'kafka', bootstrapServers: kafkaBrokers(), topics: [topic], consumerGroupId: `g-${topic}`, schemaRegistryConfig: schemaRegistryConfig as unknown as KafkaSchemaRegistryInput },
          function: {
            type: 'in-process',
            timeout: 30,
            handler: (event: { records: Record<string, EventRecord[]> }) => {
              for (const list of Object.values(event.records)) received.push(...list);
              return {};
            },
          },
          startingPosition: 'TRIM_HORIZON',
          maximumBatchingWindowInSeconds: 0,
          maximumRetryAttempts: 0,
          destinationConfig: { onFailure: { destination: `file://${failedPath}` } },
          ...extra,
        },
      ],
    },
    { logger: silentLogger() },
  );
  services.push(service);
  await service.start();
  return { received, failedPath };
}

interface FailureLine {
  readonly requestContext: { readonly condition: string; readonly approximateInvokeCount: number };
  readonly KafkaBatchInfo: { readonly batchSize: number; readonly recordsInfo: Record<string, { readonly firstRecordOffset: string; readonly lastRecordOffset: string }> };
}

/** How many source records the on-failure lines cover. */
const discarded = (lines: readonly FailureLine[]): number => lines.reduce((n, l) => n + l.KafkaBatchInfo.batchSize, 0);

function failures(path: string): FailureLine[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as never);
}

const decodeJson = (base64: string | undefined): unknown => JSON.parse(Buffer.from(base64 ?? '', 'base64').toString('utf8'));

async function newTopic(name: string): Promise<string> {
  const topic = `schema-${name}-${run}`;
  topics.push(topic);
  await createTopic(kafka, topic, 1);
  return topic;
}

describe('schema registry (Apicurio, Confluent-compatible API)', () => {
  it('Avro, JSON format, KEY and VALUE: the function gets JSON and AWS metadata; undecodable records go to on-failure without blocking', async () => {
    const topic = await newTopic('avro');
    const orderSchema = { type: 'record', name: 'Order', namespace: 'shop', fields: [{ name: 'id', type: 'string' }, { name: 'amount', type: 'double' }, { name: 'note', type: ['null', 'string'], default: null }] };
    const valueId = await register(`${topic}-value`, 'AVRO', JSON.stringify(orderSchema));
    const keyId = await register(`${topic}-key`, 'AVRO', JSON.stringify('string'));
    const order = avro.Type.forSchema(orderSchema as avro.Schema);
    const key = avro.Type.forSchema('string');
    await kafka.producer.send({
      topic,
      acks: -1,
      messages: [
        { key: framed(keyId, key.toBuffer('k1')), value: framed(valueId, order.toBuffer({ id: 'o-1', amount: 9.5, note: null })) },
        { key: framed(keyId, key.toBuffer('k2')), value: Buffer.from('not framed at all') },
        { key: framed(keyId, key.toBuffer('k3')), value: framed(valueId, Buffer.from([0xff, 0xff, 0xff])) },
        { key: framed(keyId, key.toBuffer('k4')), value: framed(valueId, order.toBuffer({ id: 'o-4', amount: 1, note: 'gift' })) },
      ],
    });
    const { received, failedPath } = await pipeline(topic, { schemaRegistryURI: registry.ccompat, eventRecordFormat: 'JSON', schemaValidationConfigs: [{ attribute: 'KEY' }, { attribute: 'VALUE' }] });
    await waitFor(() => received.length >= 2 && discarded(failures(failedPath)) >= 2, 60_000, 'two decoded records and two discarded ones');

    expect(received.map((r) => r.offset)).toEqual([0, 3]);
    expect(received.map((r) => decodeJson(r.value))).toEqual([{ id: 'o-1', amount: 9.5, note: null }, { id: 'o-4', amount: 1, note: 'gift' }]);
    expect(received.map((r) => decodeJson(r.key))).toEqual(['k1', 'k4']);
    expect(received[0]?.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: String(valueId) });
    expect(received[0]?.keySchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: String(keyId) });
    const failed = failures(failedPath);
    expect(new Set(failed.map((f) => f.requestContext.condition))).toEqual(new Set(['SchemaValidationFailed']));
    // Never invoked: the records went to the destination as they were read.
    expect(failed.map((f) => f.requestContext.approximateInvokeCount)).toEqual(failed.map(() => 0));
    const offsets = failed.flatMap((f) => Object.values(f.KafkaBatchInfo.recordsInfo).flatMap((i) => [Number(i.firstRecordOffset), Number(i.lastRecordOffset)]));
    expect([Math.min(...offsets), Math.max(...offsets)]).toEqual([1, 2]);
    expect(discarded(failed)).toBe(2);
  });

  it('Protobuf, SOURCE format: the payload without the registry header (message indexes kept); filters see the decoded value', async () => {
    const topic = await newTopic('protobuf');
    const proto = 'syntax = "proto3";\npackage shop;\nmessage Header { string source = 1; }\nmessage Order {\n  enum Status { NEW = 0; PAID = 1; }\n  string id = 1;\n  int64 quantity = 2;\n  Status status = 3;\n}\n';
    const id = await register(`${topic}-value`, 'PROTOBUF', proto);
    const Order = protobuf.parse(proto).root.lookupType('shop.Order');
    const encode = (o: Record<string, unknown>): Uint8Array => Order.encode(Order.create(o)).finish();
    // Message indexes [1] (the second message of the file): count 1, index 1, zig-zag encoded → 0x02 0x02.
    const paid = encode({ id: 'p-1', quantity: 3, status: 1 });
    await kafka.producer.send({
      topic,
      acks: -1,
      messages: [
        { value: framed(id, encode({ id: 'n-0', quantity: 1, status: 0 }), [0x02, 0x02]) },
        { value: framed(id, paid, [0x02, 0x02]) },
        { value: framed(id, Buffer.from([0x0a, 0xff]), [0x02, 0x02]) },
        { value: framed(id, encode({ id: 'p-3', quantity: '9007199254740993', status: 1 }), [0x02, 0x02]) },
      ],
    });
    const { received, failedPath } = await pipeline(
      topic,
      { schemaRegistryURI: registry.ccompat, eventRecordFormat: 'SOURCE', schemaValidationConfigs: [{ attribute: 'VALUE' }] },
      { filterCriteria: { filters: [{ pattern: JSON.stringify({ value: { status: ['PAID'] } }) }] } },
    );
    await waitFor(() => received.length >= 2 && discarded(failures(failedPath)) >= 1, 60_000, 'the PAID records and the broken one');
    expect(received.map((r) => r.offset)).toEqual([1, 3]);
    expect(Buffer.from(received[0]?.value ?? '', 'base64')).toEqual(Buffer.concat([Buffer.from([0x02, 0x02]), paid]));
    expect(received[0]?.valueSchemaMetadata).toEqual({ dataFormat: 'PROTOBUF', schemaId: String(id) });
    expect(received[0]?.keySchemaMetadata).toBeUndefined();
    expect(failures(failedPath).map((f) => f.requestContext.condition)).toEqual(['SchemaValidationFailed']);
  });

  it('JSON Schema, JSON format: valid records as JSON, one that breaks its schema to on-failure', async () => {
    const topic = await newTopic('jsonschema');
    const schema = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { id: { type: 'string' }, amount: { type: 'number' } }, required: ['id', 'amount'], additionalProperties: false };
    const id = await register(`${topic}-value`, 'JSON', JSON.stringify(schema));
    const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');
    await kafka.producer.send({
      topic,
      acks: -1,
      messages: [{ value: framed(id, json({ id: 'j-1', amount: 2 })) }, { value: framed(id, json({ id: 'j-2' })) }, { value: framed(id, json({ id: 'j-3', amount: 4 })) }],
    });
    const { received, failedPath } = await pipeline(topic, { schemaRegistryURI: registry.ccompat, schemaValidationConfigs: [{ attribute: 'VALUE' }] });
    await waitFor(() => received.length >= 2 && discarded(failures(failedPath)) >= 1, 60_000, 'two valid records and the invalid one');
    expect(received.map((r) => decodeJson(r.value))).toEqual([{ id: 'j-1', amount: 2 }, { id: 'j-3', amount: 4 }]);
    expect(received[0]?.valueSchemaMetadata).toEqual({ dataFormat: 'JSON', schemaId: String(id) });
    expect(Object.values(failures(failedPath)[0]?.KafkaBatchInfo.recordsInfo ?? {})[0]?.firstRecordOffset).toBe('1');
  });

  it('through the Lambda API: CreateEventSourceMapping with SchemaRegistryConfig decodes the values, and the mapping shows it', async () => {
    const topic = await newTopic('api');
    const schema = { type: 'record', name: 'Payment', fields: [{ name: 'id', type: 'string' }] };
    const valueId = await register(`${topic}-value`, 'AVRO', JSON.stringify(schema));
    const payment = avro.Type.forSchema(schema as avro.Schema);
    await kafka.producer.send({ topic, acks: -1, messages: [{ value: framed(valueId, payment.toBuffer({ id: 'p-1' })) }] });
    const received: EventRecord[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'tributary-schema-api-'));
    const service = createService(
      {
        server: { enabled: false },
        checkpoints: { type: 'file', path: join(dir, 'checkpoints') },
        functions: {
          sink: {
            type: 'in-process',
            timeout: 30,
            handler: untypedHandler((event) => {
              for (const list of Object.values((event as { records: Record<string, EventRecord[]> }).records)) received.push(...list);
              return {};
            }),
          },
        },
        api: { port: 0, syncIntervalSeconds: 1 },
        pipelines: [],
      },
      { logger: silentLogger(), baseDir: dir, env: {} },
    );
    services.push(service);
    await service.start();
    const lambda = lambdaClient(service.apiUrl ?? '');
    const SchemaRegistryConfig = { SchemaRegistryURI: registry.ccompat, EventRecordFormat: 'JSON' as const, SchemaValidationConfigs: [{ Attribute: 'VALUE' as const }] };
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'sink',
        SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: kafkaBrokers() } },
        Topics: [topic],
        StartingPosition: 'TRIM_HORIZON',
        SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: `g-${topic}`, SchemaRegistryConfig },
      }),
    );
    await waitFor(() => received.length >= 1, 60_000, 'the decoded record');
    expect(decodeJson(received[0]?.value)).toEqual({ id: 'p-1' });
    expect(received[0]?.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: String(valueId) });
    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    expect(got.SelfManagedKafkaEventSourceConfig?.SchemaRegistryConfig).toEqual(SchemaRegistryConfig);
    lambda.destroy();
  });

  it('a registry that does not answer refuses the start clearly (retryable: records wait for it)', async () => {
    const config = {
      type: 'kafka' as const,
      bootstrapServers: kafkaBrokers(),
      topics: [await newTopic('unreachable')],
      consumerGroupId: `g-unreachable-${run}`,
      clusterArn: null,
      ssl: false,
      sasl: null,
      schemaRegistry: { kind: 'confluent' as const, uri: 'http://127.0.0.1:22369/apis/ccompat/v7', eventRecordFormat: 'JSON' as const, validateKey: false, validateValue: true, accessConfigs: [] },
    };
    const context = { pipeline: 'p', logger: silentLogger(), now: Date.now, functionTimeoutMs: 30_000, batchSize: 10, startingPosition: 'TRIM_HORIZON' as const, startingPositionTimestampMs: null, maximumBatchingWindowMs: 50 };
    const error = await rejection(createKafkaSource(config, context, { startingPosition: 'TRIM_HORIZON', startingPositionTimestampMs: null, batchSize: 10, maximumBatchingWindowMs: 50 }).open(AbortSignal.timeout(20_000)));
    expect(error).toMatchObject({ code: 'SOURCE_UNAVAILABLE', retryable: true });
    expect((error as Error).message).toMatch(/schema registry http:\/\/127\.0\.0\.1:22369\/apis\/ccompat\/v7\/subjects: ECONNREFUSED/);
  });
});
