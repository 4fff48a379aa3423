/**
 * Examples copied from AWS documentation, with the result the page states.
 * Lambda: https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html (and the per-source
 * filtering pages); EventBridge: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * and its content-filtering / arrays / null-values pages; aws/event-ruler README for `$or`.
 */
import { describe, expect, it } from 'vitest';
import { filterView } from '../../../src/filter/index.js';
import { compile, matchesEvent } from './support.js';

describe('Lambda developer guide', () => {
  // "Suppose you have a Kinesis event source, and you want your function to handle only events with a
  // specific partitionKey … In addition … the Location field … equal to "Los Angeles"."
  const losAngeles = '{ "partitionKey": [ "1" ], "data": { "Location": [ "Los Angeles" ] }}';
  const kinesisRecord = (partitionKey: string) => ({
    kinesisSchemaVersion: '1.0',
    partitionKey,
    sequenceNumber: '49590338271490256608559692538361571095921575989136588898',
    data: 'base64…',
    approximateArrivalTimestamp: 1545084650.987,
  });

  it('partitionKey "1" and Location "Los Angeles"', () => {
    const filter = compile([losAngeles], 'kinesis');
    expect(filter.matches(filterView(kinesisRecord('1'), 'data', '{"Location": "Los Angeles"}'))).toBe(true);
    expect(filter.matches(filterView(kinesisRecord('2'), 'data', '{"Location": "Los Angeles"}'))).toBe(false);
    expect(filter.matches(filterView(kinesisRecord('1'), 'data', '{"Location": "Seattle"}'))).toBe(false);
  });

  it('Temperature greater than 50 and less than or equal to 60', () => {
    const filter = compile(['{ "data": { "Temperature": [ {"numeric": [ ">", 50, "<=", 60 ] } ]}}'], 'kinesis');
    const temp = (t: string) => filter.matches(filterView(kinesisRecord('1'), 'data', `{"City": "Seattle", "Temperature": ${t}}`));
    expect(temp('55')).toBe(true);
    expect(temp('60')).toBe(true);
    expect(temp('50')).toBe(false);
    // The page's sample event writes "Temperature": "46" — a string, which numeric never matches.
    expect(temp('"55"')).toBe(false);
  });

  it('multi-level DynamoDB filtering: Keys.Id.N is 101', () => {
    const filter = compile(['{ "dynamodb": { "Keys": { "Id": { "N": [ "101" ] } } } }'], 'dynamodb-streams');
    const record = {
      eventName: 'INSERT',
      dynamodb: {
        Keys: { Id: { N: '101' } },
        NewImage: { Message: { S: 'New item!' }, Id: { N: '101' } },
        SequenceNumber: '111',
        SizeBytes: 26,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
    expect(filter.matches(filterView(record, null, null))).toBe(true);
    expect(filter.matches(filterView({ ...record, dynamodb: { ...record.dynamodb, Keys: { Id: { N: '102' } } } }, null, null))).toBe(false);
  });

  it('console example { "a" : [ 1, 2 ] }: "only the records where field a is equal to 1 or 2"', () => {
    expect(matchesEvent('{ "a" : [ 1, 2 ] }', { a: 2 })).toBe(true);
    expect(matchesEvent('{ "a" : [ 1, 2 ] }', { a: 3 })).toBe(false);
  });

  it('duplicate keys: "Lambda uses only the last value for that key"', () => {
    const pattern = '{ "Metadata1": [ "pattern1" ], "data": { "duplicateKey" : ["hello"], "uniqueKey" : ["test123"], "duplicateKey" : ["world"] } }';
    const filter = compile([pattern], 'kinesis');
    const view = (duplicateKey: string) => filterView({ Metadata1: 'pattern1' }, 'data', JSON.stringify({ duplicateKey, uniqueKey: 'test123' }));
    expect(filter.matches(view('world'))).toBe(true);
    expect(filter.matches(view('hello'))).toBe(false);
  });

  it('SQS: process only records whose RequestCode is "BBBB"', () => {
    const filter = compile(['{ "body" : { "RequestCode" : [ "BBBB" ] } }'], 'sqs');
    const record = { messageId: '059f36b4-87a3-44ab-83d2-661975830a7d', attributes: { ApproximateReceiveCount: '1' } };
    const body = (code: string) => `{\n "RecordNumber": 1234,\n "TimeStamp": "yyyy-mm-ddThh:mm:ss",\n "RequestCode": "${code}"\n}`;
    expect(filter.matches(filterView(record, 'body', body('AAAA')))).toBe(false);
    expect(filter.matches(filterView(record, 'body', body('BBBB')))).toBe(true);
  });

  it('Kafka: device_ID begins with AB; ignore plain-string messages that are "error"', () => {
    const json = compile(['{ "value" : { "device_ID" : [ { "prefix": "AB" } ] } }'], 'kafka');
    const record = { topic: 'mytopic', partition: 0, offset: 15, timestamp: 1545084650987, timestampType: 'CREATE_TIME', headers: [] };
    expect(json.matches(filterView(record, 'value', '{"device_ID": "AB1234", "session": {"start_time": "yyyy-mm-ddThh:mm:ss", "duration": 162}}'))).toBe(true);
    expect(json.matches(filterView(record, 'value', '{"device_ID": "CD1234"}'))).toBe(false);

    const plain = compile(['{ "value" : [ { "anything-but": [ "error" ] } ] }'], 'kafka');
    expect(plain.matches(filterView(record, 'value', 'error'))).toBe(false);
    expect(plain.matches(filterView(record, 'value', 'Hello, this is a test.'))).toBe(true);
  });
});

describe('EventBridge user guide', () => {
  const ec2Event = {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
  };

  it('the instance-termination pattern matches the EC2 event', () => {
    const pattern = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } };
    expect(matchesEvent(pattern, ec2Event)).toBe(true);
    expect(matchesEvent(pattern, { ...ec2Event, detail: { state: 'running' } })).toBe(false);
  });

  it('null and empty string: "responseElements": [null] and "eventVersion": [""] match; they are not interchangeable', () => {
    const event = { source: 'aws.autoscaling', detail: { eventVersion: '', responseElements: null } };
    expect(matchesEvent({ detail: { eventVersion: [''] } }, event)).toBe(true);
    expect(matchesEvent({ detail: { responseElements: [null] } }, event)).toBe(true);
    expect(matchesEvent({ detail: { eventVersion: [null] } }, event)).toBe(false);
    expect(matchesEvent({ detail: { responseElements: [''] } }, event)).toBe(false);
  });

  it('arrays: matches when the pattern array and the event array intersect', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matchesEvent(pattern, event)).toBe(true);
    expect(matchesEvent(pattern, { resources: [event.resources[0]] })).toBe(false);
  });

  it('exists false matches when c-count is absent, and when c-count is not a leaf', () => {
    const pattern = { detail: { 'c-count': [{ exists: false }] } };
    expect(matchesEvent(pattern, { detail: { state: ['initializing', 'running'] } })).toBe(true);
    expect(matchesEvent(pattern, { detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } })).toBe(true);
    expect(matchesEvent(pattern, { detail: { 'c-count': 5 } })).toBe(false);
  });

  it('complex example with multiple matching (the event-ruler README sample event)', () => {
    const event = {
      version: '0',
      'detail-type': 'EC2 Instance State-change Notification',
      source: 'aws.ec2',
      time: '2017-10-02T16:24:49Z',
      region: 'us-east-1',
      detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', state: 'running' },
    };
    const pattern = {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
      },
    };
    expect(matchesEvent(pattern, event)).toBe(true);
    expect(matchesEvent({ detail: { 'x-limit': [{ numeric: ['=', 3.018e2] }] } }, event)).toBe(true);
    expect(matchesEvent(pattern, { ...event, detail: { ...event.detail, 'c-count': 6 } })).toBe(false);
    expect(matchesEvent(pattern, { ...event, detail: { ...event.detail, state: 'initializing' } })).toBe(false);
  });

  it('$or: source && (metricName || (metricType && namespace) || scope)', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] }, { scope: ['Service'] }],
    };
    expect(matchesEvent(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' })).toBe(true);
    expect(matchesEvent(pattern, { source: 'aws.cloudwatch', scope: 'Service' })).toBe(true);
    expect(matchesEvent(pattern, { source: 'aws.cloudwatch', metricType: 'MetricType' })).toBe(false);
    expect(matchesEvent(pattern, { source: 'aws.ec2', scope: 'Service' })).toBe(false);
  });
});
