/**
 * The resolved configuration (DESIGN §7.3): parsed once from YAML or a library object, validated,
 * defaults applied (AWS's), units converted to milliseconds, no optional fields, frozen.
 * Everything downstream of src/config reads only these types.
 */

import type { ConfigIssue } from '../errors.js';
import type { FunctionAsyncConfig } from './function-async-types.js';

export type StartingPosition = 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** Options common to every AWS SDK client: region and endpoint (emulators). */
export interface AwsClientConfig {
  /** `null` → the SDK's default region chain (AWS_REGION …), falling back to us-east-1. */
  readonly region: string | null;
  /** `null` → the real AWS endpoint. */
  readonly endpoint: string | null;
}

export interface SqsSourceConfig extends AwsClientConfig {
  readonly type: 'sqs';
  readonly queueUrl: string;
  /** Derived from the URL when only the URL is given; `null` until the connector learns it. */
  readonly queueArn: string | null;
  readonly fifo: boolean;
  /** ScalingConfig.MaximumConcurrency (2–1000); `null` = unset (on-demand scaling up to our own cap). */
  readonly maximumConcurrency: number | null;
  /**
   * The pipeline's `provisionedPollerConfig` with AWS's defaults applied (Lambda's provisioned mode); null / absent:
   * on-demand scaling. Optional so configs built by hand need not name it; the resolver always sets it.
   */
  readonly provisionedPollerConfig?: ProvisionedPollerConfig | null;
}

/** ProvisionedPollerConfig, resolved (SQS and Kafka sources). https://docs.aws.amazon.com/lambda/latest/api/API_ProvisionedPollerConfig.html */
export interface ProvisionedPollerConfig {
  readonly minimumPollers: number;
  readonly maximumPollers: number;
  /** Kafka's PollerGroupName as given (no effect in Tributary), or null. */
  readonly pollerGroupName: string | null;
}

export interface KinesisSourceConfig extends AwsClientConfig {
  readonly type: 'kinesis';
  readonly streamName: string | null;
  readonly streamArn: string | null;
  /**
   * Enhanced fan-out: the stream consumer to read through (Lambda's EventSourceArn for an EFO mapping), or its name
   * (registered when missing). Null / absent: standard iterators. Optional so configs built by hand need not name
   * them; the resolver always sets both.
   */
  readonly consumerArn?: string | null;
  readonly consumerName?: string | null;
}

export interface DynamoDbStreamsSourceConfig extends AwsClientConfig {
  readonly type: 'dynamodb-streams';
  readonly tableName: string | null;
  readonly streamArn: string | null;
}

export interface KafkaSaslConfig {
  readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512' | 'aws-iam';
  readonly username: string | null;
  readonly password: string | null;
  /**
   * A Secrets Manager secret holding `username` and `password` (AWS's BASIC_AUTH / SASL_SCRAM_*_AUTH), read at start
   * and again when the brokers refuse the credentials; absent/null → `username` / `password`.
   */
  readonly secretArn?: string | null;
}

export interface KafkaSourceConfig {
  readonly type: 'kafka';
  readonly bootstrapServers: readonly string[];
  readonly topics: readonly string[];
  readonly consumerGroupId: string;
  /** `null` → self-managed Kafka; an MSK cluster ARN → `aws:kafka` events. */
  readonly clusterArn: string | null;
  readonly ssl: boolean;
  /**
   * `ssl.caCertificate`: absolute path of a PEM file of the CA(s) that signed the brokers' certificates (AWS's
   * `SERVER_ROOT_CA_CERTIFICATE`); `null`/absent → the system CAs. Read when the client is built, never validated
   * at load time (it may be mounted later).
   */
  readonly sslCaFile?: string | null;
  /** `ssl.rejectUnauthorized`; absent → true. False accepts any broker certificate (tests, private clusters). */
  readonly sslRejectUnauthorized?: boolean;
  /** `ssl.caCertificate` given as PEM text (e.g. from `${ENV}`) instead of a file; absent/null → `sslCaFile`. */
  readonly sslCaPem?: string | null;
  /** `ssl.certificate` + `ssl.key` (+ `keyPassword`): the client certificate (AWS's CLIENT_CERTIFICATE_TLS_AUTH); absent/null → none. */
  readonly sslClientCertificate?: KafkaClientCertificate | null;
  readonly sasl: KafkaSaslConfig | null;
  /** `schemaRegistryConfig` (AWS's SchemaRegistryConfig); absent/null → records are delivered as they are. */
  readonly schemaRegistry?: KafkaSchemaRegistryConfig | null;
  /** The pipeline's `provisionedPollerConfig` with AWS's defaults (see SqsSourceConfig); null / absent: on-demand. */
  readonly provisionedPollerConfig?: ProvisionedPollerConfig | null;
}

