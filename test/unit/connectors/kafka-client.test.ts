// The pure parts of the kafkajs adapter: SASL options, client config, log routing without secrets, message decoding,
// and the source factory's checks — no broker.

import { describe, expect, it } from 'vitest';
import { logLevel, type KafkaMessage, type LogEntry } from 'kafkajs';
import { pino } from 'pino';
import { kafkaClientConfig, kafkaLogCreator, kafkaSasl, toRecordData } from '../../../connectors/kafka/client.js';
import { createKafkaSource, kafkaConnector } from '../../../connectors/kafka/index.js';
import type { KafkaSourceConfig, SourceContext } from '../../../src/connector/index.js';
import { TributaryError } from '../../../src/errors.js';

const config: KafkaSourceConfig = {
  type: 'kafka',
  bootstrapServers: ['b-1:9092', 'b-2:9092'],
  topics: ['orders'],
  consumerGroupId: 'orders-group',
  clusterArn: null,
  ssl: true,
  sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 's3cr3t' },
};

/** A pino logger that keeps every line it writes. */
function capture(level = 'trace'): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

const context = (logger: pino.Logger): SourceContext => ({ pipeline: 'orders', logger, now: Date.now, functionTimeoutMs: 3_000, batchSize: 10, startingPosition: 'TRIM_HORIZON', startingPositionTimestampMs: null, maximumBatchingWindowMs: 500 });

describe('kafka client config', () => {
  it('passes PLAIN and SCRAM credentials to kafkajs, and MSK IAM as OAUTHBEARER with the AWS signer', () => {
    expect(kafkaSasl({ sasl: null, clusterArn: null })).toBeUndefined();
    expect(kafkaSasl({ sasl: { mechanism: 'plain', username: 'u', password: 'p' }, clusterArn: null })).toEqual({ mechanism: 'plain', username: 'u', password: 'p' });
    expect(kafkaSasl({ sasl: { mechanism: 'scram-sha-256', username: null, password: null }, clusterArn: null })).toEqual({ mechanism: 'scram-sha-256', username: '', password: '' });
    const iam = kafkaSasl({ sasl: { mechanism: 'aws-iam', username: null, password: null }, clusterArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/demo/abc' });
    expect(iam?.mechanism).toBe('oauthbearer');
  });

  it('builds the kafkajs config from the source config', () => {
    const { logger } = capture('info');
    const kafkaConfig = kafkaClientConfig(config, 'tributary-orders', logger);
    expect(kafkaConfig).toMatchObject({ clientId: 'tributary-orders', brokers: ['b-1:9092', 'b-2:9092'], ssl: true, logLevel: logLevel.WARN });
    expect(kafkaConfig.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'alice', password: 's3cr3t' });
    expect(kafkaClientConfig(config, 'x', capture('debug').logger).logLevel).toBe(logLevel.INFO);
    expect(kafkaClientConfig(config, 'x', capture('trace').logger).logLevel).toBe(logLevel.DEBUG);
  });

  it('routes kafkajs log lines to pino at matching levels and drops secret-looking fields', () => {
    const { logger, lines } = capture();
    const log = kafkaLogCreator(logger)(logLevel.DEBUG);
    const entry = (level: logLevel, namespace: string, message: string, extra: Record<string, unknown> = {}): LogEntry => ({
      namespace,
      level,
      label: 'x',
      log: { timestamp: 'now', message, ...extra },
    });
    log(entry(logLevel.ERROR, 'Consumer', 'Crash: boom', { groupId: 'g', sasl: { password: 's3cr3t' }, password: 's3cr3t' }));
    log(entry(logLevel.ERROR, 'Connection', 'Response Heartbeat(key: 12, version: 3)', { error: 'The group is rebalancing' }));
    log(entry(logLevel.WARN, 'Runner', 'warned'));
    log(entry(logLevel.INFO, 'ConsumerGroup', 'Pausing fetching from 1 topics'));
    log(entry(logLevel.DEBUG, 'Connection', 'Request Fetch'));
    expect(lines.map((l) => [l['level'], l['msg'], l['namespace']])).toEqual([
      [50, 'Crash: boom', 'Consumer'],
      [40, 'Response Heartbeat(key: 12, version: 3)', 'Connection'],
      [40, 'warned', 'Runner'],
      [20, 'Pausing fetching from 1 topics', 'ConsumerGroup'],
      [10, 'Request Fetch', 'Connection'],
    ]);
    expect(lines[0]?.['groupId']).toBe('g');
    expect(JSON.stringify(lines)).not.toContain('s3cr3t');
  });
});

describe('toRecordData', () => {
  it('decodes a kafkajs message: timestamp, LOG_APPEND_TIME from the batch attributes, repeated and null headers', () => {
    const message = {
      key: Buffer.from('k'),
      value: null,
      timestamp: '1700000000123',
      attributes: 0,
      offset: '42',
      headers: { a: [Buffer.from('1'), Buffer.from('2')], b: Buffer.from('3'), c: 'text', d: undefined },
      batchContext: { timestampType: 1 },
    } as unknown as KafkaMessage;
    const record = toRecordData('orders', 2, message);
    expect(record).toMatchObject({ topic: 'orders', partition: 2, offset: '42', timestampMs: 1700000000123, timestampType: 'LOG_APPEND_TIME', value: null });
    expect(Buffer.from(record.key ?? []).toString()).toBe('k');
    expect(record.headers.map(([name, value]) => [name, value === null ? null : Buffer.from(value).toString()])).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['b', '3'],
      ['c', 'text'],
      ['d', null],
    ]);
    const plain = toRecordData('orders', 0, { ...message, batchContext: { timestampType: 0 } } as unknown as KafkaMessage);
    expect(plain.timestampType).toBe('CREATE_TIME');
  });
});

