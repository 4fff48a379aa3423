/**
 * Strict parsing of a `ReportBatchItemFailures` response, exactly as AWS specifies.
 * https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting
 * https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
 *
 * Complete success: an empty or null `batchItemFailures` list, an empty EventResponse (`{}`), a null response.
 * Complete failure: an invalid JSON response, an empty-string or null `itemIdentifier`, an item with a bad key
 * name, an identifier that is not in the batch. Without ReportBatchItemFailures the response is ignored.
 */

export type PartialFailureVerdict =
  | { readonly kind: 'success' }
  | { readonly kind: 'partial'; readonly failedIds: readonly string[] }
  | { readonly kind: 'invalid'; readonly reason: string };

export interface PartialFailureOptions {
  readonly reportBatchItemFailures: boolean;
  /**
   * Identifiers that may be named (messageId, sequence number…); a function is called only when the response names
   * any, so a complete success never builds the set.
   */
  readonly batchIds: ReadonlySet<string> | (() => ReadonlySet<string>);
  /**
   * Turns a non-string `itemIdentifier` into the batch's string form, or null when it cannot. Kafka handlers
   * report objects such as `{"partition": "orders-0", "offset": 15}`; other sources accept strings only.
   */
  readonly normalizeId?: (value: unknown) => string | null;
}

const SUCCESS: PartialFailureVerdict = { kind: 'success' };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decide what a successful invocation's response means for the batch.
 * `payload` is the decoded response; a string that failed to decode as JSON arrives as `{ invalidJson: true }`
 * from runners that see raw bytes (see InvokeResult), which the caller maps to `invalid` before calling.
 */
export function parseBatchItemFailures(payload: unknown, options: PartialFailureOptions): PartialFailureVerdict {
  if (!options.reportBatchItemFailures) return SUCCESS;
  if (payload === null || payload === undefined) return SUCCESS;
  // A response that is not an object cannot be an EventResponse: AWS treats responses it cannot read as a
  // complete failure. (AWS lists "an invalid JSON response"; we apply the same rule to JSON that is not an object.)
  if (!isPlainObject(payload)) return { kind: 'invalid', reason: 'response is not a JSON object' };
  const list = payload['batchItemFailures'];
  if (list === undefined || list === null) return SUCCESS;
  if (!Array.isArray(list)) return { kind: 'invalid', reason: 'batchItemFailures is not a list' };
  if (list.length === 0) return SUCCESS;
  const failed: string[] = [];
  const seen = new Set<string>();
  const batchIds = typeof options.batchIds === 'function' ? options.batchIds() : options.batchIds;
  for (const [index, item] of list.entries()) {
    if (!isPlainObject(item) || !('itemIdentifier' in item)) {
      return { kind: 'invalid', reason: `batchItemFailures[${index}] has no itemIdentifier` };
    }
    const raw = item['itemIdentifier'];
    const id = typeof raw !== 'string' && options.normalizeId !== undefined ? options.normalizeId(raw) : raw;
    if (typeof id !== 'string' || id === '') {
      return { kind: 'invalid', reason: `batchItemFailures[${index}].itemIdentifier is empty or not a string` };
    }
    if (!batchIds.has(id)) {
      return { kind: 'invalid', reason: `batchItemFailures[${index}].itemIdentifier is not in the batch` };
    }
    if (!seen.has(id)) {
      seen.add(id);
      failed.push(id);
    }
  }
  return { kind: 'partial', failedIds: failed };
}

