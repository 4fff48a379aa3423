/**
 * The whole configuration as `createService` takes it: the YAML file's shape (src/config/schema/config.ts and
 * api.ts), with typed pipelines and functions. `$schema` (an editor hint) is left out.
 */
import type { AwsClientInput, BooleanInput, NumberInput } from './fields.js';
import type { FunctionDeclarationInput } from './function-input.js';
import type { PipelineInput } from './pipeline-input.js';
import type { SourceTypeInput } from './source-input.js';

/** The operations server: `/healthz`, `/readyz`, `/metrics`, `/status`. */
export interface ServerInput {
  /** Default true for `createService` (`createPipeline` never starts one). */
  readonly enabled?: BooleanInput | undefined;
  /** Listen address; default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Listen port (0: any free port); default 9400. */
  readonly port?: NumberInput | undefined;
}

/** Where checkpoints and leases live. */
export type CheckpointsInput =
  | {
      readonly type: 'file';
      /** Folder, relative to `options.baseDir`; default `.tributary`. */
      readonly path?: string | undefined;
    }
  | (AwsClientInput & {
      readonly type: 'dynamodb';
      /** The lease table (KCL style), shared by every replica. */
      readonly tableName: string;
      /** A replica that stops renewing loses its shards after this long (1–3600 s); default 10. */
      readonly leaseDurationSeconds?: NumberInput | undefined;
    });

/** Where sources of mappings created through the Lambda API are reached. */
export interface EndpointDefaultsInput {
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
}

/** `api:` — Lambda's REST API for event source mappings and Invoke. Present means enabled unless `enabled: false`. */
export interface ApiInput {
  readonly enabled?: BooleanInput | undefined;
  /** Listen address; anything but loopback needs TRIBUTARY_API_ACCESS_KEY_ID / TRIBUTARY_API_SECRET_ACCESS_KEY; default 127.0.0.1. */
  readonly host?: string | undefined;
  /** Default 9401. */
  readonly port?: NumberInput | undefined;
  /** Region of every ARN the API returns and of request signatures; default us-east-1. */
  readonly region?: string | undefined;
  /** 12-digit account of every ARN the API returns; default 000000000000. */
  readonly accountId?: string | undefined;
  /** Whether this configuration's pipelines may be updated or deleted through the API; default read-only. */
  readonly fileMappings?: 'read-only' | 'writable' | undefined;
  /** How often a replica re-reads the stored mappings (1–60 s); default 2. */
  readonly syncIntervalSeconds?: NumberInput | undefined;
  readonly sourceDefaults?:
    | {
        readonly sqs?: EndpointDefaultsInput | undefined;
        readonly kinesis?: EndpointDefaultsInput | undefined;
        readonly dynamodbStreams?: EndpointDefaultsInput | undefined;
        /** Bootstrap servers of each MSK cluster ARN that API mappings may name. */
        readonly mskBootstrapServers?: Readonly<Record<string, readonly string[]>> | undefined;
      }
    | undefined;
}

/** What every configuration has besides its pipelines and functions. */
export interface ServiceSettingsInput {
  readonly server?: ServerInput | undefined;
  readonly checkpoints?: CheckpointsInput | undefined;
  /** Drain time on stop / SIGTERM (0–3600 s); default 30. */
  readonly shutdownTimeoutSeconds?: NumberInput | undefined;
  /** `tributary run` exits 1 as soon as one pipeline failed for good (for supervisors that restart on exit); default false. */
  readonly exitOnFailed?: BooleanInput | undefined;
  /** Default info. */
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent' | undefined;
  readonly api?: ApiInput | undefined;
}

/**
 * A whole configuration. `Types` are the source types of the pipelines, in order (inferred by `createService`, so each
 * inline handler is typed by its own pipeline's source); `Ref` the names of `functions:`, which a pipeline's
 * `function` may name.
 */
export interface ServiceInput<Types extends readonly SourceTypeInput[] = readonly SourceTypeInput[], Ref extends string = string> extends ServiceSettingsInput {
  /** Functions by name, for pipelines to refer to with `function: '<name>'`. */
  readonly functions?: Readonly<Record<Ref, FunctionDeclarationInput>> | undefined;
  /** At least one, unless `api` is enabled. */
  readonly pipelines: { readonly [I in keyof Types]: PipelineInput<Types[I], Ref> };
}
