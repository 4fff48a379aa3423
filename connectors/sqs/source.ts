/**
 * SQS as a pull source, behaving as Lambda's SQS event source mapping.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 *
 * - pollers are interchangeable lanes (the core scales them; on-demand or provisioned mode, src/policy/poller-bounds.ts);
 *   each long-polls ReceiveMessage;
 * - settled records: DeleteMessageBatch; redelivered records: left to reappear after the visibility timeout
 *   (Lambda's behaviour), or made visible after a given delay;
 * - in-flight records are kept invisible by a heartbeat based on the queue's own VisibilityTimeout;
 * - poison messages reach the DLQ through the queue's own redrive policy, as on AWS.
 */
import type { Message } from '@aws-sdk/client-sqs';
import { sqsLaneBounds, type ElasticLanes, type LaneReader, type QueueSource, type ReadRequest, type Settlement, type SourceCapabilities, type SourceContext, type SourceRecord } from '../../src/connector/index.js';
import type { SqsSourceConfig } from '../../src/connector/config.js';
import { TributaryError } from '../../src/errors.js';
import type { SqsApi } from './client.js';
import { toSqsEventRecord } from './event.js';
import { VisibilityHeartbeat } from './heartbeat.js';

/** Without ScalingConfig.MaximumConcurrency, one Tributary process runs at most this many concurrent batches. */
export const DEFAULT_MAX_CONCURRENCY = 100;

interface SqsNative {
  readonly receiptHandle: string;
}

export class SqsSource implements QueueSource {
  readonly kind = 'queue' as const;
  readonly capabilities: SourceCapabilities;
  readonly lanes: ElasticLanes;
  /** SQS keeps messages up to its MessageRetentionPeriod, but failed messages go back to the queue: not needed here. */
  readonly retentionMs = null;
  readonly #config: SqsSourceConfig;
  readonly #api: SqsApi;
  readonly #context: SourceContext;
  #queueArn = '';
  #region: string;
  #heartbeat: VisibilityHeartbeat | null = null;

  constructor(config: SqsSourceConfig, api: SqsApi, context: SourceContext, region: string) {
    this.#config = config;
    this.#api = api;
    this.#context = context;
    this.#region = region;
    this.capabilities = { ordering: config.fifo ? 'per-group' : 'none', maxBatchSize: config.fifo ? 10 : 10_000, pageSize: 10 };
    // provisionedPollerConfig (provisioned mode) or on-demand up to ScalingConfig.MaximumConcurrency / our cap.
    this.lanes = sqsLaneBounds(config.provisionedPollerConfig, config.maximumConcurrency ?? DEFAULT_MAX_CONCURRENCY);
  }

  get sourceArn(): string {
    return this.#queueArn;
  }

  /** The queue's region: its ARN's, else the configured one, else the SDK chain's. */
  get region(): string {
    return this.#region;
  }

