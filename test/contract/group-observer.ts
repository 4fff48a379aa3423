// Watches a GroupSource at its contract boundary while the real engine drives it: every `run`, every partition the
// source hands the core (`GroupHost.assigned`), what the core restores and persists through it, when a partition's
// signal aborts (revoked), and every health report. It forwards everything unchanged — the implementation under test
// and the engine do all the work; this only records what crossed between them.

import type { AssignedPartition, GroupHost, GroupSource, PersistOutcome, SourceHealth, StoredProgress } from '../../src/connector/types.js';

export interface GroupObservation {
  /** `run` calls (the engine's supervisor restarts a source whose run rejected). */
  runs: number;
  /** How each `run` ended: resolved, or the error it rejected with. */
  readonly runEnds: ({ readonly kind: 'resolved' } | { readonly kind: 'rejected'; readonly error: unknown })[];
  /** Partition ids in the order they were assigned (a partition assigned again after a rebalance appears again). */
  readonly assigned: string[];
  /** Partition ids whose assignment signal aborted (revoked: rebalance, lost generation, stop). */
  readonly revoked: string[];
  readonly restored: { readonly partition: string; readonly progress: StoredProgress }[];
  readonly persisted: { readonly partition: string; readonly progress: StoredProgress; readonly outcome: PersistOutcome }[];
  readonly health: SourceHealth[];
}

export function emptyObservation(): GroupObservation {
  return { runs: 0, runEnds: [], assigned: [], revoked: [], restored: [], persisted: [], health: [] };
}

function observedPartition(partition: AssignedPartition, log: GroupObservation): AssignedPartition {
  partition.signal.addEventListener('abort', () => log.revoked.push(partition.id), { once: true });
  return {
    id: partition.id,
    signal: partition.signal,
    restore: async (signal) => {
      const progress = await partition.restore(signal);
      log.restored.push({ partition: partition.id, progress });
      return progress;
    },
    open: (after) => partition.open(after),
    persist: async (progress) => {
      const outcome = await partition.persist(progress);
      log.persisted.push({ partition: partition.id, progress, outcome });
      return outcome;
    },
    finished: () => partition.finished(),
  };
}

/** `source` with every host call recorded in `log`. */
export function observeGroupSource(source: GroupSource, log: GroupObservation = emptyObservation()): { readonly source: GroupSource; readonly log: GroupObservation } {
  const observed: GroupSource = {
    kind: 'group',
    get capabilities() {
      return source.capabilities;
    },
    get sourceArn() {
      return source.sourceArn;
    },
    get region() {
      return source.region;
    },
    get retentionMs() {
      return source.retentionMs;
    },
    open: (signal) => source.open(signal),
    toEvent: (records) => source.toEvent(records),
    close: () => source.close(),
    run: async (host, signal) => {
      log.runs += 1;
      const spy: GroupHost = {
        assigned: (partition) => {
          log.assigned.push(partition.id);
          host.assigned(observedPartition(partition, log));
        },
        health: (report) => {
          log.health.push(report);
          host.health(report);
        },
      };
      try {
        await source.run(spy, signal);
        log.runEnds.push({ kind: 'resolved' });
      } catch (error) {
        log.runEnds.push({ kind: 'rejected', error });
        throw error;
      }
    },
  };
  return { source: observed, log };
}
