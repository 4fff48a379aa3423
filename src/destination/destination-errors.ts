/**
 * The errors every destination raises: always `DESTINATION_FAILED`, naming the target (never a secret), so the
 * executor can branch on one code and log one shape.
 */
import { sdkErrorFacts } from '../connector/kit/sdk-error.js';
import { TributaryError, errorMessage } from '../errors.js';

/** A delivery failure; retryable unless said otherwise (see `OnFailureDestination.deliver`). */
export function destinationFailed(target: string, message: string, options: { readonly retryable?: boolean; readonly cause?: unknown } = {}): TributaryError {
  return new TributaryError('DESTINATION_FAILED', `on-failure destination ${target}: ${message}`, {
    retryable: options.retryable ?? true,
    ...(options.cause === undefined ? {} : { cause: options.cause }),
  });
}

/** Wrap anything thrown by an SDK or the file system, keeping a TributaryError that is already one of ours. */
export function asDestinationError(target: string, action: string, error: unknown): TributaryError {
  if (error instanceof TributaryError && error.code === 'DESTINATION_FAILED') return error;
  const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
  return destinationFailed(target, `${action} failed: ${name}${errorMessage(error)}`, { cause: error });
}

/** Throws a retryable failure when `signal` is aborted (the records were not delivered). */
export function throwIfAborted(target: string, signal: AbortSignal): void {
  if (signal.aborted) throw destinationFailed(target, 'delivery aborted', { cause: signal.reason });
}

/** Rejects with a retryable failure as soon as `signal` aborts, else settles like `work`. */
export function raceAbort<T>(target: string, work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(destinationFailed(target, 'delivery aborted', { cause: signal.reason }));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      // `work` keeps running (kafkajs has no cancellation); its outcome no longer matters.
      work.catch(() => undefined);
      reject(destinationFailed(target, 'delivery aborted', { cause: signal.reason }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(errorMessage(error)));
      },
    );
  });
}

/**
 * An AWS SDK failure of `action` (e.g. `PutObject`) as a retryable DESTINATION_FAILED: a missing resource (named
 * in `notFound`) says so plainly, an aborted call says "delivery aborted", anything else keeps the SDK's error name
 * and message (they name the request, never a credential).
 */
export function sdkDestinationError(target: string, action: string, error: unknown, signal: AbortSignal, notFound: { readonly names: ReadonlySet<string>; readonly says: string }): TributaryError {
  const { name, message } = sdkErrorFacts(error);
  if (name === 'AbortError' || signal.aborted) return destinationFailed(target, 'delivery aborted', { cause: error });
  if (notFound.names.has(name)) return destinationFailed(target, `${action}: ${notFound.says}`, { cause: error });
  return destinationFailed(target, `${action} failed: ${name}: ${message}`, { cause: error });
}
