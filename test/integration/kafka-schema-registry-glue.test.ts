/**
 * Kafka records through an AWS Glue schema registry — moto's Glue (CreateRegistry, CreateSchema, GetRegistry,
 * GetSchemaVersion; test/services/moto.ts) — in a real pipeline on the shared broker: Glue-framed Avro values (header
 * version 3, compression 0 or zlib 5, the 16-byte schema version id) reach the function as JSON with
 * `valueSchemaMetadata.schemaId` the version UUID; an undecodable one goes to on-failure; a registry that does not
 * exist, or a Glue endpoint that does not answer, refuses the start clearly. Glue is reached through the SDK's own
 * endpoint variable, AWS_ENDPOINT_URL_GLUE, as an operator would point it at an emulator.
 */
import { CreateRegistryCommand, CreateSchemaCommand, GlueClient } from '@aws-sdk/client-glue';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaSource } from '../../connectors/kafka/index.js';
import { createService, type TributaryService } from '../../src/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { freePortInRange } from '../services/local-process.ts';
import { startMoto, type RunningMoto } from '../services/moto.ts';
import { useMotoEndpoints } from './helpers/moto-clients.ts';
import { rejection } from '../support/rejection.ts';
import { createTopic, kafkaBrokers, kafkaTestClient, type KafkaTestClient } from './helpers/kafka.ts';
import { waitFor } from './helpers/wait.ts';

process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const run = `${Date.now()}-${process.pid}`;
let restoreEnvironment = (): void => undefined;
let moto: RunningMoto;
let glue: GlueClient;
let kafka: KafkaTestClient;
let service: TributaryService | null = null;
const topics: string[] = [];

