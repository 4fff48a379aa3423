/**
 * The process-level faults of one source's campaign, in the order they happen, drawn from the seed. Pure.
 * Handler faults (throws, timeouts, process.exit, out of memory, poison and transient records) are not planned
 * here: the handler draws them per invocation (see handler/chaos-handler.mjs).
 */

export type FaultKind =
  /** kill -9 of a running instance at a random moment while it works, then a restart. */
  | 'kill'
  /** kill -9 while a poison record is being retried (its retry count stored), then a restart. */
  | 'kill-in-retry'
  /** LATEST start: kill -9 while the first batch is in the handler, before any checkpoint, then a restart. */
  | 'latest-gap'
  /** SIGTERM mid-run: the instance must drain and exit 0 in time; then a restart. */
  | 'sigterm'
  /** Restart of the broker the source lives on (Kafka, ElasticMQ, DynamoDB Local). */
  | 'broker-restart'
  /** DynamoDB Local (the lease table) down while an instance starts: kill -9, start it, bring the table back. */
  | 'lease-down-at-start'
  /** A second instance joins through the lease table, then the first is killed: the takeover is timed. */
  | 'takeover';

export interface FaultStep {
  readonly kind: FaultKind;
  /** Wait after the step's chunk started moving, before the fault: the "random moment". */
  readonly delayMs: number;
}

export interface FaultPlanOptions {
  readonly kills: number;
  readonly sigterms: number;
  readonly brokerRestarts: number;
  readonly killsInRetry: number;
  readonly takeovers: number;
  readonly leaseDownAtStart: number;
  readonly latestGap: boolean;
  readonly maxDelayMs: number;
  readonly random: () => number;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export function planFaults(options: FaultPlanOptions): FaultStep[] {
  const kinds: FaultKind[] = [
    ...Array<FaultKind>(options.kills).fill('kill'),
    ...Array<FaultKind>(options.sigterms).fill('sigterm'),
    ...Array<FaultKind>(options.brokerRestarts).fill('broker-restart'),
    ...Array<FaultKind>(options.killsInRetry).fill('kill-in-retry'),
    ...Array<FaultKind>(options.takeovers).fill('takeover'),
    ...Array<FaultKind>(options.leaseDownAtStart).fill('lease-down-at-start'),
  ];
  const ordered = [...(options.latestGap ? (['latest-gap'] as FaultKind[]) : []), ...shuffle(kinds, options.random)];
  return ordered.map((kind) => ({ kind, delayMs: Math.round(options.random() * options.maxDelayMs) }));
}

/** The steps whose chunk starts with a poison record (a kill while it is retried needs one in flight). */
export function poisonSteps(steps: readonly FaultStep[], random: () => number): number[] {
  const inRetry = steps.flatMap((step, i) => (step.kind === 'kill-in-retry' ? [i] : []));
  if (inRetry.length > 0) return inRetry;
  // No kill aimed at it: one poison record at a random step after the first.
  return steps.length === 0 ? [] : [1 + Math.floor(random() * Math.max(1, steps.length - 1))].map((i) => Math.min(i, steps.length - 1));
}

/** How long to wait before the next process fault so that it comes at least `spacingMs` after the previous one. */
export function spacingWaitMs(previousFaultAt: number | null, spacingMs: number, now: number): number {
  return previousFaultAt === null ? 0 : Math.max(0, previousFaultAt + spacingMs - now);
}
