/**
 * The duplicate bound a campaign states, derived from what can be in flight when each fault hits. Pure.
 *
 * A record is delivered twice only when it was handled (written to the ledger) and its settlement (delete,
 * checkpoint, commit) did not happen. The handler writes nothing for a failing invocation, so handler faults
 * cause no duplicates by themselves. What can be handled-but-unsettled at one moment:
 * - SQS: one batch per poller (a poller receives again only after it deleted): maximumConcurrency × batchSize;
 * - Kinesis / DynamoDB Streams: per parallelization sub-lane of every shard (each batches up to batchSize on its own,
 *   DESIGN §3.1), the batch being invoked plus one settled batch whose checkpoint write is still on its way (the
 *   lane's progress writer stores beside the lane instead of holding it): shards × factor × 2 × batchSize;
 * - Kafka: the same per assigned partition (the commit is the progress write): partitions × 2 × batchSize.
 * A progress store that stays down longer lets a lane settle more than that without storing it: duplicates above
 * the bound after a long lease-table or broker outage are that, and reported.
 * Per event that can strand that work:
 * - kill -9 (and every unexpected exit, and every kill the campaign makes to recover from a stall): all of it;
 * - a broker restart: all of it (deletes, checkpoints or commits fail while it is down);
 * - a lease that moves while its owner lives (a steal, or a lease lost to a slow renewal): one shard's batch;
 * - SIGTERM: nothing (the instance drains in-flight batches and settles before it exits);
 * - a Kafka rebalance that a restart causes is already covered by that restart's kill.
 */

/** Handled-but-unstored batches of an ordered lane (shard sub-lane, Kafka partition): see above. */
export const BATCHES_PER_LANE = 2;

export interface BoundInput {
  /** Handled-but-unsettled records one instance can hold (see above). */
  readonly inFlight: number;
  readonly batchSize: number;
  readonly kills: number;
  readonly unexpectedExits: number;
  readonly stallKills: number;
  readonly brokerRestarts: number;
  readonly leaseMoves: number;
}

export interface Bound {
  readonly total: number;
  /** How the number was reached, for the report. */
  readonly explanation: string;
}

export function duplicateBound(input: BoundInput): Bound {
  const crashes = input.kills + input.unexpectedExits + input.stallKills;
  const total = (crashes + input.brokerRestarts) * input.inFlight + input.leaseMoves * input.batchSize;
  const parts = [
    `(${input.kills} kills + ${input.unexpectedExits} unexpected exits + ${input.stallKills} stall kills + ${input.brokerRestarts} broker restarts) × ${input.inFlight} in flight`,
    `${input.leaseMoves} lease moves × ${input.batchSize}`,
  ];
  return { total, explanation: `${parts.join(' + ')} = ${total}` };
}
