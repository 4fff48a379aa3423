// GetRecords record → Lambda event record. The records go through the real SDK v3 deserializer (a canned HTTP
// response, no network), so the test covers what the SDK turns the wire form into (Uint8Array, Date) and back.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DynamoDBStreamsClient, GetRecordsCommand } from '@aws-sdk/client-dynamodb-streams';
import { DEFAULT_EVENT_VERSION, itemKeyOf, toDynamoDbEventRecord, type DynamoDbStreamRecordData } from '../../../connectors/dynamodb-streams/event.js';

/**
 * AWS's sample DynamoDB event, verbatim (reference aws-esm-semantics.md §4.2,
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html).
 */
const AWS_SAMPLE = `{
  "Records": [
    {
      "eventID": "1",
      "eventName": "INSERT",
      "eventVersion": "1.0",
      "eventSource": "aws:dynamodb",
      "awsRegion": "us-east-1",
      "dynamodb": {
        "ApproximateCreationDateTime": 1479499740,
        "Keys": {
          "Id": {
            "N": "101"
          }
        },
        "NewImage": {
          "Message": {
            "S": "New item!"
          },
          "Id": {
            "N": "101"
          }
        },
        "SequenceNumber": "111",
        "SizeBytes": 26,
        "StreamViewType": "NEW_AND_OLD_IMAGES"
      },
      "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/ExampleTableWithStream/stream/2015-06-27T00:48:05.899"
    }
  ]
}`;

const STREAM_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/ExampleTableWithStream/stream/2015-06-27T00:48:05.899';
const context = { streamArn: STREAM_ARN, region: 'us-east-1' };

/** Decodes a GetRecords response body with the real SDK, as client.ts gets it. */
async function decode(wireRecords: readonly unknown[]): Promise<DynamoDbStreamRecordData[]> {
  const body = Buffer.from(JSON.stringify({ Records: wireRecords, NextShardIterator: 'next' }));
  const client = new DynamoDBStreamsClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' },
    requestHandler: {
      handle: () => Promise.resolve({ response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([body]) } }),
    },
  });
  try {
    const result = await client.send(new GetRecordsCommand({ ShardIterator: 'iterator' }));
    return result.Records ?? [];
  } finally {
    client.destroy();
  }
}

async function eventOf(wireRecord: unknown): Promise<Record<string, unknown>> {
  const [record] = await decode([wireRecord]);
  if (record === undefined) throw new Error('no record decoded');
  return toDynamoDbEventRecord(record, context);
}

/** The sample's record as GetRecords sends it: the same record without `eventSourceARN`, which Lambda adds. */
function sampleWireRecord(): Record<string, unknown> {
  const [record] = (JSON.parse(AWS_SAMPLE) as { Records: Record<string, unknown>[] }).Records;
  const { eventSourceARN: _arn, ...wire } = record ?? {};
  return wire;
}

