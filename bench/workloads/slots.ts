/**
 * Documented slots for workloads whose feature does not exist yet (see bench/README.md, "Slots"). Each prints a
 * row that says why there is no number; none runs anything. To fill one: write its contenders in bench/contenders/,
 * give the workload a prepare() returning its cases, delete `pending`.
 */
import type { Workload } from '../lib/types.ts';

/** Issue 14: the embedded (node:sqlite) asynchronous-invocation queue. */
export const asyncInvoke: Workload = {
  id: 'async-invoke',
  title: 'Async Invoke (`InvocationType: Event`) through the embedded queue: events/s enqueue → handler, p50/p99 latency',
  services: [],
  pending: 'issue 14 (the Invoke API and its durable queue are not built yet); contender: @aws-sdk/client-lambda InvokeCommand Event against `run -c`',
  prepare: () => Promise.resolve([]),
};

/** Issue 15: Kinesis enhanced fan-out (SubscribeToShard) delivery latency against polling. */
export const kinesisEfo = {
  id: 'kinesis-efo',
  title: 'Kinesis enhanced fan-out: put → handler latency p50/p99, SubscribeToShard vs GetRecords polling',
  services: [],
  pending: 'issue 15 (enhanced fan-out is not built yet); contenders: Tributary with a consumer ARN vs the same pipeline polling, same kinesis-local',
  prepare: () => Promise.resolve([]),
} satisfies Workload;
