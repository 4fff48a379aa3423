/**
 * The campaign's one table: a column per source (and the total), a row per fault kind and per check. Pure.
 */
import type { SourceReport } from './campaign.ts';
import { failures, handlerFaults, totalFaults } from './verdict.ts';

type Row = readonly [label: string, value: (r: SourceReport) => number | string, total: 'sum' | 'none'];

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const ROWS: readonly Row[] = [
  ['kill -9 (all kinds)', (r) => r.process.kills, 'sum'],
  ['  of which during a poison retry', (r) => r.process.killsInRetry, 'sum'],
  ['  of which before the 1st checkpoint (LATEST)', (r) => r.process.latestGaps, 'sum'],
  ['  of which at a takeover', (r) => r.process.takeovers, 'sum'],
  ['SIGTERM mid-run', (r) => r.process.sigterms, 'sum'],
  ['broker restarts', (r) => r.process.brokerRestarts, 'sum'],
  ['  of which lease table down at a start', (r) => r.process.leaseDownAtStart, 'sum'],
  ['handler: throw', (r) => r.handler.throw, 'sum'],
  ['handler: sleep past the timeout', (r) => r.handler.timeout, 'sum'],
  ['handler: process.exit', (r) => r.handler.exit, 'sum'],
  ['handler: out of memory', (r) => r.handler.oom, 'sum'],
  ['handler: poison invocations', (r) => r.handler.poison, 'sum'],
  ['handler: transient failures', (r) => r.handler.transient, 'sum'],
  ['handler faults', (r) => handlerFaults(r), 'sum'],
  ['FAULTS IN ALL', (r) => totalFaults(r), 'sum'],
  ['records produced', (r) => r.produced, 'sum'],
  ['LOST', (r) => r.check.lost.length, 'sum'],
  ['duplicates', (r) => r.check.duplicates, 'sum'],
  ['duplicate bound', (r) => r.bound.total, 'sum'],
  ['order breaks (first deliveries)', (r) => r.check.orderBreaks.length, 'sum'],
  ['non-poison discarded', (r) => r.check.prematureDiscards.length, 'sum'],
  ['poison handled / not discarded', (r) => `${r.check.poisonHandled.length} / ${r.check.poisonMissing.length}`, 'none'],
  ['dropped (no destination)', (r) => r.dropped, 'sum'],
  ['stalls', (r) => r.stalls.length, 'sum'],
  ['unexpected exits', (r) => r.unexpectedExits.length, 'sum'],
  ['SIGTERM exit 0 in time', (r) => `${r.sigterms.filter((s) => s.code === 0 && !s.timedOut).length}/${r.sigterms.length}`, 'none'],
  ['left unsettled (msgs / lag / shards)', (r) => r.unsettled, 'sum'],
  ['takeover time', (r) => (r.takeovers.length === 0 ? '-' : r.takeovers.map((t) => (t === null ? 'never' : seconds(t))).join(', ')), 'none'],
  ['campaign time', (r) => seconds(r.durationMs), 'none'],
  ['RESULT', (r) => (failures(r).length === 0 ? 'PASS' : 'FAIL'), 'none'],
];

export function renderTable(reports: readonly SourceReport[]): string {
  const header = ['', ...reports.map((r) => r.source), 'total'];
  const rows = ROWS.map(([label, value, total]) => {
    const cells = reports.map((r) => String(value(r)));
    const sum = total === 'sum' ? String(reports.reduce((acc, r) => acc + Number(value(r)), 0)) : '';
    return [label, ...cells, label === 'RESULT' ? (reports.every((r) => failures(r).length === 0) ? 'PASS' : 'FAIL') : sum];
  });
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => (row[i] ?? '').length)));
  const line = (row: readonly string[]): string => `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
