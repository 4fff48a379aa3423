/**
 * What a failing source prints: the seed to replay it, and the ledger lines that show each problem — for a lost
 * record, the first deliveries of its neighbours on the same key, so the gap is visible. Pure.
 */
import type { SourceReport } from './campaign.ts';
import type { LedgerEntry } from './ledger.ts';
import { failures } from './verdict.ts';

const SHOWN = 8;

function show(entry: LedgerEntry | undefined): string {
  if (entry === undefined) return '      (never delivered)';
  const { line, ...rest } = entry;
  return `      ledger:${line} ${JSON.stringify(rest)}`;
}

export function renderFailure(r: SourceReport, replay: string): string {
  const problems = failures(r);
  if (problems.length === 0) return '';
  const out = [`FAIL ${r.source} (seed ${r.seed}; replay: ${replay}; ledger: ${r.ledgerFile})`, ...problems.map((p) => `  - ${p}`)];
  const first = new Map<string, LedgerEntry>();
  for (const entry of r.ledger) if (!first.has(entry.id)) first.set(entry.id, entry);
  const lost = new Set(r.check.lost);
  if (lost.size > 0) {
    out.push('  lost records, with the first deliveries of the records around them on the same key:');
    for (const id of [...lost].slice(0, SHOWN)) {
      const record = r.records.find((x) => x.id === id);
      const sameKey = r.records.filter((x) => x.key === record?.key && !lost.has(x.id));
      const before = sameKey.filter((x) => x.seq < (record?.seq ?? 0)).at(-1);
      const after = sameKey.find((x) => x.seq > (record?.seq ?? 0));
      out.push(`    ${id} (key ${record?.key ?? '?'}, #${record?.seq ?? '?'} of its key): never in the ledger or the destination`);
      out.push(`      before it: ${before?.id ?? '-'}`, show(before === undefined ? undefined : first.get(before.id)));
      out.push(`      after it:  ${after?.id ?? '-'}`, show(after === undefined ? undefined : first.get(after.id)));
    }
    if (lost.size > SHOWN) out.push(`    … and ${lost.size - SHOWN} more: ${[...lost].slice(SHOWN, SHOWN + 40).join(' ')}`);
  }
  for (const b of r.check.orderBreaks.slice(0, SHOWN)) {
    out.push(`  order break on ${b.unit}: ${b.behind.id} (position ${b.behind.p}) first delivered after ${b.ahead.id} (position ${b.ahead.p})`, show(b.ahead), show(b.behind));
  }
  if (r.check.prematureDiscards.length > 0) out.push(`  non-poison records in the DLQ / destination: ${r.check.prematureDiscards.slice(0, 40).join(' ')}`);
  if (r.check.duplicates > r.bound.total) {
    out.push(`  duplicate bound: ${r.bound.explanation}`);
    for (const d of r.check.duplicated.slice(0, SHOWN)) out.push(`    ${d.id} delivered ${d.count} times`, ...r.ledger.filter((e) => e.id === d.id).map((e) => show(e)));
  }
  for (const s of r.stalls) out.push(`  stall during "${s.step}" waiting for ${s.waitedFor} (${Math.round(s.idleMs / 1000)} s idle): ${s.findings.join('; ') || 'no error in the logs'}`);
  for (const e of r.unexpectedExits) {
    out.push(`  instance ${e.label} (pid ${e.pid}) exited on its own: code ${String(e.exit.code)}, signal ${String(e.exit.signal)}, after ${Math.round(e.uptimeMs / 1000)} s; last log lines:`);
    out.push(...e.lastLines.map((l) => `      ${l}`));
  }
  return out.join('\n');
}
