/** Who assigns lanes (DESIGN §3.1): elastic pollers (queues), the lease manager (streams), the group coordinator (Kafka). */
export interface Assigner {
  /** Starts assigning lanes; rejects when it cannot start (the supervisor retries with back-off). */
  start(): Promise<void>;
  /** Lanes running now (pollers, owned shards, assigned partitions). */
  lanes(): number;
  /** Resolves when every lane has finished after the stop signal (leases handed over, the group left). */
  drained(): Promise<void>;
}
