/**
 * Kinesis failures → TributaryErrors (DESIGN §7.4). Kept apart from client.ts so the mapping is pure and testable
 * without the SDK: it reads only the fields every AWS SDK v3 error carries (`name`, `message`, `$metadata`).
 *
 * Error names: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_GetRecords.html#API_GetRecords_Errors
 * (and the same section of GetShardIterator, ListShards, DescribeStreamSummary).
 */
import { TributaryError } from '../../src/errors.js';

/**
 * The shard iterator is older than 5 minutes (or otherwise no longer valid): the reader must get a new one and
 * resume after the last record it returned. Detect it with `instanceof` or {@link isExpiredIterator}.
 * https://docs.aws.amazon.com/streams/latest/dev/troubleshooting-consumers.html#expired-iterator
 */
export class ExpiredIteratorError extends TributaryError {
  /** Always true: lets code that only sees a TributaryError tell this case apart without importing the class. */
  readonly expiredIterator = true as const;

  constructor(operation: string, cause: unknown) {
    super('SOURCE_READ_FAILED', `Kinesis ${operation}: the shard iterator expired`, { cause, retryable: true });
    this.name = 'ExpiredIteratorError';
  }
}

export function isExpiredIterator(error: unknown): error is ExpiredIteratorError {
  return error instanceof ExpiredIteratorError;
}

/** The stream (or shard) does not exist, or is being deleted. */
const NOT_FOUND = new Set(['ResourceNotFoundException']);
/**
 * Over a shard's read limit (5 GetRecords/s, 2 MB/s), an account's control-plane limit (ListShards 1000/s per
 * stream, DescribeStreamSummary 20/s), or KMS throttling: back off and retry.
 * https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html
 */
const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'LimitExceededException', 'ThrottlingException', 'KMSThrottlingException']);
/**
 * The resource is busy: SubscribeToShard within 5 s of a successful one for the same consumer and shard (or another
 * subscriber took it over), a consumer being registered or deleted, a stream being updated. Back off and retry.
 * https://docs.aws.amazon.com/kinesis/latest/APIReference/API_SubscribeToShard.html
 */
const IN_USE = new Set(['ResourceInUseException']);
/** Errors no retry will fix without a configuration change. */
const PERMANENT = new Set(['AccessDeniedException', 'InvalidArgumentException', 'ValidationException', 'UnrecognizedClientException']);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

/**
 * Maps a failure of one Kinesis call. `signal` is the call's signal: an aborted call is `STOPPED` whatever error
 * the HTTP layer raised for it.
 */
export function toKinesisError(operation: string, error: unknown, signal?: AbortSignal): TributaryError {
  if (error instanceof TributaryError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const message = typeof shape.message === 'string' ? shape.message : 'unknown error';
  const what = `Kinesis ${operation}`;
  if (name === 'AbortError' || signal?.aborted === true) return new TributaryError('STOPPED', `${what} aborted`, { cause: error, retryable: true });
  if (name === 'ExpiredIteratorException') return new ExpiredIteratorError(operation, error);
  if (NOT_FOUND.has(name)) return new TributaryError('SOURCE_NOT_FOUND', `${what}: ${message}`, { cause: error });
  if (THROTTLED.has(name)) return new TributaryError('SOURCE_THROTTLED', `${what} throttled: ${name}`, { cause: error, retryable: true });
  if (IN_USE.has(name)) return new TributaryError('SOURCE_THROTTLED', `${what}: resource in use: ${message}`, { cause: error, retryable: true });
  if (PERMANENT.has(name)) return new TributaryError('SOURCE_READ_FAILED', `${what} refused: ${name}: ${message}`, { cause: error });
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : null;
  if (status === 429) return new TributaryError('SOURCE_THROTTLED', `${what} throttled: HTTP 429`, { cause: error, retryable: true });
  // Everything else is the service or the network (InternalFailureException, 5xx, ECONNREFUSED, timeouts, KMS
  // key states an operator can fix): retryable, the core backs off.
  return new TributaryError('SOURCE_UNAVAILABLE', `${what} failed: ${name}: ${message}`, { cause: error, retryable: true });
}

/** The AWS error name behind a mapped failure (`ResourceInUseException`, …), or null when it did not come from the SDK. */
export function kinesisErrorName(error: unknown): string | null {
  const cause = error instanceof TributaryError ? error.cause : error;
  if (typeof cause !== 'object' || cause === null) return null;
  const name = (cause as { name?: unknown }).name;
  return typeof name === 'string' ? name : null;
}

/**
 * True for GetShardIterator's refusal of an AT_TIMESTAMP the service thinks is still ahead of it (its clock is behind
 * ours: kinesis-local's runs on the process's monotonic clock, and a host's clock may be ahead of AWS's).
 */
export function isFutureTimestamp(error: unknown): boolean {
  const cause = error instanceof TributaryError ? error.cause : error;
  const shape: SdkErrorShape = typeof cause === 'object' && cause !== null ? (cause as SdkErrorShape) : {};
  return shape.name === 'InvalidArgumentException' && typeof shape.message === 'string' && /future/i.test(shape.message);
}
