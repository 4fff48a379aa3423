/** On-failure destinations (DESIGN §3.4): file (JSON lines), SQS standard queue, Kafka topic. */
export type { DestinationKind, OnFailureDestination } from './types.js';
export { createDestination, type DestinationContext } from './create-destination.js';
export { FileDestination } from './file-destination.js';
export { SqsDestination, sqsEndpointFor, type SqsDestinationOptions } from './sqs-destination.js';
export { KafkaDestination, type KafkaDestinationOptions } from './kafka-destination.js';
export { RECORD_KEY, recordKeyOf, withRecordKey, type KeyedRecord, type RecordKey } from './record-key.js';
