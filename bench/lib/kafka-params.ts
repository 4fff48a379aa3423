/** The parameters every Kafka contender takes, read once. */
import { list, num, str } from './params.ts';
import type { Params } from './types.ts';

export interface KafkaRunParams {
  readonly brokers: string[];
  readonly topic: string;
  /** A fresh group per run: every contender reads the topic from the beginning. */
  readonly groupId: string;
  /** Records to handle before the clock stops (the whole topic for a drain, a prefix of a backlog otherwise). */
  readonly expected: number;
  readonly batchSize: number;
  /** Tributary's MaximumBatchingWindowInSeconds (the raw loops have none); null: not set, AWS's default (500 ms for Kafka). */
  readonly windowSeconds: number | null;
  readonly partitions: number;
  /** The handler's simulated work: this many µs per record (0: a no-op). */
  readonly delayUsPerRecord: number;
  readonly timeoutMs: number;
}

export function kafkaParams(params: Params): KafkaRunParams {
  return {
    brokers: list(params, 'brokers'),
    topic: str(params, 'topic'),
    groupId: str(params, 'groupId'),
    expected: num(params, 'expected'),
    batchSize: num(params, 'batchSize'),
    windowSeconds: params['windowSeconds'] === null ? null : num(params, 'windowSeconds'),
    partitions: num(params, 'partitions'),
    delayUsPerRecord: num(params, 'delayUsPerRecord'),
    timeoutMs: num(params, 'timeoutMs'),
  };
}

/** The simulated handler time of a batch of `records`, in whole ms (timers have ms resolution). */
export function handlerDelayMs(records: number, delayUsPerRecord: number): number {
  return delayUsPerRecord <= 0 ? 0 : Math.ceil((records * delayUsPerRecord) / 1000);
}
