/**
 * The environment variables of a sandbox: a copy of the service's own environment, Lambda's defined runtime
 * variables, then the function's configured `environment` on top. Each worker gets its own copy (`env` option of
 * `new Worker`), so nothing a handler sets or reads leaks into the service's `process.env` or another function.
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
import { basename, dirname } from 'node:path';

export type InitializationType = 'on-demand' | 'provisioned-concurrency';

export interface SandboxEnvironmentOptions {
  readonly functionName: string;
  readonly memorySizeMb: number;
  readonly region: string;
  /** Absolute handler file without extension. */
  readonly handlerFile: string;
  readonly handlerExport: string;
  readonly initializationType: InitializationType;
  /** The function's configured variables; they win over everything else, as user configuration should. */
  readonly environment: Readonly<Record<string, string>>;
  /** The service's environment to start from (default `process.env`). */
  readonly base?: Readonly<Record<string, string | undefined>>;
}

export function sandboxEnvironment(options: SandboxEnvironmentOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.base ?? process.env)) if (value !== undefined) env[key] = value;
  Object.assign(env, {
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: options.initializationType,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    // Lambda's _HANDLER is relative to the task root, e.g. `index.handler`.
    _HANDLER: `${basename(options.handlerFile)}.${options.handlerExport}`,
    LAMBDA_TASK_ROOT: dirname(options.handlerFile),
  });
  Object.assign(env, options.environment);
  return env;
}
