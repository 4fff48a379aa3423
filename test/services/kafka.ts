// Apache Kafka broker from the Maven Central jars: one JVM in KRaft combined mode
// (broker + controller, static voter), PLAINTEXT on the client port, CONTROLLER on a second port, and
// SASL_PLAINTEXT (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) on a third port for the connector's SASL tests, and SSL
// on a fourth port for the TLS tests (server certificate signed by a private CA, see ensureKafkaTlsMaterial).
// Every start formats a fresh data directory, so topics never survive a restart; the SCRAM credentials
// are written into the fresh metadata log by the format step.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import {
  RUN_DIR, SERVICES_DIR, fetchMavenArtifacts, hostPortOfBroker, javaBin, jvmArgs, libDir, pomProperty, runToLog,
} from './common.ts';
import type { LaunchSpec, ServiceDefinition } from './common.ts';
import { KAFKA_SASL_TEST_USER } from './endpoints.ts';
import type { TestEndpoints } from './endpoints.ts';

const ARTIFACT_SET = 'kafka';
/** Any base64url 16-byte UUID; constant so logs of different runs are comparable. */
const CLUSTER_ID = '4L6g3nShT-eMCtK--X86sw';
const NODE_ID = 1;
const DATA_DIR = join(RUN_DIR, 'kafka-data');
const SERVER_PROPERTIES = join(RUN_DIR, 'kafka-server.properties');
const LOG4J2_CONFIG = join(SERVICES_DIR, 'config', 'kafka-log4j2.properties');

const SCRAM_MECHANISMS = ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
/** The broker's main class: also the marker of its JVM's command line. */
export const KAFKA_MAIN_CLASS = 'kafka.Kafka';

interface Listeners {
  readonly host: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly saslHost: string;
  readonly saslPort: number;
  readonly tls: KafkaTlsListener;
}

/** The SSL listener: where it binds and the broker's PKCS12 keystore. */
export interface KafkaTlsListener {
  readonly host: string;
  readonly port: number;
  readonly keystore: string;
  readonly password: string;
}

/** Test-only keystore password (the key protects nothing but the test broker's listener). */
const TLS_KEYSTORE_PASSWORD = 'tributary-test';
const run = promisify(execFile);

/**
 * The test CA (`ca.pem`, what clients trust) and the broker's PKCS12 keystore (`broker.p12`: key and certificate
 * for CN 127.0.0.1, SAN IP:127.0.0.1, DNS:localhost and `host`, plus the CA), made with `openssl` (milliseconds,
 * where keytool is a JVM start per step). Kept across starts: generated only when `broker.p12` or `ca.pem` is
 * missing; built in a temporary folder and renamed in place, so a half-written set is never used.
 */
export async function ensureKafkaTlsMaterial(caPath: string, host: string): Promise<{ keystore: string; password: string }> {
  const dir = dirname(caPath);
  const keystore = join(dir, 'broker.p12');
  if (existsSync(keystore) && existsSync(caPath)) return { keystore, password: TLS_KEYSTORE_PASSWORD };
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = mkdtempSync(`${dir}.tmp-`);
  const f = (name: string): string => join(tmp, name);
  const isIp = /^[\d.]+$/.test(host);
  const san = ['IP:127.0.0.1', 'DNS:localhost', ...(host === '127.0.0.1' || host === 'localhost' ? [] : [isIp ? `IP:${host}` : `DNS:${host}`])];
  writeFileSync(f('server.ext'), [`subjectAltName=${san.join(',')}`, 'basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', ''].join('\n'));
  try {
    await Promise.all([
      run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '3650',
        '-subj', '/CN=Tributary test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']),
      run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1']),
    ]);
    await run('openssl', ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial',
      '-out', f('server.pem'), '-days', '3650', '-extfile', f('server.ext')]);
    await run('openssl', ['pkcs12', '-export', '-in', f('server.pem'), '-inkey', f('server.key'), '-certfile', f('ca.pem'),
      '-name', 'broker', '-out', f('broker.p12'), '-passout', `pass:${TLS_KEYSTORE_PASSWORD}`]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`cannot generate the Kafka test TLS material with openssl: ${(error as Error).message}`, { cause: error });
  }
  return { keystore, password: TLS_KEYSTORE_PASSWORD };
}

