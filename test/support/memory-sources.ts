/**
 * In-memory sources for unit tests of the lane engine: pure logic, no broker (integration tests use the real ones).
 * A stream of shards holding records, a queue with visibility, and a connector definition around them, so the
 * real assigners, lanes and executors run unchanged.
 */
import type { ConnectorDefinition } from '../../src/connector/definition.js';
import { streamFailureBuilder } from '../../src/connector/failure-records.js';
import type {
  LaneReader,
  QueueSource,
  Settlement,
  ShardInfo,
  ShardReader,
  SourceRecord,
  StartPosition,
  StreamSource,
} from '../../src/connector/types.js';

export interface MemoryRecord {
  readonly key: string;
  readonly data: string;
  /** Default: the stream's clock at the time of the put. */
  readonly arrivedAtMs?: number;
  /** Bytes it adds to the payload (default: its JSON). */
  readonly sizeBytes?: number;
}

/** A sequence number with 20 digits so positions compare as decimal strings (like Kinesis's). */
export function seq(n: number): string {
  return String(n).padStart(20, '0');
}

export function streamRecord(shard: string, n: number, record: MemoryRecord, arrivedAtMs: number): SourceRecord {
  const eventRecord = { kinesis: { partitionKey: record.key, sequenceNumber: seq(n), data: Buffer.from(record.data).toString('base64') }, eventSourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/memory' };
  return {
    id: seq(n),
    shard,
    position: seq(n),
    partitionKey: record.key,
    arrivedAtMs: record.arrivedAtMs ?? arrivedAtMs,
    receiveCount: 1,
    sizeBytes: record.sizeBytes ?? Buffer.byteLength(JSON.stringify(eventRecord)),
    eventRecord,
    filterPayload: record.data,
  };
}

/** One shard: records appended by `put`, read in order, optionally closed (then reading ends with shardEnd). */
class MemoryShard {
  readonly records: SourceRecord[] = [];
  closed = false;
}

export interface MemoryStreamOptions {
  readonly shards?: readonly string[];
  readonly now?: () => number;
  readonly retentionMs?: number | null;
  /** Reported as MillisBehindLatest by every read (the engine must not take it for IteratorAge). */
  readonly millisBehindLatest?: number | null;
  readonly idlePollIntervalMs?: number;
}

export class MemoryStream implements StreamSource {
  readonly kind = 'stream' as const;
  readonly capabilities = { ordering: 'per-shard' as const, maxBatchSize: 10_000, pageSize: 1_000 };
  readonly sourceArn = 'arn:aws:kinesis:eu-west-1:123456789012:stream/memory';
  readonly region = 'eu-west-1';
  readonly atTimestamp = true;
  readonly idlePollIntervalMs: number;
  readonly retentionMs: number | null;
  readonly #shards = new Map<string, MemoryShard>();
  readonly #now: () => number;
  readonly #behind: number | null;
  #sequence = 0;
  /** Every openReader call, for assertions. */
  readonly opened: { shardId: string; start: StartPosition }[] = [];

  constructor(options: MemoryStreamOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.retentionMs = options.retentionMs ?? null;
    this.#behind = options.millisBehindLatest ?? null;
    this.idlePollIntervalMs = options.idlePollIntervalMs ?? 5;
    for (const shardId of options.shards ?? ['shard-0']) this.#shards.set(shardId, new MemoryShard());
  }

  put(shardId: string, records: readonly MemoryRecord[]): SourceRecord[] {
    const shard = this.#shard(shardId);
    const added = records.map((record) => streamRecord(shardId, this.#sequence++, record, this.#now()));
    shard.records.push(...added);
    return added;
  }

  close_(shardId: string): void {
    this.#shard(shardId).closed = true;
  }

  async open(): Promise<void> {}

  async listShards(): Promise<readonly ShardInfo[]> {
    return [...this.#shards].map(([shardId, shard]) => ({ shardId, parentShardIds: [], closed: shard.closed }));
  }

  async openReader(shardId: string, start: StartPosition): Promise<ShardReader> {
    this.opened.push({ shardId, start });
    const shard = this.#shard(shardId);
    const openedAt = this.#now();
    let index: number;
    switch (start.kind) {
      case 'TRIM_HORIZON':
        index = 0;
        break;
      case 'LATEST':
        index = shard.records.length;
        break;
      case 'AT_TIMESTAMP':
        index = shard.records.findIndex((r) => r.arrivedAtMs >= start.timestampMs);
        if (index < 0) index = shard.records.length;
        break;
      case 'AFTER':
        index = shard.records.findIndex((r) => r.position > start.position);
        if (index < 0) index = shard.records.length;
        break;
    }
    void openedAt;
    return {
      read: async (maxRecords) => {
        const records = shard.records.slice(index, index + maxRecords);
        index += records.length;
        return { records, shardEnd: shard.closed && index >= shard.records.length, millisBehindLatest: this.#behind };
      },
      close: async () => undefined,
    };
  }

  toEvent(records: readonly SourceRecord[]): unknown {
    return { Records: records.map((r) => r.eventRecord) };
  }

  async close(): Promise<void> {}

  #shard(shardId: string): MemoryShard {
    const shard = this.#shards.get(shardId);
    if (shard === undefined) throw new Error(`no shard ${shardId}`);
    return shard;
  }
}

/** The connector definition of memory streams (Kinesis-shaped records and on-failure records). */
export const memoryStreamConnector: ConnectorDefinition = {
  type: 'kinesis',
  laneLabel: 'shard',
  lagMetric: 'iterator-age',
  settledMetric: null,
  filterTarget: (record) => ({ target: (record.eventRecord['kinesis'] as Record<string, unknown>) ?? {}, key: 'data' }),
  failureRecords: ({ sourceArn }) => streamFailureBuilder('kinesis', sourceArn),
  create: async () => {
    throw new Error('memory sources are built by the test');
  },
};

/** A queue: receive hides messages until settled or released (visibility), deletes are recorded. */
export class MemoryQueue implements QueueSource {
  readonly kind = 'queue' as const;
  readonly capabilities = { ordering: 'none' as const, maxBatchSize: 10_000, pageSize: 10 };
  readonly lanes = { initial: 1, idleMin: 1, max: 1 };
  readonly sourceArn = 'arn:aws:sqs:eu-west-1:123456789012:memory';
  readonly region = 'eu-west-1';
  readonly retentionMs = null;
  readonly #visible: SourceRecord[] = [];
  /** Received and neither settled nor released. */
  readonly inFlight = new Map<string, SourceRecord>();
  readonly deleted: string[] = [];
  readonly released: string[] = [];
  #n = 0;
  toEventHook: ((records: readonly SourceRecord[]) => void) | null = null;

  send(bodies: readonly string[]): void {
    for (const body of bodies) {
      const id = `m-${this.#n++}`;
      this.#visible.push({ id, shard: 'queue', position: `rh-${id}`, partitionKey: null, arrivedAtMs: 0, receiveCount: 1, sizeBytes: body.length + 50, eventRecord: { messageId: id, body }, filterPayload: body });
    }
  }

  openLane(): LaneReader {
    return {
      read: async ({ maxRecords, waitMs, signal }) => {
        // A long poll: wait (a little) for messages, as ReceiveMessage does.
        for (let waited = 0; this.#visible.length === 0 && waited < Math.min(waitMs, 200) && !signal.aborted; waited += 5) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const records = this.#visible.splice(0, maxRecords);
        for (const record of records) this.inFlight.set(record.id, record);
        return { records, end: false, caughtUp: records.length === 0 };
      },
      release: async (records) => {
        for (const record of records) {
          if (this.inFlight.delete(record.id)) {
            this.released.push(record.id);
            this.#visible.push({ ...record, receiveCount: record.receiveCount + 1 });
          }
        }
      },
      close: async () => undefined,
    };
  }

  async settle(settlement: Settlement): Promise<void> {
    for (const record of settlement.done) {
      this.inFlight.delete(record.id);
      this.deleted.push(record.id);
    }
    for (const record of settlement.redeliver) {
      if (this.inFlight.delete(record.id)) this.#visible.push({ ...record, receiveCount: record.receiveCount + 1 });
    }
  }

  async open(): Promise<void> {}

  toEvent(records: readonly SourceRecord[]): unknown {
    this.toEventHook?.(records);
    return { Records: records.map((r) => r.eventRecord) };
  }

  async close(): Promise<void> {}
}

export const memoryQueueConnector: ConnectorDefinition = {
  type: 'sqs',
  laneLabel: 'lane',
  lagMetric: null,
  settledMetric: 'deleted',
  filterTarget: (record) => ({ target: record.eventRecord, key: 'body' }),
  failureRecords: () => null,
  create: async () => {
    throw new Error('memory sources are built by the test');
  },
};
