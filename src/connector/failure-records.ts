/**
 * Builds the on-failure records for discarded records: AWS's invocation record for streams (KinesisBatchInfo /
 * DDBStreamBatchInfo, metadata only; for a `kafka://` topic with the invocation event as `payload`, AWS's S3 form,
 * keyed by shard id) and for Kafka (KafkaBatchInfo for SQS / file destinations; one message per record, with the
 * record and its original key, for a `kafka://` topic). Reference §3.6.
 */
import type { OnFailureDestinationConfig } from '../config/types.js';
import type { SourceRecord } from './types.js';
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

/** How stream on-failure records are built beyond AWS's metadata-only SQS/SNS form. */
export interface StreamFailureOptions {
  /** Add `payload`: the invocation event of the discarded records as a JSON string (AWS's S3 form). */
  readonly withPayload: boolean;
  /** Tag the record with the shard id as its Kafka message key (see `withRecordKey`). */
  readonly keyByShard: boolean;
  /** The invocation event of records (the source's `toEvent`); used when `withPayload`. */
  readonly toEvent: (records: readonly SourceRecord[]) => unknown;
}

/**
 * Whether a destination gets the discarded records' invocation event as `payload`: "For Amazon S3 destinations,
 * Lambda also sends the entire invocation record along with the metadata"
 * (https://docs.aws.amazon.com/lambda/latest/dg/kafka-on-failure.html, services-dynamodb-errors.html); a `kafka://`
 * topic gets the records too [KF-OFD]. SQS, SNS and file destinations get AWS's metadata-only record.
 */
export function destinationCarriesPayload(destination: Pick<OnFailureDestinationConfig, 'type'>): boolean {
  return destination.type === 's3' || destination.type === 'kafka';
}

/** Metadata only, no key: the record AWS sends to SQS and SNS. */
const METADATA_ONLY: StreamFailureOptions = { withPayload: false, keyByShard: false, toEvent: () => null };

/**
 * One record per discarded batch. For a `kafka://` destination use `{ withPayload: true, keyByShard: true }`: the
 * message then carries the records (a stream is not re-readable after its retention) and a shard's failures stay
 * in order on one partition.
 */
export function streamFailureBuilder(
  source: 'kinesis' | 'dynamodb-streams',
  streamArn: () => string,
  options: StreamFailureOptions = METADATA_ONLY,
): FailureRecordBuilder {
  return (facts) => {
    const record = streamFailureRecord({
      source,
      ...invocationFacts(facts),
      shardId: facts.shard,
      streamArn: streamArn(),
      ...streamBatchRange(source, facts.records.map((r) => ({ sequenceNumber: r.position, arrivedAtMs: r.arrivedAtMs }))),
      ...(options.withPayload ? { payload: JSON.stringify(options.toEvent(facts.records)) } : {}),
    });
    return [options.keyByShard ? withRecordKey(record, facts.shard) : record];
  };
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
  /** Add `payload`, the discarded records' invocation event as a JSON string (AWS's S3 form); ignored with `perRecord`. */
  readonly withPayload?: boolean;
  readonly toEvent: (records: readonly SourceRecord[]) => unknown;
}

export function kafkaFailureBuilder(options: KafkaFailureOptions): FailureRecordBuilder {
  return (facts) => {
    const common = {
      ...invocationFacts(facts),
      eventSourceArn: options.eventSourceArn,
      bootstrapServers: options.bootstrapServers,
      payloadSize: facts.records.reduce((sum, r) => sum + r.sizeBytes, 0),
    };
    if (!options.perRecord) {
      const payload = options.withPayload === true ? { payload: JSON.stringify(options.toEvent(facts.records)) } : {};
      return [kafkaFailureRecord({ ...common, records: facts.records.map(kafkaSummary), ...payload })];
    }
    return facts.records.map((record) => {
      const key = record.eventRecord['key'];
      const message = kafkaTopicFailureRecord({ ...common, batchSize: facts.records.length, record: kafkaSummary(record), payload: options.toEvent([record]) });
      return withRecordKey(message, typeof key === 'string' ? Buffer.from(key, 'base64') : null);
    });
  };
}

/** What every invocation record says about the invocation, as the failure facts carry it. */
function invocationFacts(facts: Parameters<FailureRecordBuilder>[0]) {
  const { requestId, functionArn, condition, approximateInvokeCount, response, timestamp } = facts;
  return { requestId, functionArn, condition, approximateInvokeCount, response, timestamp };
}
