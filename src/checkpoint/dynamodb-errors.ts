/**
 * DynamoDB SDK errors → TributaryErrors. Pure: reads only the error's `name`, `code`, `$fault` and `$metadata`,
 * so it needs no SDK import and is unit-tested with plain objects.
 *
 * Retryable per AWS's guidance (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html):
 * throttling (ProvisionedThroughputExceeded, ThrottlingException, RequestLimitExceeded), any 5xx, and network
 * failures. A failed condition is not an error of the store but a lost race: LEASE_LOST (or null / false where the
 * CheckpointStore contract says so).
 */
import { TributaryError, errorMessage } from '../errors.js';

export type DynamoErrorKind = 'condition-failed' | 'aborted' | 'throttled' | 'server' | 'network' | 'table-missing' | 'client';

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TransactionConflictException',
]);
const SERVER = new Set(['InternalServerError', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

export function classifyDynamoError(error: unknown): DynamoErrorKind {
  if (typeof error !== 'object' || error === null) return 'client';
  const e = error as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : '';
  if (name === 'ConditionalCheckFailedException') return 'condition-failed';
  if (name === 'AbortError') return 'aborted';
  if (name === 'ResourceNotFoundException') return 'table-missing';
  if (THROTTLED.has(name)) return 'throttled';
  const status = e.$metadata?.httpStatusCode;
  if (SERVER.has(name) || e.$fault === 'server' || (typeof status === 'number' && status >= 500)) return 'server';
  if (NETWORK_NAMES.has(name) || (typeof e.code === 'string' && NETWORK_CODES.has(e.code))) return 'network';
  // A plain socket error from the HTTP handler with an unlisted code: no HTTP status means no answer was received.
  if (name === 'Error' && typeof status !== 'number' && e.$fault === undefined) return 'network';
  return 'client';
}

/** The TributaryError for a failed `operation` on `table`. */
export function toStoreError(operation: string, table: string, error: unknown): TributaryError {
  const kind = classifyDynamoError(error);
  const name = typeof error === 'object' && error !== null && typeof (error as SdkErrorShape).name === 'string' ? String((error as SdkErrorShape).name) : 'Error';
  const detail = `DynamoDB ${operation} on ${table} failed: ${name}: ${errorMessage(error)}`;
  switch (kind) {
    case 'condition-failed':
      return new TributaryError('LEASE_LOST', `DynamoDB ${operation} on ${table}: the lease is held by another owner or counter`, { cause: error });
    case 'aborted':
      return new TributaryError('STOPPED', `DynamoDB ${operation} on ${table} aborted`, { cause: error, retryable: true });
    case 'table-missing':
      return new TributaryError('CHECKPOINT_FAILED', `${detail} (the lease table does not exist)`, { cause: error });
    case 'throttled':
    case 'server':
    case 'network':
      return new TributaryError('CHECKPOINT_FAILED', detail, { cause: error, retryable: true });
    case 'client':
      return new TributaryError('CHECKPOINT_FAILED', detail, { cause: error });
  }
}
