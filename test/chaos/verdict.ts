/** Whether one source's campaign passed, and every reason it did not. Pure. */
import type { SourceReport } from './campaign.ts';

export function failures(r: SourceReport): string[] {
  const out: string[] = [];
  const c = r.check;
  if (c.lost.length > 0) out.push(`${c.lost.length} records lost`);
  if (c.duplicates > r.bound.total) out.push(`${c.duplicates} duplicates, above the bound of ${r.bound.total}`);
  if (c.orderBreaks.length > 0) out.push(`${c.orderBreaks.length} order breaks`);
  if (c.prematureDiscards.length > 0) out.push(`${c.prematureDiscards.length} non-poison records discarded (a retry count that was not theirs)`);
  if (c.poisonHandled.length > 0) out.push(`poison handled: ${c.poisonHandled.join(', ')}`);
  if (c.poisonMissing.length > 0) out.push(`poison not in the destination: ${c.poisonMissing.join(', ')}`);
  if (c.unknown.length > 0) out.push(`${c.unknown.length} ledger ids nobody produced`);
  if (r.stalls.length > 0) out.push(`${r.stalls.length} stalls (nothing processed for a while, work left)`);
  if (r.unexpectedExits.length > 0) out.push(`${r.unexpectedExits.length} unexpected exits`);
  const badTerms = r.sigterms.filter((s) => s.code !== 0 || s.timedOut);
  if (badTerms.length > 0) out.push(`${badTerms.length} SIGTERMs without a timely exit 0 (${badTerms.map((s) => `code ${String(s.code)} after ${s.tookMs} ms`).join(', ')})`);
  if (r.takeovers.some((t) => t === null)) out.push('a takeover did not complete');
  if (r.unsettled !== 0) out.push(r.unsettled < 0 ? 'could not read what is left unsettled' : `${r.unsettled} records left unsettled`);
  out.push(...r.notes);
  return out;
}

export function handlerFaults(r: SourceReport): number {
  const h = r.handler;
  return h.throw + h.timeout + h.exit + h.oom + h.poison + h.transient;
}

/** Process-level faults (kills of every kind, SIGTERMs, broker restarts incl. lease-table outages) plus handler faults. */
export function totalFaults(r: SourceReport): number {
  const p = r.process;
  return p.kills + p.sigterms + p.brokerRestarts + handlerFaults(r);
}
