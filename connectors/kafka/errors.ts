/**
 * kafkajs failures → TributaryErrors (DESIGN §7.4). Pure: reads only the fields kafkajs errors carry (`name`, `type`,
 * `retriable`, `cause`), so it is testable without a broker. Messages never include credentials: kafkajs errors
 * carry broker addresses and protocol error names only.
 *
 * Protocol error names: https://kafka.apache.org/protocol#protocol_error_codes
 */
import { TributaryError } from '../../src/errors.js';

interface KafkaErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly type?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
  readonly originalError?: unknown;
}

/** The broker says this member's generation is over: its partitions may belong to someone else now. */
const GENERATION_LOST = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID']);
const NOT_FOUND = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'UNKNOWN_TOPIC_ID']);
/** Refusals no retry fixes without a configuration change (credentials, ACLs, names). */
const REFUSED = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'ILLEGAL_SASL_STATE',
  'UNSUPPORTED_SASL_MECHANISM',
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'INVALID_GROUP_ID',
  'INVALID_TOPIC_EXCEPTION',
  'OFFSET_METADATA_TOO_LARGE',
]);

function shapeOf(error: unknown): KafkaErrorShape {
  return typeof error === 'object' && error !== null ? (error as KafkaErrorShape) : {};
}

/** The error and its causes (kafkajs wraps the protocol error in KafkaJSNumberOfRetriesExceeded / KafkaJSError). */
function chain(error: unknown): KafkaErrorShape[] {
  const out: KafkaErrorShape[] = [];
  for (let current: unknown = error, depth = 0; typeof current === 'object' && current !== null && depth < 6; depth++) {
    const shape = shapeOf(current);
    out.push(shape);
    current = shape.cause ?? shape.originalError;
  }
  return out;
}

/** The first protocol error type (`REBALANCE_IN_PROGRESS`, …) in the chain, or null. */
export function kafkaErrorType(error: unknown): string | null {
  for (const shape of chain(error)) if (typeof shape.type === 'string') return shape.type;
  return null;
}

/** True when the failure means the consumer's group generation ended (a commit must not be retried). */
export function isGenerationLost(error: unknown): boolean {
  const type = kafkaErrorType(error);
  return type !== null && GENERATION_LOST.has(type);
}

/**
 * A TLS alert the broker sent during the handshake because of our client certificate: none given (`bad certificate`,
 * `certificate required`), or one it does not trust (`certificate unknown`, `unknown ca`) — OpenSSL's wording in
 * Node's error message ("ssl/tls alert bad certificate … SSL alert number 42"). The alert name, or null.
 */
export function clientCertificateAlert(error: unknown): string | null {
  for (const shape of chain(error)) {
    const message = typeof shape.message === 'string' ? shape.message : '';
    const alert = /alert (bad certificate|certificate required|certificate unknown|unknown ca|certificate revoked|certificate expired|unsupported certificate)/i.exec(message);
    if (alert?.[1] !== undefined) return alert[1].toLowerCase();
  }
  return null;
}

/** kafkajs refused our SASL credentials (KafkaJSSASLAuthenticationError anywhere in the chain). */
export function isAuthenticationError(error: unknown): boolean {
  return chain(error).some((shape) => shape.name === 'KafkaJSSASLAuthenticationError');
}

/**
 * Maps a failure of one Kafka operation. `signal` is the operation's signal: an aborted operation is `STOPPED`
 * whatever the client raised for it.
 */
export function toKafkaError(operation: string, error: unknown, signal?: AbortSignal): TributaryError {
  if (error instanceof TributaryError) return error;
  const shape = shapeOf(error);
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const message = typeof shape.message === 'string' ? shape.message : 'unknown error';
  const what = `Kafka ${operation}`;
  if (signal?.aborted === true || name === 'AbortError') return new TributaryError('STOPPED', `${what} aborted`, { cause: error, retryable: true });
  const type = kafkaErrorType(error);
  if (isAuthenticationError(error)) return new TributaryError('SOURCE_READ_FAILED', `${what}: the brokers refused the SASL credentials`, { cause: error });
  const alert = clientCertificateAlert(error);
  if (alert !== null) {
    return new TributaryError(
      'SOURCE_READ_FAILED',
      `${what}: the brokers refused the TLS client certificate (TLS alert "${alert}"): set ssl.certificate and ssl.key to a certificate signed by a CA the brokers trust`,
      { cause: error },
    );
  }
  if (type !== null && NOT_FOUND.has(type)) return new TributaryError('SOURCE_NOT_FOUND', `${what}: ${type}`, { cause: error });
  if (type !== null && REFUSED.has(type)) return new TributaryError('SOURCE_READ_FAILED', `${what} refused: ${type}`, { cause: error });
  if (type !== null && GENERATION_LOST.has(type)) return new TributaryError('LEASE_LOST', `${what}: ${type}`, { cause: error, retryable: true });
  // Connection failures, timeouts, coordinator moves, leader elections, exhausted kafkajs retries: the brokers may
  // come back, so the core backs off and tries again.
  return new TributaryError('SOURCE_UNAVAILABLE', `${what} failed: ${name}: ${message}`, { cause: error, retryable: true });
}
