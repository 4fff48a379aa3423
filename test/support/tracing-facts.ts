/** A pipeline's tracing facts and bare records, for the tracing unit tests. */
import type { SourceRecord } from '../../src/connector/types.js';
import type { PipelineFacts } from '../../src/observability/tracing/types.js';

export function pipelineFacts(over: Partial<PipelineFacts> = {}): PipelineFacts {
  return {
    pipeline: 'orders',
    mappingUuid: '00000000-0000-4000-8000-000000000001',
    sourceType: 'sqs',
    sourceKind: 'queue',
    sourceArn: 'arn:aws:sqs:eu-west-1:123456789012:orders',
    region: 'eu-west-1',
    functionName: 'fn',
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:fn',
    consumerGroup: null,
    ...over,
  };
}

/** A record with only what tracing reads: its id and its Lambda event form. */
export function tracedRecord(id: string, eventRecord: Record<string, unknown> = {}): SourceRecord {
  return { id, position: id, eventRecord } as unknown as SourceRecord;
}
