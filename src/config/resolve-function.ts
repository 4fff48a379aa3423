/**
 * Resolve a validated `function:` into its `FunctionConfig`: defaults (Lambda's), seconds → ms,
 * and the module handler split into an absolute file and an export name.
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import {
  DEFAULT_FUNCTION_TIMEOUT_SECONDS,
  DEFAULT_LAMBDA_CLIENT_TIMEOUT_SECONDS,
  DEFAULT_MEMORY_SIZE_MB,
  RIE_INVOCATION_PATH,
} from './defaults.js';
import { TributaryError } from '../errors.js';
import { regionOfArn } from './aws-resources.js';
import { splitHandler } from './handler-string.js';
import type { FunctionInput } from './schema/function.js';
import type { FunctionConfig } from './types.js';

/** `baseDir`: the config file's folder, or the library caller's base directory (default cwd). */
export function resolveFunction(fn: FunctionInput, pipelineName: string, baseDir: string): FunctionConfig {
  const functionName = fn.functionName ?? pipelineName;
  switch (fn.type) {
    case 'module': {
      const parts = splitHandler(fn.handler);
      if (parts === null) throw new TributaryError('INTERNAL', `unvalidated handler ${fn.handler}`);
      return {
        type: 'module',
        handlerFile: isAbsolute(parts.file) ? parts.file : resolvePath(baseDir, parts.file),
        handlerExport: parts.exportName,
        handler: fn.handler,
        timeoutMs: seconds(fn.timeout ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS),
        memorySizeMb: fn.memorySize ?? DEFAULT_MEMORY_SIZE_MB,
        environment: { ...fn.environment },
        functionName,
        provisionedConcurrency: fn.provisionedConcurrency ?? 0,
        awsCredentials: fn.awsCredentials ?? 'none',
      };
    }
    case 'http':
      return {
        type: 'http',
        url: withDefaultPath(fn.url),
        headers: { ...fn.headers },
        timeoutMs: seconds(fn.timeout ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS),
        functionName,
      };
    case 'lambda':
      return {
        type: 'lambda',
        functionName: fn.functionName,
        qualifier: fn.qualifier ?? null,
        region: fn.region ?? regionOfArn(fn.functionName),
        endpoint: fn.endpoint ?? null,
        timeoutMs: seconds(fn.timeout ?? DEFAULT_LAMBDA_CLIENT_TIMEOUT_SECONDS),
      };
    case 'in-process':
      return {
        type: 'in-process',
        handler: fn.handler,
        timeoutMs: seconds(fn.timeout ?? DEFAULT_FUNCTION_TIMEOUT_SECONDS),
        memorySizeMb: fn.memorySize ?? DEFAULT_MEMORY_SIZE_MB,
        functionName,
      };
  }
}

/** A URL without a path (`http://localhost:9000`) targets the Lambda Runtime Interface Emulator's invoke path. */
function withDefaultPath(url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname !== '/' || parsed.search !== '') return url;
  parsed.pathname = RIE_INVOCATION_PATH;
  return parsed.href;
}

function seconds(value: number): number {
  return Math.round(value * 1000);
}
