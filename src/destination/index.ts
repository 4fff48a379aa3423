/** On-failure destinations (DESIGN §3.4): file (JSON lines), SQS standard queue, Kafka topic, S3 bucket, SNS topic. */
export type { DeliveryReport, DestinationKind, DroppedRecord, OnFailureDestination } from './types.js';
export { createDestination, type DestinationContext } from './create-destination.js';
export { FileDestination } from './file-destination.js';
export { SqsDestination, sqsEndpointFor, type SqsDestinationOptions } from './sqs-destination.js';
export { KafkaDestination, type KafkaDestinationOptions } from './kafka-destination.js';
export { RECORD_KEY, recordKeyOf, withRecordKey, type KeyedRecord, type RecordKey } from './record-key.js';
export { S3Destination, type S3DestinationOptions } from './s3-destination.js';
export { SnsDestination, SNS_MAX_MESSAGE_BYTES, type SnsDestinationOptions } from './sns-destination.js';
export { deliveryCounts, type DeliveryCounts } from './delivery-accounting.js';