  async open(signal: AbortSignal): Promise<void> {
    const attributes = await this.#api.attributes(this.#config.queueUrl, signal);
    this.#queueArn = attributes.queueArn !== '' ? attributes.queueArn : (this.#config.queueArn ?? '');
    const arnRegion = this.#queueArn.split(':')[3];
    if (arnRegion !== undefined && arnRegion !== '') this.#region = arnRegion;
    if (attributes.fifo !== this.#config.fifo) {
      throw new TributaryError('CONFIG_INVALID', `queue ${this.#queueArn} is ${attributes.fifo ? '' : 'not '}a FIFO queue but its name says otherwise`);
    }
    if (attributes.visibilityTimeoutSeconds * 1000 < this.#context.functionTimeoutMs) {
      // Lambda refuses this mapping; Tributary's heartbeat keeps messages invisible while the function runs,
      // so it is safe here — but a crash of this process would redeliver them sooner than the timeout.
      this.#context.logger.warn(
        { visibilityTimeoutSeconds: attributes.visibilityTimeoutSeconds, functionTimeoutMs: this.#context.functionTimeoutMs },
        'queue visibility timeout is shorter than the function timeout (AWS would refuse this mapping); the visibility heartbeat covers it',
      );
    }
    this.#heartbeat = new VisibilityHeartbeat({
      visibilityTimeoutSeconds: attributes.visibilityTimeoutSeconds,
      logger: this.#context.logger,
      extend: (entries, timeout, abort) =>
        this.#api.changeVisibilityBatch(
          this.#config.queueUrl,
          entries.map((e, i) => ({ id: `m${i}`, receiptHandle: e.receiptHandle })),
          timeout,
          abort,
        ).then((failed) => failed.map((f) => ({ id: entries[Number(f.id.slice(1))]?.id ?? f.id, code: f.code }))),
    });
  }

  /**
   * A poller: long-polls ReceiveMessage and keeps what it returned invisible (heartbeat) until it is settled, or
   * until the poller hands it back with `release` (it stopped or died holding it): then the heartbeat stops and the
   * messages are made visible again at once, instead of staying hidden until the process exits.
   */
  openLane(_laneId: string): LaneReader {
    return {
      read: async (request) => ({ records: await this.#receive(request), end: false, caughtUp: false }),
      release: async (records) => {
        await this.#untrack(records);
        for (const chunk of chunks(records, 10)) {
          await this.#api.changeVisibilityBatch(this.#config.queueUrl, chunk.map((r, i) => ({ id: `m${i}`, receiptHandle: r.position })), 0, AbortSignal.timeout(30_000));
        }
      },
      close: async () => undefined,
    };
  }

  async #receive(request: ReadRequest): Promise<readonly SourceRecord[]> {
    const signal = graceful(request.signal, READ_ABORT_GRACE_MS, this.#context.now);
    try {
      const messages = await this.#api.receive(this.#config.queueUrl, request.maxRecords, Math.floor(request.waitMs / 1000), signal.signal);
      const records = messages.map((message) => this.#toRecord(message));
      this.#heartbeat?.track(records.map((r) => ({ id: r.id, receiptHandle: r.position })));
      return records;
    } finally {
      signal.dispose();
    }
  }

  async #untrack(records: readonly SourceRecord[]): Promise<void> {
    await this.#heartbeat?.release(records.map((r) => r.id));
  }

  async settle(settlement: Settlement, signal: AbortSignal): Promise<void> {
    // The heartbeat must be stopped before a delete: a late extension of a deleted receipt handle is harmless on
    // SQS, but an extension racing a redelivery would hide the message again.
    await this.#untrack([...settlement.done, ...settlement.redeliver]);
    const failures: string[] = [];
    for (const chunk of chunks(settlement.done, 10)) {
      const failed = await this.#api.deleteBatch(this.#config.queueUrl, chunk.map((r, i) => ({ id: `m${i}`, receiptHandle: r.position })), signal);
      failures.push(...failed.map((f) => f.code));
    }
    if (settlement.redeliverDelayMs !== null) {
      const seconds = Math.ceil(settlement.redeliverDelayMs / 1000);
      for (const chunk of chunks(settlement.redeliver, 10)) {
        await this.#api.changeVisibilityBatch(this.#config.queueUrl, chunk.map((r, i) => ({ id: `m${i}`, receiptHandle: r.position })), seconds, signal);
      }
    }
    if (failures.length > 0) {
      // A refused delete means SQS will deliver the message again: a duplicate, never a loss.
      this.#context.logger.warn({ count: failures.length, codes: [...new Set(failures)] }, 'SQS refused some deletes; those messages will be redelivered');
    }
  }

  toEvent(records: readonly SourceRecord[]): unknown {
    return { Records: records.map((r) => r.eventRecord) };
  }

  async close(): Promise<void> {
    await this.#heartbeat?.stop();
    this.#api.close();
  }

  #toRecord(message: Message): SourceRecord {
    const eventRecord = toSqsEventRecord(message, { queueArn: this.#queueArn, region: this.#region, fifo: this.#config.fifo });
    const attributes = message.Attributes ?? {};
    const native: SqsNative = { receiptHandle: message.ReceiptHandle ?? '' };
    return {
      id: message.MessageId ?? '',
      shard: this.#config.fifo ? (attributes.MessageGroupId ?? '') : 'queue',
      position: native.receiptHandle,
      partitionKey: this.#config.fifo ? (attributes.MessageGroupId ?? null) : null,
      arrivedAtMs: Number(attributes.SentTimestamp ?? this.#context.now()),
      receiveCount: Number(attributes.ApproximateReceiveCount ?? '1'),
      sizeBytes: Buffer.byteLength(JSON.stringify(eventRecord)),
      eventRecord,
      filterPayload: message.Body ?? '',
    };
  }
}

/**
 * On stop, a receive that has just been sent is allowed to finish: aborting it could drop messages SQS already
 * handed out, which would then stay invisible for a whole visibility timeout. A receive that has been waiting
 * longer is an idle long poll and is aborted at once.
 */
const READ_ABORT_GRACE_MS = 1000;

function graceful(outer: AbortSignal, graceMs: number, now: () => number): { signal: AbortSignal; dispose: () => void } {
  const inner = new AbortController();
  const started = now();
  let timer: NodeJS.Timeout | null = null;
  const onAbort = (): void => {
    const wait = Math.max(0, started + graceMs - now());
    timer = setTimeout(() => inner.abort(), wait);
  };
  if (outer.aborted) onAbort();
  else outer.addEventListener('abort', onAbort, { once: true });
  return {
    signal: inner.signal,
    dispose: () => {
      outer.removeEventListener('abort', onAbort);
      if (timer !== null) clearTimeout(timer);
    },
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
