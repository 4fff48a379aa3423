/**
 * The lane engine's tracer ({@link Tracing}, ./types.ts) on an OpenTelemetry API tracer: whatever provider made it —
 * the SDK this folder starts from the environment (./sdk.ts), or a library user's own. Loaded only when tracing is
 * on. Every span is a root span with links (a batch has many producers; the convention for batch consumers):
 * https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/#trace-structure
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, isSpanContextValid, type Attributes, type Link, type Span, type SpanContext, type Tracer } from '@opentelemetry/api';
import type { SourceRecord } from '../../connector/types.js';
import { isTributaryError } from '../../errors.js';
import type { InvokeResult } from '../../runner/types.js';
import { MAX_LINKS, producerContexts } from './producer-context.js';
import { ATTR, invocationAttributes, laneAttributes, pipelineAttributes, settleOperation, spanName } from './semconv.js';
import type { InvocationSpan, InvocationTrace, LaneTracer, PipelineFacts, PipelineTracer, ReceiveOutcome, ReceiveSpan, SettleSpan, SettleTarget, Tracing } from './types.js';
import { traceparentOf, xRayHeaderOf } from './xray.js';

/** The instrumentation scope of every span. */
export const TRACER_NAME = 'tributary';

/** Tracing on `tracer`; `shutdown` flushes and closes whatever exports its spans. */
export function otelTracing(tracer: Tracer, shutdown: () => Promise<void>): Tracing {
  let closed: Promise<void> | null = null;
  return {
    enabled: true,
    forPipeline: (facts) => new OtelPipelineTracer(tracer, facts),
    shutdown: () => (closed ??= shutdown()),
  };
}

/** The invocation span each record was last invoked in: a settle span links to the invocations it settles. */
const invokedIn = new WeakMap<SourceRecord, SpanContext>();

class OtelPipelineTracer implements PipelineTracer {
  readonly #tracer: Tracer;
  readonly #facts: PipelineFacts;
  readonly #attributes: Attributes;

  constructor(tracer: Tracer, facts: PipelineFacts) {
    this.#tracer = tracer;
    this.#facts = facts;
    this.#attributes = pipelineAttributes(facts);
  }

  lane(lane: string): LaneTracer {
    return new OtelLaneTracer(this.#tracer, this.#facts, this.#attributes, lane);
  }
}

class OtelLaneTracer implements LaneTracer {
  readonly #tracer: Tracer;
  readonly #facts: PipelineFacts;
  readonly #base: Attributes;
  readonly #lane: string;

  constructor(tracer: Tracer, facts: PipelineFacts, base: Attributes, lane: string) {
    this.#tracer = tracer;
    this.#facts = facts;
    this.#base = base;
    this.#lane = lane;
  }

