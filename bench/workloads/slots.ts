/**
 * Documented slots for workloads whose feature does not exist yet (see bench/README.md, "Slots"). Each prints a
 * row that says why there is no number; none runs anything. To fill one: write its contenders in bench/contenders/,
 * give the workload a prepare() returning its cases, delete `pending`.
 */
import type { Workload } from '../lib/types.ts';

/** Issue 15: Kinesis enhanced fan-out (SubscribeToShard) delivery latency against polling. */
export const kinesisEfo = {
  id: 'kinesis-efo',
  title: 'Kinesis enhanced fan-out: put → handler latency p50/p99, SubscribeToShard vs GetRecords polling',
  services: [],
  pending: 'measured by bench/kinesis-efo-latency.ts instead (latency, not throughput: see below the table)',
  prepare: () => Promise.resolve([]),
} satisfies Workload;
