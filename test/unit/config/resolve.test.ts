import { describe, expect, it } from 'vitest';
import { CONFIG_DIR, KAFKA, parse } from './helpers.js';

describe('resolve: the DESIGN §4 example (Kinesis)', () => {
  const text = `
server: { host: 127.0.0.1, port: 9400 }
checkpoints: { type: file, path: .tributary }
pipelines:
  - name: orders
    source:
      type: kinesis
      streamName: orders
      endpoint: \${KINESIS_ENDPOINT:-}
    function:
      type: module
      handler: ./handlers/orders.handler
      timeout: 30
      memorySize: 256
    startingPosition: TRIM_HORIZON
    batchSize: 100
    maximumBatchingWindowInSeconds: 1
    parallelizationFactor: 2
    bisectBatchOnFunctionError: true
    maximumRetryAttempts: 5
    maximumRecordAgeInSeconds: 3600
    functionResponseTypes: [ReportBatchItemFailures]
    filterCriteria:
      filters: [ { pattern: '{"data": {"type": ["order"]}}' } ]
    destinationConfig:
      onFailure: { destination: file://./failed-orders.jsonl }
`;

  it('resolves to ms units, absolute paths and nulls', () => {
    const config = parse(text);
    expect(config).toEqual({
      file: `${CONFIG_DIR}/pipelines.yaml`,
      server: { enabled: true, host: '127.0.0.1', port: 9400 },
      checkpoints: { type: 'file', path: `${CONFIG_DIR}/.tributary` },
      shutdownTimeoutMs: 30_000,
      logLevel: 'info',
      exitOnFailed: false,
      api: {
        enabled: false,
        host: '127.0.0.1',
        port: 9401,
        region: 'us-east-1',
        accountId: '000000000000',
        fileMappings: 'read-only',
        syncIntervalMs: 2000,
        sourceDefaults: {
          sqs: { endpoint: null, region: null },
          kinesis: { endpoint: null, region: null },
          dynamodbStreams: { endpoint: null, region: null },
          mskBootstrapServers: {},
        },
      },
      functions: {},
      warnings: [],
      pipelineInputs: {
        orders: {
          name: 'orders',
          source: { type: 'kinesis', streamName: 'orders' },
          startingPosition: 'TRIM_HORIZON',
          batchSize: 100,
          maximumBatchingWindowInSeconds: 1,
          parallelizationFactor: 2,
          bisectBatchOnFunctionError: true,
          maximumRetryAttempts: 5,
          maximumRecordAgeInSeconds: 3600,
          functionResponseTypes: ['ReportBatchItemFailures'],
          filterCriteria: { filters: [{ pattern: '{"data": {"type": ["order"]}}' }] },
          destinationConfig: { onFailure: { destination: 'file://./failed-orders.jsonl' } },
        },
      },
      pipelines: [
        {
          name: 'orders',
          // UUIDv5 of "orders" in Tributary's namespace (config/pipeline-uuid.ts); Python's uuid.uuid5 gives the same.
          uuid: '8f9232c0-fd5f-5d0a-8a1a-91483e5f8426',
          enabled: true,
          source: { type: 'kinesis', streamName: 'orders', streamArn: null, region: null, endpoint: null, consumerArn: null, consumerName: null },
          function: {
            type: 'module',
            handlerFile: `${CONFIG_DIR}/handlers/orders`,
            handlerExport: 'handler',
            handler: './handlers/orders.handler',
            timeoutMs: 30_000,
            memorySizeMb: 256,
            environment: {},
            functionName: 'orders',
            provisionedConcurrency: 0,
            awsCredentials: 'none',
          },
          functionRef: null,
          batchSize: 100,
          maximumBatchingWindowMs: 1000,
          startingPosition: 'TRIM_HORIZON',
          startingPositionTimestampMs: null,
          parallelizationFactor: 2,
          bisectBatchOnFunctionError: true,
          maximumRetryAttempts: 5,
          maximumRecordAgeMs: 3_600_000,
          reportBatchItemFailures: true,
          filterPatterns: ['{"data": {"type": ["order"]}}'],
          onFailureDestination: `file://${CONFIG_DIR}/failed-orders.jsonl`,
          onFailure: { type: 'file', path: `${CONFIG_DIR}/failed-orders.jsonl` },
          tumblingWindowMs: 0,
          onFailureDeliveryExhausted: 'hold',
          metricsConfig: null,
        },
      ],
    });
  });

  it('deep-freezes the result', () => {
    const config = parse(text);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.pipelines)).toBe(true);
    expect(Object.isFrozen(config.pipelines[0]?.source)).toBe(true);
    expect(Object.isFrozen(config.pipelines[0]?.function)).toBe(true);
    expect(Object.isFrozen(config.pipelines[0]?.filterPatterns)).toBe(true);
    expect(() => {
      (config.pipelines[0] as { batchSize: number }).batchSize = 1;
    }).toThrow(TypeError);
  });

  it('uses the endpoint when the variable is set', () => {
    const config = parse(text, { KINESIS_ENDPOINT: 'http://127.0.0.1:4567' });
    expect(config.pipelines[0]?.source).toMatchObject({ endpoint: 'http://127.0.0.1:4567' });
  });
});

