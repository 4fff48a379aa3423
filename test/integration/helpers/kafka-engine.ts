/**
 * Runs a KafkaSource through the real lane engine (test/support/engine-harness.ts) with a handler that sees each
 * invocation as the partition and its records, decoded. The handler's return value is the Lambda response (so a
 * test reports partial failures as a function would); `stop()` ends the run gracefully.
 */
import { kafkaConnector, type KafkaSource } from '../../../connectors/kafka/index.js';
import type { ConnectorDefinition } from '../../../src/connector/definition.js';
import type { PipelineConfig } from '../../../src/config/types.js';
import { runThroughEngine, type RunningHarness } from '../../support/engine-harness.ts';
import { waitFor } from './wait.js';

export interface Delivered {
  readonly id: string;
  readonly partition: string;
  readonly position: string;
  readonly offset: number;
  /** The value as UTF-8. */
  readonly text: string;
  readonly eventRecord: Readonly<Record<string, unknown>>;
  /** The record's timestamp. */
  readonly arrivedAtMs: number;
}

export interface Invocation {
  readonly partition: string;
  readonly records: readonly Delivered[];
}

export type InvocationHandler = (invocation: Invocation, stop: () => void) => unknown;

/** The Kafka event → one invocation per partition key (the engine invokes one partition at a time). */
export function invocationOf(event: unknown): Invocation {
  const records = (event as { records: Record<string, Record<string, unknown>[]> }).records;
  const [partition, list] = Object.entries(records)[0] ?? ['', []];
  return {
    partition,
    records: list.map((r) => ({
      id: `${partition}:${String(r['offset'])}`,
      partition,
      position: String(r['offset']),
      offset: Number(r['offset']),
      text: typeof r['value'] === 'string' ? Buffer.from(r['value'], 'base64').toString('utf8') : '',
      eventRecord: r,
      arrivedAtMs: Number(r['timestamp']),
    })),
  };
}

/** A partial batch response failing `records` from `index` on (ReportBatchItemFailures). */
export function failFrom(invocation: Invocation, index: number): { batchItemFailures: { itemIdentifier: string }[] } {
  return { batchItemFailures: invocation.records.slice(index).map((r) => ({ itemIdentifier: r.id })) };
}

/**
 * Runs `source` until `done(invocations)` holds or the handler calls `stop`, then stops it gracefully. `pipeline`
 * is the pipeline as in a config file (validated), e.g. batching and retry settings.
 */
export async function consumeKafka(
  source: KafkaSource,
  pipeline: Record<string, unknown>,
  handler: InvocationHandler,
  done: (invocations: readonly Invocation[]) => boolean,
  timeoutMs = 20_000,
  overrides: Partial<PipelineConfig> = {},
): Promise<Invocation[]> {
  const invocations: Invocation[] = [];
  let stopRequested = false;
  let harness: RunningHarness | null = null;
  await source.open(AbortSignal.timeout(10_000));
  const running = await runThroughEngine({
    pipeline,
    source,
    connector: kafkaConnector as ConnectorDefinition,
    overrides,
    handler: async (event) => {
      const invocation = invocationOf(event);
      invocations.push(invocation);
      return handler(invocation, () => {
        // Synchronously: the stop signal aborts before the engine looks at this invocation's answer.
        stopRequested = true;
        void harness?.stop();
      });
    },
  });
  harness = running;
  try {
    await waitFor(() => stopRequested || done(invocations), timeoutMs, 'the expected invocations');
  } finally {
    await running.stop();
  }
  return invocations;
}
