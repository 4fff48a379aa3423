/**
 * One pipeline, discriminated by `source.type`: the flat Lambda CreateEventSourceMapping parameters in
 * lowerCamelCase (src/config/schema/pipeline.ts), limited to those the source takes — what AWS refuses for a source
 * and src/config/rules/ refuse at runtime does not compile here (SQS has no `startingPosition` nor retry settings,
 * Kafka no `parallelizationFactor`), and `startingPosition` is required where AWS requires it. The in-process
 * handler is typed by the source's event and response (../events/). AWS-only parameters that a file accepts with a
 * warning (`kmsKeyArn`, `tags`…) are not part of it: they would be ignored.
 */
import type { KafkaBatchItemFailure, KafkaEvent } from '../events/kafka.js';
import type { DynamoDBStreamEvent, DynamoDBStreamTumblingWindowEvent } from '../events/dynamodb-streams.js';
import type { LambdaEventHandler, PartialBatchResponse } from '../events/handler.js';
import type { KinesisStreamEvent, KinesisStreamTumblingWindowEvent } from '../events/kinesis.js';
import type { SQSEvent } from '../events/sqs.js';
import type { BooleanInput, NumberInput } from './fields.js';
import type { FunctionInput } from './function-input.js';
import type { DynamoDbStreamsSourceInput, KafkaSourceInput, KinesisSourceInput, SourceTypeInput, SqsSourceInput } from './source-input.js';

/** The event a function gets from each source type. */
export interface SourceEvents {
  readonly sqs: SQSEvent;
  /** With `tumblingWindowInSeconds`, the window fields are added. */
  readonly kinesis: KinesisStreamEvent | KinesisStreamTumblingWindowEvent;
  readonly 'dynamodb-streams': DynamoDBStreamEvent | DynamoDBStreamTumblingWindowEvent;
  /** `MSKEvent` with `clusterArn`, else `SelfManagedKafkaEvent`: narrow on `event.eventSource`. */
  readonly kafka: KafkaEvent;
}

/** What a tumbling-window invocation answers besides its failures. */
interface WindowState {
  state?: Record<string, unknown>;
}

/** What a function may answer to each source type (anything else with ReportBatchItemFailures fails the batch). */
export interface SourceResponses {
  readonly sqs: PartialBatchResponse;
  readonly kinesis: PartialBatchResponse & WindowState;
  readonly 'dynamodb-streams': PartialBatchResponse & WindowState;
  readonly kafka: PartialBatchResponse<KafkaBatchItemFailure>;
}

/** An in-process handler for a source type: `async (event, context) => response`. */
export type SourceHandler<T extends SourceTypeInput> = LambdaEventHandler<SourceEvents[T], SourceResponses[T]>;

/** What every source takes. */
export interface PipelineCommonInput {
  /** Unique pipeline name: 1–64 of `[A-Za-z0-9_-]`. */
  readonly name: string;
  /** `false`: validated but not started; default true. */
  readonly enabled?: BooleanInput | undefined;
  /** BatchSize: 1–10000 (SQS FIFO 1–10; SQS above 10 needs a batching window); default SQS 10, others 100. */
  readonly batchSize?: NumberInput | undefined;
  /** MaximumBatchingWindowInSeconds, 0–300; default 0 (Kafka 0.5 s); not for SQS FIFO. */
  readonly maximumBatchingWindowInSeconds?: NumberInput | undefined;
  /** `['ReportBatchItemFailures']` enables partial batch responses (`batchItemFailures`). */
  readonly functionResponseTypes?: readonly 'ReportBatchItemFailures'[] | undefined;
  /** FilterCriteria: up to 10 filters, ORed; a record no filter matches is not sent (SQS: deleted). */
  readonly filterCriteria?:
    | {
        /** Each pattern is the JSON text of an EventBridge-style pattern, e.g. `'{"body": {"type": ["order"]}}'`. */
        readonly filters: readonly { readonly pattern: string }[];
      }
    | undefined;
  /** When the on-failure destination keeps refusing: hold the lane until it accepts (default) or drop after 5 attempts. */
  readonly onFailureDeliveryExhausted?: 'hold' | 'drop' | undefined;
  /** The mapping's UUID; default a UUIDv5 of the name, stable across restarts. */
  readonly uuid?: string | undefined;
  /** Lambda's MetricsConfig: which metric groups /metrics exports (absent: all; ErrorCount / KafkaMetrics: Kafka only). */
  readonly metricsConfig?: { readonly metrics?: readonly ('EventCount' | 'ErrorCount' | 'KafkaMetrics')[] | undefined } | undefined;
}

