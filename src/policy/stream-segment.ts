/**
 * Segments of a stream batch, and the MaximumRecordAge rule applied before each invocation.
 *
 * A stream-like source (Kinesis, DynamoDB Streams, Kafka with error controls) retries a failed batch IN PLACE
 * while its shard (partition) waits: "the shard is blocked while a batch is retried" (reference §3.2).
 * The batch is modelled as an ordered queue of segments; initially one segment holds the whole batch in shard
 * order. Retries, bisection and partial responses replace the head segment with smaller ones
 * (see `nextStreamStep` in stream-step.ts). Segments never grow and never reorder records.
 */

/** What the stream policy needs to know about a record. */
export interface StreamRecordRef {
  /** What a function names in `batchItemFailures`: the sequence number (Kinesis, DynamoDB) or the Kafka id. */
  readonly id: string;
  /** ApproximateArrivalTimestamp / ApproximateCreationDateTime / Kafka timestamp, epoch ms. */
  readonly arrivedAtMs: number;
}

/** A run of consecutive records of one batch that are invoked together. */
export interface Segment<R> {
  /** In shard order. */
  readonly records: readonly R[];
  /**
   * Retry attempts used by these records. The initial invocation is not counted, as AWS's
   * MaximumRetryAttempts "doesn't count the initial invocation attempt" (reference §3.4, KF-RETRY).
   * This is the number the core persists with the checkpoint so that retry state survives restarts.
   */
  readonly retries: number;
  /**
   * Consecutive throttles (or service errors) of this exact segment, only to grow the back-off.
   * They never count toward MaximumRetryAttempts. Absent = 0.
   */
  readonly throttles?: number;
}

/** The segment a fresh batch starts as (or a re-read batch, with the retries restored from the checkpoint). */
export function initialSegment<R>(records: readonly R[], retries = 0): Segment<R> {
  return { records, retries };
}

/** `-1` means "infinite" for MaximumRetryAttempts and MaximumRecordAgeInSeconds; we treat any negative so. */
export function isUnlimited(limit: number): boolean {
  return limit < 0;
}

/** Result of {@link expireRecords}. */
export interface ExpiryResult<R> {
  /** Records older than MaximumRecordAge, in shard order: discard them with condition `RecordAgeExceeded`. */
  readonly expired: readonly R[];
  /** What is left to invoke, retries unchanged; null when every record expired. */
  readonly segment: Segment<R> | null;
}

/**
 * Split off the records that are older than MaximumRecordAge, before an invocation.
 *
 * AWS: records older than MaximumRecordAge are discarded instead of being sent to the function; the rule applies
 * before invocation (throttling) and during retries; -1 = no limit, records are retried until they expire from the
 * stream. https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html (reference §3.4)
 *
 * Expired records are usually a prefix (arrival times grow along the shard) but arrival times are approximate, so
 * exactly the expired records are removed and the others keep their order. "Older than" is strict: a record whose
 * age equals the limit is still invoked. The caller calls this before every invocation of the head segment.
 */
export function expireRecords<R extends StreamRecordRef>(
  segment: Segment<R>,
  config: { readonly maximumRecordAgeMs: number },
  nowMs: number,
): ExpiryResult<R> {
  if (isUnlimited(config.maximumRecordAgeMs)) return { expired: [], segment };
  const expired: R[] = [];
  const kept: R[] = [];
  for (const record of segment.records) {
    (nowMs - record.arrivedAtMs > config.maximumRecordAgeMs ? expired : kept).push(record);
  }
  if (expired.length === 0) return { expired, segment };
  if (kept.length === 0) return { expired, segment: null };
  return { expired, segment: { ...segment, records: kept } };
}
