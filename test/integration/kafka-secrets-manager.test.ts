// Kafka SASL credentials from AWS Secrets Manager (`sasl.secretArn`, AWS's BASIC_AUTH / SASL_SCRAM_*_AUTH secrets
// holding `username` and `password`), against moto's Secrets Manager (test/services/moto.ts) and the shared broker's
// SASL_PLAINTEXT listener: SCRAM and PLAIN consume with the secret; a secret holding a wrong password fails clearly;
// after the secret is rotated the same source connects on its next attempt (the secret is fetched again on the
// authentication failure, no restart); a missing secret is CONFIG_INVALID naming the ARN; and the secret's value
// never reaches a log line or an error.

import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import { createKafkaSource } from '../../connectors/kafka/index.js';
import type { KafkaSourceConfig } from '../../src/connector/index.js';
import { KAFKA_SASL_TEST_USER, readEndpoints } from '../services/endpoints.ts';
import { startMoto, type RunningMoto } from '../services/moto.ts';
import { useMotoEndpoints } from './helpers/moto-clients.ts';
import { rejection } from '../support/rejection.ts';
import { KAFKA_RUN_OPTIONS, consumeValues, filledTopic, keptLogger, sourceContext } from './helpers/kafka-source-run.ts';

process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

const endpoints = readEndpoints();
const run = `${Date.now()}-${process.pid}`;
const wrongPassword = `wrong-secret-pw-${run}`;
const kafka = new Kafka({ clientId: 'kafka-secrets-test', brokers: [...endpoints.kafkaBrokers], logLevel: logLevel.NOTHING });
const topics: string[] = [];
let admin: Admin;
let producer: Producer;
let moto: RunningMoto;
let secrets: SecretsManagerClient;
let restoreEnvironment = (): void => undefined;

const { logger, lines: logLines } = keptLogger();
const context = sourceContext('kafka-secrets-test', logger);
const options = KAFKA_RUN_OPTIONS;

beforeAll(async () => {
  moto = await startMoto((line) => process.stderr.write(`[moto] ${line}\n`));
  // How an operator points the service at an emulator: the SDK's own service-specific endpoint variable.
  restoreEnvironment = useMotoEndpoints(moto, ['SECRETS_MANAGER']);
  secrets = new SecretsManagerClient({ region: moto.region, endpoint: moto.endpoint, credentials: moto.credentials });
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await admin?.deleteTopics({ topics }).catch(() => undefined);
  await admin?.disconnect();
  secrets?.destroy();
  await moto?.stop();
  restoreEnvironment();
});

async function secret(name: string, password: string): Promise<string> {
  const { ARN } = await secrets.send(new CreateSecretCommand({ Name: `${name}-${run}`, SecretString: JSON.stringify({ username: KAFKA_SASL_TEST_USER.username, password }) }));
  if (ARN === undefined) throw new Error('moto returned no ARN');
  return ARN;
}

function saslConfig(topic: string, mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512', secretArn: string): KafkaSourceConfig {
  return {
    type: 'kafka',
    bootstrapServers: [...endpoints.kafkaSaslBrokers],
    topics: [topic],
    consumerGroupId: topic,
    clusterArn: null,
    ssl: false,
    sasl: { mechanism, username: null, password: null, secretArn },
  };
}

async function filled(suffix: string, count: number): Promise<string> {
  const topic = `kafka-secrets-${suffix}-${run}`;
  topics.push(topic);
  return filledTopic(admin, producer, topic, count);
}

const consume = (config: KafkaSourceConfig, count: number): Promise<string[]> => consumeValues(config, context, count);

describe('Kafka SASL credentials from Secrets Manager (moto)', () => {
  it.each(['scram-sha-512', 'plain'] as const)('%s: consumes with the username and password of the secret', async (mechanism) => {
    const topic = await filled(mechanism, 2);
    const arn = await secret(`kafka-${mechanism}`, KAFKA_SASL_TEST_USER.password);
    expect(await consume(saslConfig(topic, mechanism, arn), 2)).toEqual(['message-0', 'message-1']);
  });

  it('a wrong password in the secret fails clearly; after rotation the same source connects (fetched again on the refusal)', async () => {
    const topic = await filled('rotated', 1);
    const arn = await secret('kafka-rotated', wrongPassword);
    const source = createKafkaSource(saslConfig(topic, 'scram-sha-256', arn), context, options);
    const refused = await rejection(source.open(AbortSignal.timeout(25_000)));
    expect(refused).toMatchObject({ code: 'SOURCE_READ_FAILED', retryable: false });
    expect((refused as Error).message).toContain('the brokers refused the SASL credentials');
    expect((refused as Error).message).not.toContain(wrongPassword);

    await secrets.send(new PutSecretValueCommand({ SecretId: arn, SecretString: JSON.stringify({ username: KAFKA_SASL_TEST_USER.username, password: KAFKA_SASL_TEST_USER.password }) }));
    await source.open(AbortSignal.timeout(25_000));
    await source.close();
    expect(logLines.some((line) => line.includes('the credentials were refused; connecting again with the secret as it is now'))).toBe(true);
  });

  it('a missing secret is CONFIG_INVALID naming the ARN', async () => {
    const arn = `arn:aws:secretsmanager:${moto.region}:${moto.accountId}:secret:no-such-secret-${run}-AbCdEf`;
    const error = await rejection(createKafkaSource(saslConfig('unused', 'plain', arn), context, options).open(AbortSignal.timeout(25_000)));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message).toContain(`Secrets Manager GetSecretValue ${arn} failed: ResourceNotFoundException`);
  });

  it('a secret without a password says which keys it has, not what they hold', async () => {
    const { ARN } = await secrets.send(new CreateSecretCommand({ Name: `kafka-nopw-${run}`, SecretString: JSON.stringify({ username: 'someone', pass: wrongPassword }) }));
    const error = await rejection(createKafkaSource(saslConfig('unused', 'plain', ARN ?? ''), context, options).open(AbortSignal.timeout(25_000)));
    expect((error as Error).message).toContain('has no "password" (it has: username, pass)');
    expect((error as Error).message).not.toContain(wrongPassword);
  });

  it('no password from a secret in any log line', () => {
    const text = logLines.join('');
    expect(logLines.length).toBeGreaterThan(0);
    expect(text).not.toContain(KAFKA_SASL_TEST_USER.password);
    expect(text).not.toContain(wrongPassword);
  });
});
