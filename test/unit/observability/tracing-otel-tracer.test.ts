/** The lane tracer on the real OpenTelemetry SDK, its spans kept in the SDK's own in-memory exporter. */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AlwaysOffSampler, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { TributaryError } from '../../../src/errors.js';
import { otelTracing } from '../../../src/observability/tracing/otel-tracer.js';
import { tracingFromProvider } from '../../../src/observability/tracing/start.js';
import type { PipelineFacts } from '../../../src/observability/tracing/types.js';
import { pipelineFacts, tracedRecord } from '../../support/tracing-facts.ts';

const FACTS = pipelineFacts();
const XRAY = 'Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=89abcdef01234567;Sampled=1';
const record = tracedRecord;

let exporter: InMemorySpanExporter;
let provider: TracerProvider;

function laneTracer(options: { sampled?: boolean; facts?: PipelineFacts } = {}) {
  exporter = new InMemorySpanExporter();
  provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })], ...(options.sampled === false ? { sampler: new AlwaysOffSampler() } : {}) });
  return otelTracing(provider.getTracer('test'), () => provider.shutdown()).forPipeline(options.facts ?? FACTS).lane('poller-1');
}

afterEach(async () => {
  await provider.shutdown();
});

describe('the OpenTelemetry lane tracer', () => {
  it('an invocation: a root CONSUMER span linked to the producers, whose ids are the trace handed to the function', () => {
    const lane = laneTracer();
    const span = lane.invocation([record('m1', { attributes: { AWSTraceHeader: XRAY } })], 'req-1');
    span.end({ status: 'ok', payload: {}, durationMs: 3, coldStart: true });
    const [ended] = exporter.getFinishedSpans();
    expect(ended?.name).toBe('process orders');
    expect(ended?.kind).toBe(SpanKind.CONSUMER);
    expect(ended?.parentSpanContext).toBeUndefined();
    const { traceId, spanId } = ended?.spanContext() ?? { traceId: '', spanId: '' };
    expect(span.trace).toEqual({ xRay: `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${spanId};Sampled=1`, traceparent: `00-${traceId}-${spanId}-01` });
    expect(ended?.links.map((l) => [l.context.traceId, l.context.spanId, l.context.isRemote, l.attributes?.['tributary.link.source']])).toEqual([['6a1b2c3d0123456789abcdef01234567', '89abcdef01234567', true, 'AWSTraceHeader']]);
    expect(ended?.attributes).toMatchObject({ 'faas.invocation.id': 'req-1', 'faas.coldstart': true, 'messaging.message.id': 'm1', 'tributary.lane': 'poller-1', 'tributary.pipeline': 'orders' });
    expect(ended?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('a failed invocation: status ERROR with error.type, the error recorded without a stack', () => {
    const lane = laneTracer();
    lane.invocation([record('m1')], 'req-1').end({ status: 'error', kind: 'threw', error: { errorType: 'OrderError', errorMessage: 'bad order' }, durationMs: 1, coldStart: false } as never);
    const [ended] = exporter.getFinishedSpans();
    expect(ended?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'OrderError' });
    expect(ended?.attributes).toMatchObject({ 'error.type': 'OrderError', 'tributary.invoke.error_kind': 'threw' });
    expect(ended?.events.map((e) => e.attributes)).toEqual([{ 'exception.type': 'OrderError', 'exception.message': 'bad order' }]);
  });

  it('an unsampled invocation hands the function a Sampled=0 header of the same ids', () => {
    const lane = laneTracer({ sampled: false });
    const span = lane.invocation([record('m1')], 'req-1');
    expect(span.trace?.xRay).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    span.end({ status: 'ok', payload: null, durationMs: 1, coldStart: false });
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('reads: an empty poll makes no span; one with records a CLIENT receive span; a failed one an error span', () => {
    const lane = laneTracer();
    lane.receive().end({ kind: 'records', records: [] });
    lane.receive().end({ kind: 'records', records: [record('a'), record('b')] });
    lane.receive().end({ kind: 'failed', error: new TributaryError('SOURCE_READ_FAILED', 'connection refused') });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => [s.name, s.kind, s.attributes['messaging.batch.message_count'], s.attributes['error.type']])).toEqual([
      ['receive orders', SpanKind.CLIENT, 2, undefined],
      ['receive orders', SpanKind.CLIENT, undefined, 'SOURCE_READ_FAILED'],
    ]);
    expect(spans[1]?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('settles: a delete linked to the invocations of its records; a checkpoint with its position; a failure is an error', () => {
    const lane = laneTracer();
    const a = record('a');
    const b = record('b');
    lane.invocation([a, b], 'req-1').end({ status: 'ok', payload: null, durationMs: 1, coldStart: false });
    const invocation = exporter.getFinishedSpans()[0]?.spanContext();
    lane.settle({ kind: 'ack', done: [a], redeliver: [b] }).end({ kind: 'ok' });
    const [, deleted] = exporter.getFinishedSpans();
    expect(deleted).toMatchObject({ name: 'delete orders', kind: SpanKind.CLIENT, attributes: { 'messaging.operation.name': 'delete', 'tributary.settle.done': 1, 'tributary.settle.redeliver': 1, 'messaging.batch.message_count': 2 } });
    expect(deleted?.links.map((l) => l.context.spanId)).toEqual([invocation?.spanId]);

    const stream = laneTracer({ facts: { ...FACTS, sourceType: 'kinesis', sourceKind: 'stream', sourceArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/clicks' } });
    stream.settle({ kind: 'progress', position: '4960', settled: 7 }).end({ kind: 'failed', reason: 'CHECKPOINT_FAILED', error: new Error('fenced') });
    const [checkpoint] = exporter.getFinishedSpans();
    expect(checkpoint).toMatchObject({ name: 'checkpoint clicks', attributes: { 'tributary.settle.position': '4960', 'messaging.batch.message_count': 7, 'error.type': 'CHECKPOINT_FAILED', 'aws.kinesis.stream_name': 'clicks' } });
    expect(checkpoint?.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("tracingFromProvider: spans go to the caller's provider, whose shutdown stays the caller's", async () => {
    laneTracer();
    const tracing = await tracingFromProvider(provider);
    tracing.forPipeline(FACTS).lane('poller-2').invocation([record('m1')], 'req-9').end({ status: 'ok', payload: null, durationMs: 1, coldStart: false });
    await tracing.shutdown();
    tracing.forPipeline(FACTS).lane('poller-2').receive().end({ kind: 'records', records: [record('m2')] });
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.instrumentationScope.name])).toEqual([
      ['process orders', 'tributary'],
      ['receive orders', 'tributary'],
    ]);
  });
});
