import { describe, expect, it } from 'vitest';
import type { CaseResult, ContenderResult } from '../../../bench/lib/runner.ts';
import { TABLE_HEADER, renderTable, tableCells } from '../../../bench/lib/table.ts';
import type { Role } from '../../../bench/lib/types.ts';

function contender(id: string, role: Role, median: Record<string, number>, extra: Partial<ContenderResult> = {}): ContenderResult {
  return {
    spec: { id, role, label: `${id} label`, module: id, params: {} },
    rounds: [{ metrics: median, check: null }],
    median,
    checks: [],
    errors: [],
    ...extra,
  };
}

const drain: CaseResult = {
  id: 'kafka-drain',
  title: 'Kafka drain | 6 partitions',
  show: ['throughput', 'cpuPerRecord'],
  ratio: { metric: 'throughput', better: 'higher' },
  pending: null,
  rounds: 3,
  contenders: [
    contender('tributary', 'tributary', { throughput: 204_000, cpuPerRecord: 7.3 }),
    contender('kafkajs', 'raw', { throughput: 525_000, cpuPerRecord: 2.6 }),
    contender('platformatic', 'peer', { throughput: 1_870_000, cpuPerRecord: 1.1 }),
  ],
};

describe('bench table', () => {
  it('renders a header and one row per case, with medians and the ratio to each other contender', () => {
    const lines = renderTable([drain], 3).split('\n');
    expect(tableCells(lines[0] ?? '')).toEqual([...TABLE_HEADER]);
    expect(lines[1]).toBe('|---|---|---|---|---|');
    const cells = tableCells(lines[2] ?? '');
    expect(cells).toEqual([
      'Kafka drain \\| 6 partitions',
      '204k rec/s · 7.30 µs CPU/rec',
      'kafkajs label: 525k rec/s · 2.60 µs CPU/rec',
      'platformatic label: 1.87M rec/s · 1.10 µs CPU/rec',
      '0.39× kafkajs, 0.11× platformatic (throughput, higher is better)',
    ]);
  });

  it('says when a row ran fewer rounds, a contender failed, a check failed, or a slot is pending', () => {
    const failing: CaseResult = {
      ...drain,
      rounds: 1,
      contenders: [
        contender('tributary', 'tributary', { throughput: 100 }, { checks: ['committed 5 < handled 10'] }),
        { ...contender('kafkajs', 'raw', {}), rounds: [], errors: ['contender kafka-kafkajs failed: boom\nstack'] },
      ],
    };
    const pending: CaseResult = { id: 'slot', title: 'Async invoke', show: [], ratio: null, contenders: [], pending: 'issue 14', rounds: 0 };
    const [, , row, slot] = renderTable([failing, pending], 3).split('\n');
    const cells = tableCells(row ?? '');
    expect(cells[0]).toBe('Kafka drain \\| 6 partitions (1 round)');
    expect(cells[1]).toContain('⚠ committed 5 < handled 10');
    expect(cells[2]).toBe('kafkajs label: failed (contender kafka-kafkajs failed: boom)');
    expect(cells[4]).toBe('—');
    expect(tableCells(slot ?? '')).toEqual(['Async invoke', 'not measured: issue 14', '', '', '']);
  });
});
