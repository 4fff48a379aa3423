/**
 * What the campaign needs from each source: its resources, its pipeline's YAML, how to produce, where discarded
 * records end up, and how much can be in flight. One implementation per source under sources/.
 */
import type { ChaosServiceName } from './services.ts';
import type { ChaosRecord } from './records.ts';

/** Function timeout of every pipeline (seconds); the handler's timeout fault sleeps past it. */
export const FUNCTION_TIMEOUT_S = 3;

export type SourceName = 'sqs' | 'sqs-fifo' | 'kinesis' | 'dynamodb-streams' | 'kafka';

export interface DriverContext {
  /** Unique suffix for queue, stream, table and topic names. */
  readonly runId: string;
  /** The campaign's folder for this source (config, ledger, logs, on-failure file). */
  readonly dir: string;
}

export interface SourceDriver {
  readonly name: SourceName;
  /** Whether first deliveries must keep order per ordering unit (FIFO group, key, partition). */
  readonly ordered: boolean;
  /** Whether the campaign restarts the broker (see sources/sqs.ts for why FIFO does not). */
  readonly restartsBroker: boolean;
  /** The broker a `broker-restart` restarts. */
  readonly broker: ChaosServiceName;
  /**
   * Outage of the first broker restart (a SIGKILL), long enough to exhaust the client's own retries (kafkajs gives
   * up after about 35 s); null: every restart is a short, clean one (1-3 s).
   */
  readonly longOutageMs: number | null;
  /** Shares shards through the DynamoDB lease table (two-instance takeover, lease table outages). */
  readonly leases: boolean;
  /** Starts at LATEST (a crash before the first checkpoint must not skip what arrived meanwhile). */
  readonly latest: boolean;
  /** Where discarded records go; `dropped`: nowhere (the pipeline has no destination). */
  readonly discardTo: 'destination' | 'dropped';
  /** maximumRetryAttempts of the pipeline (stream and Kafka sources), or the queue's maxReceiveCount − 1 for SQS. */
  readonly maxRetries: number;
  readonly batchSize: number;
  /**
   * The longest quiet time a healthy pipeline can have while work is left (lease expiry, a Kafka session timeout,
   * a poison record's back-off): past it plus 10 s, nothing moving is a stall.
   */
  readonly quietMs: number;
  /** Handled-but-unsettled records one instance can hold (see bound.ts). */
  readonly inFlight: number;
  /**
   * Least time between two process faults (kill -9, SIGTERM, takeover), 0 for none. A queue counts every receive
   * against maxReceiveCount, handled or not, so kills a few seconds apart strand the same received message again
   * and again until the queue dead-letters it (AWS would too): the spacing gives every stranded message one
   * visibility timeout to come back and a window to be handled before the next kill.
   */
  readonly faultSpacingMs: number;
  /** Handler settings this source needs (e.g. how transient records fail). */
  readonly handlerEnv: Readonly<Record<string, string>>;
  /** Environment of the CLI processes (endpoints, credentials). */
  readonly processEnv: Readonly<Record<string, string>>;
  setup(ctx: DriverContext): Promise<void>;
  /** The whole configuration file; `fn` is the pipeline's `function:` (a YAML flow mapping) the campaign made. */
  config(ctx: DriverContext, fn: string): string;
  produce(records: readonly ChaosRecord[]): Promise<void>;
  /** Ids delivered to the DLQ / on-failure destination so far, once per delivery. */
  discarded(): Promise<readonly string[]>;
  /** Records still unsettled at the end (queue depth, consumer lag, shards not checkpointed at their end). */
  unsettled(): Promise<number>;
  teardown(): Promise<void>;
}
