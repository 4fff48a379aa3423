/** Config types connectors receive (re-exported so connectors import only src/connector). */
export type {
  SqsSourceConfig,
  KinesisSourceConfig,
  DynamoDbStreamsSourceConfig,
  KafkaSourceConfig,
  AsyncQueueSourceConfig,
  SourceConfig,
  SourceType,
  OnFailureDestinationConfig,
  KafkaSchemaRegistryConfig,
  SchemaRegistryAccessConfig,
} from '../config/types.js';
