/**
 * Builds the object a pattern is matched against from one event record and its decoded payload.
 *
 * Lambda decodes the data field before filtering: SQS `body` is "any string" and is filtered as JSON
 * when it is valid JSON; Kinesis `data` is base64-decoded; "Lambda decodes Kafka and Amazon MQ byte
 * arrays into UTF-8 before applying filter criteria"
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-sqs,
 * #filtering-streams, #filtering-poller).
 *
 * Which payloads count as "valid JSON" — AWS does not say. Our choice: a JSON **object or array**.
 * JSON scalars (`42`, `true`, `"quoted"`, `null`) are kept as plain strings, because a scalar can never
 * satisfy a JSON (object) pattern, while as a string it can still be matched by a plain-string pattern
 * such as `{"body": ["42"]}`. Arrays count as JSON because EventBridge matches object patterns
 * against arrays of objects.
 */
import { type JsonValue, parseJson } from './json-text.js';
import type { PayloadFormat, PayloadKey } from './source-rules.js';

/** The object filter patterns are matched against, and how its payload was read. */
export interface FilterView {
  /** The record field that held the payload; null when the source has none (DynamoDB). */
  readonly dataKey: PayloadKey | null;
  /** How the payload was read; `json` means the parsed value sits at `event[dataKey]`. */
  readonly payloadFormat: PayloadFormat;
  /**
   * The record with `dataKey` replaced by the parsed payload (`json`, numbers as `JsonNumber` so
   * `300.0` keeps its text), by the payload string (`plain-string`), or removed (`not-utf8`, `absent`).
   */
  readonly event: Readonly<Record<string, unknown>>;
}

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Builds a {@link FilterView}.
 *
 * @param record The fields patterns address at the top level: the SQS message record, the Kinesis
 *   record's `kinesis` object (`partitionKey`, `sequenceNumber`, `data`, …), the DynamoDB stream record
 *   (`eventName`, `dynamodb`, …) or the Kafka record (`topic`, `partition`, `value`, …).
 * @param dataKey The field holding the payload (`body`, `data`, `value`), or null (DynamoDB: `dynamodb`
 *   is already an object in the record, nothing is decoded).
 * @param payload The payload: a string already decoded (SQS body, base64-decoded Kinesis data, Kafka
 *   value), raw bytes (checked as UTF-8 here: invalid ⇒ `not-utf8`), or null when there is none.
 */
export function filterView(
  record: Readonly<Record<string, unknown>>,
  dataKey: PayloadKey | null,
  payload: string | Uint8Array | null,
): FilterView {
  if (dataKey === null) return { dataKey, payloadFormat: 'native', event: record };
  const text = typeof payload === 'string' || payload === null ? payload : decodeUtf8(payload);
  if (text === null) return { dataKey, payloadFormat: payload === null ? 'absent' : 'not-utf8', event: withoutKey(record, dataKey) };
  const json = parseStructuredJson(text);
  if (json === undefined) return { dataKey, payloadFormat: 'plain-string', event: { ...record, [dataKey]: text } };
  return { dataKey, payloadFormat: 'json', event: { ...record, [dataKey]: json } };
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return FATAL_UTF8.decode(bytes);
  } catch {
    return null;
  }
}

/** The parsed payload when it is a JSON object or array, else undefined. */
function parseStructuredJson(text: string): JsonValue | undefined {
  // Cheap pre-check: only `{` or `[` (after JSON whitespace) can start an object or array,
  // so plain-text payloads are never run through the parser.
  const first = /[^ \t\n\r]/.exec(text)?.[0];
  if (first !== '{' && first !== '[') return undefined;
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : undefined;
}

function withoutKey(record: Readonly<Record<string, unknown>>, key: string): Readonly<Record<string, unknown>> {
  if (!Object.hasOwn(record, key)) return record;
  const copy: Record<string, unknown> = { ...record };
  delete copy[key];
  return copy;
}
