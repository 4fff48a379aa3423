/**
 * How big a campaign is. `bounded` runs in `npm test` (≤ 10 minutes on a 2-core machine, ≥ 100 faults in all);
 * `full` is the campaign of issue 19 (5,000 records and ≥ 100 faults per source, ≥ 25 kill -9 each).
 */

export interface Profile {
  readonly name: 'bounded' | 'full';
  readonly records: number;
  readonly keys: number;
  readonly kills: number;
  readonly sigterms: number;
  readonly brokerRestarts: number;
  readonly killsInRetry: number;
  readonly takeovers: number;
  readonly leaseDownAtStart: number;
  /** Kafka kills each cost a session timeout (30 s) of rebalance: fewer of them in the bounded run. */
  readonly kafkaKills: number;
  /** Handler faults per invocation. */
  readonly handler: { readonly throw: number; readonly timeout: number; readonly exit: number; readonly oom: number };
  /** Fraction of records that fail their first invocations. */
  readonly transientFraction: number;
  /** Upper end of the random wait between a step's records moving and its fault. */
  readonly maxDelayMs: number;
  readonly maxStalls: number;
  /** After the last fault: how long every record may take to be accounted for. */
  readonly finishMs: number;
}

export const PROFILES: Readonly<Record<Profile['name'], Profile>> = {
  bounded: {
    name: 'bounded',
    records: 1_200,
    keys: 24,
    kills: 5,
    sigterms: 1,
    brokerRestarts: 1,
    killsInRetry: 1,
    takeovers: 1,
    leaseDownAtStart: 1,
    kafkaKills: 2,
    handler: { throw: 0.05, timeout: 0.006, exit: 0.006, oom: 0.004 },
    transientFraction: 0.01,
    maxDelayMs: 1_500,
    maxStalls: 2,
    finishMs: 120_000,
  },
  full: {
    name: 'full',
    records: 5_000,
    keys: 64,
    kills: 25,
    sigterms: 3,
    brokerRestarts: 3,
    killsInRetry: 2,
    takeovers: 2,
    leaseDownAtStart: 2,
    kafkaKills: 25,
    handler: { throw: 0.08, timeout: 0.01, exit: 0.01, oom: 0.006 },
    transientFraction: 0.01,
    maxDelayMs: 2_500,
    maxStalls: 5,
    finishMs: 300_000,
  },
};
