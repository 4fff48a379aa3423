import { describe, expect, it } from 'vitest';
import { tracingSettings } from '../../../src/observability/tracing/settings.js';
import { startTracing } from '../../../src/observability/tracing/start.js';
import { NOOP_TRACING } from '../../../src/observability/tracing/types.js';

describe('tracingSettings (the standard OTEL_* variables)', () => {
  it('is off unless an OTLP endpoint is named or OTEL_TRACES_EXPORTER=otlp asks for the default one', () => {
    expect(tracingSettings({})).toMatchObject({ kind: 'off', reason: 'no OTLP endpoint configured' });
    expect(tracingSettings({ OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toMatchObject({ kind: 'off' });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toMatchObject({ kind: 'on', endpoint: 'http://c:4318', protocol: 'http/protobuf' });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:4318/v1/traces', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toMatchObject({ kind: 'on', endpoint: 'http://t:4318/v1/traces' });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({ kind: 'on', endpoint: null });
  });

  it('OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none win over an endpoint', () => {
    expect(tracingSettings({ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toMatchObject({ kind: 'off', reason: 'OTEL_SDK_DISABLED=true' });
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp,none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toMatchObject({ kind: 'off', reason: 'OTEL_TRACES_EXPORTER=none' });
  });

  it('http/json is supported; gRPC is refused with the reason (not bundled)', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toMatchObject({ kind: 'on', protocol: 'http/json' });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' })).toMatchObject({ kind: 'off', reason: expect.stringContaining('grpc is not supported') });
  });

  it('samplers: the specification names, parent-based by default; invalid values warn and fall back to the defaults', () => {
    const on = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    expect(tracingSettings(on)).toMatchObject({ sampler: { kind: 'always_on', parentBased: true }, warnings: [] });
    expect(tracingSettings({ ...on, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' })).toMatchObject({ sampler: { kind: 'traceidratio', ratio: 0.25, parentBased: false } });
    const bad = tracingSettings({ ...on, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' });
    expect(bad).toMatchObject({ sampler: { kind: 'traceidratio', ratio: 1, parentBased: true }, warnings: [expect.stringContaining('OTEL_TRACES_SAMPLER_ARG=2')] });
    expect(tracingSettings({ ...on, OTEL_TRACES_SAMPLER: 'xray' })).toMatchObject({ sampler: { kind: 'always_on' }, warnings: [expect.stringContaining('xray is not supported')] });
    expect(tracingSettings({ ...on, OTEL_TRACES_EXPORTER: 'otlp,zipkin' }).warnings).toEqual([expect.stringContaining('ignored: zipkin')]);
  });

  it('OTEL_BSP_*: integers, the export batch never larger than the queue', () => {
    const settings = tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_EXPORT_TIMEOUT: 'soon' });
    expect(settings).toMatchObject({ batch: { scheduledDelayMillis: 200, maxQueueSize: 100, maxExportBatchSize: 100, exportTimeoutMillis: 30_000 }, warnings: [expect.stringContaining('OTEL_BSP_EXPORT_TIMEOUT=soon')] });
  });
});

describe('startTracing', () => {
  it('off: the no-op tracing, whose lanes make no span and hand no trace to the function', async () => {
    const tracing = await startTracing({ env: {} });
    expect(tracing).toBe(NOOP_TRACING);
    const lane = tracing.forPipeline({} as never).lane('l');
    expect(lane.invocation([], 'r').trace).toBeNull();
  });

  it('on: an enabled tracing, shut down idempotently', async () => {
    const tracing = await startTracing({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_BSP_SCHEDULE_DELAY: '60000' } });
    expect(tracing.enabled).toBe(true);
    const first = tracing.shutdown();
    expect(tracing.shutdown()).toBe(first);
    await first;
  });
});
