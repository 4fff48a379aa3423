/**
 * The only file that imports @aws-sdk/client-dynamodb. A handful of lease-table operations as small methods that
 * take an AbortSignal and return plain AttributeValue maps; a failed condition comes back as data
 * (`{ kind: 'condition-failed' }`), every other SDK error as a TributaryError (dynamodb-errors.ts).
 */
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { awsClientOptions } from '../connector/aws-client-options.js';
import { TributaryError } from '../errors.js';
import { classifyDynamoError, toStoreError } from './dynamodb-errors.js';

export type { AttributeValue };
export type Item = Record<string, AttributeValue>;

/** Result of a conditional write. */
export type Conditional<T> = { readonly kind: 'ok'; readonly value: T } | { readonly kind: 'condition-failed' };

export interface LeaseTableClientOptions {
  readonly tableName: string;
  readonly region: string;
  /** null → the real AWS endpoint of the region. */
  readonly endpoint: string | null;
  /** Static credentials; default: the AWS chain, or dummy ones for an explicit endpoint with none in the environment. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** SDK attempts per call (default 3). */
  readonly maxAttempts?: number;
}

/** String partition and sort key names of the table. */
export interface TableKeys {
  readonly partitionKey: string;
  readonly sortKey: string;
}

export interface UpdateRequest {
  readonly key: Item;
  readonly update: string;
  readonly condition: string;
  readonly names: Readonly<Record<string, string>>;
  readonly values: Item;
}

/** How long ensureTable waits for CREATING → ACTIVE (real AWS takes seconds, DynamoDB Local none). */
const ACTIVE_TIMEOUT_MS = 120_000;
const ACTIVE_POLL_MS = 500;

export class LeaseTableClient {
  readonly tableName: string;
  readonly #client: DynamoDBClient;

