/**
 * What every AWS SDK v3 failure carries (`name`, `message`, `code` for socket errors, `$fault`,
 * `$metadata.httpStatusCode`), read without the SDK, and the mapping every AWS stream source shares: aborted →
 * STOPPED, not found, throttled, refused for good, else retryable (the service or the network).
 */
import { TributaryError } from '../../errors.js';

export interface SdkErrorFacts {
  readonly name: string;
  readonly message: string;
  /** Node's socket error code (ECONNREFUSED, ECONNRESET, …), when present. */
  readonly code: string | null;
  readonly httpStatus: number | null;
  readonly fault: 'client' | 'server' | null;
}

interface SdkErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

export function sdkErrorFacts(error: unknown): SdkErrorFacts {
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  return {
    name: typeof shape.name === 'string' ? shape.name : 'Error',
    message: typeof shape.message === 'string' ? shape.message : typeof error === 'string' ? error : 'unknown error',
    code: typeof shape.code === 'string' ? shape.code : null,
    httpStatus: typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : null,
    fault: shape.$fault === 'client' || shape.$fault === 'server' ? shape.$fault : null,
  };
}

/** A service's error names by meaning. */
export interface AwsErrorNames {
  readonly notFound: ReadonlySet<string>;
  readonly throttled: ReadonlySet<string>;
  /** Refusals no retry fixes without a configuration change. */
  readonly permanent: ReadonlySet<string>;
}

/**
 * Maps a failure of one call to `what` (e.g. "Kinesis GetRecords"). `signal` is the call's signal: an aborted call
 * is STOPPED whatever the HTTP layer raised for it. Callers handle their service-specific names first.
 */
export function toAwsSourceError(what: string, error: unknown, names: AwsErrorNames, signal?: AbortSignal): TributaryError {
  if (error instanceof TributaryError) return error;
  const { name, message, httpStatus } = sdkErrorFacts(error);
  if (name === 'AbortError' || signal?.aborted === true) return new TributaryError('STOPPED', `${what} aborted`, { cause: error, retryable: true });
  if (names.notFound.has(name)) return new TributaryError('SOURCE_NOT_FOUND', `${what}: ${message}`, { cause: error });
  if (names.throttled.has(name) || httpStatus === 429) {
    return new TributaryError('SOURCE_THROTTLED', `${what} throttled: ${httpStatus === 429 && !names.throttled.has(name) ? 'HTTP 429' : name}`, { cause: error, retryable: true });
  }
  if (names.permanent.has(name)) return new TributaryError('SOURCE_READ_FAILED', `${what} refused: ${name}: ${message}`, { cause: error });
  // Everything else is the service or the network (internal errors, 5xx, ECONNREFUSED, timeouts): retryable.
  return new TributaryError('SOURCE_UNAVAILABLE', `${what} failed: ${name}: ${message}`, { cause: error, retryable: true });
}
