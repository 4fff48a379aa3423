/** Source config types connectors receive (re-exported so connectors import only src/connector). */
export type {
  SqsSourceConfig,
  KinesisSourceConfig,
  DynamoDbStreamsSourceConfig,
  KafkaSourceConfig,
  SourceConfig,
  SourceType,
} from '../config/types.js';