/** The registry's credentials: AWS's KafkaSchemaRegistryAccessConfig (a Secrets Manager secret per type). */
export interface SchemaRegistryAccessConfig {
  readonly type: 'BASIC_AUTH' | 'CLIENT_CERTIFICATE_TLS_AUTH' | 'SERVER_ROOT_CA_CERTIFICATE';
  /** The secret ARN. */
  readonly uri: string;
}

/** A Kafka source's schema registry (https://docs.aws.amazon.com/lambda/latest/dg/services-consume-kafka-events.html). */
export interface KafkaSchemaRegistryConfig {
  /** `confluent`: a Confluent-compatible REST API at `uri`; `glue`: the AWS Glue registry whose ARN `uri` is. */
  readonly kind: 'confluent' | 'glue';
  readonly uri: string;
  /** JSON: validated attributes reach the function as JSON; SOURCE: as their original bytes without the schema header. */
  readonly eventRecordFormat: 'JSON' | 'SOURCE';
  /** Which attributes are validated (schemaValidationConfigs). */
  readonly validateKey: boolean;
  readonly validateValue: boolean;
  readonly accessConfigs: readonly SchemaRegistryAccessConfig[];
}

/** PEM material: a file (absolute path, read when the client is built) or the PEM text itself. */
export type PemSource = { readonly file: string } | { readonly pem: string };

/** A Kafka client certificate for mutual TLS. */
export interface KafkaClientCertificate {
  /** The client certificate (chain), PEM. */
  readonly certificate: PemSource;
  /** Its private key, PEM (PKCS#8 or PKCS#1; encrypted when `keyPassword` is given). */
  readonly key: PemSource;
  /** Decrypts an encrypted `key`; null when the key is not encrypted. A secret: never logged. */
  readonly keyPassword: string | null;
}

/** The sources an event source mapping reads: what `source.type` can name in YAML and through the Lambda API. */
export type MappingSourceConfig = SqsSourceConfig | KinesisSourceConfig | DynamoDbStreamsSourceConfig | KafkaSourceConfig;
/** The source types a configuration (file or API) can name. */
export type SourceType = MappingSourceConfig['type'];

/**
 * Tributary's own queue of asynchronous invocations (issue 14): embedded in the state directory (node:sqlite), read
 * by the internal pipeline of one declared function. Never written in YAML nor accepted through the API.
 */
export interface AsyncQueueSourceConfig {
  readonly type: 'async-queue';
  /** Absolute path of the SQLite database file. */
  readonly path: string;
  /** The queue inside it: the declared function's name. */
  readonly queue: string;
  /** Most pollers (lanes) of the internal pipeline; each invokes up to 10 events at once. */
  readonly maxPollers: number;
}

/** Every source the lane engine runs: the mapping sources and the internal asynchronous-invocation queue. */
export type SourceConfig = MappingSourceConfig | AsyncQueueSourceConfig;

export type { AsyncQueueConfig, EventInvokeConfigSettings, FunctionAsyncConfig } from './function-async-types.js';

export interface ModuleFunctionConfig {
  readonly type: 'module';
  /** Absolute path of the handler file without extension resolution applied yet (`/abs/handlers/orders`). */
  readonly handlerFile: string;
  /** The export's property path (after the first dot of the handler's basename, e.g. `handlers.process`). */
  readonly handlerExport: string;
  /** The handler string as written, for logs and `context.functionName` defaults. */
  readonly handler: string;
  readonly timeoutMs: number;
  readonly memorySizeMb: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly functionName: string;
  /** Sandboxes initialised when the pipeline starts (0 = none), as Lambda provisioned concurrency. */
  readonly provisionedConcurrency: number;
  /** `none`: the sandbox has no AWS credentials; `inherit`: the service's AWS credential chain. */
  readonly awsCredentials: 'none' | 'inherit';
}

export interface HttpFunctionConfig {
  readonly type: 'http';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly functionName: string;
}

export interface LambdaFunctionConfig extends AwsClientConfig {
  readonly type: 'lambda';
  readonly functionName: string;
  readonly qualifier: string | null;
  readonly timeoutMs: number;
}

/** A handler passed directly by a library user (never comes from YAML). */
export interface InProcessFunctionConfig {
  readonly type: 'in-process';
  readonly handler: (event: unknown, context: unknown) => unknown;
  readonly timeoutMs: number;
  readonly functionName: string;
  readonly memorySizeMb: number;
}

