/** The shared kit connectors and the core use instead of private copies (issue 11): waits, aborts, SDK errors. */
export { sleep, raceAbort, whenAborted } from './sleep.js';
export { sdkErrorFacts, toAwsSourceError, type AwsErrorNames, type SdkErrorFacts } from './sdk-error.js';
export { backoffDelayMs, DEFAULT_BACKOFF, type BackoffOptions } from '../../policy/backoff.js';
export { resolveRegion, awsClientOptions, type AwsClientOptions, type AwsEndpointOptions } from '../aws-client-options.js';
export { functionArnOf, arnParts } from './function-arn.js';
export { sqsLaneBounds, kafkaInvocationLimit, type SqsLaneBounds } from '../../policy/poller-bounds.js';
