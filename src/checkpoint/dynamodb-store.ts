/**
 * The distributed CheckpointStore (`checkpoints: { type: dynamodb, tableName, region?, endpoint? }`): a lease table
 * in the style of the Kinesis Client Library (layout in dynamodb-lease-codec.ts). Every write is conditional, so
 * DynamoDB itself arbitrates between instances (KCL's DynamoDBLeaseRefresher):
 *
 * | operation      | condition                          | update                                                  |
 * |----------------|------------------------------------|---------------------------------------------------------|
 * | ensureShards   | `attribute_not_exists(shardId)`    | put a free lease (existing rows untouched)              |
 * | take           | `leaseCounter = :expected`         | owner := me, counter + 1, owner switches + (1 if other) |
 * | renew          | `leaseOwner = :me`                 | counter + 1                                             |
 * | checkpoint     | `leaseOwner = :me`                 | checkpoint, attempt, owner switches := 0                |
 * | release        | `leaseOwner = :me`                 | remove owner, counter + 1                               |
 *
 * A failed condition is LEASE_LOST (null from take, false from renew); other errors are CHECKPOINT_FAILED, retryable
 * for throttling, 5xx and network failures. Reads are strongly consistent.
 */
import { TributaryError } from '../errors.js';
import { silentLogger, type Logger } from '../observability/logger.js';
import { LeaseTableClient, type Conditional, type Item } from './dynamodb-client.js';
import { ATTR, LEASE_TABLE_KEYS, NAMES, decodeLease, encodeLease, leaseKey, num, str } from './dynamodb-lease-codec.js';
import { newLease, takeLease } from './lease-transitions.js';
import type { CheckpointStore, CheckpointUpdate, NewShard, ShardLease } from './types.js';

export interface DynamoDbCheckpointStoreOptions {
  readonly tableName: string;
  /** null / absent → AWS_REGION, AWS_DEFAULT_REGION, then us-east-1. */
  readonly region?: string | null;
  /** null / absent → the real AWS endpoint. */
  readonly endpoint?: string | null;
  /** Static credentials; default: the AWS chain (dummy ones for an explicit endpoint when the environment has none). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly logger?: Logger;
}

/** Parallel single-item writes per call (ensureShards, remove): bounded so a big stream does not burst the table. */
const WRITE_CONCURRENCY = 10;

export class DynamoDbCheckpointStore implements CheckpointStore {
  readonly #table: LeaseTableClient;
  readonly #logger: Logger;
  #opened: Promise<void> | null = null;
  #closed = false;