/** Lambda's ProvisionedPollerConfig (SQS and Kafka; not with scalingConfig.maximumConcurrency). */
export interface ProvisionedPollerInput {
  readonly provisionedPollerConfig?:
    | {
        readonly minimumPollers?: NumberInput | undefined;
        readonly maximumPollers?: NumberInput | undefined;
        /** Kafka: accepted and ignored. */
        readonly pollerGroupName?: string | undefined;
      }
    | undefined;
}

/** Lambda's error handling of streams and Kafka (SQS uses the queue's redrive policy instead). */
export interface RetryInput {
  /** Split a failed batch in two and retry each half; default false. */
  readonly bisectBatchOnFunctionError?: BooleanInput | undefined;
  /** -1 (infinite, the default) or 0–10000 retries after the first attempt. */
  readonly maximumRetryAttempts?: NumberInput | undefined;
  /** -1 (infinite, the default) or 60–604800 seconds. */
  readonly maximumRecordAgeInSeconds?: NumberInput | undefined;
  /** Where discarded records go: an SQS queue ARN or URL, an SNS topic ARN, an S3 bucket ARN, `kafka://topic`, or `file://path` (JSON lines). */
  readonly destinationConfig?:
    | {
        readonly onFailure: {
          readonly destination: string;
          /** S3 / SNS destinations only: endpoint override, e.g. an emulator. */
          readonly endpoint?: string | undefined;
        };
      }
    | undefined;
}

/** Where a new lane starts reading (required, as on AWS; Kafka: only for a new consumer group). */
export interface StartingPositionInput {
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  /** Unix seconds, with `AT_TIMESTAMP` only (not in the future). */
  readonly startingPositionTimestamp?: NumberInput | undefined;
}

/** Kinesis and DynamoDB Streams only. */
export interface ShardInput {
  /** ParallelizationFactor 1–10: concurrent batches per shard, in order per partition key (DynamoDB: per item). */
  readonly parallelizationFactor?: NumberInput | undefined;
  /** TumblingWindowInSeconds 0–900: aggregate with `state` over windows of this length. */
  readonly tumblingWindowInSeconds?: NumberInput | undefined;
}

/** `function:` of a pipeline of source type `T`; `Ref` are the names of the service's `functions:` entries. */
export type PipelineFunctionInput<T extends SourceTypeInput, Ref extends string = never> = FunctionInput<SourceHandler<T>> | Ref;

export interface SqsPipelineInput<Ref extends string = never> extends PipelineCommonInput, ProvisionedPollerInput {
  readonly source: SqsSourceInput;
  readonly function: PipelineFunctionInput<'sqs', Ref>;
}

export interface KinesisPipelineInput<Ref extends string = never> extends PipelineCommonInput, RetryInput, StartingPositionInput, ShardInput {
  readonly source: KinesisSourceInput;
  readonly function: PipelineFunctionInput<'kinesis', Ref>;
}

export interface DynamoDbStreamsPipelineInput<Ref extends string = never> extends PipelineCommonInput, RetryInput, ShardInput {
  readonly source: DynamoDbStreamsSourceInput;
  readonly function: PipelineFunctionInput<'dynamodb-streams', Ref>;
  /** AWS refuses AT_TIMESTAMP for DynamoDB Streams. */
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
}

export interface KafkaPipelineInput<Ref extends string = never> extends PipelineCommonInput, RetryInput, StartingPositionInput, ProvisionedPollerInput {
  readonly source: KafkaSourceInput;
  readonly function: PipelineFunctionInput<'kafka', Ref>;
}

/** The pipeline of each source type. */
export interface PipelineInputs<Ref extends string = never> {
  readonly sqs: SqsPipelineInput<Ref>;
  readonly kinesis: KinesisPipelineInput<Ref>;
  readonly 'dynamodb-streams': DynamoDbStreamsPipelineInput<Ref>;
  readonly kafka: KafkaPipelineInput<Ref>;
}

/** A pipeline of source type `T` (default: any). */
export type PipelineInput<T extends SourceTypeInput = SourceTypeInput, Ref extends string = never> = PipelineInputs<Ref>[T];
