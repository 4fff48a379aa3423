/**
 * AWS's FunctionConfiguration and GetFunction documents (API_FunctionConfiguration, API_GetFunction) for a declared
 * function. Pure.
 *
 * Tributary has no deployment packages, versions or execution roles, so the document says what is true: one version
 * (`$LATEST`), `State: Active`, no `Code` location, no `Environment` (its values may be secrets; AWS would return
 * them, Tributary never does), `Role` the same placeholder role Tributary writes as Kinesis `invokeIdentityArn`.
 * Tools that look a function up before creating a mapping (the AWS CLI, SAM, Terraform) need only its name and ARN.
 */
import { functionArn, type ApiIdentity } from './function-name.js';
import type { FunctionDescription } from './ports.js';

/** Facts about the process the functions run in. */
export interface RuntimeFacts {
  /** Lambda's runtime identifier for `module` functions, e.g. `nodejs24.x` (the running Node's major version). */
  readonly nodeRuntime: string;
  /** Lambda's architecture, `x86_64` or `arm64`. */
  readonly architecture: 'x86_64' | 'arm64';
}

/** The runtime facts of this process. */
export function runtimeFacts(nodeVersion: string = process.versions.node, arch: string = process.arch): RuntimeFacts {
  return { nodeRuntime: `nodejs${nodeVersion.split('.')[0] ?? ''}.x`, architecture: arch === 'arm64' ? 'arm64' : 'x86_64' };
}

/** FunctionConfiguration of `fn`. */
export function functionConfiguration(fn: FunctionDescription, identity: ApiIdentity, runtime: RuntimeFacts): Record<string, unknown> {
  const runsNode = fn.runner === 'module' || fn.runner === 'in-process';
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(identity, fn.name),
    ...(runsNode ? { Runtime: runtime.nodeRuntime } : {}),
    Role: `arn:aws:iam::${identity.accountId}:role/tributary`,
    ...(fn.handler === null ? {} : { Handler: fn.handler }),
    CodeSize: 0,
    Description: fn.description,
    Timeout: fn.timeoutSeconds,
    ...(fn.memorySizeMb === null ? {} : { MemorySize: fn.memorySizeMb }),
    LastModified: lambdaTimestamp(fn.lastModifiedMs),
    CodeSha256: '',
    Version: '$LATEST',
    TracingConfig: { Mode: 'PassThrough' },
    State: 'Active',
    LastUpdateStatus: 'Successful',
    // An `http` function is a container image behind the Runtime Interface Emulator (DESIGN §3.3).
    PackageType: fn.runner === 'http' ? 'Image' : 'Zip',
    Architectures: [runtime.architecture],
    EphemeralStorage: { Size: 512 },
  };
}

/** GetFunction's response: the configuration and, when reserved, the function's concurrency. */
export function getFunctionDocument(fn: FunctionDescription, identity: ApiIdentity, runtime: RuntimeFacts): Record<string, unknown> {
  return {
    Configuration: functionConfiguration(fn, identity, runtime),
    ...(fn.reservedConcurrency === null ? {} : { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } }),
  };
}

/** Lambda's FunctionConfiguration.LastModified format: `2019-10-22T18:33:10.123+0000`. */
export function lambdaTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}
