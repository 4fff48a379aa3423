import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/observability/metrics.js';
import { seedPipelineMetrics, setPipelineState } from '../../../src/observability/seed-metrics.js';

/** `/metrics` text, parsed into `name{labels} value` lines (comments dropped). */
async function samples(metrics: ReturnType<typeof createMetrics>): Promise<string[]> {
  return (await metrics.registry.metrics()).split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

describe('metrics', () => {
  it("exports Node's process metrics under their standard names, not a doubled tributary_process_process_ prefix", async () => {
    const metrics = createMetrics();
    const names = new Set((await samples(metrics)).map((line) => line.split(/[{ ]/)[0]));
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(names, name).toContain(name);
    }
    expect([...names].filter((name) => name !== undefined && name.startsWith('tributary_process'))).toEqual([]);
  });

  it('seeds every per-pipeline counter at 0 before the first event, per source', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    expect(await samples(metrics)).toEqual([]);
    seedPipelineMetrics(metrics, { name: 'orders', settledMetric: 'deleted' });
    seedPipelineMetrics(metrics, { name: 'payments', settledMetric: 'committed' });
    const lines = await samples(metrics);
    for (const counter of [
      'tributary_polled_events_total',
      'tributary_filtered_out_events_total',
      'tributary_invoked_events_total',
      'tributary_failed_invoke_events_total',
      'tributary_dropped_events_total',
      'tributary_on_failure_delivered_events_total',
      'tributary_cold_starts_total',
      'tributary_polling_errors_total',
      'tributary_destination_delivery_failures_total',
      'tributary_commit_errors_total',
    ]) {
      expect(lines, counter).toContain(`${counter}{pipeline="orders"} 0`);
      expect(lines, counter).toContain(`${counter}{pipeline="payments"} 0`);
    }
    expect(lines).toContain('tributary_deleted_events_total{pipeline="orders"} 0');
    expect(lines.filter((line) => line.startsWith('tributary_deleted_events_total{pipeline="payments"}'))).toEqual([]);
    expect(lines).toContain('tributary_committed_events_total{pipeline="payments"} 0');
    expect(lines.filter((line) => line.startsWith('tributary_committed_events_total{pipeline="orders"}'))).toEqual([]);
    for (const kind of ['threw', 'timeout', 'crashed', 'throttled', 'bad-response']) expect(lines).toContain(`tributary_invoke_errors_total{pipeline="orders",kind="${kind}"} 0`);
    for (const outcome of ['ok', 'error', 'timeout', 'partial']) expect(lines).toContain(`tributary_invocations_total{pipeline="orders",outcome="${outcome}"} 0`);
    expect(lines).toContain('tributary_invocation_duration_seconds_count{pipeline="orders"} 0');
    expect(lines).toContain('tributary_concurrent_executions{pipeline="orders"} 0');
  });

  it('seeding keeps what was already counted (idempotent, never lowers a value)', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.polledEvents.inc({ pipeline: 'orders' }, 5);
    metrics.pollers.set({ pipeline: 'orders' }, 3);
    seedPipelineMetrics(metrics, { name: 'orders', settledMetric: null });
    seedPipelineMetrics(metrics, { name: 'orders', settledMetric: null });
    const lines = await samples(metrics);
    expect(lines).toContain('tributary_polled_events_total{pipeline="orders"} 5');
    expect(lines).toContain('tributary_pollers{pipeline="orders"} 3');
  });

  it('tributary_pipeline_state is 1 for the current state and 0 for every other one', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    setPipelineState(metrics, 'orders', 'Enabled');
    setPipelineState(metrics, 'orders', 'Failed');
    const lines = (await samples(metrics)).filter((line) => line.startsWith('tributary_pipeline_state'));
    expect(lines.sort()).toEqual(
      [
        'tributary_pipeline_state{pipeline="orders",state="Creating"} 0',
        'tributary_pipeline_state{pipeline="orders",state="Enabling"} 0',
        'tributary_pipeline_state{pipeline="orders",state="Enabled"} 0',
        'tributary_pipeline_state{pipeline="orders",state="Disabling"} 0',
        'tributary_pipeline_state{pipeline="orders",state="Disabled"} 0',
        'tributary_pipeline_state{pipeline="orders",state="Updating"} 0',
        'tributary_pipeline_state{pipeline="orders",state="Deleting"} 0',
        'tributary_pipeline_state{pipeline="orders",state="Failed"} 1',
      ].sort(),
    );
  });
});
