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
  PemSource,
  MappingSourceConfig,
} from '../config/types.js';
