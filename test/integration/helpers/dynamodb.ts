/** Test-side DynamoDB helpers against the real DynamoDB Local started by the harness. */
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type StreamViewType,
} from '@aws-sdk/client-dynamodb';
import { AWS_REGION, DYNAMODB_TEST_CREDENTIALS, readEndpoints } from '../../services/endpoints.ts';

export const dynamodbEndpoint = (): string => readEndpoints().dynamodb;

export function dynamodbClient(): DynamoDBClient {
  return new DynamoDBClient({ region: AWS_REGION, endpoint: dynamodbEndpoint(), credentials: DYNAMODB_TEST_CREDENTIALS });
}

/** A table with key (pk S, sk N) and a stream of the given view type. */
export async function createStreamTable(client: DynamoDBClient, name: string, view: StreamViewType): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: view },
    }),
  );
}

export async function deleteTable(client: DynamoDBClient, name: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
}

export async function put(client: DynamoDBClient, table: string, item: Record<string, AttributeValue>): Promise<void> {
  await client.send(new PutItemCommand({ TableName: table, Item: item }));
}

export async function update(client: DynamoDBClient, table: string, key: Record<string, AttributeValue>, n: number): Promise<void> {
  await client.send(
    new UpdateItemCommand({ TableName: table, Key: key, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: String(n) } } }),
  );
}

export async function remove(client: DynamoDBClient, table: string, key: Record<string, AttributeValue>): Promise<void> {
  await client.send(new DeleteItemCommand({ TableName: table, Key: key }));
}

export interface DynamoDbEventRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Record<string, AttributeValue>;
    NewImage?: Record<string, Record<string, unknown>>;
    OldImage?: Record<string, Record<string, unknown>>;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  eventSourceARN: string;
}
