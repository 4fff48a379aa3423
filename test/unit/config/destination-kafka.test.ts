/** `kafka://` on-failure destinations: the topic-only form (Kafka sources) and the explicit-broker form (any stream). */
import { finishMessage } from '../../../src/config/echo.ts';
import { describe, expect, it } from 'vitest';
import { parseDestination } from '../../../src/config/destination-string.js';
import type { KinesisSourceConfig } from '../../../src/config/types.js';
import { createDestination } from '../../../src/destination/create-destination.js';
import { kafkaClientConfig, plaintextCluster } from '../../../src/destination/kafka-client-config.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { DYNAMODB, KAFKA, KINESIS, SQS, expectIssue, issuesOf, onePipeline, parse } from './helpers.ts';

const PATH = 'pipelines[0].destinationConfig.onFailure.destination';

function withDestination(source: readonly string[], destination: string): string {
  const position = source === SQS ? [] : ['startingPosition: LATEST'];
  return onePipeline(source, [...position, `destinationConfig: { onFailure: { destination: '${destination}' } }`]);
}

describe('parseDestination: kafka://', () => {
  it('reads a topic alone, or brokers then a topic', () => {
    expect(parseDestination('kafka://failed-orders')).toEqual({ ok: true, ref: { kind: 'kafka', topic: 'failed-orders', bootstrapServers: null } });
    expect(parseDestination('kafka://127.0.0.1:19092/failed-orders')).toEqual({
      ok: true,
      ref: { kind: 'kafka', topic: 'failed-orders', bootstrapServers: ['127.0.0.1:19092'] },
    });
    expect(parseDestination('kafka://k1.internal:9092, k2.internal:9092,[::1]:9093/dlq.v1')).toEqual({
      ok: true,
      ref: { kind: 'kafka', topic: 'dlq.v1', bootstrapServers: ['k1.internal:9092', 'k2.internal:9092', '[::1]:9093'] },
    });
  });

  it('refuses bad brokers and bad topics with what is expected', () => {
    const refused = (value: string): string => {
      const parsed = parseDestination(value);
      // As reported for an ordinary field (the message's echo markers rendered: src/config/echo.ts).
      return parsed.ok ? expect.fail(`${value} was accepted`) : finishMessage(parsed.message, false);
    };
    expect(refused('kafka://')).toContain('kafka:// needs a topic name');
    expect(refused('kafka://127.0.0.1:9092/')).toContain('kafka:// needs a topic name');
    expect(refused('kafka://127.0.0.1:9092/a/b')).toContain('brokers must be host:port');
    expect(refused('kafka://127.0.0.1/dlq')).toContain('brokers must be host:port with a port of 1–65535, comma-separated (got "127.0.0.1")');
    expect(refused('kafka://127.0.0.1:70000/dlq')).toContain('(got "127.0.0.1:70000")');
    expect(refused('kafka://a:1,,b:2/dlq')).toContain('(got "")');
    expect(refused('kafka:///dlq')).toContain('brokers must be host:port');
    const eleven = Array.from({ length: 11 }, (_, i) => `k${i}:9092`).join(',');
    expect(refused(`kafka://${eleven}/dlq`)).toContain('at most 10 brokers (got 11)');
  });
});

describe('config: kafka:// destinations by source', () => {
  it('Kinesis and DynamoDB Streams take kafka://brokers/topic, resolved with its brokers', () => {
    for (const source of [KINESIS, DYNAMODB]) {
      const config = parse(withDestination(source, 'kafka://k1:9092,k2:9092/failed-orders'));
      expect(config.pipelines[0]?.onFailure).toEqual({ type: 'kafka', topic: 'failed-orders', bootstrapServers: ['k1:9092', 'k2:9092'] });
      expect(config.pipelines[0]?.onFailureDestination).toBe('kafka://k1:9092,k2:9092/failed-orders');
    }
  });

  it('Kinesis and DynamoDB Streams refuse kafka://topic: there is no source cluster to write to', () => {
    for (const source of [KINESIS, DYNAMODB]) {
      const text = withDestination(source, 'kafka://failed-orders');
      expectIssue(text, issuesOf(text), PATH, 'name the brokers: kafka://host:port/failed-orders', 'destination:');
    }
  });

  it('SQS refuses every destination, kafka:// with brokers included (queue redrive)', () => {
    const text = withDestination(SQS, 'kafka://k1:9092/failed-orders');
    const issues = issuesOf(text).filter((issue) => issue.path.startsWith('pipelines[0].destinationConfig'));
    expect(issues, JSON.stringify(issues)).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/redrive|not supported/i);
  });

  it('Kafka sources: kafka://topic is the source cluster (no brokers); the explicit form is accepted too', () => {
    const own = parse(withDestination(KAFKA, 'kafka://failed-orders'));
    expect(own.pipelines[0]?.onFailure).toEqual({ type: 'kafka', topic: 'failed-orders' });
    const other = parse(withDestination(KAFKA, 'kafka://10.0.0.9:9092/failed-orders'));
    expect(other.pipelines[0]?.onFailure).toEqual({ type: 'kafka', topic: 'failed-orders', bootstrapServers: ['10.0.0.9:9092'] });
  });

  it('Kafka sources: the destination must not be a consumed topic on the source cluster', () => {
    for (const destination of ['kafka://orders', 'kafka://127.0.0.1:9092/orders']) {
      const text = withDestination(KAFKA, destination);
      expectIssue(text, issuesOf(text), PATH, 'must not be a topic the pipeline consumes', 'destination:');
    }
    // The same topic name on another cluster is another topic.
    expect(parse(withDestination(KAFKA, 'kafka://10.0.0.9:9092/orders')).pipelines[0]?.onFailure).toMatchObject({ topic: 'orders' });
  });

  it('a malformed kafka:// destination is one schema issue at the field', () => {
    const text = withDestination(KINESIS, 'kafka://k1/failed-orders');
    expectIssue(text, issuesOf(text), PATH, 'brokers must be host:port', 'destination:');
  });
});

describe('createDestination: kafka:// for a stream source', () => {
  const kinesis: KinesisSourceConfig = { type: 'kinesis', streamName: 'orders', streamArn: null, region: 'us-east-1', endpoint: null };
  const logger = silentLogger();

  it('builds a destination on the named brokers, without connecting', async () => {
    const destination = createDestination({ type: 'kafka', topic: 'failed', bootstrapServers: ['k1:9092', 'k2:9092'] }, { source: kinesis, logger });
    expect([destination.kind, destination.target]).toEqual(['kafka', 'kafka://k1:9092,k2:9092/failed']);
    await destination.close();
  });

  it('connects to those brokers in plaintext, without SASL', () => {
    const config = kafkaClientConfig(plaintextCluster(['k1:9092']), 'kafka://k1:9092/failed', logger, { clientId: 'c', retries: 1 });
    expect(config).toMatchObject({ brokers: ['k1:9092'], ssl: false });
    expect(config).not.toHaveProperty('sasl');
  });

  it('still refuses kafka://topic without a Kafka source', () => {
    expect(() => createDestination({ type: 'kafka', topic: 'failed' }, { source: kinesis, logger })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining('kafka://host:port/failed') as unknown }),
    );
  });
});