export type FunctionConfig = ModuleFunctionConfig | HttpFunctionConfig | LambdaFunctionConfig | InProcessFunctionConfig;

/** What a function declared in the top-level `functions:` map has besides its runner settings. */
export interface FunctionSettings {
  /** Lambda's ReservedConcurrentExecutions (0–1000): most concurrent invocations across everything that targets it; null = unreserved. */
  readonly reservedConcurrency: number | null;
  /** Lambda's Description, or null. */
  readonly description: string | null;
  /**
   * Asynchronous invocation (issue 14): `eventInvokeConfig`, `deadLetterConfig`, `asyncQueue`. Optional so configs
   * built by hand need not name it (absent: AWS's defaults, no destinations, the embedded queue); the resolver always
   * sets it.
   */
  readonly asyncInvoke?: FunctionAsyncConfig;
}


/**
 * A function of the `functions:` map, resolved. A pipeline that names it (`function: <name>`) gets this very object
 * as its `function`, so identity tells which pipelines share a function (and its reserved concurrency).
 * `functionName` (context.functionName) defaults to the map key.
 */
export type DeclaredFunctionConfig = FunctionConfig & FunctionSettings;

export interface PipelineConfig {
  readonly name: string;
  /**
   * The event source mapping UUID: `uuid:` as written, else a UUIDv5 of the pipeline name (config/pipeline-uuid.ts),
   * the same on every restart and replica.
   */
  readonly uuid: string;
  readonly enabled: boolean;
  readonly source: SourceConfig;
  /** The function: inline, or the `functions:` entry named by `functionRef` (the same object as in `TributaryConfig.functions`). */
  readonly function: FunctionConfig;
  /** The `functions:` key the function came from (`function: <name>`), or null for an inline definition. */
  readonly functionRef: string | null;
  readonly batchSize: number;
  readonly maximumBatchingWindowMs: number;
  readonly startingPosition: StartingPosition | null;
  readonly startingPositionTimestampMs: number | null;
  readonly parallelizationFactor: number;
  readonly bisectBatchOnFunctionError: boolean;
  /** -1 = infinite. */
  readonly maximumRetryAttempts: number;
  /** -1 = infinite; otherwise ms. */
  readonly maximumRecordAgeMs: number;
  /** FunctionResponseTypes contains ReportBatchItemFailures. */
  readonly reportBatchItemFailures: boolean;
  /** FilterCriteria.Filters[].Pattern, as JSON strings (already validated). */
  readonly filterPatterns: readonly string[];
  /**
   * DestinationConfig.OnFailure.Destination as a string (`file://<absolute path>`, not
   * percent-encoded; SQS URL/ARN as written; `kafka://[brokers/]topic` as written), or null. Same as `onFailure`.
   */
  readonly onFailureDestination: string | null;
  /** DestinationConfig.OnFailure, parsed; null when none. */
  readonly onFailure: OnFailureDestinationConfig | null;
  /** 0 = no tumbling window. */
  readonly tumblingWindowMs: number;
  /** What happens when the on-failure destination keeps refusing: hold the lane (default) or drop after 5 attempts. */
  readonly onFailureDeliveryExhausted: 'hold' | 'drop';
  /**
   * MetricsConfig; null / absent: not given, and every group is exported (unlike AWS, where the groups are opt-in;
   * observability/metric-groups.ts says why). Optional so configs built by hand need not name it; the
   * resolver always sets it.
   */
  readonly metricsConfig?: MetricsConfig | null;
}

/** A group of Lambda's opt-in event source mapping metrics (EventSourceMappingMetricsConfig.Metrics). */
export type MetricGroup = 'EventCount' | 'ErrorCount' | 'KafkaMetrics';

/**
 * MetricsConfig as resolved. Given, it selects as AWS does: a group AWS defines for the source but the list does
 * not name is not exported (`hiddenGroups`); Tributary's series that AWS does not define for the source (the error
 * counters of SQS and stream pipelines) stay. https://docs.aws.amazon.com/lambda/latest/api/API_EventSourceMappingMetricsConfig.html
 */
export interface MetricsConfig {
  /** MetricsConfig.Metrics as written (the ESM document returns it). */
  readonly metrics: readonly MetricGroup[];
  /** The groups whose per-pipeline series /metrics leaves out. */
  readonly hiddenGroups: readonly MetricGroup[];
}

