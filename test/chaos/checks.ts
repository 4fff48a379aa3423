/**
 * What a campaign's ledger says, checked against what was produced. Pure.
 *
 * - lost: produced, never handled and never discarded (the on-failure destination / DLQ counts as handled);
 *   poison records dropped by a pipeline without a destination are expected, not lost;
 * - duplicates: handled lines beyond the first per record (checked against the bound the campaign derives);
 * - order breaks: within an ordering unit (FIFO group, partition key, item key, Kafka partition), a record whose
 *   FIRST delivery came after the first delivery of a record behind it;
 * - poison: never handled, and discarded (when the pipeline has somewhere to send it);
 * - premature discards: non-poison records in the DLQ / destination (FIFO messages returned behind a poison
 *   excepted). The handler's faults are capped so that no record can legitimately exhaust its retries, so each one
 *   is a retry count that was not the record's own.
 */
import type { LedgerEntry } from './ledger.ts';
import type { ChaosRecord } from './records.ts';

export interface CheckInput {
  readonly produced: readonly ChaosRecord[];
  readonly ledger: readonly LedgerEntry[];
  /** Ids found in the DLQ / on-failure destination, once per delivery. */
  readonly discarded: readonly string[];
  readonly poison: readonly string[];
  /**
   * Records that may legitimately reach the DLQ with the poison: FIFO messages returned behind it in its group,
   * whose receive count grows with its retries (AWS: a FIFO queue's DLQ breaks its order for this reason).
   */
  readonly collateral?: ReadonlySet<string>;
  /** `dropped`: the pipeline has no destination; poison records vanish by design and cannot be found. */
  readonly discardTo: 'destination' | 'dropped';
  readonly ordered: boolean;
}

export interface OrderBreak {
  readonly unit: string;
  /** The record delivered first although it comes later in the unit. */
  readonly ahead: LedgerEntry;
  /** The record it overtook. */
  readonly behind: LedgerEntry;
}

export interface CheckResult {
  readonly lost: readonly string[];
  readonly duplicates: number;
  /** Deliveries to the DLQ / destination beyond the first per record. */
  readonly discardDuplicates: number;
  /** Records handled more than once, with their delivery count (most first). */
  readonly duplicated: readonly { readonly id: string; readonly count: number }[];
  readonly orderBreaks: readonly OrderBreak[];
  readonly poisonHandled: readonly string[];
  readonly poisonMissing: readonly string[];
  readonly prematureDiscards: readonly string[];
  /** Ledger ids nobody produced (a handler parsing bug or a stale resource). */
  readonly unknown: readonly string[];
}

function comparePosition(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First deliveries in ledger order; per unit, each must come after every earlier position's. */
export function orderBreaks(ledger: readonly LedgerEntry[]): OrderBreak[] {
  const seen = new Set<string>();
  const furthest = new Map<string, LedgerEntry>();
  const breaks: OrderBreak[] = [];
  for (const entry of ledger) {
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    if (entry.u === null) continue;
    const ahead = furthest.get(entry.u);
    if (ahead !== undefined && comparePosition(entry.p, ahead.p) < 0) breaks.push({ unit: entry.u, ahead, behind: entry });
    else furthest.set(entry.u, entry);
  }
  return breaks;
}

export function checkLedger(input: CheckInput): CheckResult {
  const produced = new Set(input.produced.map((r) => r.id));
  const poison = new Set(input.poison);
  const counts = new Map<string, number>();
  for (const entry of input.ledger) counts.set(entry.id, (counts.get(entry.id) ?? 0) + 1);
  const discarded = new Set(input.discarded);
  const lost = input.produced
    .map((r) => r.id)
    .filter((id) => !counts.has(id) && !discarded.has(id) && !(poison.has(id) && input.discardTo === 'dropped'));
  const duplicated = [...counts]
    .filter(([, count]) => count > 1)
    .map(([id, count]) => ({ id, count }))
    .sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  return {
    lost,
    duplicates: input.ledger.length - counts.size,
    discardDuplicates: input.discarded.length - discarded.size,
    duplicated,
    orderBreaks: input.ordered ? orderBreaks(input.ledger) : [],
    poisonHandled: input.poison.filter((id) => counts.has(id)),
    poisonMissing: input.discardTo === 'destination' ? input.poison.filter((id) => !discarded.has(id)) : [],
    prematureDiscards: [...discarded].filter((id) => !poison.has(id) && input.collateral?.has(id) !== true).sort(),
    unknown: [...counts.keys()].filter((id) => !produced.has(id)).sort(),
  };
}
