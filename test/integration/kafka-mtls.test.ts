// Kafka client certificates (mutual TLS, AWS's CLIENT_CERTIFICATE_TLS_AUTH) against a real broker listener that
// requires them: a dedicated single-node broker on this file's ports (22320 PLAINTEXT, 22321 CONTROLLER, 22322 MTLS
// with ssl.client.auth=required; test/services/kafka-instance.ts), certificates made with openssl
// (test/services/kafka-mtls.ts). Consumes with a certificate and key from files and with an encrypted key given as
// PEM text (as `${ENV}` would give it); fails clearly without a certificate and with an untrusted one; and no key
// material or password ever reaches a log line or an error message. Topics are created and filled over PLAINTEXT.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { createKafkaSource } from '../../connectors/kafka/index.js';
import type { KafkaSourceConfig } from '../../src/connector/index.js';
import { TributaryError } from '../../src/errors.js';
import { startKafkaInstance, type KafkaInstance } from '../services/kafka-instance.ts';
import { CLIENT_KEY_PASSWORD, ensureKafkaMtlsMaterial, type KafkaMtlsMaterial } from '../services/kafka-mtls.ts';
import { rejection } from '../support/rejection.ts';
import { KAFKA_RUN_OPTIONS, consumeValues, filledTopic, keptLogger, sourceContext } from './helpers/kafka-source-run.ts';

process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const PORTS = { port: 22320, controllerPort: 22321 } as const;
const MTLS_BROKER = '127.0.0.1:22322';
const run = `${Date.now()}-${process.pid}`;
let broker: KafkaInstance;
let material: KafkaMtlsMaterial;
let admin: Admin;
let producer: Producer;

/** Every log line of the sources, kept to prove no secret is in them. */
const { logger, lines: logLines } = keptLogger();
const context = sourceContext('kafka-mtls-test', logger);
const options = KAFKA_RUN_OPTIONS;

beforeAll(async () => {
  material = await ensureKafkaMtlsMaterial();
  broker = await startKafkaInstance({
    name: `kafka-mtls-${process.pid}`,
    ports: PORTS,
    mtls: { host: '127.0.0.1', port: 22322, keystore: material.keystore, password: material.keystorePassword, clientCa: material.clientCa },
  });
  const kafka = new Kafka({ clientId: 'kafka-mtls-test', brokers: [...broker.brokers], logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  await admin?.disconnect();
  await broker?.destroy();
});

function mtlsConfig(topic: string, tls: Pick<KafkaSourceConfig, 'sslClientCertificate'>): KafkaSourceConfig {
  return {
    type: 'kafka',
    bootstrapServers: [MTLS_BROKER],
    topics: [topic],
    consumerGroupId: topic,
    clusterArn: null,
    ssl: true,
    sslCaFile: material.brokerCa,
    sslRejectUnauthorized: true,
    ...tls,
    sasl: null,
  };
}

const filled = (suffix: string, count: number): Promise<string> => filledTopic(admin, producer, `mtls-${suffix}-${run}`, count);
const consume = (config: KafkaSourceConfig, count: number): Promise<string[]> => consumeValues(config, context, count);

describe('Kafka client certificates (CLIENT_CERTIFICATE_TLS_AUTH) on a listener with ssl.client.auth=required', () => {
  it('consumes and commits with a certificate and key from files', async () => {
    const topic = await filled('files', 3);
    const values = await consume(mtlsConfig(topic, { sslClientCertificate: { certificate: { file: material.clientCert }, key: { file: material.clientKey }, keyPassword: null } }), 3);
    expect(values).toEqual(['message-0', 'message-1', 'message-2']);
    const committed = await admin.fetchOffsets({ groupId: topic, topics: [topic] });
    expect(committed[0]?.partitions.map((p) => p.offset)).toEqual(['3']);
  });

  it('consumes with an encrypted key and its password, both given as PEM text (${ENV})', async () => {
    const topic = await filled('encrypted', 2);
    const certificate = { pem: readFileSync(material.clientCert, 'utf8') };
    const key = { pem: readFileSync(material.clientKeyEncrypted, 'utf8') };
    expect(key.pem).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
    const values = await consume(mtlsConfig(topic, { sslClientCertificate: { certificate, key, keyPassword: CLIENT_KEY_PASSWORD } }), 2);
    expect(values).toEqual(['message-0', 'message-1']);
  });

  it('fails clearly without a client certificate', async () => {
    const topic = await filled('none', 1);
    const error = await rejection(createKafkaSource(mtlsConfig(topic, { sslClientCertificate: null }), context, options).open(AbortSignal.timeout(25_000)));
    expect(error).toBeInstanceOf(TributaryError);
    expect((error as Error).message).toMatch(/client certificate/i);
  });

  it('fails clearly with a certificate the brokers do not trust', async () => {
    const topic = await filled('untrusted', 1);
    const config = mtlsConfig(topic, { sslClientCertificate: { certificate: { file: material.untrustedCert }, key: { file: material.untrustedKey }, keyPassword: null } });
    const error = await rejection(createKafkaSource(config, context, options).open(AbortSignal.timeout(25_000)));
    expect(error).toBeInstanceOf(TributaryError);
    expect((error as Error).message).toMatch(/client certificate/i);
  });

  it('refuses a wrong or missing key password before connecting, with CONFIG_INVALID naming the file only', () => {
    const key = { file: material.clientKeyEncrypted };
    const certificate = { file: material.clientCert };
    for (const keyPassword of [null, 'wrong-password-123']) {
      let thrown: unknown;
      try {
        createKafkaSource(mtlsConfig('unused', { sslClientCertificate: { certificate, key, keyPassword } }), context, options);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({ code: 'CONFIG_INVALID' });
      expect((thrown as Error).message).toContain(material.clientKeyEncrypted);
      expect((thrown as Error).message).toMatch(keyPassword === null ? /is encrypted: set ssl.keyPassword/ : /cannot be decrypted with ssl.keyPassword/);
      expect((thrown as Error).message).not.toContain('wrong-password-123');
      expect((thrown as { cause?: unknown }).cause).toBeUndefined();
    }
  });

  it('no key material and no password in any log line or error of this file', () => {
    const secrets = [
      CLIENT_KEY_PASSWORD,
      ...[material.clientKey, material.clientKeyEncrypted, material.untrustedKey].flatMap((file) => {
        const body = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('-----'));
        return body.slice(0, 3);
      }),
    ];
    const text = logLines.join('');
    expect(logLines.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/PRIVATE KEY/);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
