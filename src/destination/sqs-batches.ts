/**
 * Pure planning of SendMessageBatch requests for the SQS on-failure destination, and the small interface the SDK
 * adapter implements. Limits (SQS developer guide, "Amazon SQS message quotas"; API_SendMessageBatch):
 * at most 10 entries per batch, and since August 2025 at most 1 MiB (1,048,576 bytes) per message and for the sum of
 * a batch's messages. A queue whose MaximumMessageSize attribute is lower refuses smaller messages; that comes back
 * as a (retryable) request failure, since reading the attribute would need a permission AWS's destination does not.
 */

/** Entries per SendMessageBatch request. */
export const SQS_MAX_BATCH_ENTRIES = 10;
/** Largest message body, in UTF-8 bytes. */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
/** Largest sum of the bodies of one SendMessageBatch request, in UTF-8 bytes. */
export const SQS_MAX_BATCH_BYTES = 1_048_576;

/** One message to send; `id` is unique within a deliver call and kept across retries of that entry. */
export interface SqsEntry {
  readonly id: string;
  readonly body: string;
  readonly bytes: number;
}

export interface SqsBatchLimits {
  readonly maxEntries: number;
  readonly maxMessageBytes: number;
  readonly maxBatchBytes: number;
}

export const SQS_BATCH_LIMITS: SqsBatchLimits = {
  maxEntries: SQS_MAX_BATCH_ENTRIES,
  maxMessageBytes: SQS_MAX_MESSAGE_BYTES,
  maxBatchBytes: SQS_MAX_BATCH_BYTES,
};

/** The batches to send, in record order, or the first record no batch can carry. */
export type SqsBatchPlan =
  | { readonly ok: true; readonly batches: readonly (readonly SqsEntry[])[] }
  | { readonly ok: false; readonly index: number; readonly bytes: number };

/**
 * Greedy packing in record order: a batch closes at `maxEntries` entries or before its bodies would exceed
 * `maxBatchBytes`. A body larger than `maxMessageBytes` makes the whole plan fail, before anything is sent.
 */
export function planSqsBatches(bodies: readonly string[], limits: SqsBatchLimits = SQS_BATCH_LIMITS): SqsBatchPlan {
  const batches: SqsEntry[][] = [];
  let current: SqsEntry[] = [];
  let currentBytes = 0;
  for (const [index, body] of bodies.entries()) {
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > limits.maxMessageBytes) return { ok: false, index, bytes };
    if (current.length > 0 && (current.length >= limits.maxEntries || currentBytes + bytes > limits.maxBatchBytes)) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push({ id: `r${index}`, body, bytes });
    currentBytes += bytes;
  }
  if (current.length > 0) batches.push(current);
  return { ok: true, batches };
}

/**
 * An SQS message body is XML-safe Unicode: #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF
 * (API_SendMessage). `JSON.stringify` already escapes control characters and lone surrogates; the two remaining
 * non-characters U+FFFE and U+FFFF are escaped here, which leaves the JSON value unchanged.
 */
export function sqsBody(json: string): string {
  return json.replace(/[\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

/** An entry SQS did not accept. */
export interface SqsEntryFailure {
  readonly id: string;
  readonly code: string;
  readonly message: string;
  /** SQS's SenderFault: the request itself is wrong, so resending it unchanged will not help. */
  readonly senderFault: boolean;
}

/** What the destination needs from SQS; implemented over the SDK by `sqs-destination-client.ts`. */
export interface SqsSendApi {
  /**
   * One SendMessageBatch request. Resolves with the entries not accepted (every entry SQS did not list as
   * successful); rejects with `DESTINATION_FAILED` when the whole request failed.
   */
  sendBatch(queueUrl: string, entries: readonly SqsEntry[], signal: AbortSignal): Promise<readonly SqsEntryFailure[]>;
  close(): void;
}