/** The SSL listener's keystore; no client authentication (`ssl.client.auth` stays `none`). */
function tlsListenerProperties(tls: KafkaTlsListener): string[] {
  const prefix = 'listener.name.ssl';
  return [
    `${prefix}.ssl.keystore.type=PKCS12`,
    `${prefix}.ssl.keystore.location=${tls.keystore}`,
    `${prefix}.ssl.keystore.password=${tls.password}`,
    `${prefix}.ssl.key.password=${tls.password}`,
    `${prefix}.ssl.client.auth=none`,
  ];
}

/**
 * A second SSL listener, named MTLS, that requires a client certificate (`ssl.client.auth=required`) signed by the CA
 * in `clientCa` (a PEM truststore, KIP-651) — for the client-certificate tests (AWS's CLIENT_CERTIFICATE_TLS_AUTH).
 */
export interface KafkaMtlsListener extends KafkaTlsListener {
  /** PEM file of the CA(s) whose client certificates the listener accepts. */
  readonly clientCa: string;
}

function mtlsListenerProperties(mtls: KafkaMtlsListener): string[] {
  const prefix = 'listener.name.mtls';
  return [
    `${prefix}.ssl.keystore.type=PKCS12`,
    `${prefix}.ssl.keystore.location=${mtls.keystore}`,
    `${prefix}.ssl.keystore.password=${mtls.password}`,
    `${prefix}.ssl.key.password=${mtls.password}`,
    `${prefix}.ssl.truststore.type=PEM`,
    `${prefix}.ssl.truststore.location=${mtls.clientCa}`,
    `${prefix}.ssl.client.auth=required`,
  ];
}

/**
 * The SASL_PLAINTEXT listener: PLAIN users from the JAAS line, SCRAM users from the metadata log (see
 * {@link scramFormatArgs}). Only this listener authenticates; PLAINTEXT (inter-broker, every other test) and
 * CONTROLLER stay open.
 */
