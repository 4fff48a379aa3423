/**
 * The one place src reaches connectors (DESIGN §2): each is loaded lazily with import(), so a pipeline
 * that reads SQS never loads kafkajs or the Kinesis SDK.
 */
import type { SourceConfig } from '../config/types.js';
import type { Source, SourceContext } from './types.js';

export async function createSource(config: SourceConfig, context: SourceContext): Promise<Source> {
  switch (config.type) {
    case 'sqs': {
      const { sqsConnector } = await import('../../connectors/sqs/index.js');
      return sqsConnector.create(config, context);
    }
    case 'kinesis': {
      const { kinesisConnector } = await import('../../connectors/kinesis/index.js');
      return kinesisConnector.create(config, context);
    }
    case 'dynamodb-streams': {
      const { dynamoDbStreamsConnector } = await import('../../connectors/dynamodb-streams/index.js');
      return dynamoDbStreamsConnector.create(config, context);
    }
    case 'kafka': {
      const { createKafkaSource } = await import('../../connectors/kafka/index.js');
      // StartingPosition is required for Kafka mappings (validated with the config); LATEST only guards types.
      return createKafkaSource(config, context, {
        startingPosition: context.startingPosition ?? 'LATEST',
        startingPositionTimestampMs: context.startingPositionTimestampMs ?? null,
        batchSize: context.batchSize,
        maximumBatchingWindowMs: context.maximumBatchingWindowMs ?? 500,
      });
    }
  }
}
