/**
 * AWS Lambda event source mapping ranges and defaults, in one place so the schema, the
 * per-source rules, the resolver and the JSON Schema agree. Every number comes from
 * /work/shared/reference/aws-esm-semantics.md §2 (source keys in brackets), i.e.
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html and the
 * per-source parameter pages of the Lambda developer guide.
 */

/** Inclusive integer range. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** BatchSize: min 1, max 10,000 for every source; SQS FIFO max 10 [API-BS, CDK-SQS]. */
export const BATCH_SIZE: Range = { min: 1, max: 10_000 };
export const SQS_FIFO_MAX_BATCH_SIZE = 10;
/** "When you set BatchSize to a value greater than 10, you must set MaximumBatchingWindowInSeconds to at least 1" [API-MBW, Q-PARAM]. */
export const SQS_BATCH_SIZE_WITHOUT_WINDOW = 10;

/** MaximumBatchingWindowInSeconds 0–300 [API-MBW]. */
export const BATCHING_WINDOW_SECONDS: Range = { min: 0, max: 300 };

/** ParallelizationFactor 1–10, default 1, Kinesis and DynamoDB Streams only [K-PARAM]. */
export const PARALLELIZATION_FACTOR: Range = { min: 1, max: 10 };
export const DEFAULT_PARALLELIZATION_FACTOR = 1;

/** MaximumRetryAttempts -1 (infinite) or 0–10,000, default -1 [K-PARAM, API-CESM, KF-RETRY]. */
export const MAXIMUM_RETRY_ATTEMPTS: Range = { min: 0, max: 10_000 };
export const INFINITE = -1;

/** MaximumRecordAgeInSeconds -1 (infinite) or 60–604,800, default -1 [API-CESM, K-PARAM]. */
export const MAXIMUM_RECORD_AGE_SECONDS: Range = { min: 60, max: 604_800 };

/** TumblingWindowInSeconds 0–900, default 0 (none), streams only [K-PARAM, K-WIN]. */
export const TUMBLING_WINDOW_SECONDS: Range = { min: 0, max: 900 };

/**
 * FilterCriteria: "5 filters by default, quota up to 10" [DG-FILT]. We accept up to the raised
 * quota of 10, because a self-hosted deployment has no quota to raise.
 */
export const MAX_FILTERS = 10;
export const AWS_DEFAULT_FILTER_QUOTA = 5;
/** API_Filter: Pattern length 0–4096. */
export const MAX_FILTER_PATTERN_LENGTH = 4096;

/** ScalingConfig.MaximumConcurrency 2–1,000; 1 is not allowed [API-SC, SKUBA]. */
export const SQS_MAXIMUM_CONCURRENCY: Range = { min: 2, max: 1000 };

/** Kafka bootstrap servers: 1–10 `host:port` [API-SMES]. */
export const KAFKA_BOOTSTRAP_SERVERS: Range = { min: 1, max: 10 };
/** ConsumerGroupId: 1–200 chars, pattern `[a-zA-Z0-9-\/*:_+=.@-]*` [KF-CG, API-MSKCFG]. */
export const CONSUMER_GROUP_ID_PATTERN = /^[a-zA-Z0-9\-/*:_+=.@]{1,200}$/;

/** Lambda function Timeout: 1–900 s, default 3 s; at most 14 min (840 s) behind a Kafka ESM [MSK-CONF, SMK-CONF]. */
export const FUNCTION_TIMEOUT_SECONDS: Range = { min: 1, max: 900 };
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;
export const KAFKA_MAX_FUNCTION_TIMEOUT_SECONDS = 840;
/**
 * `lambda` runner: the real timeout is configured on the function in AWS; our client-side
 * deadline defaults to Lambda's maximum so we never cut a running invocation short.
 */
export const DEFAULT_LAMBDA_CLIENT_TIMEOUT_SECONDS = 900;
/** Lambda MemorySize: 128–10,240 MB, default 128. */
export const MEMORY_SIZE_MB: Range = { min: 128, max: 10_240 };
export const DEFAULT_MEMORY_SIZE_MB = 128;
/** Path of the Lambda Runtime Interface Emulator, the default for `http` functions (DESIGN §3.3). */
export const RIE_INVOCATION_PATH = '/2015-03-31/functions/function/invocations';

/** Tributary's own settings (DESIGN §4). */
export const DEFAULT_SERVER = { enabled: true, host: '127.0.0.1', port: 9400 } as const;
export const DEFAULT_CHECKPOINT_PATH = '.tributary';
export const DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 30;
export const SHUTDOWN_TIMEOUT_SECONDS: Range = { min: 0, max: 3600 };
export const DEFAULT_LOG_LEVEL = 'info';
/** The Lambda API (`api:`): loopback, the emulators' account, file mappings read-only, a 2 s sync between replicas. */
export const DEFAULT_API = { host: '127.0.0.1', port: 9401, region: 'us-east-1', accountId: '000000000000', fileMappings: 'read-only', syncIntervalSeconds: 2 } as const;
export const API_SYNC_INTERVAL_SECONDS: Range = { min: 1, max: 60 };
/** Pipeline names end up in metric labels, file names and consumer group ids. */
export const PIPELINE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Default Kafka consumer group: stable across restarts, unique per pipeline. */
export function defaultConsumerGroupId(pipelineName: string): string {
  return `tributary-${pipelineName}`;
}

/** MetricsConfig.Metrics: 0–3 of these, each at most once [API-MC]. */
export const METRIC_GROUPS = ['EventCount', 'ErrorCount', 'KafkaMetrics'] as const;
/** The groups AWS defines for each source are each connector's `traits.metricGroups` (connectors/<x>/traits.ts). */

/** ProvisionedPollerConfig of one source type: the ranges of MinimumPollers / MaximumPollers and their defaults. */
export interface PollerRanges {
  readonly minimum: Range;
  readonly maximum: Range;
  readonly defaultMinimum: number;
  readonly defaultMaximum: number;
}

/** ProvisionedPollerConfig ranges per source are each connector's `traits.provisionedPollers` [API-PPC]. */
/** The widest ranges (the schema's; the per-source rules narrow them). */
export const MINIMUM_POLLERS: Range = { min: 1, max: 200 };
export const MAXIMUM_POLLERS: Range = { min: 1, max: 2000 };
