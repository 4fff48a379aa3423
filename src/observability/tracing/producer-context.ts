/**
 * The producers' trace contexts a batch carries, read from the records' Lambda event form (what the function sees):
 *
 * | source | where |
 * |---|---|
 * | `sqs` | the `AWSTraceHeader` system attribute (X-Ray format, set by SQS for an X-Ray-traced sender), and the `traceparent` / `tracestate` message attributes (W3C, set by OpenTelemetry's SQS instrumentation) |
 * | `kafka` | the `traceparent` / `tracestate` record headers (OpenTelemetry's Kafka instrumentations) |
 * | `kinesis`, `dynamodb-streams` | none: their records carry no headers |
 *
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-message-system-attributes
 * https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/#context-propagation
 *
 * The records come from brokers, so from anyone: values are bounded and must parse, or they are ignored. Contexts
 * are deduplicated and capped at {@link MAX_LINKS} (OpenTelemetry's default link limit per span), so a batch of ten
 * thousand records costs at most that many parses that yield links.
 */
import { TraceState, parseTraceParent } from '@opentelemetry/core';
import type { SourceRecord } from '../../connector/types.js';
import { parseXRayHeader, type SpanIds } from './xray.js';

/** A producer's span, with where it was found (the link's `tributary.link.source` attribute). */
export interface ProducerContext {
  readonly ids: SpanIds;
  /** The producer's `tracestate`, when it carried one that parses. */
  readonly traceState: TraceState | null;
  readonly from: 'AWSTraceHeader' | 'traceparent';
}

/** OpenTelemetry's default SpanLimits.linkCountLimit. */
export const MAX_LINKS = 128;
/** traceparent is 55 characters; tracestate at most 512 (W3C); X-Ray headers are short too. */
const MAX_HEADER_CHARS = 512;

type Extract = (record: Readonly<Record<string, unknown>>) => readonly ProducerContext[];

const EXTRACTORS: Readonly<Record<string, Extract>> = { sqs: fromSqsRecord, kafka: fromKafkaRecord };

/** Distinct producer contexts of `records`, at most {@link MAX_LINKS}. */
export function producerContexts(sourceType: string, records: readonly SourceRecord[]): readonly ProducerContext[] {
  const extract = EXTRACTORS[sourceType];
  if (extract === undefined) return [];
  const seen = new Map<string, ProducerContext>();
  for (const record of records) {
    for (const context of extract(record.eventRecord)) {
      if (seen.size >= MAX_LINKS) return [...seen.values()];
      seen.set(`${context.ids.traceId}-${context.ids.spanId}`, context);
    }
  }
  return [...seen.values()];
}

function bounded(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_HEADER_CHARS ? value : null;
}

/** A W3C context from `traceparent` (and `tracestate`, kept only when it parses). */
function w3c(traceparent: string | null, tracestate: string | null): ProducerContext | null {
  if (traceparent === null) return null;
  const parsed = parseTraceParent(traceparent.trim());
  if (parsed === null) return null;
  const state = tracestate === null ? null : new TraceState(tracestate);
  const traceState = state === null || state.serialize() === '' ? null : state;
  return { ids: { traceId: parsed.traceId, spanId: parsed.spanId, sampled: (parsed.traceFlags & 1) === 1 }, traceState, from: 'traceparent' };
}

function field(object: unknown, name: string): unknown {
  return typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[name] : undefined;
}

/** SQS: Lambda's record has `attributes.AWSTraceHeader` and `messageAttributes.<name>.stringValue`. */
function fromSqsRecord(record: Readonly<Record<string, unknown>>): readonly ProducerContext[] {
  const out: ProducerContext[] = [];
  const xRay = bounded(field(field(record, 'attributes'), 'AWSTraceHeader'));
  const ids = xRay === null ? null : parseXRayHeader(xRay);
  if (ids !== null) out.push({ ids, traceState: null, from: 'AWSTraceHeader' });
  const attributes = field(record, 'messageAttributes');
  const attribute = (name: string): string | null => bounded(field(field(attributes, name), 'stringValue'));
  const context = w3c(attribute('traceparent'), attribute('tracestate'));
  if (context !== null) out.push(context);
  return out;
}

/** Kafka: Lambda's record has `headers: [{ <name>: [signed bytes] }, …]` (Java's byte[] as JSON). */
function fromKafkaRecord(record: Readonly<Record<string, unknown>>): readonly ProducerContext[] {
  const headers = field(record, 'headers');
  if (!Array.isArray(headers)) return [];
  let traceparent: string | null = null;
  let tracestate: string | null = null;
  for (const header of headers as unknown[]) {
    if (typeof header !== 'object' || header === null) continue;
    for (const [name, bytes] of Object.entries(header)) {
      const lower = name.toLowerCase();
      if (lower === 'traceparent') traceparent ??= headerText(bytes);
      else if (lower === 'tracestate') tracestate ??= headerText(bytes);
    }
  }
  const context = w3c(traceparent, tracestate);
  return context === null ? [] : [context];
}

function headerText(bytes: unknown): string | null {
  if (!Array.isArray(bytes) || bytes.length === 0 || bytes.length > MAX_HEADER_CHARS) return null;
  if (!bytes.every((b): b is number => Number.isInteger(b) && b >= -128 && b <= 255)) return null;
  return Buffer.from(bytes.map((b) => b & 0xff)).toString('utf8');
}
