// `consumerArn` / `consumerName` of Kinesis sources (enhanced fan-out): what the schema accepts, what the rules
// explain, and what the resolver derives (a consumer ARN names its stream, as a Lambda EFO mapping's EventSourceArn).
import { describe, expect, it } from 'vitest';
import { expectIssue, issuesOf, onePipeline, parse } from './helpers.js';

const CONSUMER_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders/consumer/tributary:1700000000';

describe('Kinesis enhanced fan-out fields', () => {
  it('resolves a consumer ARN alone: the stream, its name and region come from it', () => {
    const config = parse(onePipeline(['type: kinesis', `consumerArn: ${CONSUMER_ARN}`], ['startingPosition: LATEST']));
    expect(config.pipelines[0]?.source).toEqual({
      type: 'kinesis',
      streamName: 'orders',
      streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders',
      region: 'eu-west-1',
      endpoint: null,
      consumerArn: CONSUMER_ARN,
      consumerName: null,
    });
  });

  it('resolves a consumer name next to the stream, and standard iterators without either', () => {
    const named = parse(onePipeline(['type: kinesis', 'streamName: orders', 'consumerName: tributary-efo'], ['startingPosition: LATEST']));
    expect(named.pipelines[0]?.source).toMatchObject({ streamName: 'orders', consumerArn: null, consumerName: 'tributary-efo' });
    const plain = parse(onePipeline(['type: kinesis', 'streamName: orders'], ['startingPosition: LATEST']));
    expect(plain.pipelines[0]?.source).toMatchObject({ consumerArn: null, consumerName: null });
  });

  it('explains a malformed consumer ARN or name', () => {
    const arn = onePipeline(['type: kinesis', 'consumerArn: arn:aws:kinesis:eu-west-1:123456789012:stream/orders'], ['startingPosition: LATEST']);
    expectIssue(arn, issuesOf(arn), 'pipelines[0].source.consumerArn', 'a Kinesis stream consumer ARN', 'consumerArn:');
    const name = onePipeline(['type: kinesis', 'streamName: orders', 'consumerName: "my consumer"'], ['startingPosition: LATEST']);
    expectIssue(name, issuesOf(name), 'pipelines[0].source.consumerName', 'a stream consumer name', 'consumerName:');
  });

  it('refuses both consumerArn and consumerName', () => {
    const text = onePipeline(['type: kinesis', `consumerArn: ${CONSUMER_ARN}`, 'consumerName: other'], ['startingPosition: LATEST']);
    expectIssue(text, issuesOf(text), 'pipelines[0].source.consumerName', 'give consumerArn or consumerName, not both', 'consumerName:');
  });

  it('refuses a consumer of another stream than the one named', () => {
    const byName = onePipeline(['type: kinesis', 'streamName: payments', `consumerArn: ${CONSUMER_ARN}`], ['startingPosition: LATEST']);
    expectIssue(byName, issuesOf(byName), 'pipelines[0].source.consumerArn', 'is a consumer of stream "orders", but streamName is "payments"', 'consumerArn:');
    const byArn = onePipeline(['type: kinesis', 'streamArn: arn:aws:kinesis:eu-west-1:123456789012:stream/payments', `consumerArn: ${CONSUMER_ARN}`], ['startingPosition: LATEST']);
    expectIssue(byArn, issuesOf(byArn), 'pipelines[0].source.consumerArn', 'but streamArn is arn:aws:kinesis:eu-west-1:123456789012:stream/payments', 'consumerArn:');
  });

  it('still needs the stream with a consumer name', () => {
    const text = onePipeline(['type: kinesis', 'consumerName: tributary'], ['startingPosition: LATEST']);
    expectIssue(text, issuesOf(text), 'pipelines[0].source.streamName', 'is required (or give streamArn)', 'source:');
  });
});
