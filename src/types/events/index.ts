/**
 * Lambda's event and response types of the four sources, and the handler shape, for library users' handlers.
 * Structurally compatible with `@types/aws-lambda` (test/unit/types/aws-lambda-compat.test.ts).
 */
export type * from './handler.js';
export type * from './sqs.js';
export type * from './kinesis.js';
export type * from './dynamodb-streams.js';
export type * from './kafka.js';