describe('createKafkaSource / kafkaConnector', () => {
  const options = { startingPosition: 'TRIM_HORIZON', startingPositionTimestampMs: null, batchSize: 100, maximumBatchingWindowMs: 500 } as const;

  it('builds a source without connecting, with Lambda-like capabilities', async () => {
    const source = createKafkaSource(config, context(capture('silent').logger), options);
    expect(source.kind).toBe('group');
    expect(source.sourceArn).toBe('kafka://b-1:9092,b-2:9092');
    expect(source.capabilities).toEqual({ ordering: 'per-shard', maxBatchSize: 10_000, pageSize: 10_000 });
    expect(source.region).toBeNull();
    const msk = createKafkaSource({ ...config, clusterArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/c/1' }, context(capture('silent').logger), options);
    expect(msk.sourceArn).toBe('arn:aws:kafka:us-east-1:123456789012:cluster/c/1');
    expect(msk.region).toBe('us-east-1');
    await source.close();
    await msk.close();
  });

  it('refuses what it cannot run, before any I/O', async () => {
    const ctx = context(capture('silent').logger);
    const code = (fn: () => unknown): string | null => {
      try {
        fn();
        return null;
      } catch (error) {
        return error instanceof TributaryError ? error.code : 'not a TributaryError';
      }
    };
    expect(code(() => createKafkaSource({ ...config, sasl: { mechanism: 'aws-iam', username: null, password: null } }, ctx, options))).toBeNull(); // MSK IAM is supported
    expect(code(() => createKafkaSource(config, ctx, { ...options, startingPosition: 'AT_TIMESTAMP' }))).toBe('CONFIG_INVALID');
    expect(code(() => createKafkaSource({ ...config, topics: [] }, ctx, options))).toBe('CONFIG_INVALID');
    // The connector's own factory works from the pipeline's context (issue 11: a working create), and refuses a
    // context without StartingPosition, which a Kafka mapping requires.
    const created = await kafkaConnector.create(config, ctx);
    expect(created.kind).toBe('group');
    await created.close();
    await expect(kafkaConnector.create(config, { ...ctx, startingPosition: null })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(kafkaConnector.type).toBe('kafka');
  });
});
