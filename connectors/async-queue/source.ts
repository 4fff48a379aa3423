/**
 * The embedded asynchronous-invocation queue as a `queue` source (DESIGN §3.1): interchangeable pollers long-poll
 * one function's queue in the state directory's database (database.ts), exactly as SQS pollers long-poll a queue —
 * a received message stays invisible while its lane works on it (a heartbeat extends the visibility timeout, as the
 * SQS connector's does), a settled one is deleted, a redelivered one is made visible after the delay the executor
 * chose, and a lane that stops or dies hands its messages back at once.
 */
import type { ElasticLanes, LaneReader, QueueSource, ReadRequest, Settlement, SourceCapabilities, SourceContext, SourceRecord } from '../../src/connector/index.js';
import type { AsyncQueueSourceConfig } from '../../src/connector/config.js';
import { TributaryError } from '../../src/errors.js';
import { acquireQueueDatabase, type QueueDatabase, type ReceivedMessage, type Receipt } from './database.js';

/** A received message is hidden this long unless its lane is still on it (then the heartbeat extends it). */
export const VISIBILITY_TIMEOUT_MS = 60_000;
/** The heartbeat extends every in-flight message this often (a third of the timeout, as the SQS heartbeat). */
const HEARTBEAT_MS = VISIBILITY_TIMEOUT_MS / 3;
/** Messages one receive returns at most (as SQS's ReceiveMessage). */
const PAGE_SIZE = 10;

export class AsyncQueueSource implements QueueSource {
  readonly kind = 'queue' as const;
  readonly capabilities: SourceCapabilities = { ordering: 'none', maxBatchSize: PAGE_SIZE, pageSize: PAGE_SIZE };
  readonly lanes: ElasticLanes;
  readonly region = null;
  /** Messages stay until processed; the executor drops them by their age, not the queue. */
  readonly retentionMs = null;
  readonly sourceArn: string;
  readonly #config: AsyncQueueSourceConfig;
  readonly #context: SourceContext;
  /** In-flight deliveries by position, for the heartbeat. */
  readonly #inFlight = new Map<string, Receipt>();
  #database: { readonly database: QueueDatabase; release: () => Promise<void> } | null = null;
  #heartbeat: NodeJS.Timeout | null = null;

  constructor(config: AsyncQueueSourceConfig, context: SourceContext) {
    this.#config = config;
    this.#context = context;
    this.sourceArn = `tributary:async-queue:${config.queue}`;
    const max = Math.max(1, config.maxPollers);
    this.lanes = { initial: 1, idleMin: 1, max };
  }

  async open(): Promise<void> {
    this.#database ??= await acquireQueueDatabase(this.#config.path, this.#context.now);
    this.#heartbeat ??= setInterval(() => this.#extend(), HEARTBEAT_MS);
    this.#heartbeat.unref();
  }

  openLane(): LaneReader {
    return {
      read: async (request) => ({ records: await this.#receive(request), end: false, caughtUp: false }),
      release: async (records) => {
        await this.#db().changeVisibility(this.#config.queue, this.#untrack(records), 0);
      },
      close: async () => undefined,
    };
  }

  async settle(settlement: Settlement, _signal: AbortSignal): Promise<void> {
    const db = this.#db();
    const done = this.#untrack(settlement.done);
    const redeliver = this.#untrack(settlement.redeliver);
    if (done.length > 0) await db.delete(done);
    // null: as on SQS, the message comes back when its visibility timeout runs out (the heartbeat no longer extends it).
    if (redeliver.length > 0 && settlement.redeliverDelayMs !== null) await db.changeVisibility(this.#config.queue, redeliver, settlement.redeliverDelayMs);
  }

  toEvent(records: readonly SourceRecord[]): unknown {
    return { Records: records.map((record) => record.eventRecord) };
  }

  async close(): Promise<void> {
    if (this.#heartbeat !== null) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
    const held = this.#database;
    this.#database = null;
    await held?.release();
  }

  async #receive(request: ReadRequest): Promise<readonly SourceRecord[]> {
    const db = this.#db();
    const queue = this.#config.queue;
    let messages = await db.receive(queue, request.maxRecords, VISIBILITY_TIMEOUT_MS);
    if (messages.length === 0 && request.waitMs > 0 && !request.signal.aborted) {
      await db.waitForMessages(queue, request.waitMs, request.signal);
      if (!request.signal.aborted) messages = await db.receive(queue, request.maxRecords, VISIBILITY_TIMEOUT_MS);
    }
    return messages.map((message) => {
      const record = toRecord(message);
      this.#inFlight.set(record.position, { seq: message.seq, receipt: message.receipt });
      return record;
    });
  }

  #untrack(records: readonly SourceRecord[]): Receipt[] {
    return records.map((record) => {
      this.#inFlight.delete(record.position);
      return receiptOf(record.position);
    });
  }

  #extend(): void {
    if (this.#inFlight.size === 0 || this.#database === null) return;
    this.#database.database.extend([...this.#inFlight.values()], VISIBILITY_TIMEOUT_MS).catch((error: unknown) => {
      this.#context.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not extend the visibility of in-flight asynchronous events');
    });
  }

  #db(): QueueDatabase {
    if (this.#database === null) throw new TributaryError('STOPPED', `the asynchronous-invocation queue of ${this.#config.queue} is not open`);
    return this.#database.database;
  }
}

function toRecord(message: ReceivedMessage): SourceRecord {
  const eventRecord = {
    messageId: message.id,
    body: message.body,
    attributes: { ApproximateReceiveCount: String(message.receiveCount), SentTimestamp: String(message.sentAtMs) },
  };
  return {
    id: message.id,
    shard: 'queue',
    position: `${message.seq}:${message.receipt}`,
    partitionKey: null,
    arrivedAtMs: message.sentAtMs,
    receiveCount: message.receiveCount,
    sizeBytes: Buffer.byteLength(message.body),
    eventRecord,
    filterPayload: message.body,
  };
}

function receiptOf(position: string): Receipt {
  const colon = position.indexOf(':');
  return { seq: Number(position.slice(0, colon)), receipt: position.slice(colon + 1) };
}
