import { describe, expect, it } from 'vitest';
import { CONFIG_DIR, issuesOf, parse } from './helpers.js';

const fn = (extra: string): string => `functions:
  orders:
    type: module
    handler: ./handlers/orders.handler
${extra}
  other:
    type: module
    handler: ./handlers/other.handler
api: { port: 0 }
pipelines: []
`;

const messages = (text: string): [string, string][] => issuesOf(text).map((issue) => [issue.path, issue.message]);

describe('functions.<name>: asynchronous invocation settings', () => {
  it('resolves eventInvokeConfig, deadLetterConfig and asyncQueue with AWS\'s names', () => {
    const config = parse(
      fn(`    eventInvokeConfig:
      maximumRetryAttempts: 0
      maximumEventAgeInSeconds: 60
      destinationConfig:
        onSuccess: { destination: 'file://./ok.jsonl' }
        onFailure: { destination: 'arn:aws:lambda:us-east-1:123456789012:function:other' }
    deadLetterConfig: { targetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' }
    asyncQueue: { type: sqs, queueUrl: 'http://127.0.0.1:19324/000000000000/events', endpoint: 'http://127.0.0.1:19324' }`),
    );
    expect(config.functions['orders']?.asyncInvoke).toEqual({
      eventInvokeConfig: {
        maximumRetryAttempts: 0,
        maximumEventAgeInSeconds: 60,
        onSuccess: `file://${CONFIG_DIR}/ok.jsonl`,
        onFailure: 'arn:aws:lambda:us-east-1:123456789012:function:other',
        extendedRetries: null,
      },
      deadLetterTarget: 'arn:aws:sqs:us-east-1:123456789012:dlq',
      queue: { type: 'sqs', queueUrl: 'http://127.0.0.1:19324/000000000000/events', region: null, endpoint: 'http://127.0.0.1:19324' },
    });
  });

  it('refuses values outside AWS\'s ranges', () => {
    const issues = messages(fn(`    eventInvokeConfig: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 59 }`));
    expect(issues.map(([path]) => path)).toEqual(['functions.orders.eventInvokeConfig.maximumRetryAttempts', 'functions.orders.eventInvokeConfig.maximumEventAgeInSeconds']);
    expect(messages(fn(`    eventInvokeConfig: { maximumEventAgeInSeconds: 21601 }`))[0]?.[1]).toMatch(/21600/);
  });

  it('a function destination must be another declared function', () => {
    expect(messages(fn(`    eventInvokeConfig: { destinationConfig: { onFailure: { destination: 'arn:aws:lambda:us-east-1:123456789012:function:orders' } } }`))).toEqual([
      ['functions.orders.eventInvokeConfig.destinationConfig.onFailure.destination', 'a function cannot be its own destination'],
    ]);
    expect(messages(fn(`    eventInvokeConfig: { destinationConfig: { onSuccess: { destination: 'arn:aws:lambda:us-east-1:123456789012:function:missing' } } }`))[0]?.[1]).toMatch(/does not declare/);
  });

  it('refuses FIFO queues and Kafka destinations without brokers, and extendedRetries next to maximumRetryAttempts', () => {
    expect(messages(fn(`    deadLetterConfig: { targetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq.fifo' }`))[0]?.[1]).toMatch(/FIFO/);
    expect(messages(fn(`    eventInvokeConfig: { destinationConfig: { onFailure: { destination: 'kafka://topic' } } }`))[0]?.[1]).toMatch(/must name the brokers/);
    expect(messages(fn(`    eventInvokeConfig: { maximumRetryAttempts: 1, extendedRetries: { maximumRetryAttempts: 5 } }`))).toEqual([
      ['functions.orders.eventInvokeConfig.maximumRetryAttempts', 'extendedRetries.maximumRetryAttempts replaces it: set only one of them'],
    ]);
    expect(messages(fn(`    asyncQueue: { type: sqs, queueUrl: 'http://127.0.0.1:19324/000000000000/events.fifo' }`))[0]?.[1]).toMatch(/standard queue/);
  });
});