describe('toDynamoDbEventRecord', () => {
  it("rebuilds AWS's sample from a GetRecords record field for field, in AWS's key order", async () => {
    const record = await eventOf(sampleWireRecord());
    const expected = (JSON.parse(AWS_SAMPLE) as { Records: unknown[] }).Records[0];
    expect(record).toEqual(expected);
    expect(JSON.stringify(record)).toBe(JSON.stringify(expected));
    expect(JSON.stringify({ Records: [record] }, null, 2)).toBe(AWS_SAMPLE);
  });

  it('round-trips every attribute type exactly as on the wire, nested ones included', async () => {
    const image = {
      pk: { S: 'item#1' },
      empty: { S: '' },
      n: { N: '-12.5e3' },
      big: { N: '123456789012345678901234567890.123456789' },
      b: { B: Buffer.from([0, 255, 128, 10]).toString('base64') },
      emptyB: { B: '' },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.5'] },
      bs: { BS: [Buffer.from('x').toString('base64'), Buffer.from([1, 2, 3]).toString('base64')] },
      m: { M: { inner: { M: { deep: { L: [{ S: 'q' }, { N: '3' }, { NULL: true }] } } }, flag: { BOOL: false } } },
      l: { L: [{ B: 'AQ==' }, { SS: ['z'] }, { M: {} }, { L: [] }, { BOOL: true }] },
      nul: { NULL: true },
      t: { BOOL: true },
      f: { BOOL: false },
    };
    const keys = { pk: { S: 'item#1' } };
    const record = await eventOf({ ...sampleWireRecord(), dynamodb: { Keys: keys, NewImage: image, OldImage: image, SequenceNumber: '5', SizeBytes: 9, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    const dynamodb = record['dynamodb'] as Record<string, unknown>;
    expect(JSON.stringify(dynamodb['NewImage'])).toBe(JSON.stringify(image));
    expect(JSON.stringify(dynamodb['OldImage'])).toBe(JSON.stringify(image));
    expect(dynamodb['Keys']).toEqual(keys);
  });

  it('encodes binary attributes that are views into a larger buffer', () => {
    const backing = Buffer.from('xxHELLOyy');
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, 5);
    const record = toDynamoDbEventRecord({ dynamodb: { Keys: { k: { B: view } }, NewImage: { s: { BS: [view] } } } }, context);
    expect((record['dynamodb'] as Record<string, unknown>)['Keys']).toEqual({ k: { B: Buffer.from('HELLO').toString('base64') } });
    expect((record['dynamodb'] as Record<string, unknown>)['NewImage']).toEqual({ s: { BS: [Buffer.from('HELLO').toString('base64')] } });
  });

  it('passes a type the SDK does not know through unchanged', () => {
    const record = toDynamoDbEventRecord({ dynamodb: { NewImage: { x: { $unknown: ['VEC', [1, 2]] } } } }, context);
    expect((record['dynamodb'] as Record<string, unknown>)['NewImage']).toEqual({ x: { VEC: [1, 2] } });
  });

  it('carries the TTL userIdentity as Lambda does: lower-case keys, between dynamodb and eventSourceARN', async () => {
    const ttl = await eventOf({
      ...sampleWireRecord(),
      eventName: 'REMOVE',
      dynamodb: { ApproximateCreationDateTime: 1772791961.0, Keys: { Id: { N: '101' } }, OldImage: { Id: { N: '101' } }, SequenceNumber: '9', SizeBytes: 12, StreamViewType: 'OLD_IMAGE' },
      userIdentity: { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' },
    });
    expect(ttl['userIdentity']).toEqual({ type: 'Service', principalId: 'dynamodb.amazonaws.com' });
    // Key order of real Lambda events (GetRecords' PrincipalId, Type order); AWS's TTL page shows a fragment only.
    expect(JSON.stringify(ttl['userIdentity'])).toBe('{"principalId":"dynamodb.amazonaws.com","type":"Service"}');
    expect(Object.keys(ttl)).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'userIdentity', 'eventSourceARN']);
    expect((ttl['dynamodb'] as Record<string, unknown>)['ApproximateCreationDateTime']).toBe(1772791961);

    const userDelete = await eventOf({ ...sampleWireRecord(), eventName: 'REMOVE' });
    expect(userDelete).not.toHaveProperty('userIdentity');
    expect(Object.keys(userDelete)).toEqual(['eventID', 'eventName', 'eventVersion', 'eventSource', 'awsRegion', 'dynamodb', 'eventSourceARN']);
  });

  describe.each([
    ['KEYS_ONLY', { INSERT: [], MODIFY: [], REMOVE: [] }],
    ['NEW_IMAGE', { INSERT: ['NewImage'], MODIFY: ['NewImage'], REMOVE: [] }],
    ['OLD_IMAGE', { INSERT: [], MODIFY: ['OldImage'], REMOVE: ['OldImage'] }],
    ['NEW_AND_OLD_IMAGES', { INSERT: ['NewImage'], MODIFY: ['NewImage', 'OldImage'], REMOVE: ['OldImage'] }],
  ] as const)('StreamViewType %s', (viewType, images) => {
    it.each(['INSERT', 'MODIFY', 'REMOVE'] as const)('%s has exactly the images the view type gives it', async (eventName) => {
      const present: readonly string[] = images[eventName];
      const keys = { pk: { S: 'a' }, sk: { N: '1' } };
      const item = { ...keys, v: { S: eventName } };
      const wireBody: Record<string, unknown> = { ApproximateCreationDateTime: 1700000000, Keys: keys };
      if (present.includes('NewImage')) wireBody['NewImage'] = item;
      if (present.includes('OldImage')) wireBody['OldImage'] = item;
      Object.assign(wireBody, { SequenceNumber: '300000000000000000001', SizeBytes: 20, StreamViewType: viewType });
      const record = await eventOf({ ...sampleWireRecord(), eventName, dynamodb: wireBody });
      const dynamodb = record['dynamodb'] as Record<string, unknown>;
      expect(record['eventName']).toBe(eventName);
      expect(Object.keys(dynamodb)).toEqual(['ApproximateCreationDateTime', 'Keys', ...present, 'SequenceNumber', 'SizeBytes', 'StreamViewType']);
      expect(dynamodb['StreamViewType']).toBe(viewType);
      expect(dynamodb['Keys']).toEqual(keys);
    });
  });

  it('keeps NewImage before OldImage, as in AWS samples', async () => {
    const record = await eventOf({ ...sampleWireRecord(), dynamodb: { OldImage: { a: { S: 'old' } }, Keys: { a: { S: 'k' } }, NewImage: { a: { S: 'new' } } } });
    expect(Object.keys(record['dynamodb'] as object)).toEqual(['Keys', 'NewImage', 'OldImage']);
  });

  it('gives ApproximateCreationDateTime in epoch seconds, as a number', () => {
    const at = (ms: number): unknown =>
      (toDynamoDbEventRecord({ dynamodb: { ApproximateCreationDateTime: new Date(ms) } }, context)['dynamodb'] as Record<string, unknown>)['ApproximateCreationDateTime'];
    expect(at(1479499740000)).toBe(1479499740);
    expect(at(1795527120000)).toBe(1795527120);
    expect(at(1700000000250)).toBe(1700000000.25);
    const none = toDynamoDbEventRecord({ dynamodb: { SequenceNumber: '1' } }, context);
    expect(none['dynamodb']).toEqual({ SequenceNumber: '1' });
  });

  it("forwards the record's eventVersion and awsRegion, with fallbacks when GetRecords sent none", async () => {
    const sent = await eventOf({ ...sampleWireRecord(), eventVersion: '1.1', awsRegion: 'eu-west-1' });
    expect(sent).toMatchObject({ eventVersion: '1.1', awsRegion: 'eu-west-1', eventSource: 'aws:dynamodb' });
    const bare = toDynamoDbEventRecord({ eventID: 'e', eventName: 'INSERT', dynamodb: { SequenceNumber: '7' } }, context);
    expect(bare).toMatchObject({ eventVersion: DEFAULT_EVENT_VERSION, awsRegion: 'us-east-1', eventSourceARN: STREAM_ARN });
    expect(DEFAULT_EVENT_VERSION).toBe('1.1');
  });
});

describe('itemKeyOf', () => {
  it('is the same string whatever the attribute order, and differs per item', () => {
    const a = itemKeyOf({ pk: { S: 'a' }, sk: { N: '1' } });
    expect(itemKeyOf({ sk: { N: '1' }, pk: { S: 'a' } })).toBe(a);
    expect(itemKeyOf({ pk: { S: 'a' }, sk: { N: '2' } })).not.toBe(a);
    expect(itemKeyOf({ pk: { S: 'a' } })).not.toBe(a);
    expect(a).toBe('[["pk",{"S":"a"}],["sk",{"N":"1"}]]');
  });

  it('encodes binary keys and tolerates a record without Keys', () => {
    expect(itemKeyOf({ id: { B: new Uint8Array([1, 2]) } })).toBe('[["id",{"B":"AQI="}]]');
    expect(itemKeyOf(undefined)).toBe('[]');
  });
});
