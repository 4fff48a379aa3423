/**
 * The one table a bench run prints (markdown, so it pastes into the README as is): a row per case, a cell per
 * role (Tributary, raw client, peer) with the case's metrics (medians), and the ratio of Tributary to each other
 * contender on the case's ratio metric. Pure: no I/O, so the smoke test and unit tests can check its shape.
 */
import { formatMetric } from './metrics.ts';
import type { CaseResult, ContenderResult } from './runner.ts';
import type { Role } from './types.ts';

export const TABLE_HEADER = ['Workload', 'Tributary', 'Raw client', 'Peer', 'Ratio (Tributary ÷ other)'] as const;

const escape = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function cell(result: ContenderResult, show: readonly string[], withLabel: boolean): string {
  const label = withLabel ? `${result.spec.label}: ` : '';
  if (result.rounds.length === 0) {
    const reason = result.errors[0]?.split('\n')[0] ?? 'no round ran';
    return `${label}failed (${reason})`;
  }
  const values = show.map((name) => result.median[name]).map((v, i) => (v === undefined || Number.isNaN(v) ? null : formatMetric(show[i] ?? '', v)));
  const failed = result.errors.length > 0 ? ` (${result.errors.length} of ${result.errors.length + result.rounds.length} rounds failed)` : '';
  const checks = result.checks.length > 0 ? ` ⚠ ${result.checks.join('; ')}` : '';
  return `${label}${values.filter((v) => v !== null).join(' · ')}${failed}${checks}`;
}

function ratioCell(row: CaseResult): string {
  if (row.ratio === null) return '';
  const { metric, better } = row.ratio;
  const ours = row.contenders.find((c) => c.spec.role === 'tributary')?.median[metric];
  if (ours === undefined || Number.isNaN(ours)) return '—';
  const parts: string[] = [];
  for (const other of row.contenders) {
    if (other.spec.role === 'tributary') continue;
    const theirs = other.median[metric];
    if (theirs === undefined || Number.isNaN(theirs) || theirs === 0) continue;
    parts.push(`${(ours / theirs).toFixed(2)}× ${other.spec.id}`);
  }
  if (parts.length === 0) return '—';
  return `${parts.join(', ')} (${metric}, ${better} is better)`;
}

/** The markdown table of `rows`; a row that ran other than `rounds` rounds says so in its title. */
export function renderTable(rows: readonly CaseResult[], rounds: number): string {
  const lines = [`| ${TABLE_HEADER.join(' | ')} |`, `|${TABLE_HEADER.map(() => '---').join('|')}|`];
  for (const row of rows) {
    if (row.pending !== null) {
      lines.push(`| ${escape(row.title)} | not measured: ${escape(row.pending)} | | | |`);
      continue;
    }
    const byRole = (role: Role): string =>
      row.contenders
        .filter((c) => c.spec.role === role)
        .map((c) => cell(c, row.show, role !== 'tributary'))
        .join('<br>');
    const title = row.rounds === rounds ? row.title : `${row.title} (${row.rounds} round${row.rounds === 1 ? '' : 's'})`;
    lines.push(`| ${[title, byRole('tributary'), byRole('raw'), byRole('peer'), ratioCell(row)].map(escape).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Splits a rendered row back into cells (the smoke test checks the table this way). */
export function tableCells(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}
