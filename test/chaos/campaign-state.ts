/** The state one source's campaign shares between its loop, its fault steps and its waits. */
import type { SourceDriver } from './driver.ts';
import type { Fleet } from './fleet.ts';
import type { FaultEntry, JsonLinesTail, LedgerEntry } from './ledger.ts';
import type { Profile } from './profiles.ts';
import type { Stall } from './progress.ts';
import type { ChaosRecord, RecordPlan } from './records.ts';
import type { ChaosServices } from './services.ts';

export interface ProcessFaultCounts {
  kills: number;
  killsInRetry: number;
  latestGaps: number;
  sigterms: number;
  brokerRestarts: number;
  leaseDownAtStart: number;
  takeovers: number;
  /** Kills the campaign made to recover from a stall (not faults: remedies; they count in the bound). */
  stallKills: number;
}

export interface SigtermResult {
  readonly code: number | null;
  readonly tookMs: number;
  readonly timedOut: boolean;
}

export interface Campaign {
  readonly driver: SourceDriver;
  readonly profile: Profile;
  readonly services: ChaosServices;
  readonly fleet: Fleet;
  readonly ledger: JsonLinesTail<LedgerEntry>;
  readonly faults: JsonLinesTail<FaultEntry>;
  readonly plan: RecordPlan;
  readonly random: () => number;
  /** While this file exists the handler holds each invocation (latest-gap). */
  readonly holdFile: string;
  readonly counters: ProcessFaultCounts;
  readonly sigterms: SigtermResult[];
  /** Takeover times in ms; null = not within the limit. */
  readonly takeovers: (number | null)[];
  readonly stalls: Stall[];
  readonly notes: string[];
  /** Records produced so far, in order. */
  readonly produced: ChaosRecord[];
  currentStep: string;
  say(text: string): void;
}

export function emptyCounts(): ProcessFaultCounts {
  return { kills: 0, killsInRetry: 0, latestGaps: 0, sigterms: 0, brokerRestarts: 0, leaseDownAtStart: 0, takeovers: 0, stallKills: 0 };
}
