// The StreamSource contract (test/contract/stream-source.contract.ts, read directly, and
// stream-source-engine.contract.ts, through the real engine) for the DynamoDB Streams connector against the real
// DynamoDB Local. Each fixture is a fresh table (pk S, sk N) with a NEW_AND_OLD_IMAGES stream; a write puts the
// item (pk = key, sk = 1) with the value, so one key's changes are one item's, in order. Closing the shards is
// disabling the stream: DynamoDB Local then closes them without children. Setup goes through the SDK directly.

import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll } from 'vitest';
import { dynamoDbStreamsConnector } from '../../connectors/dynamodb-streams/index.js';
import type { ConnectorDefinition } from '../../src/connector/definition.js';
import type { DynamoDbStreamsSourceConfig } from '../../src/connector/config.js';
import type { StreamSource } from '../../src/connector/types.js';
import { describeStreamSourceContract } from '../contract/stream-source.contract.ts';
import { describeStreamSourceEngineContract } from '../contract/stream-source-engine.contract.ts';
import type { StreamFixture } from '../contract/stream-fixture.ts';
import { contractSourceContext } from '../contract/source-context.ts';
import { AWS_REGION, DYNAMODB_TEST_CREDENTIALS, readEndpoints } from '../services/endpoints.ts';

const endpoints = readEndpoints();
const run = `${Date.now().toString(36)}-${process.pid}`;
const admin = new DynamoDBClient({ region: AWS_REGION, endpoint: endpoints.dynamodb, credentials: DYNAMODB_TEST_CREDENTIALS });
const context = contractSourceContext('stream-contract-dynamodb');

afterAll(() => admin.destroy());

async function dynamodbFixture(label: string): Promise<StreamFixture> {
  const tableName = `stream-contract-${label}-${run}`;
  const created = await admin.send(new CreateTableCommand({
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }));
  const streamArn = created.TableDescription?.LatestStreamArn ?? '';
  // By stream ARN: a disabled stream (closeAll) stays readable by its ARN, while its table no longer names it.
  const config: DynamoDbStreamsSourceConfig = { type: 'dynamodb-streams', tableName: null, streamArn, region: AWS_REGION, endpoint: endpoints.dynamodb };
  return {
    expected: {
      sourceArn: new RegExp(`^${streamArn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      // The stream's ARN names its region (DynamoDB Local: `ddblocal`); the event's awsRegion is that one.
      region: streamArn.split(':')[3] ?? '',
      // DynamoDB Streams keeps records 24 hours.
      retentionMs: 24 * 3_600_000,
      idlePollIntervalMs: 250,
      atTimestamp: false,
      closeMakesChildren: false,
    },
    connector: dynamoDbStreamsConnector as ConnectorDefinition,
    pipelineSource: { type: 'dynamodb-streams', streamArn, region: AWS_REGION, endpoint: endpoints.dynamodb },
    createSource: async () => (await dynamoDbStreamsConnector.create(config, context)) as StreamSource,
    write: async (writes) => {
      for (const { key, value } of writes) await admin.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: key }, sk: { N: '1' }, v: { S: value } } }));
    },
    decode: (eventRecord) => {
      const dynamodb = eventRecord['dynamodb'] as { Keys: { pk: { S: string } }; NewImage: { v: { S: string } }; SequenceNumber: string };
      return { key: dynamodb.Keys.pk.S, value: dynamodb.NewImage.v.S, id: dynamodb.SequenceNumber, position: dynamodb.SequenceNumber };
    },
    closeAll: async () => {
      await admin.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
    },
    dispose: async () => {
      await admin.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    },
  };
}

describeStreamSourceContract('dynamodb-streams (DynamoDB Local)', dynamodbFixture);
describeStreamSourceEngineContract('dynamodb-streams (DynamoDB Local)', dynamodbFixture);