describe('resolve: AWS defaults per source', () => {
  const fn = 'function: { type: module, handler: ./h.handler }';

  it('SQS standard: batch 10, window 0, no stream fields, ARN derived from the AWS URL', () => {
    const config = parse(`pipelines:
  - name: q
    ${fn}
    source: { type: sqs, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders', scalingConfig: { maximumConcurrency: 5 } }
`);
    expect(config.pipelines[0]).toMatchObject({
      source: {
        type: 'sqs',
        queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders',
        queueArn: 'arn:aws:sqs:eu-west-1:123456789012:orders',
        fifo: false,
        region: 'eu-west-1',
        endpoint: null,
        maximumConcurrency: 5,
      },
      batchSize: 10,
      maximumBatchingWindowMs: 0,
      startingPosition: null,
      startingPositionTimestampMs: null,
      parallelizationFactor: 1,
      bisectBatchOnFunctionError: false,
      maximumRetryAttempts: -1,
      maximumRecordAgeMs: -1,
      reportBatchItemFailures: false,
      filterPatterns: [],
      onFailureDestination: null,
      onFailure: null,
      tumblingWindowMs: 0,
      onFailureDeliveryExhausted: 'hold',
    });
    expect(config.pipelines[0]?.function).toMatchObject({ timeoutMs: 3000, memorySizeMb: 128, functionName: 'q' });
  });

  it('SQS emulator URL: ARN derived with us-east-1 (or the given region)', () => {
    const url = 'http://127.0.0.1:19324/000000000000/orders.fifo';
    const config = parse(`pipelines:
  - name: q
    ${fn}
    source: { type: sqs, queueUrl: '${url}', endpoint: 'http://127.0.0.1:19324' }
  - name: r
    ${fn}
    source: { type: sqs, queueUrl: '${url}', region: elasticmq }
`);
    expect(config.pipelines[0]?.source).toMatchObject({ queueUrl: url, queueArn: 'arn:aws:sqs:us-east-1:000000000000:orders.fifo', fifo: true, region: null });
    expect(config.pipelines[1]?.source).toMatchObject({ queueArn: 'arn:aws:sqs:elasticmq:000000000000:orders.fifo', region: 'elasticmq' });
  });

  it('SQS URL without an account path: no ARN', () => {
    const config = parse(`pipelines:
  - name: q
    ${fn}
    source: { type: sqs, queueUrl: 'http://localhost:9324/queue/orders' }
`);
    expect(config.pipelines[0]?.source).toMatchObject({ queueArn: null, fifo: false });
  });

  it('SQS ARN only: the real AWS URL, or the endpoint form with an endpoint override', () => {
    const config = parse(`pipelines:
  - name: q
    ${fn}
    source: { type: sqs, queueArn: 'arn:aws:sqs:ap-south-1:123456789012:jobs' }
  - name: r
    ${fn}
    source: { type: sqs, queueArn: 'arn:aws:sqs:us-east-1:000000000000:jobs', endpoint: 'http://127.0.0.1:19324/' }
`);
    expect(config.pipelines[0]?.source).toMatchObject({
      queueUrl: 'https://sqs.ap-south-1.amazonaws.com/123456789012/jobs',
      queueArn: 'arn:aws:sqs:ap-south-1:123456789012:jobs',
      region: 'ap-south-1',
    });
    expect(config.pipelines[1]?.source).toMatchObject({ queueUrl: 'http://127.0.0.1:19324/000000000000/jobs', endpoint: 'http://127.0.0.1:19324/' });
  });

  it('DynamoDB Streams: batch 100, window 0, table name and region from the stream ARN', () => {
    const arn = 'arn:aws:dynamodb:us-west-2:123456789012:table/orders/stream/2024-01-01T00:00:00.000';
    const config = parse(`pipelines:
  - name: d
    ${fn}
    source: { type: dynamodb-streams, streamArn: '${arn}' }
    startingPosition: LATEST
    tumblingWindowInSeconds: 60
`);
    expect(config.pipelines[0]).toMatchObject({
      source: { type: 'dynamodb-streams', tableName: 'orders', streamArn: arn, region: 'us-west-2', endpoint: null },
      batchSize: 100,
      maximumBatchingWindowMs: 0,
      startingPosition: 'LATEST',
      tumblingWindowMs: 60_000,
      onFailureDeliveryExhausted: 'hold',
    });
  });

  it('Kinesis AT_TIMESTAMP: timestamp in ms, stream name from the ARN', () => {
    const config = parse(`pipelines:
  - name: k
    ${fn}
    source: { type: kinesis, streamArn: 'arn:aws:kinesis:eu-central-1:123456789012:stream/clicks' }
    startingPosition: AT_TIMESTAMP
    startingPositionTimestamp: 1699999999.5
`);
    expect(config.pipelines[0]).toMatchObject({
      source: { streamName: 'clicks', region: 'eu-central-1' },
      startingPosition: 'AT_TIMESTAMP',
      startingPositionTimestampMs: 1_699_999_999_500,
    });
  });

  it('Kafka: batch 100, window 500 ms, consumer group derived from the name', () => {
    const config = parse(`pipelines:
  - name: payments
    ${fn}
    source:
      ${KAFKA.join('\n      ')}
      sasl: { mechanism: scram-sha-512, username: u, password: '\${KAFKA_PASSWORD}' }
      ssl: true
    startingPosition: LATEST
`, { KAFKA_PASSWORD: 's3cret' });
    expect(config.pipelines[0]).toMatchObject({
      source: {
        type: 'kafka',
        bootstrapServers: ['127.0.0.1:9092'],
        topics: ['orders'],
        consumerGroupId: 'tributary-payments',
        clusterArn: null,
        ssl: true,
        sasl: { mechanism: 'scram-sha-512', username: 'u', password: 's3cret' },
      },
      batchSize: 100,
      maximumBatchingWindowMs: 500,
      maximumRetryAttempts: -1,
    });
  });

  it('Kafka: comma-separated servers, several topics, explicit group, kafka:// destination caps infinite retries at 10', () => {
    const config = parse(`pipelines:
  - name: payments
    ${fn}
    source: { type: kafka, bootstrapServers: '\${BROKERS}', topics: [a, b], consumerGroupId: 'team/payments:v1' }
    startingPosition: TRIM_HORIZON
    maximumBatchingWindowInSeconds: 0
    destinationConfig: { onFailure: { destination: 'kafka://payments-dlq' } }
`, { BROKERS: 'k1:9092, k2:9092' });
    expect(config.pipelines[0]).toMatchObject({
      source: { bootstrapServers: ['k1:9092', 'k2:9092'], topics: ['a', 'b'], consumerGroupId: 'team/payments:v1' },
      maximumBatchingWindowMs: 0,
      maximumRetryAttempts: 10,
      onFailureDestination: 'kafka://payments-dlq',
      onFailure: { type: 'kafka', topic: 'payments-dlq' },
    });
  });
});