  constructor(options: LeaseTableClientOptions) {
    this.tableName = options.tableName;
    this.#client = new DynamoDBClient({
      ...awsClientOptions(options),
      ...(options.credentials === undefined ? {} : { credentials: { ...options.credentials } }),
      maxAttempts: options.maxAttempts ?? 3,
    });
  }

  /**
   * Creates the table (PAY_PER_REQUEST, as KCL's default) when it does not exist and waits until it is ACTIVE.
   * An existing table with other keys is refused rather than misused.
   */
  async ensureTable(keys: TableKeys, signal: AbortSignal): Promise<'created' | 'existed'> {
    let outcome: 'created' | 'existed' = 'existed';
    let table = await this.#describe(signal);
    if (table === null) {
      try {
        await this.#client.send(
          new CreateTableCommand({
            TableName: this.tableName,
            AttributeDefinitions: [
              { AttributeName: keys.partitionKey, AttributeType: 'S' },
              { AttributeName: keys.sortKey, AttributeType: 'S' },
            ],
            KeySchema: [
              { AttributeName: keys.partitionKey, KeyType: 'HASH' },
              { AttributeName: keys.sortKey, KeyType: 'RANGE' },
            ],
            BillingMode: 'PAY_PER_REQUEST',
          }),
          { abortSignal: signal },
        );
        outcome = 'created';
      } catch (error) {
        // Another instance created it at the same moment: wait for it like for our own.
        if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw toStoreError('CreateTable', this.tableName, error);
      }
    }
    const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
    for (;;) {
      table ??= await this.#describe(signal);
      if (table?.TableStatus === 'ACTIVE') break;
      if (Date.now() > deadline) throw new TributaryError('CHECKPOINT_FAILED', `lease table ${this.tableName} is not ACTIVE after ${ACTIVE_TIMEOUT_MS / 1000} s`, { retryable: true });
      await sleep(ACTIVE_POLL_MS, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) throw new TributaryError('STOPPED', `waiting for lease table ${this.tableName} aborted`, { retryable: true });
      table = null;
    }
    const actual = (table.KeySchema ?? []).map((k) => `${k.AttributeName ?? ''}:${k.KeyType ?? ''}`).join(',');
    const expected = `${keys.partitionKey}:HASH,${keys.sortKey}:RANGE`;
    if (actual !== expected) {
      throw new TributaryError('CHECKPOINT_FAILED', `table ${this.tableName} exists with keys ${actual}, not the lease table's ${expected}; use another tableName`);
    }
    return outcome;
  }

  /** Deletes the table (tests, tear-down). A missing table is fine. */
  async deleteTable(signal: AbortSignal): Promise<void> {
    try {
      await this.#client.send(new DeleteTableCommand({ TableName: this.tableName }), { abortSignal: signal });
    } catch (error) {
      if (classifyDynamoError(error) !== 'table-missing') throw toStoreError('DeleteTable', this.tableName, error);
    }
  }

  /** Strongly consistent read of one item. */
  async get(key: Item, signal: AbortSignal): Promise<Item | null> {
    const out = await this.#call('GetItem', () =>
      this.#client.send(new GetItemCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }), { abortSignal: signal }),
    );
    return out.Item ?? null;
  }

  /** Puts `item` unless an item with its key exists (`attribute_not_exists(<sortKey>)`). */
  async putIfAbsent(item: Item, sortKey: string, signal: AbortSignal): Promise<Conditional<void>> {
    return this.#conditional('PutItem', async () => {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#sk)',
          ExpressionAttributeNames: { '#sk': sortKey },
        }),
        { abortSignal: signal },
      );
    });
  }

  /** Conditional UpdateItem; returns the item as written (ALL_NEW). */
  async update(request: UpdateRequest, signal: AbortSignal): Promise<Conditional<Item>> {
    return this.#conditional('UpdateItem', async () => {
      const out = await this.#client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: request.key,
          UpdateExpression: request.update,
          ConditionExpression: request.condition,
          ExpressionAttributeNames: { ...request.names },
          ExpressionAttributeValues: request.values,
          ReturnValues: 'ALL_NEW',
        }),
        { abortSignal: signal },
      );
      return out.Attributes ?? {};
    });
  }

  /** Every item of one partition, in sort-key order (a Query, strongly consistent, all pages). */
  async queryPartition(partitionKey: string, value: string, signal: AbortSignal): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.#call('Query', () =>
        this.#client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': partitionKey },
            ExpressionAttributeValues: { ':pk': { S: value } },
            ConsistentRead: true,
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
          { abortSignal: signal },
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return items;
  }

  /** Conditional DeleteItem. */
  async deleteIf(key: Item, condition: Omit<UpdateRequest, 'key' | 'update'>, signal: AbortSignal): Promise<Conditional<void>> {
    return this.#conditional('DeleteItem', async () => {
      await this.#client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: condition.condition,
          ExpressionAttributeNames: { ...condition.names },
          ExpressionAttributeValues: condition.values,
        }),
        { abortSignal: signal },
      );
    });
  }

  async delete(key: Item, signal: AbortSignal): Promise<void> {
    await this.#call('DeleteItem', () => this.#client.send(new DeleteItemCommand({ TableName: this.tableName, Key: key }), { abortSignal: signal }));
  }

  close(): void {
    this.#client.destroy();
  }

  async #describe(signal: AbortSignal): Promise<TableDescription | null> {
    try {
      const out = await this.#client.send(new DescribeTableCommand({ TableName: this.tableName }), { abortSignal: signal });
      return out.Table ?? null;
    } catch (error) {
      if (classifyDynamoError(error) === 'table-missing') return null;
      throw toStoreError('DescribeTable', this.tableName, error);
    }
  }

  async #conditional<T>(operation: string, send: () => Promise<T>): Promise<Conditional<T>> {
    try {
      return { kind: 'ok', value: await send() };
    } catch (error) {
      if (classifyDynamoError(error) === 'condition-failed') return { kind: 'condition-failed' };
      throw toStoreError(operation, this.tableName, error);
    }
  }

  async #call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw toStoreError(operation, this.tableName, error);
    }
  }
}
