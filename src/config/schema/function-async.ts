/**
 * What an entry of `functions:` says about its asynchronous invocations (Invoke with `InvocationType: Event`,
 * issue 14), with AWS's names and ranges:
 * - `eventInvokeConfig`: PutFunctionEventInvokeConfig's parameters in lowerCamelCase — `maximumRetryAttempts` 0–2
 *   (default 2), `maximumEventAgeInSeconds` 60–21,600 (default 21,600: 6 hours), `destinationConfig.onSuccess` /
 *   `onFailure` — plus, beyond AWS and off unless given, `extendedRetries`: more retries than 2 with exponential
 *   back-off and jitter. https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html
 * - `deadLetterConfig.targetArn`: the older dead-letter queue (an SQS queue ARN or URL) that gets the event itself.
 *   https://docs.aws.amazon.com/lambda/latest/api/API_DeadLetterConfig.html
 * - `asyncQueue`: where the events wait — `embedded` (default: SQLite in the state directory, one process) or an
 *   SQS queue of the operator's shared by several replicas.
 */
import { show } from '../echo.js';
import * as z from 'zod';
import { parseAsyncDestination } from '../async-destination.js';
import { REGION } from '../aws-resources.js';
import { parseDestination } from '../destination-string.js';
import { MAXIMUM_EVENT_AGE_SECONDS, MAXIMUM_RETRY_ATTEMPTS } from '../../policy/async-step.js';
import { expected, int, matching, optional, optionalNumber, required, requiredNumber, text, url } from './fields.js';

const object = expected('a mapping');

/** Beyond AWS: how many retries `extendedRetries` allows, and how long its waits may be (12 h, SQS's visibility limit). */
export const EXTENDED_RETRY_ATTEMPTS = { min: 0, max: 100 } as const;
export const EXTENDED_DELAY_SECONDS = { min: 1, max: 43_200 } as const;
export const DEFAULT_EXTENDED_DELAYS = { initialDelaySeconds: 60, maximumDelaySeconds: 3_600 } as const;

const asyncDestination = text().superRefine((value, ctx) => {
  const parsed = parseAsyncDestination(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
});

const destinationEntry = z.strictObject({ destination: required(asyncDestination) }, { error: object });

const extendedRetries = z.strictObject(
  {
    maximumRetryAttempts: requiredNumber(int(EXTENDED_RETRY_ATTEMPTS), { description: 'Retries after the first attempt (0–100), in place of the AWS limit of 2' }),
    initialDelaySeconds: optionalNumber(int(EXTENDED_DELAY_SECONDS), { description: 'Wait before the first retry; doubles per retry', default: DEFAULT_EXTENDED_DELAYS.initialDelaySeconds }),
    maximumDelaySeconds: optionalNumber(int(EXTENDED_DELAY_SECONDS), { description: 'Longest wait between two attempts', default: DEFAULT_EXTENDED_DELAYS.maximumDelaySeconds }),
  },
  { error: object },
);

const eventInvokeConfig = z.strictObject(
  {
    maximumRetryAttempts: optionalNumber(int(MAXIMUM_RETRY_ATTEMPTS), {
      description: 'MaximumRetryAttempts: retries after a function error (0–2), 1 minute then 2 minutes apart',
      default: MAXIMUM_RETRY_ATTEMPTS.default,
    }),
    maximumEventAgeInSeconds: optionalNumber(int(MAXIMUM_EVENT_AGE_SECONDS), {
      description: 'MaximumEventAgeInSeconds: how long an event may wait in the queue (60–21600)',
      default: MAXIMUM_EVENT_AGE_SECONDS.default,
    }),
    destinationConfig: optional(
      z.strictObject({ onSuccess: optional(destinationEntry), onFailure: optional(destinationEntry) }, { error: object }),
      { description: 'Invocation records: SQS queue ARN/URL, kafka://host:port/topic, file://path, or a function ARN' },
    ),
    extendedRetries: optional(extendedRetries, {
      description: 'Beyond AWS, off unless given: more retries than 2, with exponential back-off and jitter (replaces maximumRetryAttempts)',
    }),
  },
  { error: object },
);

const sqsTarget = text().superRefine((value, ctx) => {
  const parsed = parseDestination(value);
  if (!parsed.ok || parsed.ref.kind !== 'sqs') ctx.addIssue({ code: 'custom', message: `must be an SQS queue ARN or URL (SNS topics are not supported) (got ${show(value)})` });
  else if (parsed.ref.fifo) ctx.addIssue({ code: 'custom', message: 'is a FIFO queue: a dead-letter queue must be a standard queue, as on AWS' });
});

const asyncQueue = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('embedded') }, { error: object }),
  z.strictObject(
    {
      type: z.literal('sqs'),
      queueUrl: required(
        url(['http:', 'https:'], 'an SQS queue URL').refine((value) => !value.endsWith('.fifo'), { error: 'must be a standard queue: events of a FIFO queue would wait behind each other' }),
        { description: 'A standard queue only Tributary uses; every replica reads it' },
      ),
      region: optional(matching(REGION, 'an AWS region such as us-east-1')),
      endpoint: optional(url(['http:', 'https:'], 'an http(s) URL')),
    },
    { error: object },
  ),
]);

/** The fields `functions:` entries gain for asynchronous invocation. */
export const asyncInvocationFields = {
  eventInvokeConfig: optional(eventInvokeConfig, { description: "Asynchronous invocation (Invoke with InvocationType Event): retries, maximum age, destinations, as Lambda's EventInvokeConfig" }),
  deadLetterConfig: optional(z.strictObject({ targetArn: required(sqsTarget) }, { error: object }), {
    description: 'DeadLetterConfig: an SQS queue that gets the events asynchronous invocation discards',
  }),
  asyncQueue: optional(asyncQueue, { description: 'Where asynchronous events wait: embedded (default, one process) or an SQS queue shared by replicas' }),
};
