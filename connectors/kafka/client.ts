/**
 * The only file that imports kafkajs. Everything the source needs from a Kafka cluster, as small methods that
 * return plain data; kafkajs errors become TributaryErrors (./errors.ts).
 *
 * - Brokers, TLS and SASL (PLAIN, SCRAM-SHA-256/512) come from the source config; `aws-iam` (MSK IAM) is refused
 *   with CONFIG_INVALID until an MSK IAM signer is wired in (see ./index.ts).
 * - kafkajs's own log lines go to the pipeline's pino logger; they never carry credentials (kafkajs logs broker
 *   addresses and protocol errors, never its SASL options), and fields named like secrets are dropped anyway.
 * - `GroupConsumer` runs a kafkajs consumer with `autoCommit: false` and `eachBatchAutoResolve: false`: the source
 *   decides what is fetched next (`resolve`, `seek`, `pause`) and what is committed (`commit`).
 */
import { Kafka, logLevel, type Admin, type ConfigResourceTypes, type Consumer, type EachBatchPayload, type KafkaConfig, type KafkaMessage, type LogEntry, type SASLOptions, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';
import type { KafkaSourceConfig } from '../../src/connector/index.js';
import { kafkaSaslOptions, kafkaSaslSetup, kafkaSslOptions } from '../../src/connector/kafka-sasl.js';
import { TributaryError } from '../../src/errors.js';
import { isAuthenticationError, toKafkaError } from './errors.js';
import { authenticatedConnect, type AuthenticatedConnect } from '../../src/connector/secret-connect.js';
import type { KafkaRecordData } from './event.js';
import type { FetchedBatch, GroupConsumer, GroupConsumerSettings, GroupListener } from './group-consumer.js';
import { quietKafkajsRequestQueue } from './quiet-request-queue.js';

quietKafkajsRequestQueue(); // kafkajs#1751: no TimeoutNegativeWarning, no idle 1 ms timer loop (./quiet-request-queue.ts)

/** A committed position of one partition: `offset` null when the group has none; `metadata` as committed. */
export interface CommittedOffset {
  readonly partition: number;
  readonly offset: string | null;
  readonly metadata: string | null;
}

export interface PartitionOffset {
  readonly partition: number;
  readonly offset: string;
}

export type { FetchedBatch, GroupConsumerSettings, GroupListener } from './group-consumer.js';

/** Mechanisms kafkajs implements itself; `aws-iam` needs an MSK IAM token provider (not bundled). */
/** kafkajs SASL options from the source config (src/connector/kafka-sasl.ts, shared with the Kafka destination). */
export function kafkaSasl(config: Pick<KafkaSourceConfig, 'sasl' | 'clusterArn'>): SASLOptions | undefined {
  return kafkaSaslOptions(config);
}

const SECRET_FIELD = /pass|secret|token|sasl|credential|authorization/i;

/**
 * kafkajs log lines → pino. ERROR and WARN keep their level; kafkajs's INFO lines are per-operation chatter (every
 * pause, resume and join) and go to debug, its DEBUG lines (every request) to trace. A broker's error *response*
 * is logged by kafkajs at ERROR before kafkajs retries it (coordinator moves, rebalances): that is a warning.
 */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry): void => {
      const fields: Record<string, unknown> = { namespace };
      for (const [name, value] of Object.entries(log)) {
        if (name !== 'message' && name !== 'timestamp' && !SECRET_FIELD.test(name)) fields[name] = value;
      }
      const message = log.message;
      if (level === logLevel.ERROR) {
        if (namespace === 'Connection' && message.startsWith('Response ')) logger.warn(fields, message);
        else logger.error(fields, message);
      } else if (level === logLevel.WARN) logger.warn(fields, message);
      else if (level === logLevel.INFO) logger.debug(fields, message);
      else logger.trace(fields, message);
    };
}

/** The kafkajs threshold matching the pino logger's level, so kafkajs does not build lines nobody keeps. */
function kafkajsLevel(logger: Logger): logLevel {
  if (logger.isLevelEnabled('trace')) return logLevel.DEBUG;
  if (logger.isLevelEnabled('debug')) return logLevel.INFO;
  return logLevel.WARN;
}

export function kafkaClientConfig(config: KafkaSourceConfig, clientId: string, logger: Logger, sasl: SASLOptions | undefined = kafkaSasl(config)): KafkaConfig {
  const ssl = kafkaSslOptions(config);
  return {
    clientId,
    brokers: [...config.bootstrapServers],
    ssl: ssl === undefined || ssl === true ? ssl === true : { ...ssl },
    ...(sasl === undefined ? {} : { sasl }),
    logLevel: kafkajsLevel(logger),
    logCreator: kafkaLogCreator(logger.child({ component: 'kafkajs' })),
  };
}

