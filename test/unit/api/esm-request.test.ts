import { describe, expect, it } from 'vitest';
import { LambdaApiError } from '../../../src/api/api-errors.js';
import { esmParameterChanges, REMOVE } from '../../../src/api/esm-parameters.js';
import { mergedPipelineInput, newPipelineInput } from '../../../src/api/esm-pipeline.js';
import { sourceOfCreateRequest } from '../../../src/api/esm-source.js';
import { eventSourceArnOf } from '../../../src/api/esm-document.js';
import { schemaRegistryDocument } from '../../../src/api/esm-schema-registry.js';

const uuid = '6f1f8a4e-0000-4000-8000-000000000000';

describe('the pipeline of a CreateEventSourceMapping request', () => {
  it('maps every supported member onto the config file shape', () => {
    const body = {
      FunctionName: 'orders',
      EventSourceArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders',
      Enabled: false,
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 3,
      ParallelizationFactor: 4,
      StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: 1_700_000_000,
      MaximumRecordAgeInSeconds: 3600,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      TumblingWindowInSeconds: 60,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: '{"data": {"a": [1]}}' }] },
      DestinationConfig: { OnFailure: { Destination: 'file://./failed.jsonl' } },
    };
    const changes = esmParameterChanges(body, 'create');
    expect(newPipelineInput(uuid, sourceOfCreateRequest(body, { kinesis: { endpoint: 'http://127.0.0.1:14568' } }), changes)).toEqual({
      name: uuid,
      enabled: false,
      source: { type: 'kinesis', streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders', endpoint: 'http://127.0.0.1:14568' },
      batchSize: 500,
      maximumBatchingWindowInSeconds: 3,
      parallelizationFactor: 4,
      startingPosition: 'AT_TIMESTAMP',
      startingPositionTimestamp: 1_700_000_000,
      maximumRecordAgeInSeconds: 3600,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 5,
      tumblingWindowInSeconds: 60,
      functionResponseTypes: ['ReportBatchItemFailures'],
      filterCriteria: { filters: [{ pattern: '{"data": {"a": [1]}}' }] },
      destinationConfig: { onFailure: { destination: 'file://./failed.jsonl' } },
    });
    expect(changes.warnings).toEqual([]);
  });

  it('maps SQS scaling, self-managed Kafka with the UUID as default consumer group, and MSK brokers from the defaults', () => {
    const sqsBody = { EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q', ScalingConfig: { MaximumConcurrency: 4 } };
    expect(newPipelineInput(uuid, sourceOfCreateRequest(sqsBody, {}), esmParameterChanges(sqsBody, 'create')).source).toEqual({
      type: 'sqs',
      queueArn: 'arn:aws:sqs:us-east-1:123456789012:q',
      scalingConfig: { maximumConcurrency: 4 },
    });
    const kafka = { SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['b1:9092'] } }, Topics: ['t'] };
    expect(newPipelineInput(uuid, sourceOfCreateRequest(kafka, {}), esmParameterChanges(kafka, 'create')).source).toEqual({
      type: 'kafka',
      bootstrapServers: ['b1:9092'],
      topics: ['t'],
      consumerGroupId: uuid,
    });
    const cluster = 'arn:aws:kafka:us-east-1:123456789012:cluster/c/1';
    const msk = { EventSourceArn: cluster, Topics: ['t'], AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'g' } };
    expect(sourceOfCreateRequest(msk, { mskBootstrapServers: { [cluster]: ['b:9098'] } })).toEqual({
      type: 'kafka',
      clusterArn: cluster,
      bootstrapServers: ['b:9098'],
      topics: ['t'],
      consumerGroupId: 'g',
    });
  });

  it('accepts AWS-only members with a warning and keeps them', () => {
    const changes = esmParameterChanges(
      { KMSKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k', LoggingConfig: { SystemLogLevel: 'WARN' }, SourceAccessConfigurations: [{ Type: 'VPC_SUBNET', URI: 'subnet:s-1' }], Novel: 1 },
      'create',
    );
    expect(Object.keys(changes.awsOnly).sort()).toEqual(['KMSKeyArn', 'LoggingConfig', 'SourceAccessConfigurations']);
    expect(changes.warnings).toHaveLength(4);
    expect(changes.warnings.filter((warning) => warning.includes('Novel'))).toEqual(['unknown parameter Novel ignored']);
  });

  it('maps MetricsConfig and ProvisionedPollerConfig onto pipeline fields; {} removes provisioned mode', () => {
    const changes = esmParameterChanges({ MetricsConfig: { Metrics: ['EventCount'] }, ProvisionedPollerConfig: { MinimumPollers: 3, MaximumPollers: 9 } }, 'create');
    expect(changes.pipeline).toEqual({ metricsConfig: { metrics: ['EventCount'] }, provisionedPollerConfig: { minimumPollers: 3, maximumPollers: 9 } });
    expect(changes.awsOnly).toEqual({});
    expect(changes.warnings).toEqual([]);
    expect(esmParameterChanges({ MetricsConfig: {}, ProvisionedPollerConfig: {} }, 'update').pipeline).toEqual({ metricsConfig: { metrics: [] }, provisionedPollerConfig: REMOVE });
    const grouped = esmParameterChanges({ ProvisionedPollerConfig: { PollerGroupName: 'g' } }, 'create');
    expect(grouped.pipeline).toEqual({ provisionedPollerConfig: { pollerGroupName: 'g' } });
    expect(grouped.warnings).toEqual([expect.stringMatching(/^ProvisionedPollerConfig\.PollerGroupName: accepted and ignored: /)]);
  });

  it('a Kinesis stream consumer ARN maps the stream through enhanced fan-out (it was refused before)', () => {
    const consumerArn = 'arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1';
    expect(sourceOfCreateRequest({ EventSourceArn: consumerArn }, {})).toEqual({ type: 'kinesis', consumerArn });
  });

  it('a Kafka SchemaRegistryConfig becomes source.schemaRegistryConfig at creation (it was refused before); changing it later is refused', () => {
    const registry = {
      SchemaRegistryURI: 'http://127.0.0.1:8080/apis/ccompat/v7',
      EventRecordFormat: 'JSON',
      SchemaValidationConfigs: [{ Attribute: 'VALUE' }],
      AccessConfigs: [{ Type: 'BASIC_AUTH', URI: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:registry' }],
    };
    const body = { SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['b:1'] } }, Topics: ['t'], SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'g', SchemaRegistryConfig: registry } };
    expect(sourceOfCreateRequest(body, {})).toEqual({
      type: 'kafka',
      bootstrapServers: ['b:1'],
      topics: ['t'],
      consumerGroupId: 'g',
      schemaRegistryConfig: {
        schemaRegistryURI: registry.SchemaRegistryURI,
        eventRecordFormat: 'JSON',
        schemaValidationConfigs: [{ attribute: 'VALUE' }],
        accessConfigs: [{ type: 'BASIC_AUTH', uri: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:registry' }],
      },
    });
    expect(() => esmParameterChanges(body, 'create')).not.toThrow();
    expect(() => esmParameterChanges({ SelfManagedKafkaEventSourceConfig: { SchemaRegistryConfig: registry } }, 'update')).toThrow(LambdaApiError);
  });

  it('refuses what Tributary cannot honour instead of ignoring it', () => {
    const refused = [
      { Queues: ['q'] },
      { SourceAccessConfigurations: [{ Type: 'BASIC_AUTH', URI: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s' }] },
      { DestinationConfig: { OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:123456789012:q' } } },
    ];
    for (const body of refused) expect(() => esmParameterChanges(body, 'create'), JSON.stringify(body)).toThrow(LambdaApiError);
    for (const arn of ['arn:aws:mq:us-east-1:123456789012:broker:b', 'arn:aws:sns:us-east-1:123456789012:t']) {
      expect(() => sourceOfCreateRequest({ EventSourceArn: arn }, {}), arn).toThrow(LambdaApiError);
    }
    expect(() => sourceOfCreateRequest({}, {})).toThrow('Unrecognized event source.');
  });
});

describe('an UpdateEventSourceMapping request', () => {
  const current = {
    name: uuid,
    enabled: true,
    source: { type: 'kafka', bootstrapServers: ['b:1'], topics: ['t'], consumerGroupId: 'g' },
    batchSize: 10,
    functionResponseTypes: ['ReportBatchItemFailures'],
    filterCriteria: { filters: [{ pattern: '{}' }] },
    destinationConfig: { onFailure: { destination: 'kafka://dlq' } },
  };

  it('changes only what it names and removes settings given empty, as on AWS', () => {
    const changes = esmParameterChanges({ BatchSize: 20, FunctionResponseTypes: [], FilterCriteria: { Filters: [] }, DestinationConfig: { OnFailure: { Destination: '' } } }, 'update');
    expect(changes.pipeline).toEqual({ batchSize: 20, functionResponseTypes: REMOVE, filterCriteria: REMOVE, destinationConfig: REMOVE });
    expect(mergedPipelineInput(current, changes)).toEqual({ name: uuid, enabled: true, source: current.source, batchSize: 20 });
  });

  it('ignores create-only members with a warning and refuses a new consumer group', () => {
    const changes = esmParameterChanges({ StartingPosition: 'LATEST', Topics: ['x'] }, 'update');
    expect(changes.pipeline).toEqual({});
    expect(changes.warnings).toHaveLength(2);
    expect(mergedPipelineInput(current, esmParameterChanges({ SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'g' } }, 'update')).source).toEqual(current.source);
    expect(() => mergedPipelineInput(current, esmParameterChanges({ SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: 'other' } }, 'update'))).toThrow(
      /ConsumerGroupId cannot be updated/,
    );
  });
});

describe('eventSourceArnOf', () => {
  it('names an enhanced fan-out mapping by its consumer ARN, a polling one by its stream ARN', () => {
    const streamArn = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';
    const consumerArn = `${streamArn}/consumer/c:1`;
    const kinesis = { type: 'kinesis', streamName: null, streamArn, region: null, endpoint: null } as const;
    expect(eventSourceArnOf({ ...kinesis, consumerArn })).toBe(consumerArn);
    expect(eventSourceArnOf(kinesis)).toBe(streamArn);
  });
});

describe('schemaRegistryDocument', () => {
  it("gives a resolved registry back in AWS's members", () => {
    const document = schemaRegistryDocument({
      kind: 'confluent',
      uri: 'http://r/ccompat',
      eventRecordFormat: 'SOURCE',
      validateKey: true,
      validateValue: true,
      accessConfigs: [{ type: 'SERVER_ROOT_CA_CERTIFICATE', uri: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ca' }],
    });
    expect(document).toEqual({
      SchemaRegistryURI: 'http://r/ccompat',
      EventRecordFormat: 'SOURCE',
      SchemaValidationConfigs: [{ Attribute: 'KEY' }, { Attribute: 'VALUE' }],
      AccessConfigs: [{ Type: 'SERVER_ROOT_CA_CERTIFICATE', URI: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ca' }],
    });
  });
});
