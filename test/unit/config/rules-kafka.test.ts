import { describe, expect, it } from 'vitest';
import { expectIssue, issuesOf, KAFKA, onePipeline, parse } from './helpers.js';

describe('Kafka rules (reference §2.4)', () => {
  it('requires startingPosition, as AWS does (no LATEST default)', () => {
    const text = onePipeline(KAFKA);
    expectIssue(text, issuesOf(text), 'pipelines[0].startingPosition', 'is required for Kafka sources', 'name: orders');
  });

  it('accepts AT_TIMESTAMP and the retry controls of provisioned mode', () => {
    const config = parse(onePipeline(KAFKA, [
      'startingPosition: AT_TIMESTAMP',
      'startingPositionTimestamp: 1600000000',
      'bisectBatchOnFunctionError: true',
      'maximumRetryAttempts: 3',
      'maximumRecordAgeInSeconds: 120',
      'functionResponseTypes: [ReportBatchItemFailures]',
    ]));
    expect(config.pipelines[0]).toMatchObject({
      startingPosition: 'AT_TIMESTAMP',
      startingPositionTimestampMs: 1_600_000_000_000,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 3,
      maximumRecordAgeMs: 120_000,
      reportBatchItemFailures: true,
    });
  });

  it.each([
    ['parallelizationFactor: 2', 'parallelizationFactor'],
    ['tumblingWindowInSeconds: 10', 'tumblingWindowInSeconds'],
  ])('refuses %s', (line, field) => {
    const text = onePipeline(KAFKA, ['startingPosition: LATEST', line]);
    expectIssue(text, issuesOf(text), `pipelines[0].${field}`, 'is not supported for Kafka sources', `${field}:`);
  });

  it('bootstrapServers: host:port, 1–10 entries', () => {
    const bad = onePipeline(['type: kafka', 'bootstrapServers: [broker, "h:70000"]', 'topics: [t]'], ['startingPosition: LATEST']);
    const issues = issuesOf(bad);
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['pipelines[0].source.bootstrapServers[0]', 'must be host:port (got "broker")'],
      ['pipelines[0].source.bootstrapServers[1]', 'port must be between 1 and 65535'],
    ]);
    const servers = Array.from({ length: 11 }, (_, i) => `b${i}:9092`).join(', ');
    const tooMany = onePipeline(['type: kafka', `bootstrapServers: [${servers}]`, 'topics: [t]'], ['startingPosition: LATEST']);
    expectIssue(tooMany, issuesOf(tooMany), 'pipelines[0].source.bootstrapServers', 'must list between 1 and 10 servers (got 11)', 'bootstrapServers:');
    expect(parse(onePipeline(['type: kafka', 'bootstrapServers: ["[::1]:9092", kafka-1.internal:9094]', 'topics: [t]'], ['startingPosition: LATEST'])).pipelines[0]?.source)
      .toMatchObject({ bootstrapServers: ['[::1]:9092', 'kafka-1.internal:9094'] });
  });

  it('topics: at least one, no duplicates', () => {
    const empty = onePipeline(['type: kafka', 'bootstrapServers: [b:1]', 'topics: []'], ['startingPosition: LATEST']);
    expectIssue(empty, issuesOf(empty), 'pipelines[0].source.topics', 'must list at least 1 topic', 'topics:');
    const dup = onePipeline(['type: kafka', 'bootstrapServers: [b:1]', 'topics: [a, a]'], ['startingPosition: LATEST']);
    expectIssue(dup, issuesOf(dup), 'pipelines[0].source.topics[1]', 'duplicate topic "a"', 'a]');
  });

  it('consumerGroupId: 1–200 characters of the AWS pattern', () => {
    const text = onePipeline([...KAFKA, 'consumerGroupId: "bad group!"'], ['startingPosition: LATEST']);
    expectIssue(text, issuesOf(text), 'pipelines[0].source.consumerGroupId', 'must be 1–200 characters', 'consumerGroupId:');
    const long = onePipeline([...KAFKA, `consumerGroupId: ${'g'.repeat(201)}`], ['startingPosition: LATEST']);
    expectIssue(long, issuesOf(long), 'pipelines[0].source.consumerGroupId', 'must be 1–200 characters', 'consumerGroupId:');
  });

  it('two pipelines on one cluster must not share a consumer group', () => {
    const text = `pipelines:
  - name: a
    function: { type: module, handler: ./h.handler }
    source: { type: kafka, bootstrapServers: [b:9092], topics: [t1], consumerGroupId: shared }
    startingPosition: LATEST
  - name: b
    function: { type: module, handler: ./h.handler }
    source: { type: kafka, bootstrapServers: [b:9092], topics: [t2], consumerGroupId: shared }
    startingPosition: LATEST
`;
    expect(issuesOf(text)).toMatchObject([{ path: 'pipelines[1].source.consumerGroupId', line: 8, message: expect.stringContaining('also used by pipelines[0]') }]);
  });

  it('SASL plain/scram need username and password', () => {
    const text = onePipeline([...KAFKA, 'sasl: { mechanism: plain, username: u }'], ['startingPosition: LATEST']);
    expectIssue(text, issuesOf(text), 'pipelines[0].source.sasl.password', 'is required for SASL mechanism plain', 'sasl:');
    const iam = parse(onePipeline([...KAFKA, 'sasl: { mechanism: aws-iam }', 'clusterArn: arn:aws:kafka:us-east-1:123456789012:cluster/c/1'], ['startingPosition: LATEST']));
    expect(iam.pipelines[0]?.source).toMatchObject({ sasl: { mechanism: 'aws-iam', username: null, password: null }, clusterArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/c/1' });
  });

  it('SASL from Secrets Manager: secretArn instead of username and password (BASIC_AUTH / SASL_SCRAM_*_AUTH)', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-AbCdEf';
    const ok = parse(onePipeline([...KAFKA, `sasl: { mechanism: scram-sha-512, secretArn: '${arn}' }`], ['startingPosition: LATEST']));
    expect(ok.pipelines[0]?.source).toMatchObject({ sasl: { mechanism: 'scram-sha-512', username: null, password: null, secretArn: arn } });
    const both = onePipeline([...KAFKA, `sasl: { mechanism: plain, username: u, secretArn: '${arn}' }`], ['startingPosition: LATEST']);
    expectIssue(both, issuesOf(both), 'pipelines[0].source.sasl.username', 'is not allowed with sasl.secretArn', 'username:');
    const iam = onePipeline([...KAFKA, `sasl: { mechanism: aws-iam, secretArn: '${arn}' }`], ['startingPosition: LATEST']);
    expectIssue(iam, issuesOf(iam), 'pipelines[0].source.sasl.secretArn', 'is not used with SASL mechanism aws-iam', 'secretArn:');
    const bad = onePipeline([...KAFKA, 'sasl: { mechanism: plain, secretArn: my-secret }'], ['startingPosition: LATEST']);
    expectIssue(bad, issuesOf(bad), 'pipelines[0].source.sasl.secretArn', 'must be a Secrets Manager secret ARN', 'secretArn:');
  });

  it('a secret given as a YAML number is refused without echoing a reformatted value', () => {
    const text = onePipeline([...KAFKA, 'sasl: { mechanism: plain, username: u, password: 0123 }'], ['startingPosition: LATEST']);
    expectIssue(text, issuesOf(text), 'pipelines[0].source.sasl.password', 'quote it', 'password:');
  });

  it('kafka:// destination must not be a source topic', () => {
    const text = onePipeline(KAFKA, ['startingPosition: LATEST', 'destinationConfig: { onFailure: { destination: "kafka://orders" } }']);
    expectIssue(text, issuesOf(text), 'pipelines[0].destinationConfig.onFailure.destination', 'must not be a topic the pipeline consumes', 'destination:');
  });

  it('function timeout is at most 14 minutes behind a Kafka source', () => {
    const text = `pipelines:
  - name: k
    function: { type: module, handler: ./h.handler, timeout: 841 }
    source: { type: kafka, bootstrapServers: [b:1], topics: [t] }
    startingPosition: LATEST
`;
    expectIssue(text, issuesOf(text), 'pipelines[0].function.timeout', 'must be at most 840 seconds', 'timeout:');
  });
});
