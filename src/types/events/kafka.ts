/**
 * The events Lambda (and Tributary) sends a function from Kafka: Amazon MSK (`clusterArn` set: `aws:kafka`) or
 * self-managed Apache Kafka (`SelfManagedKafka`, no `eventSourceArn`), and the partial batch response.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html (Amazon MSK sample event)
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html (self-managed Apache Kafka sample event)
 * Names match `@types/aws-lambda`. Unlike that package, `key` and `value` are optional: Lambda leaves them out for
 * a null key and for a tombstone (connectors/kafka/event.ts).
 */

/** One header: its name → the value's bytes (Java's signed bytes, -128…127); a null value is `[]`. */
export type KafkaRecordHeader = Record<string, number[]>;

export interface KafkaRecord {
  topic: string;
  partition: number;
  offset: number;
  /** Epoch milliseconds. */
  timestamp: number;
  timestampType: 'CREATE_TIME' | 'LOG_APPEND_TIME';
  /** base64; absent when the record has no key. */
  key?: string;
  /** base64; absent for a tombstone (null value). */
  value?: string;
  headers: KafkaRecordHeader[];
  /** With `schemaRegistryConfig` validating the key: its schema's format and id. */
  keySchemaMetadata?: KafkaSchemaMetadata;
  /** With `schemaRegistryConfig` validating the value: its schema's format and id. */
  valueSchemaMetadata?: KafkaSchemaMetadata;
}

/** The schema a registry-validated key or value was decoded with. */
export interface KafkaSchemaMetadata {
  dataFormat: 'AVRO' | 'PROTOBUF' | 'JSON';
  schemaId: string;
}

export type MSKRecord = KafkaRecord;
export type SelfManagedKafkaRecord = KafkaRecord;

/** Records by `<topic>-<partition>`. */
export type KafkaRecords = Record<string, KafkaRecord[]>;

export interface MSKEvent {
  eventSource: 'aws:kafka';
  /** The MSK cluster ARN (`source.clusterArn`). */
  eventSourceArn: string;
  /** Comma-separated `host:port`. */
  bootstrapServers: string;
  records: KafkaRecords;
}

export interface SelfManagedKafkaEvent {
  eventSource: 'SelfManagedKafka';
  bootstrapServers: string;
  records: KafkaRecords;
}

/** What a `type: kafka` source sends: `MSKEvent` when `clusterArn` is set, else `SelfManagedKafkaEvent`. */
export type KafkaEvent = MSKEvent | SelfManagedKafkaEvent;

/**
 * A failed Kafka record: `"<topic>-<partition>:<offset>"` (e.g. `"orders-0:15"`), or the object forms Lambda
 * runtimes and Powertools send, `{ partition: "<topic>-<partition>", offset }` and `{ "topic-partition": …, offset }`
 * (connectors/kafka/item-id.ts).
 */
export interface KafkaBatchItemFailure {
  itemIdentifier: string | { partition: string; offset: number | string } | { 'topic-partition': string; offset: number | string };
}

export interface KafkaBatchResponse {
  batchItemFailures: KafkaBatchItemFailure[];
}