beforeAll(async () => {
  moto = await startMoto((line) => process.stderr.write(`[moto] ${line}\n`));
  restoreEnvironment = useMotoEndpoints(moto, ['GLUE']);
  glue = new GlueClient({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
  kafka = await kafkaTestClient();
});
afterAll(async () => {
  await service?.stop();
  await kafka?.admin.deleteTopics({ topics }).catch(() => undefined);
  await kafka?.close();
  glue?.destroy();
  await moto?.stop();
  restoreEnvironment();
});

/** Glue framing: version 3, compression byte, schema version UUID, payload. */
function glueFramed(versionId: string, payload: Buffer, zlib = false): Buffer {
  return Buffer.concat([Buffer.from([3, zlib ? 5 : 0]), Buffer.from(versionId.replaceAll('-', ''), 'hex'), zlib ? deflateSync(payload) : payload]);
}

const context = { pipeline: 'p', logger: silentLogger(), now: Date.now, functionTimeoutMs: 30_000, batchSize: 10, startingPosition: 'TRIM_HORIZON' as const, startingPositionTimestampMs: null, maximumBatchingWindowMs: 50 };
const runOptions = { startingPosition: 'TRIM_HORIZON' as const, startingPositionTimestampMs: null, batchSize: 10, maximumBatchingWindowMs: 50 };
const glueSource = (topic: string, uri: string) => ({
  type: 'kafka' as const,
  bootstrapServers: kafkaBrokers(),
  topics: [topic],
  consumerGroupId: `g-${topic}`,
  clusterArn: null,
  ssl: false,
  sasl: null,
  schemaRegistry: { kind: 'glue' as const, uri, eventRecordFormat: 'JSON' as const, validateKey: false, validateValue: true, accessConfigs: [] },
});

describe('schema registry: AWS Glue (moto)', () => {
  it('decodes Glue-framed Avro (plain and zlib) into JSON with the version UUID as schemaId; an undecodable record goes to on-failure', async () => {
    const { RegistryArn } = await glue.send(new CreateRegistryCommand({ RegistryName: `orders-${run}` }));
    const orderSchema = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }, { name: 'qty', type: 'int' }] };
    const { SchemaVersionId } = await glue.send(
      new CreateSchemaCommand({ RegistryId: { RegistryArn }, SchemaName: `order-${run}`, DataFormat: 'AVRO', Compatibility: 'BACKWARD', SchemaDefinition: JSON.stringify(orderSchema) }),
    );
    if (RegistryArn === undefined || SchemaVersionId === undefined) throw new Error('moto created no registry or schema');
    const order = avro.Type.forSchema(orderSchema as avro.Schema);
    const topic = `schema-glue-${run}`;
    topics.push(topic);
    await createTopic(kafka, topic, 1);
    await kafka.producer.send({
      topic,
      acks: -1,
      messages: [
        { value: glueFramed(SchemaVersionId, order.toBuffer({ id: 'g-1', qty: 2 })) },
        { value: glueFramed(SchemaVersionId, Buffer.from([0x01])) },
        { value: glueFramed(SchemaVersionId, order.toBuffer({ id: 'g-3', qty: 5 }), true) },
      ],
    });
    const dir = mkdtempSync(join(tmpdir(), 'tributary-glue-'));
    const failedPath = join(dir, 'failed.jsonl');
    const received: { value?: string; valueSchemaMetadata?: unknown }[] = [];
    service = createService(
      {
        server: { enabled: false },
        checkpoints: { type: 'file', path: join(dir, 'checkpoints') },
        pipelines: [
          {
            name: 'glue',
            source: { type: 'kafka', bootstrapServers: kafkaBrokers(), topics: [topic], consumerGroupId: `g-${topic}`, schemaRegistryConfig: { schemaRegistryURI: RegistryArn, schemaValidationConfigs: [{ attribute: 'VALUE' }] } },
            function: { type: 'in-process', timeout: 30, handler: (event: { records: Record<string, typeof received> }) => void received.push(...Object.values(event.records).flat()) },
            startingPosition: 'TRIM_HORIZON',
            maximumBatchingWindowInSeconds: 0,
            destinationConfig: { onFailure: { destination: `file://${failedPath}` } },
          },
        ],
      },
      { logger: silentLogger() },
    );
    await service.start();
    await waitFor(() => received.length >= 2 && existsSync(failedPath), 60_000, 'two decoded records and the broken one');
    expect(received.map((r) => JSON.parse(Buffer.from(r.value ?? '', 'base64').toString('utf8')) as unknown)).toEqual([{ id: 'g-1', qty: 2 }, { id: 'g-3', qty: 5 }]);
    expect(received[0]?.valueSchemaMetadata).toEqual({ dataFormat: 'AVRO', schemaId: SchemaVersionId });
    const [line] = readFileSync(failedPath, 'utf8').split('\n');
    expect(JSON.parse(line ?? '{}')).toMatchObject({ requestContext: { condition: 'SchemaValidationFailed' }, KafkaBatchInfo: { recordsInfo: { [`${topic}-0`]: { firstRecordOffset: '1' } } } });
  });

  it('a registry that does not exist is refused at start (CONFIG_INVALID), an unreachable Glue endpoint too (retryable)', async () => {
    const missing = `arn:aws:glue:${moto.region}:${moto.accountId}:registry/no-such-${run}`;
    const topic = `schema-glue-start-${run}`;
    topics.push(topic);
    await createTopic(kafka, topic, 1);
    const notFound = await rejection(createKafkaSource(glueSource(topic, missing), context, runOptions).open(AbortSignal.timeout(20_000)));
    expect(notFound).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((notFound as Error).message).toContain(`AWS Glue registry ${missing} does not exist`);

    process.env['AWS_ENDPOINT_URL_GLUE'] = `http://127.0.0.1:${await freePortInRange(22350, 22359)}`;
    try {
      const unreachable = await rejection(createKafkaSource(glueSource(topic, missing), context, runOptions).open(AbortSignal.timeout(30_000)));
      expect(unreachable).toMatchObject({ code: 'SOURCE_UNAVAILABLE', retryable: true });
      expect((unreachable as Error).message).toMatch(new RegExp(`AWS Glue registry ${missing.replaceAll('/', '\\/')} cannot be reached: GetRegistry failed`));
    } finally {
      process.env['AWS_ENDPOINT_URL_GLUE'] = moto.endpoint;
    }
  });
});