describe('resolve: functions, destinations and top-level settings', () => {
  it("splits the handler's basename at its FIRST dot, as Lambda, and keeps absolute handler paths", () => {
    const config = parse(`pipelines:
  - name: a
    function: { type: module, handler: ./lib/orders.v2.handler, environment: { STAGE: prod } }
    source: { type: kinesis, streamName: s }
    startingPosition: LATEST
  - name: b
    function: { type: module, handler: /opt/fn/index.main }
    source: { type: kinesis, streamName: s }
    startingPosition: LATEST
  - name: c
    function: { type: module, handler: index.handler }
    source: { type: kinesis, streamName: s }
    startingPosition: LATEST
  - name: d
    function: { type: module, handler: ./my.app/index.handlers.process }
    source: { type: kinesis, streamName: s }
    startingPosition: LATEST
`);
    expect(config.pipelines.map((p) => p.function)).toMatchObject([
      // Lambda: module `orders`, property path `v2.handler` (aws-lambda-nodejs-runtime-interface-client parseHandlerString).
      { handlerFile: `${CONFIG_DIR}/lib/orders`, handlerExport: 'v2.handler', environment: { STAGE: 'prod' }, awsCredentials: 'none' },
      { handlerFile: '/opt/fn/index', handlerExport: 'main' },
      { handlerFile: `${CONFIG_DIR}/index`, handlerExport: 'handler' },
      // Dots in folder names are not the basename's.
      { handlerFile: `${CONFIG_DIR}/my.app/index`, handlerExport: 'handlers.process' },
    ]);
  });

  it('http: the Runtime Interface Emulator path by default; lambda: 900 s client deadline, region from the ARN', () => {
    const config = parse(`pipelines:
  - name: a
    function: { type: http, url: 'http://127.0.0.1:9000', headers: { X-Api-Key: k } }
    source: { type: kinesis, streamName: s }
    startingPosition: LATEST
  - name: b
    function: { type: http, url: 'http://127.0.0.1:9000/invoke', timeout: 10, functionName: orders-fn }
    source: { type: kinesis, streamName: s }
    startingPosition: LATEST
  - name: c
    function: { type: lambda, functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:orders', qualifier: live }
    source: { type: kinesis, streamName: s }
    startingPosition: LATEST
`);
    expect(config.pipelines.map((p) => p.function)).toEqual([
      { type: 'http', url: 'http://127.0.0.1:9000/2015-03-31/functions/function/invocations', headers: { 'X-Api-Key': 'k' }, timeoutMs: 3000, functionName: 'a' },
      { type: 'http', url: 'http://127.0.0.1:9000/invoke', headers: {}, timeoutMs: 10_000, functionName: 'orders-fn' },
      {
        type: 'lambda',
        functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
        qualifier: 'live',
        region: 'eu-west-1',
        endpoint: null,
        timeoutMs: 900_000,
      },
    ]);
  });

  it('SQS destinations: URL and ARN derived from each other', () => {
    const config = parse(`pipelines:
  - name: a
    function: { type: module, handler: ./h.handler }
    source: { type: kinesis, streamName: s, region: eu-west-1 }
    startingPosition: LATEST
    destinationConfig: { onFailure: { destination: 'arn:aws:sqs:us-east-2:123456789012:failed' } }
  - name: b
    function: { type: module, handler: ./h.handler }
    source: { type: kinesis, streamName: s, region: eu-west-1 }
    startingPosition: LATEST
    destinationConfig: { onFailure: { destination: 'http://127.0.0.1:19324/000000000000/failed' } }
`);
    expect(config.pipelines.map((p) => p.onFailure)).toEqual([
      { type: 'sqs', queueUrl: 'https://sqs.us-east-2.amazonaws.com/123456789012/failed', queueArn: 'arn:aws:sqs:us-east-2:123456789012:failed', region: 'us-east-2' },
      { type: 'sqs', queueUrl: 'http://127.0.0.1:19324/000000000000/failed', queueArn: 'arn:aws:sqs:eu-west-1:000000000000:failed', region: 'eu-west-1' },
    ]);
  });

  it('applies top-level settings and dynamodb checkpoints', () => {
    const config = parse(`server: { enabled: false, port: 0 }
checkpoints: { type: dynamodb, tableName: tributary-leases, endpoint: 'http://127.0.0.1:8000' }
shutdownTimeoutSeconds: 5
logLevel: debug
pipelines:
  - name: a
    enabled: false
    function: { type: module, handler: ./h.handler }
    source: { type: kinesis, streamName: s }
    startingPosition: LATEST
`);
    expect(config).toMatchObject({
      server: { enabled: false, host: '127.0.0.1', port: 0 },
      checkpoints: { type: 'dynamodb', tableName: 'tributary-leases', region: null, endpoint: 'http://127.0.0.1:8000' },
      shutdownTimeoutMs: 5000,
      logLevel: 'debug',
      pipelines: [{ enabled: false }],
    });
  });

  it('reads JSON files too', () => {
    const config = parse(JSON.stringify({
      pipelines: [{ name: 'j', function: { type: 'module', handler: './h.handler' }, source: { type: 'kinesis', streamName: 's' }, startingPosition: 'LATEST' }],
    }));
    expect(config.pipelines[0]?.name).toBe('j');
  });
});
