/**
 * DynamoDB and DynamoDB Streams failures → TributaryErrors (DESIGN §7.4). Kept apart from client.ts so the mapping
 * is pure and testable without the SDK: it reads only the fields every AWS SDK v3 error carries (`name`, `message`,
 * `$metadata`).
 *
 * Error names: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html#API_streams_GetRecords_Errors
 * (and the same section of GetShardIterator, DescribeStream and DescribeTable).
 */
import { TributaryError } from '../../src/errors.js';

/**
 * What a shard reader must do about a failed call, when it is one it recovers from by itself:
 *
 * - `expired-iterator`: the iterator is older than 15 minutes; open a new one after the last record returned.
 *   https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetShardIterator.html
 * - `trimmed-data`: the iterator points at records older than the 24-hour retention (TrimmedDataAccessException);
 *   DynamoDB Local also raises it spuriously (aws/aws-sdk-java#2923).
 * - `invalid-shard-iterator`: DynamoDB Local's undocumented `ResourceNotFoundException: Invalid ShardId in
 *   ShardIterator` (localstack/localstack#12036); the shard still exists, the iterator must be re-opened.
 */
export type IteratorRecovery = 'expired-iterator' | 'trimmed-data' | 'invalid-shard-iterator';

/**
 * A retryable read failure the shard reader handles itself by re-opening its iterator. Tell the cases apart with
 * {@link recoveryOf} (or the `recovery` field), never by message text.
 */
export class IteratorRecoveryError extends TributaryError {
  readonly recovery: IteratorRecovery;

  constructor(recovery: IteratorRecovery, operation: string, detail: string, cause: unknown) {
    super('SOURCE_READ_FAILED', `DynamoDB Streams ${operation}: ${detail}`, { cause, retryable: true });
    this.name = 'IteratorRecoveryError';
    this.recovery = recovery;
  }
}

/** The recovery a failure calls for, or null when the reader should just report it. */
export function recoveryOf(error: unknown): IteratorRecovery | null {
  return error instanceof IteratorRecoveryError ? error.recovery : null;
}

/** The table, stream or shard does not exist (or the stream is being deleted with its table). */
const NOT_FOUND = new Set(['ResourceNotFoundException', 'TableNotFoundException']);
/**
 * Over a request rate limit of the Streams or table API (too many readers on a shard, DescribeStream/DescribeTable
 * rates), or request throttling: back off and retry.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 */
const THROTTLED = new Set(['LimitExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'ProvisionedThroughputExceededException']);
/** Errors no retry will fix without a configuration change. */
const PERMANENT = new Set([
  'AccessDeniedException',
  'ValidationException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
]);

/** DynamoDB Local's message for an iterator whose shard it no longer recognises (localstack/localstack#12036). */
const INVALID_SHARD_IN_ITERATOR = /invalid shardid in sharditerator/i;

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

/** Which API a call went to, for messages: the table API or the Streams API. */
export type DynamoDbService = 'DynamoDB' | 'DynamoDB Streams';

/**
 * Maps a failure of one call. `signal` is the call's signal: an aborted call is `STOPPED` whatever error the HTTP
 * layer raised for it.
 */
export function toDynamoDbStreamsError(service: DynamoDbService, operation: string, error: unknown, signal?: AbortSignal): TributaryError {
  if (error instanceof TributaryError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const message = typeof shape.message === 'string' ? shape.message : 'unknown error';
  const what = `${service} ${operation}`;
  if (name === 'AbortError' || signal?.aborted === true) return new TributaryError('STOPPED', `${what} aborted`, { cause: error, retryable: true });
  if (name === 'ExpiredIteratorException') return new IteratorRecoveryError('expired-iterator', operation, 'the shard iterator expired', error);
  if (name === 'TrimmedDataAccessException') {
    return new IteratorRecoveryError('trimmed-data', operation, 'the iterator points at records past the 24-hour retention', error);
  }
  if (name === 'ResourceNotFoundException' && INVALID_SHARD_IN_ITERATOR.test(message)) {
    return new IteratorRecoveryError('invalid-shard-iterator', operation, `the iterator names a shard the service does not know (${message})`, error);
  }
  if (NOT_FOUND.has(name)) return new TributaryError('SOURCE_NOT_FOUND', `${what}: ${message}`, { cause: error });
  if (THROTTLED.has(name)) return new TributaryError('SOURCE_THROTTLED', `${what} throttled: ${name}`, { cause: error, retryable: true });
  if (PERMANENT.has(name)) return new TributaryError('SOURCE_READ_FAILED', `${what} refused: ${name}: ${message}`, { cause: error });
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : null;
  if (status === 429) return new TributaryError('SOURCE_THROTTLED', `${what} throttled: HTTP 429`, { cause: error, retryable: true });
  // Everything else is the service or the network (InternalServerError, 5xx, ECONNREFUSED, timeouts): retryable,
  // the core backs off.
  return new TributaryError('SOURCE_UNAVAILABLE', `${what} failed: ${name}: ${message}`, { cause: error, retryable: true });
}
