/**
 * Waiting for a campaign to move on, with stall detection: when neither the ledger nor the fault ledger grows for
 * the source's longest legitimate quiet time plus 10 s while work remains, no instance is processing anything. That is a finding (recorded with what the
 * logs say, e.g. a pipeline Failed for good); the campaign then recovers the way an operator would — kill -9 and
 * restart every instance — so the rest of the run still says something.
 */
import type { Campaign } from './campaign-state.ts';
import { notableEvents } from './log-events.ts';

const POLL_MS = 200;
const SHORT_WAIT_MS = 5_000;

export interface Stall {
  readonly step: string;
  readonly atMs: number;
  readonly waitedFor: string;
  readonly idleMs: number;
  readonly findings: readonly string[];
}

const stallMs = (c: Campaign): number => c.driver.quietMs + 10_000;

/** Activity marker: both ledgers' sizes. */
function activity(c: Campaign): number {
  return c.ledger.read().length * 1_000_003 + c.faults.read().length;
}

export interface WaitOptions {
  /**
   * Recover from a stall by killing and restarting every instance (the finish phase, where nothing else would).
   * Without it, the wait ends at the first stall (the next planned fault restarts something anyway).
   */
  readonly remediate: boolean;
}

/**
 * Polls `done` until it holds. Returns false if it gave up: at the first stall without `remediate`, or after
 * `maxStalls` stalls with it.
 */
export async function waitUntil(c: Campaign, what: string, done: () => boolean | Promise<boolean>, options: WaitOptions = { remediate: true }): Promise<boolean> {
  let lastActivity = activity(c);
  let lastChange = Date.now();
  for (;;) {
    if (await done()) return true;
    const now = Date.now();
    const current = activity(c);
    if (current !== lastActivity) {
      lastActivity = current;
      lastChange = now;
    } else if (!options.remediate && c.stalls.length >= c.profile.maxStalls && now - lastChange >= SHORT_WAIT_MS) {
      // This source already stalled for good: do not spend a full stall time before every remaining fault.
      return false;
    } else if (now - lastChange >= stallMs(c)) {
      const since = lastChange;
      const findings = [...new Set(notableEvents(c.fleet.allLogs().filter((l) => l.time >= since - stallMs(c))).map((n) => n.text))];
      c.stalls.push({ step: c.currentStep, atMs: now, waitedFor: what, idleMs: now - lastChange, findings });
      c.say(`STALL while waiting for ${what}: nothing handled for ${Math.round((now - lastChange) / 1000)} s${findings.length > 0 ? ` (${findings.join('; ')})` : ''}`);
      if (!options.remediate || c.stalls.length > c.profile.maxStalls) return false;
      for (const label of c.fleet.labels()) {
        await c.fleet.kill9(label);
        c.counters.stallKills += 1;
        c.fleet.start(label);
      }
      lastChange = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Distinct ids handled so far. */
export function handledIds(c: Campaign): Set<string> {
  return new Set(c.ledger.read().map((e) => e.id));
}
