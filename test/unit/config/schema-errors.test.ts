import { describe, expect, it } from 'vitest';
import { expectIssue, issuesOf, KINESIS, onePipeline, positionOf } from './helpers.js';

describe('schema errors', () => {
  it('reports every mistake of a file at once, sorted by position', () => {
    const text = `pipelines:
  - name: orders
    source: { type: sqs, queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/orders' }
    function: { type: module, handler: ./h.handler, timeout: 901 }
    batchsize: 5
    maximumRetryAttempts: 2
`;
    const issues = issuesOf(text);
    expect(issues.map((issue) => `${issue.line}:${issue.column} ${issue.path}: ${issue.message}`)).toEqual([
      `${positionOf(text, 'timeout').line}:${positionOf(text, 'timeout').column} pipelines[0].function.timeout: must be between 1 and 900 (got 901)`,
      '5:5 pipelines[0].batchsize: unknown field (did you mean "batchSize"?)',
      expect.stringMatching(/^6:5 pipelines\[0\]\.maximumRetryAttempts: is not supported for SQS sources/),
    ]);
  });

  it('names the unknown key itself, nested too', () => {
    const text = onePipeline([...KINESIS, 'streamname: x'], ['startingPosition: LATEST', 'destinationConfig:', '  onSuccess: { destination: x }']);
    const issues = issuesOf(text);
    expectIssue(text, issues, 'pipelines[0].source.streamname', 'unknown field (did you mean "streamName"?)', 'streamname:');
    expectIssue(text, issues, 'pipelines[0].destinationConfig.onSuccess', 'unknown field', 'onSuccess:');
    expectIssue(text, issues, 'pipelines[0].destinationConfig.onFailure', 'is required', 'destinationConfig:');
  });

  it('refuses unknown and missing discriminators with the allowed values', () => {
    const text = `pipelines:
  - name: a
    source: { type: rabbitmq }
    function: { handler: ./h.handler }
`;
    const issues = issuesOf(text);
    expectIssue(text, issues, 'pipelines[0].source.type', 'must be one of sqs, kinesis, dynamodb-streams, kafka (got "rabbitmq")', 'type: rabbitmq');
    expectIssue(text, issues, 'pipelines[0].function.type', 'is required (one of module, http, lambda)', 'function:');
  });

  it('refuses in-process functions in files', () => {
    const text = `pipelines:
  - name: a
    source: { type: kinesis, streamName: s }
    function: { type: in-process }
    startingPosition: LATEST
`;
    expectIssue(text, issuesOf(text), 'pipelines[0].function.type', '(got "in-process")', 'type: in-process');
  });

  it('pipelines: at least one, unique names matching the pattern', () => {
    expect(issuesOf('pipelines: []\n')).toMatchObject([{ path: 'pipelines', line: 1, column: 1, message: 'must list at least 1 pipeline (or enable api: to create mappings through the Lambda API)' }]);
    expect(issuesOf('server: {}\n')).toMatchObject([{ path: 'pipelines', line: 1, column: 1, message: 'is required' }]);
    const text = `pipelines:
  - name: orders
    source: { type: kinesis, streamName: s }
    function: { type: module, handler: ./h.handler }
    startingPosition: LATEST
  - name: orders
    source: { type: kinesis, streamName: s }
    function: { type: module, handler: ./h.handler }
    startingPosition: LATEST
  - name: "bad name"
    source: { type: kinesis, streamName: s }
    function: { type: module, handler: ./h.handler }
    startingPosition: LATEST
`;
    const issues = issuesOf(text);
    expect(issues).toMatchObject([
      { path: 'pipelines[1].name', line: 6, column: 5, message: 'duplicate pipeline name "orders" (also pipelines[0].name)' },
      { path: 'pipelines[2].name', line: 10, column: 5, message: 'must be 1–64 characters of [A-Za-z0-9_-] (got "bad name")' },
    ]);
  });

  it('function fields: handler form, ranges, environment values as strings (values never echoed: they may be secrets)', () => {
    const text = `pipelines:
  - name: a
    source: { type: kinesis, streamName: s }
    startingPosition: LATEST
    function:
      type: module
      handler: ./handlers/orders
      memorySize: 64
      environment: { PORT: 8080, 1BAD: x }
`;
    const issues = issuesOf(text);
    expectIssue(text, issues, 'pipelines[0].function.handler', 'must be file.export', 'handler:');
    expectIssue(text, issues, 'pipelines[0].function.memorySize', 'must be between 128 and 10240 (got 64)', 'memorySize:');
    expectIssue(text, issues, 'pipelines[0].function.environment.PORT', 'expected a string (got a hidden number); quote it', 'PORT:');
    expect(issues.find((issue) => issue.path.startsWith('pipelines[0].function.environment['))).toMatchObject({
      path: 'pipelines[0].function.environment["1BAD"]',
      message: 'keys must be environment variable names ([A-Za-z][A-Za-z0-9_]+) (got "1BAD")',
    });
  });

  it('top-level settings', () => {
    const text = `server: { port: 70000, hots: x }
checkpoints: { type: s3 }
shutdownTimeoutSeconds: -1
logLevel: verbose
pipelines:
  - name: a
    source: { type: kinesis, streamName: s }
    function: { type: module, handler: ./h.handler }
    startingPosition: LATEST
`;
    expect(issuesOf(text).map((issue) => [issue.path, issue.message])).toEqual([
      ['server.port', 'must be between 0 and 65535 (got 70000)'],
      ['server.hots', 'unknown field (did you mean "host"?)'],
      ['checkpoints.type', 'must be one of file, dynamodb (got "s3")'],
      ['shutdownTimeoutSeconds', 'must be between 0 and 3600 (got -1)'],
      ['logLevel', 'must be one of trace, debug, info, warn, error, fatal, silent (got "verbose")'],
    ]);
  });
});