/** An on-failure destination (DESIGN §3.4). */
export type OnFailureDestinationConfig =
  | {
      readonly type: 'file';
      /** Absolute path of a JSON-lines file (a relative `file://` path is resolved against the config file's folder). */
      readonly path: string;
    }
  | {
      readonly type: 'kafka';
      /** The topic: of the source's own cluster (as on AWS), or of `bootstrapServers` when given. */
      readonly topic: string;
      /**
       * The brokers of `kafka://<host:port>[,…]/<topic>`, reached without TLS or SASL (any source but SQS).
       * Absent for `kafka://<topic>`: the Kafka source's own cluster, with its TLS and SASL.
       */
      readonly bootstrapServers?: readonly string[];
    }
  | {
      readonly type: 'sqs';
      /** As written, or derived from the ARN (real AWS URL form). */
      readonly queueUrl: string;
      /** As written, or derived from the URL when it has an account id; otherwise null. */
      readonly queueArn: string | null;
      /** From the ARN or an AWS queue URL; null → the SDK's region chain. */
      readonly region: string | null;
    }
  | {
      /** An S3 bucket (`arn:aws:s3:::bucket`): one object per record, AWS's key layout, with the records' payload. */
      readonly type: 's3';
      readonly bucket: string;
      readonly bucketArn: string;
      /** The event source mapping UUID in the object keys (`aws/lambda/<uuid>/…`): the pipeline's uuid. */
      readonly mappingUuid: string;
      /** `onFailure.endpoint`; null → AWS (or AWS_ENDPOINT_URL_S3). */
      readonly endpoint: string | null;
      /** The source's region when it has one; null → the SDK's region chain (the SDK follows a bucket's region). */
      readonly region: string | null;
    }
  | {
      /** An SNS standard topic: the invocation record as the message. */
      readonly type: 'sns';
      readonly topicArn: string;
      /** The topic ARN's region. */
      readonly region: string;
      /** `onFailure.endpoint`; null → AWS (or AWS_ENDPOINT_URL_SNS). */
      readonly endpoint: string | null;
    };

export type CheckpointConfig =
  | { readonly type: 'file'; readonly path: string }
  | ({ readonly type: 'dynamodb'; readonly tableName: string; readonly leaseDurationMs: number } & AwsClientConfig);

export interface ServerConfig {
  readonly enabled: boolean;
  readonly host: string;
  readonly port: number;
}

/** Where sources of mappings created through the Lambda API are reached (`api.sourceDefaults`). */
export interface ApiSourceDefaultsConfig {
  readonly sqs: AwsClientConfig;
  readonly kinesis: AwsClientConfig;
  readonly dynamodbStreams: AwsClientConfig;
  /** MSK cluster ARN → its bootstrap servers (AWS looks them up; Tributary is told). */
  readonly mskBootstrapServers: Readonly<Record<string, readonly string[]>>;
}

/** The Lambda API (`api:`); `enabled` is false when the section is absent. Credentials come from the environment only. */
export interface ApiConfig {
  readonly enabled: boolean;
  readonly host: string;
  readonly port: number;
  /** Region of the ARNs the API returns and of the signatures it accepts. */
  readonly region: string;
  readonly accountId: string;
  /** `read-only`: pipelines of the file answer 409 to Update / Delete; `writable`: API changes are stored and win. */
  readonly fileMappings: 'read-only' | 'writable';
  /** How often every replica re-reads the stored mappings. */
  readonly syncIntervalMs: number;
  readonly sourceDefaults: ApiSourceDefaultsConfig;
}

export interface TributaryConfig {
  /** Absolute path of the file the config came from, or null for a library object. */
  readonly file: string | null;
  readonly server: ServerConfig;
  readonly checkpoints: CheckpointConfig;
  readonly shutdownTimeoutMs: number;
  readonly logLevel: LogLevel;
  /**
   * `tributary run` exits 1 as soon as one pipeline failed for good (a non-retryable error), for supervisors that
   * restart on exit. When false it exits 1 only once every enabled pipeline failed for good and no operations
   * server is there to report it.
   */
  readonly exitOnFailed: boolean;
  /** The Lambda API and the mappings created through it. */
  readonly api: ApiConfig;
  /** The `functions:` map, name → resolved function (empty when the file declares none; inline functions are not listed). */
  readonly functions: Readonly<Record<string, DeclaredFunctionConfig>>;
  readonly pipelines: readonly PipelineConfig[];
  /**
   * Each pipeline by name as validated, before defaults, without `function`: the config file's object form, which
   * the Lambda API shows for the file's mappings and merges updates into (`PipelineInput` of src/api/ports.ts).
   */
  readonly pipelineInputs: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /**
   * What was accepted but deserves a word (e.g. AWS-only parameters, ignored), located like errors:
   * `tributary validate` prints them and exits 0, `tributary run` logs them at warn.
   */
  readonly warnings: readonly ConfigIssue[];
}