  constructor(options: DynamoDbCheckpointStoreOptions) {
    const region = options.region ?? process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
    this.#table = new LeaseTableClient({
      tableName: options.tableName,
      region,
      endpoint: options.endpoint ?? null,
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    });
    this.#logger = options.logger ?? silentLogger();
  }

  /** Creates the lease table on demand (PAY_PER_REQUEST) and waits until it is ACTIVE. Idempotent. */
  async open(signal: AbortSignal): Promise<void> {
    this.#assertOpen();
    this.#opened ??= this.#table.ensureTable(LEASE_TABLE_KEYS, signal).then(
      (outcome) => {
        if (outcome === 'created') this.#logger.info({ table: this.#table.tableName }, 'created the lease table');
      },
      (error: unknown) => {
        this.#opened = null;
        throw error;
      },
    );
    await this.#opened;
  }

  /** Deletes the lease table (tests and tear-down only). */
  async deleteTable(signal: AbortSignal): Promise<void> {
    await this.#table.deleteTable(signal);
    this.#opened = null;
  }

  async ensureShards(pipeline: string, shards: readonly NewShard[], signal: AbortSignal): Promise<void> {
    await this.open(signal);
    const unique = [...new Map(shards.map((s) => [s.shardId, s])).values()];
    await inBatches(unique, async (shard) => {
      // A failed condition means the row exists: left untouched, as the contract says.
      await this.#table.putIfAbsent(encodeLease(newLease(pipeline, shard)), ATTR.shardId, signal);
    });
  }

  async list(pipeline: string, signal: AbortSignal): Promise<readonly ShardLease[]> {
    await this.open(signal);
    const items = await this.#table.queryPartition(ATTR.pipeline, pipeline, signal);
    return items.map(decodeLease);
  }

  async take(pipeline: string, shardId: string, owner: string, expectedCounter: number, signal: AbortSignal): Promise<ShardLease | null> {
    await this.open(signal);
    // Read the latest row first (KCL PR #886 fetches the latest counter before stealing): it tells whether the
    // owner changes. The counter condition makes the read and the write one atomic step.
    const item = await this.#table.get(leaseKey(pipeline, shardId), signal);
    const current = item === null ? undefined : decodeLease(item);
    const next = takeLease(current, owner, expectedCounter);
    if (next.kind === 'refused' || current === undefined) return null;
    const written = await this.#table.update(
      {
        key: leaseKey(pipeline, shardId),
        // A take supersedes a pending hand-over request (see lease-transitions.ts).
        update: 'SET #owner = :owner, #counter = #counter + :one, #switches = if_not_exists(#switches, :zero) + :switched REMOVE #handoffTo',
        condition: '#counter = :expected',
        names: pick('#owner', '#counter', '#switches', '#handoffTo'),
        values: {
          ':owner': str(owner),
          ':one': num(1),
          ':zero': num(0),
          ':switched': num(next.lease.ownerSwitchesSinceCheckpoint - current.ownerSwitchesSinceCheckpoint),
          ':expected': num(expectedCounter),
        },
      },
      signal,
    );
    return written.kind === 'ok' ? decodeLease(written.value) : null;
  }

  async steal(pipeline: string, shardId: string, thief: string, from: string, signal: AbortSignal): Promise<ShardLease | null> {
    await this.open(signal);
    if (thief === from) return null;
    // stealLease (lease-transitions.ts) as one conditional write: on the owner, not the counter.
    const written = await this.#table.update(
      {
        key: leaseKey(pipeline, shardId),
        update: 'SET #owner = :thief, #counter = #counter + :one, #switches = if_not_exists(#switches, :zero) + :one REMOVE #handoffTo',
        condition: '#owner = :from',
        names: pick('#owner', '#counter', '#switches', '#handoffTo'),
        values: { ':thief': str(thief), ':from': str(from), ':one': num(1), ':zero': num(0) },
      },
      signal,
    );
    return written.kind === 'ok' ? decodeLease(written.value) : null;
  }

  async renew(pipeline: string, shardId: string, owner: string, signal: AbortSignal, throughput?: number): Promise<boolean> {
    await this.open(signal);
    const written =
      throughput === undefined
        ? await this.#ownerWrite(pipeline, shardId, owner, 'SET #counter = #counter + :one', { ':one': num(1) }, signal)
        : await this.#ownerWrite(pipeline, shardId, owner, 'SET #counter = #counter + :one, #throughput = :throughput', { ':one': num(1), ':throughput': num(throughput) }, signal);
    return written.kind === 'ok';
  }

  async requestHandoff(pipeline: string, shardId: string, requester: string, from: string, signal: AbortSignal): Promise<boolean> {
    await this.open(signal);
    if (from === requester) return false;
    const written = await this.#table.update(
      {
        key: leaseKey(pipeline, shardId),
        update: 'SET #handoffTo = :requester',
        condition: '#owner = :from AND attribute_not_exists(#handoffTo)',
        names: pick('#handoffTo', '#owner'),
        values: { ':requester': str(requester), ':from': str(from) },
      },
      signal,
    );
    return written.kind === 'ok';
  }

  async transfer(pipeline: string, shardId: string, owner: string, signal: AbortSignal): Promise<ShardLease | null> {
    await this.open(signal);
    const item = await this.#table.get(leaseKey(pipeline, shardId), signal);
    const current = item === null ? undefined : decodeLease(item);
    if (current?.owner !== owner) throw leaseLost(pipeline, shardId, owner, 'transfer');
    if (current.handoffTo === null) return null;
    const written = await this.#table.update(
      {
        key: leaseKey(pipeline, shardId),
        update: 'SET #owner = :to, #counter = #counter + :one, #switches = if_not_exists(#switches, :zero) + :one REMOVE #handoffTo',
        condition: '#owner = :me AND #handoffTo = :to',
        names: pick('#owner', '#counter', '#switches', '#handoffTo'),
        values: { ':me': str(owner), ':to': str(current.handoffTo), ':one': num(1), ':zero': num(0) },
      },
      signal,
    );
    if (written.kind === 'condition-failed') throw leaseLost(pipeline, shardId, owner, 'transfer');
    return decodeLease(written.value);
  }

  async checkpoint(pipeline: string, shardId: string, owner: string, update: CheckpointUpdate, signal: AbortSignal): Promise<void> {
    await this.open(signal);
    const written = await this.#ownerWrite(
      pipeline,
      shardId,
      owner,
      checkpointExpression(update),
      {
        ':attempt': num(update.attempt),
        ':zero': num(0),
        ...(update.checkpoint === null ? {} : { ':checkpoint': str(update.checkpoint) }),
        ...(update.laneState === null || update.laneState === undefined ? {} : { ':laneState': str(update.laneState) }),
      },
      signal,
    );
    if (written.kind === 'condition-failed') throw leaseLost(pipeline, shardId, owner, 'checkpoint');
  }

  async release(pipeline: string, shardId: string, owner: string, signal: AbortSignal): Promise<void> {
    await this.open(signal);
    const written = await this.#ownerWrite(pipeline, shardId, owner, 'REMOVE #owner, #handoffTo SET #counter = #counter + :one', { ':one': num(1) }, signal);
    if (written.kind === 'condition-failed') throw leaseLost(pipeline, shardId, owner, 'release');
  }

  async remove(pipeline: string, shardIds: readonly string[], signal: AbortSignal): Promise<void> {
    await this.open(signal);
    await inBatches([...new Set(shardIds)], (shardId) => this.#table.delete(leaseKey(pipeline, shardId), signal));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#table.close();
  }

  /** A write conditional on `leaseOwner = :me` (renew, checkpoint, release). */
  async #ownerWrite(pipeline: string, shardId: string, owner: string, update: string, values: Item, signal: AbortSignal): Promise<Conditional<Item>> {
    const names = [...update.matchAll(/#\w+/g)].map((m) => m[0]);
    return this.#table.update(
      { key: leaseKey(pipeline, shardId), update, condition: '#owner = :me', names: pick('#owner', ...names), values: { ...values, ':me': str(owner) } },
      signal,
    );
  }

  #assertOpen(): void {
    if (this.#closed) throw new TributaryError('STOPPED', 'the checkpoint store is closed');
  }
}

function pick(...placeholders: string[]): Record<string, string> {
  const names: Record<string, string> = {};
  for (const p of placeholders) {
    const name = NAMES[p];
    if (name !== undefined) names[p] = name;
  }
  return names;
}

function leaseLost(pipeline: string, shardId: string, owner: string, what: string): TributaryError {
  return new TributaryError('LEASE_LOST', `${what} of ${pipeline}/${shardId} refused: ${owner} no longer holds the lease`);
}

async function inBatches<T>(items: readonly T[], run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += WRITE_CONCURRENCY) {
    await Promise.all(items.slice(i, i + WRITE_CONCURRENCY).map(run));
  }
}

/** The UpdateExpression of a checkpoint write: absent values are REMOVEd rather than written as empty strings. */
function checkpointExpression(update: CheckpointUpdate): string {
  const set = ['#attempt = :attempt', '#switches = :zero'];
  const remove: string[] = [];
  (update.checkpoint === null ? remove : set).push(update.checkpoint === null ? '#checkpoint' : '#checkpoint = :checkpoint');
  if (update.laneState === null) remove.push('#laneState');
  else if (update.laneState !== undefined) set.push('#laneState = :laneState');
  return `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`;
}
