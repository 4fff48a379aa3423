/**
 * The three Kafka contenders of a case (Tributary, the kafkajs loop, the @platformatic/kafka loop) on one topic,
 * each round with a fresh consumer group (deleted afterwards), so every run reads the same records from the start.
 */
import { randomUUID } from 'node:crypto';
import { readEndpoints } from '../../test/services/endpoints.ts';
import { deleteGroup } from './kafka-admin.ts';
import type { CaseSpec, ContenderSpec, Params } from './types.ts';

export const kafkaBrokers = (): string[] => [...readEndpoints().kafkaBrokers];

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
