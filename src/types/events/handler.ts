/**
 * The shape of an in-process handler, as Lambda's Node.js runtime calls it: `async (event, context) => result`, or
 * callback style `(event, context, callback) => void`. The event and the result are the source's
 * (sqs.ts, kinesis.ts, dynamodb-streams.ts, kafka.ts); the context is Lambda's.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html
 */
import type { LambdaContext } from '../../runner/types.js';

export type { LambdaContext } from '../../runner/types.js';

/** The callback of a callback-style handler: `callback(error)` fails the invocation, `callback(null, result)` answers. */
export type LambdaCallback<R = unknown> = (error?: unknown, result?: R | void | null) => void;

/** What a handler may answer: the response, nothing (success), or a promise of either. */
export type HandlerResult<R> = R | void | null | undefined | Promise<R | void | null | undefined>;

/**
 * A Lambda handler of events `E` answering `R`. Declared as a method so that its parameters are compared both
 * ways: a handler typed with `@types/aws-lambda` (`SQSHandler`, `KinesisStreamHandler`, `DynamoDBStreamHandler`,
 * `MSKHandler`…) is accepted even where that package types a field more narrowly than Lambda sends it (Kafka's
 * `key` and `value`, absent for a null key or a tombstone), while a handler of another source's events is not.
 */
export type LambdaEventHandler<E, R> = {
  handler(event: E, context: LambdaContext, callback: LambdaCallback<R>): HandlerResult<R>;
}['handler'];

/** One entry of `batchItemFailures`: the id of a record the function could not process. */
export interface BatchItemFailure {
  itemIdentifier: string;
}

/**
 * A partial batch response (`functionResponseTypes: [ReportBatchItemFailures]`). An empty or absent list, `{}` and
 * `null` all mean full success, as on AWS. https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
export interface PartialBatchResponse<F = BatchItemFailure> {
  batchItemFailures?: readonly F[] | null;
}
