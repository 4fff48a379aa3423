/**
 * `functions.<name>.eventInvokeConfig`, `deadLetterConfig` and `asyncQueue` → `FunctionAsyncConfig`: seconds → ms
 * where the policy wants them, relative `file://` destinations made absolute (against the config file's folder),
 * nulls for what is absent.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { DEFAULT_EXTENDED_DELAYS } from './schema/function-async.js';
import type { ParsedFunctionDeclaration } from './schema/config.js';
import type { AsyncQueueConfig, FunctionAsyncConfig } from './types.js';

export function resolveFunctionAsync(fn: ParsedFunctionDeclaration, baseDir: string): FunctionAsyncConfig {
  const config = fn.eventInvokeConfig;
  const extended = config?.extendedRetries;
  return {
    eventInvokeConfig:
      config === undefined
        ? null
        : {
            maximumRetryAttempts: config.maximumRetryAttempts ?? null,
            maximumEventAgeInSeconds: config.maximumEventAgeInSeconds ?? null,
            onSuccess: absoluteFile(config.destinationConfig?.onSuccess?.destination, baseDir),
            onFailure: absoluteFile(config.destinationConfig?.onFailure?.destination, baseDir),
            extendedRetries:
              extended === undefined
                ? null
                : {
                    maximumRetryAttempts: extended.maximumRetryAttempts,
                    initialDelayMs: (extended.initialDelaySeconds ?? DEFAULT_EXTENDED_DELAYS.initialDelaySeconds) * 1000,
                    maximumDelayMs: (extended.maximumDelaySeconds ?? DEFAULT_EXTENDED_DELAYS.maximumDelaySeconds) * 1000,
                  },
          },
    deadLetterTarget: fn.deadLetterConfig?.targetArn ?? null,
    queue: resolveQueue(fn.asyncQueue),
  };
}

function resolveQueue(queue: ParsedFunctionDeclaration['asyncQueue']): AsyncQueueConfig {
  if (queue === undefined || queue.type === 'embedded') return { type: 'embedded' };
  return { type: 'sqs', queueUrl: queue.queueUrl, region: queue.region ?? null, endpoint: queue.endpoint ?? null };
}

/** `file://<relative>` → `file://<absolute>`; other destinations as written; absent → null. */
function absoluteFile(destination: string | undefined, baseDir: string): string | null {
  if (destination === undefined) return null;
  if (!destination.startsWith('file://')) return destination;
  const path = destination.slice('file://'.length);
  return `file://${isAbsolute(path) ? path : resolvePath(baseDir, path)}`;
}
