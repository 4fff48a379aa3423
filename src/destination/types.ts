/**
 * The on-failure destination contract (DESIGN §3.4). A destination only delivers objects: the AWS on-failure
 * records themselves are built by `src/policy/on-failure-record.ts`.
 *
 * At-least-once (DESIGN §1): the executor settles discarded records only after {@link OnFailureDestination.deliver}
 * resolved. If it rejects, nothing is settled and the batch is retried, so a record may reach a destination more
 * than once (a partially delivered call is delivered again in full).
 */

/** Which implementation a destination is; matches `OnFailureDestinationConfig['type']`. */
export type DestinationKind = 'file' | 'sqs' | 'kafka' | 's3' | 'sns';

/** Where discarded records go. */
export interface OnFailureDestination {
  readonly kind: DestinationKind;
  /** `file:///abs/path`, the queue, topic or bucket ARN (or queue URL), `kafka://topic`: for logs and metrics, never a secret. */
  readonly target: string;
  /**
   * Store every record (one JSON document each). Resolves only when all of them are durably stored. Otherwise
   * rejects with `TributaryError('DESTINATION_FAILED')`: `retryable: true` for transient failures (including an
   * aborted `signal`), `retryable: false` when retrying the same records can never succeed (e.g. a record larger
   * than the destination accepts, or the destination is closed). Either way the caller settles nothing.
   */
  deliver(records: readonly object[], signal: AbortSignal): Promise<void>;
  /**
   * `deliver`, telling which records the destination dropped instead of storing them, as AWS drops them: an SNS
   * message over 256 KB (counted in DestinationDeliveryFailures). Resolves once the others are stored; a dropped
   * record is never retried. Only destinations that can drop implement it; for the others `deliver` is the same
   * with nothing dropped.
   */
  deliverAndReport?(records: readonly object[], signal: AbortSignal): Promise<DeliveryReport>;
  /** Waits for in-flight deliveries, then releases files, clients and connections. Idempotent. */
  close(): Promise<void>;
}

/** A record a destination dropped for good (see `OnFailureDestination.deliverAndReport`). */
export interface DroppedRecord {
  /** Position in the `records` given to the call. */
  readonly index: number;
  /** Why, for the logs (sizes and limits, never the content). */
  readonly reason: string;
}

/** What a delivery did with each record: stored, or dropped for good. */
export interface DeliveryReport {
  readonly dropped: readonly DroppedRecord[];
}
