export * from './types.js';
export type * from './config.js';
export * from './definition.js';
export * from './kit/index.js';
export type { FailureRecordBuilder, FailureFacts } from './failure-records.js';
export { streamFailureBuilder, kafkaFailureBuilder, destinationCarriesPayload } from './failure-records.js';
