/**
 * The one place src reaches connectors (DESIGN §2): one line per source type, each loaded lazily with import(), so
 * a pipeline that reads SQS never loads kafkajs or the Kinesis SDK. Adding a source adds one line here.
 */
import type { SourceConfig } from '../config/types.js';
import type { ConnectorDefinition } from './definition.js';

type Loader = () => Promise<ConnectorDefinition>;

const CONNECTORS: Readonly<Record<SourceConfig['type'], Loader>> = {
  sqs: async () => (await import('../../connectors/sqs/index.js')).sqsConnector as ConnectorDefinition,
  kinesis: async () => (await import('../../connectors/kinesis/index.js')).kinesisConnector as ConnectorDefinition,
  'dynamodb-streams': async () => (await import('../../connectors/dynamodb-streams/index.js')).dynamoDbStreamsConnector as ConnectorDefinition,
  kafka: async () => (await import('../../connectors/kafka/index.js')).kafkaConnector as ConnectorDefinition,
  'async-queue': async () => (await import('../../connectors/async-queue/index.js')).asyncQueueConnector as ConnectorDefinition,
};

/** The source types with a connector (test/unit/connector/source-registry.test.ts matches them to the descriptors). */
export const CONNECTOR_TYPES = Object.keys(CONNECTORS) as readonly SourceConfig['type'][];

/** The connector of a source config. */
export async function loadConnector(config: SourceConfig): Promise<ConnectorDefinition> {
  return CONNECTORS[config.type]();
}
