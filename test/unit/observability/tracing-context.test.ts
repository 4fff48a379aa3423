import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../../src/connector/types.js';
import { MAX_LINKS, producerContexts } from '../../../src/observability/tracing/producer-context.js';
import { parseXRayHeader, traceparentOf, xRayHeaderOf } from '../../../src/observability/tracing/xray.js';

const IDS = { traceId: '6a1b2c3d0123456789abcdef01234567', spanId: '89abcdef01234567', sampled: true };
const XRAY = 'Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=89abcdef01234567;Sampled=1';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const record = (eventRecord: Record<string, unknown>): SourceRecord => ({ id: 'm', eventRecord }) as unknown as SourceRecord;
const bytes = (text: string): number[] => [...Buffer.from(text)].map((b) => (b > 127 ? b - 256 : b));

describe('X-Ray ⇄ W3C', () => {
  it('converts both ways, as AWS propagators do', () => {
    expect(xRayHeaderOf(IDS)).toBe(XRAY);
    expect(traceparentOf(IDS)).toBe('00-6a1b2c3d0123456789abcdef01234567-89abcdef01234567-01');
    expect(parseXRayHeader(XRAY)).toEqual(IDS);
    expect(parseXRayHeader('Sampled=0; Lineage=a:1 ;Parent=89ABCDEF01234567;Root=1-6a1b2c3d-0123456789abcdef01234567')).toEqual({ ...IDS, sampled: false });
    expect(parseXRayHeader('Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=89abcdef01234567;Sampled=?')?.sampled).toBe(false);
  });

  it('names no span without a Parent, with a malformed Root, or with zero ids', () => {
    expect(parseXRayHeader('Root=1-6a1b2c3d-0123456789abcdef01234567;Sampled=1')).toBeNull();
    expect(parseXRayHeader('Root=2-6a1b2c3d-0123456789abcdef01234567;Parent=89abcdef01234567')).toBeNull();
    expect(parseXRayHeader('Root=1-00000000-000000000000000000000000;Parent=89abcdef01234567')).toBeNull();
    expect(parseXRayHeader('Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=0000000000000000')).toBeNull();
    expect(parseXRayHeader('garbage')).toBeNull();
  });
});

describe('producerContexts', () => {
  it('SQS: AWSTraceHeader and the traceparent / tracestate message attributes', () => {
    const contexts = producerContexts('sqs', [
      record({ attributes: { AWSTraceHeader: XRAY }, messageAttributes: { traceparent: { stringValue: TRACEPARENT, dataType: 'String' }, tracestate: { stringValue: 'vendor=abc', dataType: 'String' } } }),
    ]);
    expect(contexts.map((c) => ({ ...c.ids, from: c.from, state: c.traceState?.serialize() ?? null }))).toEqual([
      { ...IDS, from: 'AWSTraceHeader', state: null },
      { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true, from: 'traceparent', state: 'vendor=abc' },
    ]);
  });

  it("Kafka: the traceparent header, in Lambda's signed-byte form, any case", () => {
    const contexts = producerContexts('kafka', [record({ headers: [{ other: bytes('x') }, { TraceParent: bytes(TRACEPARENT) }] })]);
    expect(contexts.map((c) => c.ids.spanId)).toEqual(['00f067aa0ba902b7']);
  });

  it('Kinesis and DynamoDB Streams records carry none; untrusted values that do not parse are ignored', () => {
    expect(producerContexts('kinesis', [record({ kinesis: { data: 'eA==' }, attributes: { AWSTraceHeader: XRAY } })])).toEqual([]);
    expect(producerContexts('dynamodb-streams', [record({})])).toEqual([]);
    const junk = [
      record({ attributes: { AWSTraceHeader: 42 }, messageAttributes: { traceparent: { stringValue: '00-zz-yy-01' } } }),
      record({ attributes: { AWSTraceHeader: `${XRAY};${'x'.repeat(600)}` } }),
      record({ headers: [{ traceparent: [1.5, 300] }] }),
      record({ headers: 'not-a-list' }),
    ];
    expect(producerContexts('sqs', junk.slice(0, 2))).toEqual([]);
    expect(producerContexts('kafka', junk.slice(2))).toEqual([]);
  });

  it(`deduplicates and stops at ${MAX_LINKS} contexts however large the batch`, () => {
    const same = Array.from({ length: 10 }, () => record({ attributes: { AWSTraceHeader: XRAY } }));
    expect(producerContexts('sqs', same)).toHaveLength(1);
    const distinct = Array.from({ length: 500 }, (_, i) => record({ attributes: { AWSTraceHeader: `Root=1-6a1b2c3d-0123456789abcdef01234567;Parent=${(i + 1).toString(16).padStart(16, '0')}` } }));
    expect(producerContexts('sqs', distinct)).toHaveLength(MAX_LINKS);
  });
});