  invocation(records: readonly SourceRecord[], requestId: string): InvocationSpan {
    const lane = laneAttributes(this.#facts, this.#lane, records);
    const span = this.#start('process', lane, SpanKind.CONSUMER, { ...invocationAttributes(this.#facts, records, requestId) }, producerLinks(this.#facts, records));
    const context = span.spanContext();
    for (const record of records) invokedIn.set(record, context);
    return {
      trace: invocationTrace(context),
      end: (result) => endInvocation(span, result),
    };
  }

  receive(): ReceiveSpan {
    const startTime = Date.now();
    return {
      end: (outcome: ReceiveOutcome) => {
        if (outcome.kind === 'records' && outcome.records.length === 0) return; // an empty poll is not worth a span
        const records = outcome.kind === 'records' ? outcome.records : [];
        const attributes: Attributes = { [ATTR.operationType]: 'receive', [ATTR.operationName]: 'receive' };
        if (outcome.kind === 'records') attributes[ATTR.batchMessageCount] = records.length;
        const span = this.#start('receive', laneAttributes(this.#facts, this.#lane, records), SpanKind.CLIENT, attributes, producerLinks(this.#facts, records), startTime);
        if (outcome.kind === 'failed') failed(span, errorTypeOf(outcome.error), outcome.error);
        span.end();
      },
    };
  }

  settle(target: SettleTarget): SettleSpan {
    const operation = settleOperation(this.#facts.sourceKind);
    const attributes: Attributes = { [ATTR.operationType]: 'settle', [ATTR.operationName]: operation };
    let links: Link[] = [];
    let records: readonly SourceRecord[] = [];
    if (target.kind === 'ack') {
      records = [...target.done, ...target.redeliver];
      attributes[ATTR.batchMessageCount] = records.length;
      attributes['tributary.settle.done'] = target.done.length;
      attributes['tributary.settle.redeliver'] = target.redeliver.length;
      links = invocationLinks(records);
    } else {
      attributes[ATTR.batchMessageCount] = target.settled;
      if (target.position !== null) attributes['tributary.settle.position'] = target.position;
    }
    const span = this.#start(operation, laneAttributes(this.#facts, this.#lane, records), SpanKind.CLIENT, attributes, links);
    return {
      end: (outcome) => {
        if (outcome.kind === 'failed') failed(span, outcome.reason, outcome.error);
        span.end();
      },
    };
  }

  #start(operation: string, lane: Attributes, kind: SpanKind, attributes: Attributes, links: Link[], startTime?: number): Span {
    const destination = String(lane[ATTR.destinationName] ?? '');
    return this.#tracer.startSpan(
      spanName(operation, destination),
      { kind, root: true, links, attributes: { ...this.#base, ...lane, ...attributes }, ...(startTime === undefined ? {} : { startTime }) },
      ROOT_CONTEXT,
    );
  }
}

/** Links to the producers' spans, marked with where the context was found. */
function producerLinks(facts: PipelineFacts, records: readonly SourceRecord[]): Link[] {
  return producerContexts(facts.sourceType, records).map(({ ids, traceState, from }) => ({
    context: {
      traceId: ids.traceId,
      spanId: ids.spanId,
      traceFlags: ids.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
      isRemote: true,
      ...(traceState === null ? {} : { traceState }),
    },
    attributes: { 'tributary.link.source': from },
  }));
}

function invocationLinks(records: readonly SourceRecord[]): Link[] {
  const seen = new Map<string, SpanContext>();
  for (const record of records) {
    const context = invokedIn.get(record);
    if (context !== undefined && seen.size < MAX_LINKS) seen.set(context.spanId, context);
  }
  return [...seen.values()].map((context) => ({ context }));
}

/** What the function gets: the invocation span's ids, as Lambda hands a traced invocation its X-Ray header. */
function invocationTrace(context: SpanContext): InvocationTrace | null {
  if (!isSpanContextValid(context)) return null;
  const ids = { traceId: context.traceId, spanId: context.spanId, sampled: (context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED };
  return { xRay: xRayHeaderOf(ids), traceparent: traceparentOf(ids) };
}

function endInvocation(span: Span, result: InvokeResult): void {
  span.setAttribute(ATTR.faasColdstart, result.coldStart);
  if (result.status === 'error') {
    span.setAttribute('tributary.invoke.error_kind', result.kind);
    // The error's type and message, never its stack: stacks stay in the service's logs (runner/types.ts).
    span.recordException({ name: result.error.errorType, message: result.error.errorMessage });
    failed(span, result.error.errorType);
  }
  span.end();
}

function failed(span: Span, errorType: string, error?: unknown): void {
  span.setAttribute(ATTR.errorType, errorType);
  if (error instanceof Error) span.recordException({ name: errorTypeOf(error), message: error.message });
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
}

/** A low-cardinality error type: the TributaryError code, else the error's class name. */
function errorTypeOf(error: unknown): string {
  if (isTributaryError(error)) return error.code;
  return error instanceof Error ? error.name : 'Error';
}
