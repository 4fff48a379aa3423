/**
 * Kafka on the campaign's own broker (its log directory survives restarts): a topic of 3 partitions, each key
 * pinned to one partition, consumed by one group; discarded records go to a `file://` on-failure destination.
 */
import { Kafka, logLevel, type Producer, type Admin } from 'kafkajs';
import { BATCHES_PER_LANE } from '../bound.ts';
import { type DriverContext, type SourceDriver } from '../driver.ts';
import type { ChaosRecord } from '../records.ts';
import { CHAOS_ENDPOINTS } from '../services.ts';
import { discardedRanges, idsInRanges, type PositionIndex } from './destination-file.ts';

const PARTITIONS = 3;
const BATCH_SIZE = 20;
const MAX_RETRIES = 3;

const partitionOf = (key: string): number => Number(key.replace(/\D/g, '')) % PARTITIONS;

export function kafkaDriver(): SourceDriver {
  const kafka = new Kafka({ clientId: 'tributary-chaos', brokers: [...CHAOS_ENDPOINTS.kafkaBrokers], logLevel: logLevel.NOTHING, retry: { retries: 10 } });
  let producer: Producer | null = null;
  let admin: Admin | null = null;
  let topic = '';
  let groupId = '';
  let destination = '';
  const index: PositionIndex = new Map();

  async function connected(): Promise<{ producer: Producer; admin: Admin }> {
    if (producer === null) {
      producer = kafka.producer({ allowAutoTopicCreation: false });
      await producer.connect();
    }
    if (admin === null) {
      admin = kafka.admin();
      await admin.connect();
    }
    return { producer, admin };
  }

  async function reset(): Promise<void> {
    await producer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    producer = null;
    admin = null;
  }

  /** Retries across a broker restart (the campaign never produces during one, but connections may be stale). */
  async function withClients<T>(fn: (clients: { producer: Producer; admin: Admin }) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fn(await connected());
      } catch (error) {
        await reset();
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
      }
    }
  }

  return {
    name: 'kafka',
    ordered: true,
    broker: 'kafka',
    restartsBroker: true,
    longOutageMs: 45_000,
    leases: false,
    latest: false,
    discardTo: 'destination',
    maxRetries: MAX_RETRIES,
    batchSize: BATCH_SIZE,
    quietMs: 40_000,
    inFlight: PARTITIONS * BATCHES_PER_LANE * BATCH_SIZE,
    faultSpacingMs: 0,
    handlerEnv: { CHAOS_TRANSIENT_MODE: 'throw' },
    processEnv: {},

    async setup(ctx: DriverContext) {
      topic = `chaos-${ctx.runId}`;
      groupId = `chaos-${ctx.runId}`;
      destination = `${ctx.dir}/failed.jsonl`;
      await withClients(({ admin: a }) => a.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true }));
    },

    config(_ctx: DriverContext, fn: string) {
      return `server: { enabled: false }
shutdownTimeoutSeconds: 10
pipelines:
  - name: chaos
    source: { type: kafka, bootstrapServers: [${CHAOS_ENDPOINTS.kafkaBrokers.join(', ')}], topics: [${topic}], consumerGroupId: ${groupId} }
    function: ${fn}
    startingPosition: TRIM_HORIZON
    batchSize: ${BATCH_SIZE}
    maximumBatchingWindowInSeconds: 0
    maximumRetryAttempts: ${MAX_RETRIES}
    bisectBatchOnFunctionError: true
    functionResponseTypes: [ReportBatchItemFailures]
    destinationConfig: { onFailure: { destination: "file://${destination}" } }
`;
    },

    async produce(records: readonly ChaosRecord[]) {
      for (let i = 0; i < records.length; i += 200) {
        const chunk = records.slice(i, i + 200);
        const metadata = await withClients(({ producer: p }) =>
          p.send({ topic, acks: -1, messages: chunk.map((r) => ({ key: r.key, value: JSON.stringify(r), partition: partitionOf(r.key) })) }),
        );
        // One send appends each partition's messages in order from its base offset.
        for (const m of metadata) {
          const unit = `${topic}-${m.partition}`;
          const positions = index.get(unit) ?? new Map<string, string>();
          index.set(unit, positions);
          chunk
            .filter((r) => partitionOf(r.key) === m.partition)
            .forEach((r, n) => positions.set((BigInt(m.baseOffset ?? '0') + BigInt(n)).toString(), r.id));
        }
      }
    },

    discarded: () => Promise.resolve(idsInRanges(discardedRanges(destination, 'KafkaBatchInfo'), index)),

    async unsettled() {
      return withClients(async ({ admin: a }) => {
        const ends = await a.fetchTopicOffsets(topic);
        const [committed] = await a.fetchOffsets({ groupId, topics: [topic] });
        let lag = 0;
        for (const end of ends) {
          const at = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          lag += Number(BigInt(end.high) - (BigInt(at) < 0n ? BigInt(end.low) : BigInt(at)));
        }
        return lag;
      });
    },

    async teardown() {
      await reset();
    },
  };
}
