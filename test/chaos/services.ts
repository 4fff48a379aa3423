/**
 * The campaign's own service instances on its own ports (22000-22005, or from CHAOS_PORT_BASE), never the shared
 * ones: it stops, kills and restarts them. Each keeps its data across restarts, as a real broker does:
 * - ElasticMQ with its H2 message store (`messages-storage`), so queues and messages survive a restart;
 * - DynamoDB Local with a data directory (`-dbPath`) holding the lease table and the DynamoDB Streams table;
 * - a single-node KRaft Kafka formatted once, its log directory kept;
 * - kinesis-local (not restarted; its data lives in memory).
 * The jars are the harness's (test/services), fetched with Maven on first use.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDynamoDbLocalService } from '../services/dynamodb-local.ts';
import { createElasticMqService } from '../services/elasticmq.ts';
import { RUN_DIR, fetchMavenArtifacts, javaBin, jvmArgs, libDir, runToLog, type LaunchSpec } from '../services/common.ts';
import { readEndpoints, type TestEndpoints } from '../services/endpoints.ts';
import { fetchKafkaJars, kafkaBrokerCommand, kafkaFormatCommand, kafkaServerProperties, probeKafka } from '../services/kafka.ts';
import { createKinesisLocalService } from '../services/kinesis-local.ts';
import { ServiceProcess } from './service-process.ts';

/** Six consecutive ports from CHAOS_PORT_BASE (default 22000), so two campaigns can run side by side. */
const PORT_BASE = Number(process.env['CHAOS_PORT_BASE'] ?? '22000');
export const CHAOS_PORTS = {
  sqs: PORT_BASE,
  dynamodb: PORT_BASE + 1,
  kinesis: PORT_BASE + 2,
  kinesisTls: PORT_BASE + 3,
  kafka: PORT_BASE + 4,
  kafkaController: PORT_BASE + 5,
} as const;
const HOST = '127.0.0.1';

/** Data, ledgers and logs of the campaign (emptied when it starts). */
export const CHAOS_DIR = join(RUN_DIR, PORT_BASE === 22000 ? 'chaos' : `chaos-${PORT_BASE}`);

/** The endpoints of the campaign's instances, in the harness's shape (its probes take it). */
export const CHAOS_ENDPOINTS: TestEndpoints = readEndpoints({
  TRIBUTARY_TEST_SQS_ENDPOINT: `http://${HOST}:${CHAOS_PORTS.sqs}`,
  TRIBUTARY_TEST_DYNAMODB_ENDPOINT: `http://${HOST}:${CHAOS_PORTS.dynamodb}`,
  TRIBUTARY_TEST_KINESIS_ENDPOINT: `http://${HOST}:${CHAOS_PORTS.kinesis}`,
  TRIBUTARY_TEST_KINESIS_TLS_PORT: String(CHAOS_PORTS.kinesisTls),
  TRIBUTARY_TEST_KAFKA_BROKERS: `${HOST}:${CHAOS_PORTS.kafka}`,
  TRIBUTARY_TEST_KAFKA_CONTROLLER_PORT: String(CHAOS_PORTS.kafkaController),
});

export interface ChaosServices {
  readonly sqs: ServiceProcess;
  readonly dynamodb: ServiceProcess;
  readonly kinesis: ServiceProcess;
  readonly kafka: ServiceProcess;
}

export type ChaosServiceName = keyof ChaosServices;

/** ElasticMQ's HOCON with the H2 message store; queues created through the API are stored there too. */
function elasticMqConfig(dataDir: string): string {
  return `include classpath("application.conf")
node-address { protocol = http, host = "${HOST}", port = ${CHAOS_PORTS.sqs}, context-path = "" }
generate-node-address = false
rest-sqs { enabled = true, bind-port = ${CHAOS_PORTS.sqs}, bind-hostname = "${HOST}", sqs-limits = strict }
rest-stats { enabled = false, bind-port = 0, bind-hostname = "${HOST}" }
aws { region = us-east-1, accountId = "000000000000" }
messages-storage { enabled = true, uri = "jdbc:h2:${join(dataDir, 'elasticmq')}", prune-data-on-init = false }
`;
}