/** Rejects with STOPPED when `signal` aborts first (kafkajs calls take no signal; the call itself runs on). */
async function raceAbort<T>(operation: string, promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) throw new TributaryError('STOPPED', `Kafka ${operation} aborted`, { retryable: true });
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new TributaryError('STOPPED', `Kafka ${operation} aborted`, { retryable: true }));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } catch (error) {
    throw toKafkaError(operation, error, signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

const NO_HEADERS: readonly (readonly [string, Uint8Array | null])[] = Object.freeze([]);

/** kafkajs message → SDK-independent record. Repeated header names are kept, in kafkajs's (grouped) order. */
export function toRecordData(topic: string, partition: number, message: KafkaMessage): KafkaRecordData {
  // Most records carry no header: they share one empty list instead of allocating their own.
  let headers: [string, Uint8Array | null][] | null = null;
  const source = message.headers;
  for (const name in source) {
    if (!Object.hasOwn(source, name)) continue;
    const value = source[name];
    for (const item of Array.isArray(value) ? value : [value]) {
      (headers ??= []).push([name, item === undefined || item === null ? null : typeof item === 'string' ? Buffer.from(item) : item]);
    }
  }
  // RecordBatch attributes bit 3 (kafkajs decodes it into batchContext.timestampType: 1 = LOG_APPEND_TIME).
  const context = (message as { batchContext?: { timestampType?: unknown } }).batchContext;
  return {
    topic,
    partition,
    offset: message.offset,
    timestampMs: Number(message.timestamp),
    timestampType: context?.timestampType === 1 ? 'LOG_APPEND_TIME' : 'CREATE_TIME',
    key: message.key,
    value: message.value,
    headers: headers ?? NO_HEADERS,
  };
}

export interface KafkaApiOptions {
  readonly config: KafkaSourceConfig;
  readonly clientId: string;
  readonly logger: Logger;
}

/**
 * DescribeConfigs resource type of a topic (the protocol's value 2). kafkajs's `ConfigResourceTypes` is not a named
 * export Node's CommonJS interop can see, so the value is spelled out.
 */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

/** Admin operations and consumers of one cluster. No I/O until a method is called. */
export class KafkaApi {
  readonly #kafka: Kafka;
  /** Connects with the SASL secret of `sasl.secretArn` resolved (src/connector/secret-connect.ts). */
  readonly #authenticated: AuthenticatedConnect;
  #admin: Promise<Admin> | null = null;
  #closed = false;

  constructor(options: KafkaApiOptions) {
    const { sasl, secret } = kafkaSaslSetup(options.config);
    this.#authenticated = authenticatedConnect(secret, options.logger, isAuthenticationError);
    this.#kafka = new Kafka(kafkaClientConfig(options.config, options.clientId, options.logger, sasl));
  }

  async listTopics(signal: AbortSignal): Promise<readonly string[]> {
    return this.#withAdmin('ListTopics', signal, (admin) => admin.listTopics());
  }

  /**
   * The shortest `retention.ms` of `topics` (DescribeConfigs); null when every topic keeps records without a time
   * limit (-1) or the brokers do not say.
   */
  async retentionMs(topics: readonly string[], signal: AbortSignal): Promise<number | null> {
    const result = await this.#withAdmin('DescribeConfigs', signal, (admin) =>
      admin.describeConfigs({ resources: topics.map((name) => ({ type: TOPIC_RESOURCE, name, configNames: ['retention.ms'] })), includeSynonyms: false }),
    );
    const values = result.resources.flatMap((r) => r.configEntries.filter((e) => e.configName === 'retention.ms').map((e) => Number(e.configValue)));
    const limited = values.filter((v) => Number.isFinite(v) && v > 0);
    return limited.length === 0 ? null : Math.min(...limited);
  }

  /** OffsetFetch of every partition of `topic` for the group (offset and commit metadata). */
  async committedOffsets(groupId: string, topic: string, signal: AbortSignal): Promise<readonly CommittedOffset[]> {
    const result = await this.#withAdmin('OffsetFetch', signal, (admin) => admin.fetchOffsets({ groupId, topics: [topic] }));
    return (result.find((t) => t.topic === topic)?.partitions ?? []).map((p) => ({
      partition: p.partition,
      offset: Number(p.offset) < 0 ? null : p.offset,
      metadata: p.metadata ?? null,
    }));
  }

  /** The first offset at or after `timestampMs` in each partition; the end of the partition when there is none. */
  async offsetsForTimestamp(topic: string, timestampMs: number, signal: AbortSignal): Promise<readonly PartitionOffset[]> {
    const result = await this.#withAdmin('ListOffsets', signal, (admin) => admin.fetchTopicOffsetsByTimestamp(topic, timestampMs));
    return result.map((p) => ({ partition: p.partition, offset: p.offset }));
  }

  /** The end (high watermark) of each partition: where a LATEST reader starts. */
  async endOffsets(topic: string, signal: AbortSignal): Promise<readonly PartitionOffset[]> {
    const result = await this.#withAdmin('ListOffsets', signal, (admin) => admin.fetchTopicOffsets(topic));
    return result.map((p) => ({ partition: p.partition, offset: p.high }));
  }

  /** `Empty` or `Dead` (no such group) when no member is in the group. */
  async groupState(groupId: string, signal: AbortSignal): Promise<string> {
    const result = await this.#withAdmin('DescribeGroups', signal, (admin) => admin.describeGroups([groupId]));
    return result.groups.find((g) => g.groupId === groupId)?.state ?? 'Dead';
  }

  /**
   * Commits start offsets for a group no member is in, the way kafkajs's `admin.setOffsets` does (a short-lived
   * member joins, seeks, commits and leaves) but without its 5 s fetch wait. The caller checks the result with
   * `committedOffsets`: another instance joining at the same moment can take some partitions.
   */
  async commitAsNewMember(groupId: string, topic: string, offsets: readonly PartitionOffset[], signal: AbortSignal): Promise<void> {
    const consumer = this.#kafka.consumer({ groupId, maxWaitTimeInMs: 50, allowAutoTopicCreation: false, retry: { retries: 3 } });
    const done = new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.FETCH, () => resolve());
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
    });
    done.catch(() => undefined); // awaited below only once the member runs
    try {
      await raceAbort('OffsetCommit', this.#authenticated(() => consumer.connect(), signal), signal);
      await raceAbort('OffsetCommit', consumer.subscribe({ topics: [topic], fromBeginning: true }), signal);
      // run() creates the group synchronously, so pause and seek apply before the first fetch (which commits).
      const running = consumer.run({ autoCommit: true, eachBatchAutoResolve: false, eachBatch: async () => undefined });
      consumer.pause([{ topic }]);
      for (const { partition, offset } of offsets) consumer.seek({ topic, partition, offset });
      await raceAbort('OffsetCommit', running, signal);
      await raceAbort('OffsetCommit', done, AbortSignal.any([signal, AbortSignal.timeout(30_000)]));
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  }

  /** A consumer of the group; nothing happens until `start`. */
  consumer(settings: GroupConsumerSettings): GroupConsumer {
    if (this.#closed) throw new TributaryError('STOPPED', 'the Kafka client is closed', { retryable: true });
    return new KafkajsGroupConsumer(
      this.#authenticated,
      this.#kafka.consumer({
        groupId: settings.groupId,
        sessionTimeout: settings.sessionTimeoutMs,
        heartbeatInterval: settings.heartbeatIntervalMs,
        maxWaitTimeInMs: settings.maxWaitTimeMs,
        maxBytesPerPartition: settings.maxBytesPerPartition,
        maxBytes: settings.maxBytes,
        allowAutoTopicCreation: false,
        // After kafkajs gives up retrying it restarts as a NEW member, whose JoinGroup the coordinator holds until
        // the old member's session expires (a 30 s stall after a short broker outage). Keep retrying as the same
        // member for about one session timeout first, so short outages recover at once.
        retry: { initialRetryTime: 300, maxRetryTime: 5_000, retries: Math.ceil(settings.sessionTimeoutMs / 5_000) + 4 },
      }),
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    const admin = await this.#admin?.catch(() => null);
    this.#admin = null;
    await admin?.disconnect().catch(() => undefined);
  }

  async #withAdmin<T>(operation: string, signal: AbortSignal, call: (admin: Admin) => Promise<T>): Promise<T> {
    if (this.#closed) throw new TributaryError('STOPPED', 'the Kafka client is closed', { retryable: true });
    if (this.#admin === null) {
      const admin = this.#kafka.admin();
      const connecting = this.#authenticated(() => admin.connect(), signal).then(() => admin);
      this.#admin = connecting;
      connecting.catch(() => {
        if (this.#admin === connecting) this.#admin = null;
      });
    }
    const admin = await raceAbort('connect', this.#admin, signal);
    return raceAbort(operation, call(admin), signal);
  }
}

/** A kafkajs consumer, driven by the source through a {@link GroupListener}. */
export class KafkajsGroupConsumer implements GroupConsumer {
  readonly #consumer: Consumer;
  readonly #authenticated: AuthenticatedConnect;

  constructor(authenticated: AuthenticatedConnect, consumer: Consumer) {
    this.#authenticated = authenticated;
    this.#consumer = consumer;
  }

  /** Connects, subscribes and joins; resolves after the first join attempt (fetching goes on in the background). */
  async start(topics: readonly string[], fromBeginning: boolean, listener: GroupListener, signal: AbortSignal): Promise<void> {
    const consumer = this.#consumer;
    const { events } = consumer;
    // Every JoinGroup response starts a new generation: the old assignment is void from this moment, before
    // kafkajs installs the new one (it emits GROUP_JOIN only after SyncGroup).
    // kafkajs calls listeners synchronously inside its own code paths: never let one throw into them.
    const safely = (action: () => void): void => {
      try {
        action();
      } catch {
        // A listener failure must not break the group protocol; the source logs what matters itself.
      }
    };
    consumer.on(events.REQUEST, (event) => {
      if (event.payload.apiName === 'JoinGroup') safely(() => listener.onGenerationEnd('JoinGroup'));
    });
    consumer.on(events.REBALANCING, () => safely(() => listener.onGenerationEnd('rebalancing')));
    consumer.on(events.GROUP_JOIN, (event) => safely(() => listener.onJoin(new Map(Object.entries(event.payload.memberAssignment)))));
    consumer.on(events.CRASH, (event) =>
      safely(() => {
        listener.onGenerationEnd('crash');
        listener.onCrash(toKafkaError('consumer', event.payload.error), event.payload.restart);
      }),
    );
    await raceAbort('connect', this.#authenticated(() => consumer.connect(), signal), signal);
    await raceAbort('subscribe', consumer.subscribe({ topics: [...topics], fromBeginning }), signal);
    await raceAbort(
      'JoinGroup',
      consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        // eachBatch only hands the records to the partition's lane and returns: processing runs outside kafkajs's
        // fetch loop, so a slow or retrying partition never holds back the others, and heartbeats continue.
        partitionsConsumedConcurrently: 1,
        eachBatch: async (payload) => listener.onBatch(fetchedBatch(payload)),
      }),
      signal,
    );
  }

  pause(topic: string, partition: number): void {
    this.#quietly(() => this.#consumer.pause([{ topic, partitions: [partition] }]));
  }

  resume(topic: string, partition: number): void {
    this.#quietly(() => this.#consumer.resume([{ topic, partitions: [partition] }]));
  }

  /** The next fetch of the partition starts at `offset` (not committed: autoCommit is off). */
  seek(topic: string, partition: number, offset: string): void {
    this.#quietly(() => this.#consumer.seek({ topic, partition, offset }));
  }

  /** Leaves the group and closes the connections. */
  async disconnect(): Promise<void> {
    await this.#consumer.stop().catch(() => undefined);
    await this.#consumer.disconnect().catch(() => undefined);
  }

  /** kafkajs throws from pause/resume/seek while no group is running (between a crash and its restart, after stop). */
  #quietly(action: () => void): void {
    try {
      action();
    } catch {
      // Nothing to steer: the next consumer generation starts from the committed offsets.
    }
  }
}

function fetchedBatch(payload: EachBatchPayload): FetchedBatch {
  const { batch } = payload;
  return {
    topic: batch.topic,
    partition: batch.partition,
    records: batch.messages.map((m) => toRecordData(batch.topic, batch.partition, m)),
    highWatermark: batch.highWatermark,
    resolve: (offset) => payload.resolveOffset(offset),
    isStale: () => payload.isStale() || !payload.isRunning(),
    commit: async (offsets) => {
      // The payload's commit goes straight to the group's current generation (consumer.commitOffsets skips the
      // commit silently once the consumer is stopping, which would lose the last commit of a graceful stop), and
      // takes any partitions of the consumer in one request. kafkajs passes `metadata` through to OffsetCommit; its
      // type does not declare it.
      const topics = new Map<string, { partition: number; offset: string; metadata: string | null }[]>();
      for (const { topic, partition, offset, metadata } of offsets) {
        const partitions = topics.get(topic) ?? [];
        partitions.push({ partition, offset, metadata });
        topics.set(topic, partitions);
      }
      await payload.commitOffsetsIfNecessary({ topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })) });
    },
  };
}
