/** A declared function's asynchronous-invocation settings (issue 14), as resolved from `functions:` (types.ts re-exports them). */
import type { AwsClientConfig } from './types.js';

/** `functions.<name>.eventInvokeConfig`, resolved (AWS's units: seconds; null = AWS's default). */
export interface EventInvokeConfigSettings {
  /** MaximumRetryAttempts 0–2; null = 2. */
  readonly maximumRetryAttempts: number | null;
  /** MaximumEventAgeInSeconds 60–21,600; null = 21,600. */
  readonly maximumEventAgeInSeconds: number | null;
  /** Destination strings (`file://` made absolute), or null. */
  readonly onSuccess: string | null;
  readonly onFailure: string | null;
  /** Beyond AWS: more retries with exponential back-off and jitter; null = AWS's retries. */
  readonly extendedRetries: { readonly maximumRetryAttempts: number; readonly initialDelayMs: number; readonly maximumDelayMs: number } | null;
}

/** Where a function's asynchronous events wait. */
export type AsyncQueueConfig =
  /** SQLite in the state directory (one process). */
  | { readonly type: 'embedded' }
  /** An SQS standard queue of the operator's, read by every replica. */
  | ({ readonly type: 'sqs'; readonly queueUrl: string } & AwsClientConfig);

/** A declared function's asynchronous-invocation settings from the file. */
export interface FunctionAsyncConfig {
  /** As the file declares it; null when it declares none (the Lambda API may then store one). */
  readonly eventInvokeConfig: EventInvokeConfigSettings | null;
  /** DeadLetterConfig.TargetArn: an SQS queue ARN or URL; null = none. */
  readonly deadLetterTarget: string | null;
  readonly queue: AsyncQueueConfig;
}
