// kafkajs failures → TributaryErrors, from the fields kafkajs errors carry (no broker).

import { describe, expect, it } from 'vitest';
import { isGenerationLost, kafkaErrorType, toKafkaError } from '../../../connectors/kafka/errors.js';
import { TributaryError } from '../../../src/errors.js';

/** A kafkajs protocol error as kafkajs builds it (KafkaJSProtocolError has `type` and `retriable`). */
function protocolError(type: string, retriable = false): Error {
  return Object.assign(new Error(`${type} message`), { name: 'KafkaJSProtocolError', type, retriable });
}

/** kafkajs wraps the last failure of a retried call. */
function retriesExceeded(cause: Error): Error {
  return Object.assign(new Error(cause.message), { name: 'KafkaJSNumberOfRetriesExceeded', cause, retriable: false });
}

describe('toKafkaError', () => {
  it.each([
    ['UNKNOWN_TOPIC_OR_PARTITION', 'SOURCE_NOT_FOUND', false],
    ['TOPIC_AUTHORIZATION_FAILED', 'SOURCE_READ_FAILED', false],
    ['GROUP_AUTHORIZATION_FAILED', 'SOURCE_READ_FAILED', false],
    ['SASL_AUTHENTICATION_FAILED', 'SOURCE_READ_FAILED', false],
    ['INVALID_GROUP_ID', 'SOURCE_READ_FAILED', false],
    ['REBALANCE_IN_PROGRESS', 'LEASE_LOST', true],
    ['ILLEGAL_GENERATION', 'LEASE_LOST', true],
    ['UNKNOWN_MEMBER_ID', 'LEASE_LOST', true],
    ['COORDINATOR_NOT_AVAILABLE', 'SOURCE_UNAVAILABLE', true],
    ['NOT_COORDINATOR', 'SOURCE_UNAVAILABLE', true],
    ['LEADER_NOT_AVAILABLE', 'SOURCE_UNAVAILABLE', true],
  ] as const)('%s → %s (retryable %s), also when wrapped by kafkajs retries', (type, code, retryable) => {
    for (const error of [protocolError(type), retriesExceeded(protocolError(type))]) {
      const mapped = toKafkaError('OffsetCommit', error);
      expect(mapped).toBeInstanceOf(TributaryError);
      expect([mapped.code, mapped.retryable]).toEqual([code, retryable]);
      expect(mapped.message).toContain('Kafka OffsetCommit');
      expect(mapped.cause).toBe(error);
    }
  });

  it('maps connection failures to a retryable SOURCE_UNAVAILABLE', () => {
    const error = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'), { name: 'KafkaJSConnectionError', retriable: true });
    const mapped = toKafkaError('connect', retriesExceeded(error));
    expect([mapped.code, mapped.retryable]).toEqual(['SOURCE_UNAVAILABLE', true]);
  });

  it('maps a SASL failure without repeating what the broker said', () => {
    const error = Object.assign(new Error('SASL SCRAM SHA512 authentication failed: user=alice'), { name: 'KafkaJSSASLAuthenticationError' });
    const mapped = toKafkaError('connect', error);
    expect([mapped.code, mapped.retryable]).toEqual(['SOURCE_READ_FAILED', false]);
    expect(mapped.message).not.toContain('alice');
  });

  it('is STOPPED when the operation was aborted, and keeps TributaryErrors as they are', () => {
    const aborted = AbortSignal.abort();
    expect(toKafkaError('fetch', protocolError('LEADER_NOT_AVAILABLE'), aborted).code).toBe('STOPPED');
    const own = new TributaryError('CONFIG_INVALID', 'x');
    expect(toKafkaError('fetch', own)).toBe(own);
    expect(toKafkaError('fetch', 'weird').code).toBe('SOURCE_UNAVAILABLE');
  });
});

describe('isGenerationLost', () => {
  it('recognises the errors that end a group generation, however deeply wrapped', () => {
    expect(isGenerationLost(retriesExceeded(protocolError('REBALANCE_IN_PROGRESS')))).toBe(true);
    expect(isGenerationLost(protocolError('FENCED_INSTANCE_ID'))).toBe(true);
    expect(isGenerationLost(protocolError('NOT_COORDINATOR'))).toBe(false);
    expect(isGenerationLost(new Error('x'))).toBe(false);
    expect(kafkaErrorType(retriesExceeded(protocolError('ILLEGAL_GENERATION')))).toBe('ILLEGAL_GENERATION');
    expect(kafkaErrorType(null)).toBeNull();
  });
});

describe('TLS alerts about the client certificate', () => {
  const connection = (alert: string, number: number): Error =>
    Object.assign(new Error(`Connection error: 407D4778:error:0A000412:SSL routines:ssl3_read_bytes:ssl/tls alert ${alert}:rec_layer_s3.c:918:SSL alert number ${number}\n`), {
      name: 'KafkaJSConnectionError',
      retriable: true,
    });

  it.each([
    ['bad certificate', 42],
    ['certificate unknown', 46],
    ['unknown ca', 48],
    ['certificate required', 116],
  ] as const)('"%s" (alert %d) says the brokers refused the client certificate, not retryable', (alert, number) => {
    for (const error of [connection(alert, number), retriesExceeded(connection(alert, number))]) {
      const mapped = toKafkaError('connect', error);
      expect([mapped.code, mapped.retryable]).toEqual(['SOURCE_READ_FAILED', false]);
      expect(mapped.message).toBe(`Kafka connect: the brokers refused the TLS client certificate (TLS alert "${alert}"): set ssl.certificate and ssl.key to a certificate signed by a CA the brokers trust`);
    }
  });

  it('other TLS failures stay retryable connection errors', () => {
    const mapped = toKafkaError('connect', connection('handshake failure', 40));
    expect([mapped.code, mapped.retryable]).toEqual(['SOURCE_UNAVAILABLE', true]);
  });
});
