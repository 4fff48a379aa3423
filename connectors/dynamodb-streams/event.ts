/**
 * DynamoDB stream record → the exact record Lambda puts in `Records[]`, keys in the order of AWS's sample event.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (sample event)
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_Record.html (what GetRecords returns)
 *
 * Lambda forwards the GetRecords record and adds `eventSourceARN`. The SDK v3 has decoded the wire form on the way
 * in (binary attributes as bytes, `ApproximateCreationDateTime` as a Date); this module encodes it back, so the
 * function sees DynamoDB JSON exactly as the service sent it: `{"B": "<base64>"}`, epoch seconds, and so on.
 */

/**
 * One attribute value as the SDK v3 gives it: DynamoDB JSON with binary values (`B`, `BS`) as bytes. Structurally
 * the SDK's `AttributeValue` union, including its `$unknown` member for a type this SDK does not know.
 */
export interface StreamAttributeValue {
  readonly S?: string | undefined;
  readonly N?: string | undefined;
  readonly B?: Uint8Array | undefined;
  readonly SS?: readonly string[] | undefined;
  readonly NS?: readonly string[] | undefined;
  readonly BS?: readonly Uint8Array[] | undefined;
  readonly M?: Readonly<Record<string, StreamAttributeValue>> | undefined;
  readonly L?: readonly StreamAttributeValue[] | undefined;
  readonly NULL?: boolean | undefined;
  readonly BOOL?: boolean | undefined;
  readonly $unknown?: readonly [string, unknown] | undefined;
}

export type StreamAttributeMap = Readonly<Record<string, StreamAttributeValue>>;

/** The `dynamodb` part of a GetRecords record, as the SDK gives it (StreamRecord). */
export interface StreamRecordBody {
  readonly ApproximateCreationDateTime?: Date | undefined;
  readonly Keys?: StreamAttributeMap | undefined;
  readonly NewImage?: StreamAttributeMap | undefined;
  readonly OldImage?: StreamAttributeMap | undefined;
  readonly SequenceNumber?: string | undefined;
  readonly SizeBytes?: number | undefined;
  readonly StreamViewType?: string | undefined;
}

/** One GetRecords record, SDK-independent (structurally the SDK's `_Record`). */
export interface DynamoDbStreamRecordData {
  readonly eventID?: string | undefined;
  readonly eventName?: string | undefined;
  readonly eventVersion?: string | undefined;
  readonly eventSource?: string | undefined;
  readonly awsRegion?: string | undefined;
  readonly dynamodb?: StreamRecordBody | undefined;
  /** Set on deletions made by Time to Live: `{ Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' }`. */
  readonly userIdentity?: { readonly PrincipalId?: string | undefined; readonly Type?: string | undefined } | undefined;
}

export interface DynamoDbEventContext {
  /** The stream ARN (DescribeStream's StreamArn): the record's `eventSourceARN`. */
  readonly streamArn: string;
  /** `awsRegion` when the record does not carry one: the stream's region. */
  readonly region: string;
}

/**
 * The record format version when GetRecords sent none. AWS's sample event shows "1.0", but DynamoDB Streams sends
 * "1.1" (and so does DynamoDB Local), and Lambda forwards the record's own value, which is what we use when present.
 */
export const DEFAULT_EVENT_VERSION = '1.1';

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * An attribute value in DynamoDB JSON as on the wire: `{"S": …}`, `{"N": "…"}`, `{"B": base64}`, `{"SS": […]}`,
 * `{"NS": […]}`, `{"BS": [base64…]}`, `{"M": {…}}`, `{"L": […]}`, `{"NULL": true}`, `{"BOOL": …}`.
 * A type the SDK did not know (`$unknown`) is passed through as it came, so a new type never stops a shard.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_AttributeValue.html
 */
export function toWireAttributeValue(value: StreamAttributeValue): Record<string, unknown> {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.SS !== undefined) return { SS: [...value.SS] };
  if (value.NS !== undefined) return { NS: [...value.NS] };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.M !== undefined) return { M: toWireAttributeMap(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toWireAttributeValue) };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.$unknown !== undefined) return { [value.$unknown[0]]: value.$unknown[1] };
  return {};
}

/** An item (or key) in DynamoDB JSON; attribute order is the order GetRecords sent them in. */
export function toWireAttributeMap(map: StreamAttributeMap): Record<string, Record<string, unknown>> {
  const wire: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of Object.entries(map)) wire[name] = toWireAttributeValue(value);
  return wire;
}

/**
 * The `dynamodb` object, keys in AWS's order (ApproximateCreationDateTime, Keys, NewImage, OldImage, SequenceNumber,
 * SizeBytes, StreamViewType), each only when the record has it: which images are present depends on the stream
 * view type and the event (no OldImage on INSERT, no NewImage on REMOVE, neither with KEYS_ONLY).
 * `ApproximateCreationDateTime` is epoch **seconds** as a number, as on the wire.
 */
function toWireStreamRecord(body: StreamRecordBody): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  const created = body.ApproximateCreationDateTime?.getTime();
  if (created !== undefined && Number.isFinite(created)) wire['ApproximateCreationDateTime'] = created / 1000;
  if (body.Keys !== undefined) wire['Keys'] = toWireAttributeMap(body.Keys);
  if (body.NewImage !== undefined) wire['NewImage'] = toWireAttributeMap(body.NewImage);
  if (body.OldImage !== undefined) wire['OldImage'] = toWireAttributeMap(body.OldImage);
  if (body.SequenceNumber !== undefined) wire['SequenceNumber'] = body.SequenceNumber;
  if (body.SizeBytes !== undefined) wire['SizeBytes'] = body.SizeBytes;
  if (body.StreamViewType !== undefined) wire['StreamViewType'] = body.StreamViewType;
  return wire;
}

/**
 * The Lambda event record: `eventID`, `eventName`, `eventVersion`, `eventSource`, `awsRegion`, `dynamodb`,
 * `userIdentity` (TTL deletions only), `eventSourceARN`.
 *
 * `userIdentity` goes where Lambda puts it, between `dynamodb` and `eventSourceARN`, with Lambda's lower-case keys
 * (`principalId`, `type`; GetRecords says `PrincipalId`, `Type`).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/time-to-live-ttl-streams.html
 */
export function toDynamoDbEventRecord(record: DynamoDbStreamRecordData, context: DynamoDbEventContext): Record<string, unknown> {
  const event: Record<string, unknown> = {
    eventID: record.eventID ?? record.dynamodb?.SequenceNumber ?? '',
    eventName: record.eventName ?? '',
    eventVersion: record.eventVersion ?? DEFAULT_EVENT_VERSION,
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? context.region,
    dynamodb: toWireStreamRecord(record.dynamodb ?? {}),
  };
  const identity = record.userIdentity;
  if (identity !== undefined) {
    event['userIdentity'] = {
      ...(identity.PrincipalId === undefined ? {} : { principalId: identity.PrincipalId }),
      ...(identity.Type === undefined ? {} : { type: identity.Type }),
    };
  }
  event['eventSourceARN'] = context.streamArn;
  return event;
}

/**
 * A stable string for the item's primary key (partition key, plus sort key when the table has one): attribute
 * names sorted, values in DynamoDB JSON. With parallelizationFactor > 1 Lambda keeps order per item, so this is
 * the record's partition key. https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (parallelization factor)
 */
export function itemKeyOf(keys: StreamAttributeMap | undefined): string {
  const wire = toWireAttributeMap(keys ?? {});
  return JSON.stringify(
    Object.keys(wire)
      .sort()
      .map((name) => [name, wire[name]]),
  );
}