function elasticMq(dir: string): ServiceProcess {
  const dataDir = join(dir, 'elasticmq');
  const conf = join(dir, 'elasticmq.conf');
  return new ServiceProcess({
    name: 'ElasticMQ',
    log: join(dir, 'elasticmq.log'),
    // Its graceful shutdown waits for long polls (up to 20 s); the H2 store is written on every change anyway.
    stopGraceMs: 3_000,
    async prepare() {
      await fetchMavenArtifacts('elasticmq', (line) => process.stderr.write(`[chaos] ${line}\n`));
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(conf, elasticMqConfig(dataDir));
      return {
        command: javaBin(),
        args: [...jvmArgs('256m'), `-Dconfig.file=${conf}`, '-cp', join(libDir('elasticmq'), '*'), 'org.elasticmq.server.Main'],
      };
    },
    probe: () => createElasticMqService(CHAOS_ENDPOINTS).probe(),
  });
}

function dynamoDbLocal(dir: string): ServiceProcess {
  const definition = createDynamoDbLocalService(CHAOS_ENDPOINTS);
  const dataDir = join(dir, 'dynamodb');
  return new ServiceProcess({
    name: 'DynamoDB Local',
    log: join(dir, 'dynamodb.log'),
    stopGraceMs: 5_000,
    async prepare(): Promise<LaunchSpec> {
      await definition.fetch((line) => process.stderr.write(`[chaos] ${line}\n`));
      mkdirSync(dataDir, { recursive: true });
      const spec = await definition.prepare(join(dir, 'dynamodb.log'));
      // The harness's command, with a data directory instead of -inMemory: tables survive a restart.
      return { ...spec, args: spec.args.flatMap((arg) => (arg === '-inMemory' ? ['-dbPath', dataDir] : [arg])) };
    },
    probe: () => definition.probe(),
  });
}

function kinesisLocal(dir: string): ServiceProcess {
  const definition = createKinesisLocalService(CHAOS_ENDPOINTS);
  return new ServiceProcess({
    name: 'kinesis-local',
    log: join(dir, 'kinesis.log'),
    stopGraceMs: 3_000,
    prepare: () => definition.prepare(join(dir, 'kinesis.log')),
    probe: () => definition.probe(),
  });
}

function kafka(dir: string): ServiceProcess {
  const dataDir = join(dir, 'kafka-data');
  const properties = join(dir, 'kafka-server.properties');
  const log = join(dir, 'kafka.log');
  let formatted = false;
  return new ServiceProcess({
    name: 'Kafka',
    log,
    stopGraceMs: 15_000,
    async prepare() {
      if (!formatted) {
        await fetchKafkaJars((line) => process.stderr.write(`[chaos] ${line}\n`));
        mkdirSync(dataDir, { recursive: true });
        writeFileSync(properties, kafkaServerProperties({ host: HOST, port: CHAOS_PORTS.kafka, controllerPort: CHAOS_PORTS.kafkaController, dataDir }));
        await runToLog(kafkaFormatCommand(properties, false), log, 60_000, 'Kafka storage format (chaos broker)');
        formatted = true;
      }
      return kafkaBrokerCommand(properties);
    },
    probe: () => probeKafka(CHAOS_ENDPOINTS.kafkaBrokers),
  });
}

/** Fresh data directories; nothing started yet. */
export function chaosServices(): ChaosServices {
  rmSync(CHAOS_DIR, { recursive: true, force: true });
  mkdirSync(CHAOS_DIR, { recursive: true });
  return { sqs: elasticMq(CHAOS_DIR), dynamodb: dynamoDbLocal(CHAOS_DIR), kinesis: kinesisLocal(CHAOS_DIR), kafka: kafka(CHAOS_DIR) };
}

/**
 * Restarts one service: a clean stop (SIGTERM, then SIGKILL after the grace) or a crash (`hard`: SIGKILL, so it
 * recovers its logs on start), `downMs` of outage, a start.
 */
export async function restartService(service: ServiceProcess, downMs: number, hard = false): Promise<void> {
  await (hard ? service.kill() : service.stop());
  await new Promise((resolve) => setTimeout(resolve, downMs));
  await service.start();
}
