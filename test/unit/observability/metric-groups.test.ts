import { describe, expect, it } from 'vitest';
import type { MetricsConfig, SourceConfig } from '../../../src/config/types.js';
import { hiddenSeries, METRIC_GROUP_SERIES, withoutHiddenSeries } from '../../../src/observability/metric-groups.js';
import { createMetrics } from '../../../src/observability/metrics.js';
import { seedPipelineMetrics } from '../../../src/observability/seed-metrics.js';

const source = (type: SourceConfig['type']): SourceConfig => ({ type }) as SourceConfig;
const config = (metrics: MetricsConfig['metrics'], hiddenGroups: MetricsConfig['hiddenGroups']): MetricsConfig => ({ metrics, hiddenGroups });

describe('metric groups (metricsConfig)', () => {
  it('without metricsConfig every group is exported (a deliberate difference from AWS: the shipped alerts need them)', () => {
    expect(hiddenSeries({ metricsConfig: null, source: source('sqs') }).size).toBe(0);
    expect(hiddenSeries({ source: source('kafka') }).size).toBe(0);
  });

  it('metrics: [] leaves out every group the source has; SQS and stream pipelines keep the error counters (AWS defines ErrorCount for Kafka only)', () => {
    expect([...hiddenSeries({ metricsConfig: config([], ['EventCount']), source: source('sqs') })].sort()).toEqual([...METRIC_GROUP_SERIES.EventCount].sort());
    expect(hiddenSeries({ metricsConfig: config([], ['EventCount']), source: source('kinesis') }).has('tributary_polling_errors_total')).toBe(false);
  });

  it('a given list exports the groups it names and hides the others', () => {
    expect(hiddenSeries({ metricsConfig: config(['EventCount', 'ErrorCount', 'KafkaMetrics'], []), source: source('kafka') }).size).toBe(0);
    expect([...hiddenSeries({ metricsConfig: config(['KafkaMetrics'], ['EventCount', 'ErrorCount']), source: source('kafka') })].sort()).toEqual(
      [...METRIC_GROUP_SERIES.EventCount, ...METRIC_GROUP_SERIES.ErrorCount].sort(),
    );
  });

  it('leaves out exactly the hidden samples of the hidden pipelines from the real exposition', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    seedPipelineMetrics(metrics, { name: 'quiet', settledMetric: 'deleted' });
    seedPipelineMetrics(metrics, { name: 'loud', settledMetric: 'deleted' });
    metrics.invocationDuration.observe({ pipeline: 'quiet' }, 0.1);
    const text = withoutHiddenSeries(await metrics.registry.metrics(), new Map([['quiet', hiddenSeries({ metricsConfig: config([], ['EventCount']), source: source('sqs') })]]));
    const lines = text.split('\n');
    expect(lines.filter((line) => line.startsWith('tributary_invoked_events_total'))).toEqual(['tributary_invoked_events_total{pipeline="loud"} 0']);
    expect(lines.filter((line) => line.startsWith('tributary_deleted_events_total'))).toEqual(['tributary_deleted_events_total{pipeline="loud"} 0']);
    // Always published (ConcurrentExecutions, DestinationDeliveryFailures) and Tributary's own series stay.
    expect(lines).toContain('tributary_concurrent_executions{pipeline="quiet"} 0');
    expect(lines).toContain('tributary_destination_delivery_failures_total{pipeline="quiet"} 0');
    expect(lines).toContain('tributary_invocation_duration_seconds_count{pipeline="quiet"} 1');
    expect(lines).toContain('tributary_polling_errors_total{pipeline="quiet"} 0');
  });

  it('MaxOffsetLag and SumOffsetLag follow the per-partition offset lag', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.offsetLag.set({ pipeline: 'topic', partition: 'orders-0' }, 7);
    metrics.offsetLag.set({ pipeline: 'topic', partition: 'orders-1' }, 3);
    const lines = (await metrics.registry.metrics()).split('\n');
    expect(lines).toContain('tributary_max_offset_lag{pipeline="topic"} 7');
    expect(lines).toContain('tributary_sum_offset_lag{pipeline="topic"} 10');
  });
});