function saslListenerProperties(): string[] {
  const { username, password } = KAFKA_SASL_TEST_USER;
  const prefix = 'listener.name.sasl_plaintext';
  return [
    `${prefix}.sasl.enabled.mechanisms=PLAIN,${SCRAM_MECHANISMS.join(',')}`,
    `${prefix}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_${username}="${password}";`,
    ...SCRAM_MECHANISMS.map(
      (m) => `${prefix}.${m.toLowerCase()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    ),
  ];
}

/** `StorageTool format` arguments that create the SCRAM user in the fresh metadata log. */
function scramFormatArgs(): string[] {
  const { username, password } = KAFKA_SASL_TEST_USER;
  return SCRAM_MECHANISMS.flatMap((m) => ['--add-scram', `${m}=[name=${username},password=${password}]`]);
}

function serverProperties({ host, port, controllerPort, saslHost, saslPort, tls }: Listeners): string {
  return kafkaServerProperties({ host, port, controllerPort, sasl: { host: saslHost, port: saslPort }, tls, dataDir: DATA_DIR });
}

/** Listeners and data directory of one single-node KRaft broker (the shared one, or a dedicated one). */
export interface KafkaNodeLayout {
  readonly host: string;
  readonly port: number;
  readonly controllerPort: number;
  /** The SASL_PLAINTEXT listener; omitted: PLAINTEXT and CONTROLLER only. */
  readonly sasl?: { readonly host: string; readonly port: number };
  /** The SSL listener; omitted: no TLS. */
  readonly tls?: KafkaTlsListener;
  /** An SSL listener requiring client certificates (listener name MTLS); omitted: none. */
  readonly mtls?: KafkaMtlsListener;
  readonly dataDir: string;
}

/** `server.properties` of a combined broker+controller (static voter, replication factors 1). */
export function kafkaServerProperties({ host, port, controllerPort, sasl, tls, mtls, dataDir }: KafkaNodeLayout): string {
  const saslListener =
    (sasl === undefined ? '' : `,SASL_PLAINTEXT://${sasl.host}:${sasl.port}`) +
    (tls === undefined ? '' : `,SSL://${tls.host}:${tls.port}`) +
    (mtls === undefined ? '' : `,MTLS://${mtls.host}:${mtls.port}`);
  return [
    '# Generated by test/services/kafka.ts for the integration tests; rewritten on every start.',
    'process.roles=broker,controller',
    `node.id=${NODE_ID}`,
    `controller.quorum.voters=${NODE_ID}@${host}:${controllerPort}`,
    `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}${saslListener}`,
    `advertised.listeners=PLAINTEXT://${host}:${port}${saslListener}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${sasl === undefined ? '' : ',SASL_PLAINTEXT:SASL_PLAINTEXT'}${tls === undefined ? '' : ',SSL:SSL'}${mtls === undefined ? '' : ',MTLS:SSL'}`,
    ...(sasl === undefined ? [] : saslListenerProperties()),
    ...(tls === undefined ? [] : tlsListenerProperties(tls)),
    ...(mtls === undefined ? [] : mtlsListenerProperties(mtls)),
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    'offsets.topic.replication.factor=1',
    // Default 50: the first consumer group join would create 50 partitions.
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Default 3000 ms of waiting before every first rebalance of a group.
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
    'delete.topic.enable=true',
    'num.network.threads=2',
    'num.io.threads=2',
    'num.recovery.threads.per.data.dir=1',
    '',
  ].join('\n');
}

/** The Maven-fetched broker jars in .infra/kafka/lib (no-op when the cache is complete). */
export function fetchKafkaJars(log: (line: string) => void): Promise<boolean> {
  return fetchMavenArtifacts(ARTIFACT_SET, log);
}

/** `StorageTool format` of a data directory for `propertiesPath`; `withScram` adds the SASL test user. */
export function kafkaFormatCommand(propertiesPath: string, withScram: boolean): LaunchSpec {
  return {
    command: javaBin(),
    args: [
      ...jvmArgs('256m'), `-Dlog4j2.configurationFile=${LOG4J2_CONFIG}`, '-cp', join(libDir(ARTIFACT_SET), '*'),
      'kafka.tools.StorageTool', 'format', '-t', CLUSTER_ID, '-c', propertiesPath, ...(withScram ? scramFormatArgs() : []),
    ],
  };
}

/** The broker JVM for `propertiesPath`; its command line contains {@link KAFKA_MAIN_CLASS}. */
export function kafkaBrokerCommand(propertiesPath: string): LaunchSpec {
  return {
    command: javaBin(),
    args: [
      ...jvmArgs('768m'), '-Xms128m', `-Dlog4j2.configurationFile=${LOG4J2_CONFIG}`, '-cp', join(libDir(ARTIFACT_SET), '*'),
      KAFKA_MAIN_CLASS, propertiesPath,
    ],
  };
}

/** One kafkajs `describeCluster()` round trip (no retries); rejects when the broker does not answer. */
export async function probeKafka(brokers: readonly string[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'tributary-services-probe',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('describeCluster returned no brokers');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export function createKafkaService(endpoints: TestEndpoints): ServiceDefinition {
  const broker = endpoints.kafkaBrokers[0] ?? '127.0.0.1:19092';
  const { host, port } = hostPortOfBroker(broker);
  const controllerPort = endpoints.kafkaControllerPort;
  const sasl = hostPortOfBroker(endpoints.kafkaSaslBrokers[0] ?? '127.0.0.1:19094');
  const tls = hostPortOfBroker(endpoints.kafkaTlsBrokers[0] ?? '127.0.0.1:19095');
  return {
    name: 'kafka',
    label: `Apache Kafka ${pomProperty(ARTIFACT_SET, 'kafka.version')} (KRaft)`,
    endpoint: endpoints.kafkaBrokers.join(','),
    host,
    ports: [port, controllerPort, sasl.port, tls.port],
    cmdlineMarker: KAFKA_MAIN_CLASS,

    fetch: fetchKafkaJars,

    async prepare(logPath) {
      rmSync(DATA_DIR, { recursive: true, force: true });
      mkdirSync(DATA_DIR, { recursive: true });
      const material = await ensureKafkaTlsMaterial(endpoints.kafkaTlsCa, tls.host);
      const listeners: Listeners = {
        host, port, controllerPort, saslHost: sasl.host, saslPort: sasl.port, tls: { host: tls.host, port: tls.port, ...material },
      };
      writeFileSync(SERVER_PROPERTIES, serverProperties(listeners));
      await runToLog(kafkaFormatCommand(SERVER_PROPERTIES, true), logPath, 60_000, 'Kafka storage format (kafka.tools.StorageTool)');
      return kafkaBrokerCommand(SERVER_PROPERTIES);
    },

    probe: () => probeKafka(endpoints.kafkaBrokers),

    cleanup() {
      rmSync(DATA_DIR, { recursive: true, force: true });
    },
  };
}
