/**
 * The environment variables of a sandbox, built from an allow-list — never a copy of the service's environment, which
 * holds Tributary's own secrets (its AWS keys, Kafka SASL passwords, tokens interpolated into the config). A Lambda
 * function sees only its configured variables, its execution role's credentials and the runtime's variables:
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 *
 * 1. A few harmless variables of the host: `PATH`, `LANG` (Lambda: `en_US.UTF-8`), `LD_LIBRARY_PATH`, `NODE_PATH`,
 *    `TMPDIR`.
 * 2. Lambda's defined runtime variables: `AWS_LAMBDA_FUNCTION_NAME` / `_VERSION` / `_MEMORY_SIZE`,
 *    `AWS_LAMBDA_LOG_GROUP_NAME`, `AWS_LAMBDA_LOG_STREAM_NAME`, `AWS_LAMBDA_INITIALIZATION_TYPE`,
 *    `AWS_EXECUTION_ENV` (`AWS_Lambda_nodejs<major>.x` of the Node that runs the sandbox), `LAMBDA_TASK_ROOT`,
 *    `LAMBDA_RUNTIME_DIR`, `_HANDLER`, `TZ=:UTC`, `AWS_REGION` / `AWS_DEFAULT_REGION` (the service's own when it has
 *    them — never overridden — else the runner's region). `_X_AMZN_TRACE_ID` is set per invocation by the sandbox.
 * 3. AWS credentials only with `awsCredentials: inherit`: the service's credential-chain variables (keys, profile,
 *    container / web-identity settings, `HOME` for the shared files). With `none` (the default) there are none, and
 *    `AWS_EC2_METADATA_DISABLED=true` keeps an SDK in the handler from falling back to the host's instance role.
 * 4. The function's configured `environment`, on top (as written in the config, so an emulator setup can set
 *    anything, even a reserved name Lambda would refuse).
 *
 * Each worker gets its own copy (`env` option of `new Worker`): nothing a handler sets leaks into the service.
 * `TZ` is only a variable here: a worker shares the process's time zone, so run the service with `TZ=UTC` (the
 * container image does) for `new Date().getHours()` to match Lambda.
 */
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handlerSetting } from '../../config/handler-string.js';

export type InitializationType = 'on-demand' | 'provisioned-concurrency';
/** `awsCredentials` of a module function: pass the service's AWS credential chain to the handler, or nothing. */
export type AwsCredentialsMode = 'inherit' | 'none';

/** Host variables every sandbox keeps: they locate binaries, libraries and temp files, and hold no secret. */
const HOST_VARIABLES = ['PATH', 'LANG', 'LD_LIBRARY_PATH', 'NODE_PATH', 'TMPDIR'] as const;

/** The AWS SDKs' credential chain, in the environment: https://docs.aws.amazon.com/sdkref/latest/guide/settings-reference.html */
export const AWS_CREDENTIAL_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_EC2_METADATA_DISABLED',
  'HOME',
] as const;

/** The folder of the sandbox's runtime code (Lambda: `/var/runtime`). */
export const RUNTIME_DIR = dirname(fileURLToPath(import.meta.url));

export interface SandboxEnvironmentOptions {
  readonly functionName: string;
  readonly memorySizeMb: number;
  /** The runner's region, used when the service's environment names none. */
  readonly region: string;
  /** Absolute handler file without extension. */
  readonly handlerFile: string;
  readonly handlerExport: string;
  readonly initializationType: InitializationType;
  /** This sandbox's log stream, `YYYY/MM/DD/[$LATEST]<32 hex>` (see {@link logStreamName}). */
  readonly logStreamName: string;
  readonly awsCredentials: AwsCredentialsMode;
  /** The function's configured variables; they win over everything else, as user configuration should. */
  readonly environment: Readonly<Record<string, string>>;
  /** The service's environment to pick from (default `process.env`). */
  readonly base?: Readonly<Record<string, string | undefined>>;
  /** The Node version the sandbox runs (default `process.versions.node`). */
  readonly nodeVersion?: string;
}

/** Lambda's runtime identifier for a Node version: `AWS_Lambda_nodejs24.x`. */
export function executionEnv(nodeVersion: string): string {
  return `AWS_Lambda_nodejs${nodeVersion.split('.')[0] ?? ''}.x`;
}

/** Lambda's log stream name of an execution environment: `2024/05/01/[$LATEST]` + 32 hex digits. */
export function logStreamName(nowMs: number, randomHex32: string): string {
  const day = new Date(nowMs).toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomHex32}`;
}

export function sandboxEnvironment(options: SandboxEnvironmentOptions): Record<string, string> {
  const base = options.base ?? process.env;
  const env: Record<string, string> = {};
  const copy = (names: readonly string[]): void => {
    for (const name of names) {
      const value = base[name];
      if (value !== undefined) env[name] = value;
    }
  };
  copy(HOST_VARIABLES);
  env['LANG'] ??= 'en_US.UTF-8';
  if (options.awsCredentials === 'inherit') copy(AWS_CREDENTIAL_VARIABLES);
  else env['AWS_EC2_METADATA_DISABLED'] = 'true';
  const region = base['AWS_REGION'] ?? base['AWS_DEFAULT_REGION'] ?? options.region;
  Object.assign(env, {
    AWS_LAMBDA_FUNCTION_NAME: options.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(options.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: options.initializationType,
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: options.logStreamName,
    AWS_EXECUTION_ENV: executionEnv(options.nodeVersion ?? process.versions.node),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: base['AWS_DEFAULT_REGION'] ?? region,
    // Lambda's _HANDLER is relative to the task root, e.g. `index.handler`.
    _HANDLER: handlerSetting(basename(options.handlerFile), options.handlerExport),
    LAMBDA_TASK_ROOT: dirname(options.handlerFile),
    LAMBDA_RUNTIME_DIR: RUNTIME_DIR,
    TZ: ':UTC',
  });
  Object.assign(env, options.environment);
  return env;
}
