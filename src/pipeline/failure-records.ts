/**
 * Builds the on-failure records for discarded records: AWS's invocation record for streams (KinesisBatchInfo /
 * DDBStreamBatchInfo, metadata only) and for Kafka (KafkaBatchInfo for SQS / file destinations; one message per
 * record, with the record and its original key, for a `kafka://` topic). Reference §3.6.
 */
import type { SourceRecord } from '../connector/types.js';
import { withRecordKey } from '../destination/record-key.js';
import {
  kafkaFailureRecord,
  kafkaTopicFailureRecord,
  streamBatchRange,
  streamFailureRecord,
  type FunctionResponseInfo,
  type KafkaRecordSummary,
  type StreamDiscardCondition,
} from '../policy/on-failure-record.js';

export interface FailureFacts {
  readonly shard: string;
  readonly records: readonly SourceRecord[];
  readonly condition: StreamDiscardCondition;
  readonly approximateInvokeCount: number;
  readonly response: FunctionResponseInfo | null;
  readonly requestId: string;
  readonly functionArn: string;
  /** ISO-8601 time of the record. */
  readonly timestamp: string;
}

export type FailureRecordBuilder = (facts: FailureFacts) => readonly object[];

export function streamFailureBuilder(source: 'kinesis' | 'dynamodb-streams', streamArn: () => string): FailureRecordBuilder {
  return (facts) => [
    streamFailureRecord({
      source,
      requestId: facts.requestId,
      functionArn: facts.functionArn,
      condition: facts.condition,
      approximateInvokeCount: facts.approximateInvokeCount,
      response: facts.response,
      timestamp: facts.timestamp,
      shardId: facts.shard,
      streamArn: streamArn(),
      ...streamBatchRange(source, facts.records.map((r) => ({ sequenceNumber: r.position, arrivedAtMs: r.arrivedAtMs }))),
    }),
  ];
}

function kafkaSummary(record: SourceRecord): KafkaRecordSummary {
  const cut = record.shard.lastIndexOf('-');
  return { topic: record.shard.slice(0, cut), partition: Number(record.shard.slice(cut + 1)), offset: record.position, timestampMs: record.arrivedAtMs };
}

export interface KafkaFailureOptions {
  readonly eventSourceArn: string | null;
  readonly bootstrapServers: string;
  /** `kafka://` destinations get one message per record, with the record and its key. */
  readonly perRecord: boolean;
  readonly toEvent: (records: readonly SourceRecord[]) => unknown;
}

export function kafkaFailureBuilder(options: KafkaFailureOptions): FailureRecordBuilder {
  return (facts) => {
    const common = {
      requestId: facts.requestId,
      functionArn: facts.functionArn,
      condition: facts.condition,
      approximateInvokeCount: facts.approximateInvokeCount,
      response: facts.response,
      timestamp: facts.timestamp,
      eventSourceArn: options.eventSourceArn,
      bootstrapServers: options.bootstrapServers,
      payloadSize: facts.records.reduce((sum, r) => sum + r.sizeBytes, 0),
    };
    if (!options.perRecord) return [kafkaFailureRecord({ ...common, records: facts.records.map(kafkaSummary) })];
    return facts.records.map((record) => {
      const key = record.eventRecord['key'];
      const message = kafkaTopicFailureRecord({ ...common, batchSize: facts.records.length, record: kafkaSummary(record), payload: options.toEvent([record]) });
      return withRecordKey(message, typeof key === 'string' ? Buffer.from(key, 'base64') : null);
    });
  };
}
