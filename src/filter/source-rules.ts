/**
 * Per-source rules for the record's *data* field (SQS `body`, Kinesis `data`, DynamoDB `dynamodb`,
 * Kafka `value`): which key holds it, and what Lambda does when the payload and the pattern for it
 * are in different formats (JSON vs plain string). Straight from the three tables of
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html — "Properly filtering
 * Amazon SQS messages" (#filtering-sqs), "Properly filtering Kinesis and DynamoDB messages"
 * (#filtering-streams) and "Properly filtering Amazon Managed Streaming for Apache Kafka,
 * self-managed Apache Kafka, and Amazon MQ messages" (#filtering-poller). EventBridge Pipes
 * documents the same three tables word for word
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-event-filtering.html).
 */

/** The sources Tributary filters; the same names as `source.type` in the config (DESIGN §4). */
export type FilterSourceType = 'sqs' | 'kinesis' | 'dynamodb-streams' | 'kafka';

/** The event-record field that carries a decoded payload (the connector's `filterDataKey`). */
export type PayloadKey = 'body' | 'data' | 'value';

/**
 * What the payload turned out to be.
 * - `json`: valid JSON object or array (parsed).
 * - `plain-string`: anything else that decoded to a string, including JSON scalars such as `42`.
 * - `not-utf8`: bytes that are not valid UTF-8.
 * - `absent`: no payload (e.g. a Kafka tombstone).
 * - `native`: the source has no encoded payload; its data is already structured in the record (DynamoDB).
 */
export type PayloadFormat = 'json' | 'plain-string' | 'not-utf8' | 'absent' | 'native';

/** Format of the pattern written for the data key: `{"body": {…}}` is JSON, `{"body": […]}` is plain. */
export type DataPatternFormat = 'json' | 'plain';

/** What to do with the data-key part of a pattern for one record. */
export type DataFieldAction =
  /** Evaluate it like any other field. */
  | 'match'
  /** The pattern (or `$or` branch) does not match: "Lambda drops the message". */
  | 'drop'
  /** Skip it: "Lambda filters (on the other metadata properties only)". */
  | 'ignore';

/** How one source treats its data field. */
export interface SourceFilterRules {
  readonly source: FilterSourceType;
  /** Name used in messages, e.g. `Kinesis`. */
  readonly label: string;
  /** Top-level pattern key that addresses the data properties. */
  readonly dataKey: 'body' | 'data' | 'dynamodb' | 'value';
  /** Record field holding an encoded payload, or null when the data is already structured (DynamoDB). */
  readonly payloadKey: PayloadKey | null;
  /**
   * Streams: "The filter pattern for data properties must be in a valid JSON format" — a plain
   * (non-object) pattern for the data key is rejected when the mapping is created.
   */
  readonly dataPatternMustBeJson: boolean;
  /** SQS and streams drop the record on a format mismatch; Kafka falls back to the metadata filters. */
  readonly onMismatch: 'drop' | 'ignore';
}

/** The rules of every source, keyed by `source.type`. */
export const SOURCE_FILTER_RULES: Readonly<Record<FilterSourceType, SourceFilterRules>> = {
  sqs: { source: 'sqs', label: 'Amazon SQS', dataKey: 'body', payloadKey: 'body', dataPatternMustBeJson: false, onMismatch: 'drop' },
  kinesis: { source: 'kinesis', label: 'Kinesis', dataKey: 'data', payloadKey: 'data', dataPatternMustBeJson: true, onMismatch: 'drop' },
  'dynamodb-streams': {
    source: 'dynamodb-streams',
    label: 'DynamoDB',
    dataKey: 'dynamodb',
    payloadKey: null,
    dataPatternMustBeJson: true,
    onMismatch: 'drop',
  },
  kafka: { source: 'kafka', label: 'Kafka', dataKey: 'value', payloadKey: 'value', dataPatternMustBeJson: false, onMismatch: 'ignore' },
};

/**
 * Decides how the data-key part of a pattern applies to one record (the "Resulting action" column).
 *
 * SQS: plain/plain and JSON/JSON filter; plain string vs JSON pattern and JSON vs plain-string
 * pattern: "Lambda drops the message".
 * Kinesis / DynamoDB: JSON/JSON filters; "Non-JSON | Valid JSON | Lambda drops the record"; a
 * non-JSON pattern never gets here (rejected at compile time, see `dataPatternMustBeJson`).
 * Kafka: plain/plain and JSON/JSON filter; every mismatch, and a "Non-UTF-8 encoded string", means
 * "Lambda filters (on the other metadata properties only)".
 *
 * Not in the tables, our choice: an `absent` payload (null Kafka value) is treated like a mismatch.
 * "No filter pattern for data properties" needs no rule: a pattern without the data key never asks.
 */
export function dataFieldAction(rules: SourceFilterRules, payload: PayloadFormat, pattern: DataPatternFormat): DataFieldAction {
  if (payload === 'native') return 'match';
  if (pattern === 'json' && payload === 'json') return 'match';
  if (pattern === 'plain' && payload === 'plain-string' && !rules.dataPatternMustBeJson) return 'match';
  return rules.onMismatch;
}
