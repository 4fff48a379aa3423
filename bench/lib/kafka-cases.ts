/**
 * The three Kafka contenders of a case (Tributary, the kafkajs loop, the @platformatic/kafka loop) on one topic,
 * each round with a fresh consumer group (deleted afterwards), so every run reads the same records from the start.
 */
import { randomUUID } from 'node:crypto';
import { readEndpoints } from '../../test/services/endpoints.ts';
import { deleteGroup, ensureTopic } from './kafka-admin.ts';
import type { BenchOptions, CaseSpec, ContenderSpec, Params } from './types.ts';

export const kafkaBrokers = (): string[] => [...readEndpoints().kafkaBrokers];

/** Partitions of every Kafka backlog topic of the bench. */
export const BACKLOG_PARTITIONS = 6;

/**
 * A backlog topic of `records` records of 100 B in {@link BACKLOG_PARTITIONS} partitions on the shared broker,
 * named after its content so later runs (and other workloads) reuse it; produced only when missing.
 */
export async function backlogTopic(kind: string, records: number, options: BenchOptions): Promise<{ brokers: string[]; topic: string }> {
  const brokers = kafkaBrokers();
  const topic = `tributary-bench-${kind}-p${BACKLOG_PARTITIONS}-n${records}`;
  await ensureTopic(brokers, { name: topic, partitions: BACKLOG_PARTITIONS, records, valueBytes: 100 }, options.log);
  return { brokers, topic };
}

export const KAFKA_CONTENDERS = {
  tributary: { id: 'tributary', role: 'tributary', label: 'Tributary', module: 'kafka-tributary' },
  kafkajs: { id: 'kafkajs', role: 'raw', label: 'kafkajs eachBatch', module: 'kafka-kafkajs' },
  platformatic: { id: 'platformatic', role: 'peer', label: '@platformatic/kafka', module: 'kafka-platformatic' },
} as const satisfies Record<string, Omit<ContenderSpec, 'params'>>;

export type KafkaContenderId = keyof typeof KAFKA_CONTENDERS;

export interface KafkaCaseOptions {
  readonly id: string;
  readonly title: string;
  readonly contenders: readonly KafkaContenderId[];
  readonly brokers: readonly string[];
  readonly show: readonly string[];
  readonly ratio: CaseSpec['ratio'];
  /** Everything but brokers and groupId (see lib/kafka-params.ts). */
  readonly params: Params;
}

export function kafkaCase(options: KafkaCaseOptions): CaseSpec {
  const brokers = [...options.brokers];
  return {
    id: options.id,
    title: options.title,
    show: options.show,
    ratio: options.ratio,
    contenders: options.contenders.map((id) => ({ ...KAFKA_CONTENDERS[id], params: { ...options.params, brokers } })),
    roundParams: async (contender, round) => ({ groupId: `bench-${options.id.replace(/[^a-z0-9-]/g, '-')}-${contender.id}-${round}-${randomUUID().slice(0, 8)}` }),
    afterRun: async (_contender, params) => {
      if (typeof params['groupId'] === 'string') await deleteGroup(brokers, params['groupId']);
    },
  };
}
