/**
 * W3C trace context ⇄ AWS X-Ray trace header, the conversion AWS's own propagators make. Pure.
 *
 * X-Ray header: `Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=<0|1|?>` (fields in any order, `Lineage` and
 * others ignored). The 32 hex digits of the root after the version are the W3C trace id (the first 8 are X-Ray's
 * epoch seconds, which OpenTelemetry's X-Ray id generator also puts there), `Parent` is the span id, `Sampled=1` the
 * sampled flag (`?` and `0`: not sampled).
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 * https://www.w3.org/TR/trace-context/#traceparent-header
 */

/** A span's identity as W3C trace context carries it (lowercase hex). */
export interface SpanIds {
  /** 32 hex digits, not all zero. */
  readonly traceId: string;
  /** 16 hex digits, not all zero. */
  readonly spanId: string;
  readonly sampled: boolean;
}

const ROOT = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;
const PARENT = /^[0-9a-f]{16}$/;
const ZERO = /^0+$/;

/** The X-Ray header of a span: what Lambda puts in `_X_AMZN_TRACE_ID` for an invocation traced as that span. */
export function xRayHeaderOf(ids: SpanIds): string {
  return `Root=1-${ids.traceId.slice(0, 8)}-${ids.traceId.slice(8)};Parent=${ids.spanId};Sampled=${ids.sampled ? '1' : '0'}`;
}

/** The W3C `traceparent` of a span (version 00). */
export function traceparentOf(ids: SpanIds): string {
  return `00-${ids.traceId}-${ids.spanId}-${ids.sampled ? '01' : '00'}`;
}

/**
 * The span an X-Ray header names, or null when it names none: no or a malformed `Root`, no `Parent` (a link needs
 * a span id; AWS's propagators refuse such a header too), or all-zero ids.
 */
export function parseXRayHeader(header: string): SpanIds | null {
  let root: RegExpExecArray | null = null;
  let parent: string | null = null;
  let sampled = false;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim().toLowerCase();
    if (key === 'Root') root = ROOT.exec(value);
    else if (key === 'Parent') parent = PARENT.test(value) ? value : null;
    else if (key === 'Sampled') sampled = value === '1';
  }
  if (root === null || parent === null) return null;
  const traceId = `${root[1] ?? ''}${root[2] ?? ''}`;
  if (ZERO.test(traceId) || ZERO.test(parent)) return null;
  return { traceId, spanId: parent, sampled };
}
