import { describe, expect, it } from 'vitest';
import { ArgsError, parseArgs, selected } from '../../../bench/lib/args.ts';
import { compact, formatMetric } from '../../../bench/lib/metrics.ts';
import { median, medianMetrics, rotate } from '../../../bench/lib/stats.ts';

describe('bench statistics', () => {
  it.each([
    [[], Number.NaN],
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[1, Number.NaN, 9, 5], 5],
  ])('median of %j is %d', (values, expected) => {
    expect(median(values)).toEqual(expected);
  });

  it('takes the median of each metric on its own, over the rounds that reported it', () => {
    expect(medianMetrics([{ a: 1, b: 10 }, { a: 3 }, { a: 2, b: 30 }])).toEqual({ a: 2, b: 20 });
  });

  it('rotates the contenders so no one always goes first', () => {
    expect([1, 2, 3, 4].map((round) => rotate(['A', 'B', 'C'], round).join(''))).toEqual(['ABC', 'BCA', 'CAB', 'ABC']);
    expect(rotate([], 2)).toEqual([]);
  });
});

describe('bench arguments', () => {
  it('defaults to 3 rounds, 1 in quick mode, and BENCH_ROUNDS overrides the default', () => {
    expect(parseArgs([]).rounds).toBe(3);
    expect(parseArgs(['--quick']).rounds).toBe(1);
    expect(parseArgs([], { BENCH_ROUNDS: '7' }).rounds).toBe(7);
    expect(parseArgs(['--rounds', '2'], { BENCH_ROUNDS: '7' }).rounds).toBe(2);
  });

  it('reads --only, --profile, --contender, --top and --json', () => {
    const args = parseArgs(['--only', 'kafka, sqs-drain', '--profile', 'kafka-drain', '--contender', 'kafkajs', '--top', '20', '--json', 'x.json']);
    expect(args).toMatchObject({ only: ['kafka', 'sqs-drain'], profile: 'kafka-drain', contender: 'kafkajs', top: 20, json: 'x.json' });
  });

  it.each([[['--rounds', '0']], [['--rounds']], [['--only', '--quick']], [['--what']], [['--top', '1.5']]])('refuses %j', (argv) => {
    expect(() => parseArgs(argv)).toThrow(ArgsError);
  });

  it('selects by exact id or prefix, everything when --only is empty', () => {
    expect(selected([], 'kafka-rss/batch-100')).toBe(true);
    expect(selected(['kafka'], 'kafka-rss/batch-100')).toBe(true);
    expect(selected(['kafka-rss/batch-100'], 'kafka-rss/batch-10000')).toBe(true);
    expect(selected(['sqs'], 'kafka-drain')).toBe(false);
  });
});

describe('bench metric formatting', () => {
  it.each([
    [1_870_000, '1.87M'],
    [20_400, '20.4k'],
    [204_000, '204k'],
    [512, '512'],
    [7.34, '7.34'],
    [26.5, '26.5'],
  ])('compact(%d) is %s', (value, text) => {
    expect(compact(value)).toBe(text);
  });

  it('prints the unit, and unknown metrics as they are', () => {
    expect(formatMetric('throughput', 204_000)).toBe('204k rec/s');
    expect(formatMetric('peakRss', 595.4)).toBe('595 MB peak RSS');
    expect(formatMetric('nonsense', 3)).toBe('3 nonsense');
  });
});
