/**
 * The event-source-mapping API with the real @aws-sdk/client-lambda (endpoint override, signed with test
 * credentials): create, get, update, disable, enable, delete, list with paging and filters, validation refusals with
 * AWS's error documents, conflicts.
 */
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  LambdaClient,
  ListEventSourceMappingsCommand,
  paginateListEventSourceMappings,
  UpdateEventSourceMappingCommand,
  type EventSourceMappingConfiguration,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, REGION, startApiFixture, TEST_CREDENTIALS, type ApiFixture, sdkRefusal } from './api-fixture.ts';

let api: ApiFixture;
let lambda: LambdaClient;

beforeAll(async () => {
  api = await startApiFixture({
    declared: [
      {
        uuid: '00000000-0000-4000-8000-000000000001',
        functionName: 'orders',
        qualifier: null,
        pipeline: { name: 'from-file', source: { type: 'kinesis', streamName: 'file-stream', region: REGION }, startingPosition: 'LATEST' },
        state: 'Enabled',
        stateTransitionReason: 'User action',
        lastModifiedMs: Date.UTC(2026, 0, 1),
        lastProcessingResult: 'OK',
        writable: false,
        awsOnly: {},
      },
      {
        // A file mapping the file marks writable, written without `enabled` (the config's default: true).
        uuid: '00000000-0000-4000-8000-000000000002',
        functionName: 'orders',
        qualifier: null,
        pipeline: { name: 'writable-file', source: { type: 'sqs', queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:file-queue` } },
        state: 'Enabled',
        stateTransitionReason: 'User action',
        lastModifiedMs: Date.UTC(2026, 0, 1),
        lastProcessingResult: 'OK',
        writable: true,
        awsOnly: {},
      },
    ],
  });
  lambda = new LambdaClient({ endpoint: api.server.url, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
});
afterAll(async () => {
  lambda.destroy();
  await api.close();
});

const queueArn = (name: string): string => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
const streamArn = (name: string): string => `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/${name}`;

describe('event source mappings through @aws-sdk/client-lambda', () => {
  it('creates, gets, updates, disables, enables and deletes an SQS mapping with Lambda states and documents', async () => {
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'orders',
        EventSourceArn: queueArn('lifecycle'),
        BatchSize: 50,
        MaximumBatchingWindowInSeconds: 2,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        FilterCriteria: { Filters: [{ Pattern: '{"body": {"type": ["order"]}}' }] },
        ScalingConfig: { MaximumConcurrency: 5 },
        Tags: { team: 'payments' },
      }),
    );
    expect(created.$metadata.httpStatusCode).toBe(202);
    expect(created).toMatchObject({
      State: 'Creating',
      StateTransitionReason: 'User action',
      LastProcessingResult: 'No records processed',
      EventSourceArn: queueArn('lifecycle'),
      FunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders`,
      EventSourceMappingArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:event-source-mapping:${created.UUID}`,
      BatchSize: 50,
      MaximumBatchingWindowInSeconds: 2,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: { Filters: [{ Pattern: '{"body": {"type": ["order"]}}' }] },
      ScalingConfig: { MaximumConcurrency: 5 },
    });
    expect(created.UUID).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.LastModified).toBeInstanceOf(Date);
    expect(created.StartingPosition).toBeUndefined();
    const uuid = created.UUID ?? '';

    const got = await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }));
    expect(got.$metadata.httpStatusCode).toBe(200);
    expect(got.State).toBe('Enabled');

    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 5, MaximumBatchingWindowInSeconds: 0 }));
    expect(updated).toMatchObject({ State: 'Updating', BatchSize: 5, MaximumBatchingWindowInSeconds: 0, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Enabled');

    const disabling = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: false }));
    expect(disabling.State).toBe('Disabling');
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Disabled');
    const enabling = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, Enabled: true }));
    expect(enabling).toMatchObject({ State: 'Enabling', BatchSize: 5 });
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).State).toBe('Enabled');

    const removedFilters = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, FilterCriteria: {}, FunctionResponseTypes: [] }));
    expect(removedFilters.FilterCriteria).toBeUndefined();
    expect(removedFilters.FunctionResponseTypes).toEqual([]);

    const deleting = await lambda.send(new DeleteEventSourceMappingCommand({ UUID: uuid }));
    expect(deleting.$metadata.httpStatusCode).toBe(202);
    expect(deleting.State).toBe('Deleting');
    expect(await sdkRefusal(lambda.send(new GetEventSourceMappingCommand({ UUID: uuid })))).toEqual({
      name: 'ResourceNotFoundException',
      message: 'The resource you requested does not exist.',
      status: 404,
      type: 'User',
    });
  });

  it("returns a stream mapping with Lambda's defaults and a Kafka mapping with its consumer group", async () => {
    const stream = await lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:orders`, EventSourceArn: streamArn('defaults'), StartingPosition: 'TRIM_HORIZON' }),
    );
    expect(stream).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: false,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
      TumblingWindowInSeconds: 0,
      DestinationConfig: {},
      FunctionResponseTypes: [],
    });
    const kafka = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: `${ACCOUNT}:function:orders`,
        SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['127.0.0.1:19092'] } },
        Topics: ['orders'],
        StartingPosition: 'LATEST',
        DestinationConfig: { OnFailure: { Destination: 'kafka://orders-failed' } },
      }),
    );
    expect(kafka.EventSourceArn).toBeUndefined();
    expect(kafka).toMatchObject({
      Topics: ['orders'],
      SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['127.0.0.1:19092'] } },
      SelfManagedKafkaEventSourceConfig: { ConsumerGroupId: kafka.UUID },
      MaximumBatchingWindowInSeconds: 0.5,
      DestinationConfig: { OnFailure: { Destination: 'kafka://orders-failed' } },
    });
  });

  it("refuses invalid parameters with the configuration's rules and AWS's messages", async () => {
    const cases: readonly [Record<string, unknown>, string, string][] = [
      [{ EventSourceArn: streamArn('s') }, 'InvalidParameterValueException', "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null."],
      [{ EventSourceArn: queueArn('q'), StartingPosition: 'LATEST' }, 'InvalidParameterValueException', 'StartingPosition is not valid for SQS event sources.'],
      [{ EventSourceArn: queueArn('q'), BatchSize: 100 }, 'InvalidParameterValueException', 'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10'],
      [{ EventSourceArn: queueArn('q'), FilterCriteria: { Filters: [{ Pattern: '{"body": 5}' }] } }, 'InvalidParameterValueException', 'Invalid filter pattern definition.'],
      [{ EventSourceArn: streamArn('s'), StartingPosition: 'LATEST', BatchSize: 20_000 }, 'InvalidParameterValueException', 'BatchSize: must be between 1 and 10000 (got 20000)'],
      [{ EventSourceArn: 'arn:aws:sns:us-east-1:123456789012:topic' }, 'InvalidParameterValueException', 'Unrecognized event source.'],
      [{ FunctionName: 'nope', EventSourceArn: queueArn('q') }, 'InvalidParameterValueException', 'Function does not exist'],
      [{ EventSourceArn: queueArn('q'), DestinationConfig: { OnSuccess: { Destination: queueArn('d') } } }, 'InvalidParameterValueException', 'Unsupported DestinationConfig parameter for given event source mapping type.'],
      [
        { EventSourceArn: streamArn('s'), StartingPosition: 'LATEST', DestinationConfig: { OnFailure: { Destination: 'file:///etc/cron.d/tributary' } } },
        'InvalidParameterValueException',
        `DestinationConfig.OnFailure.Destination: a file:// destination given through the API must be a relative path inside the API's folder (got "file:///etc/cron.d/tributary")`,
      ],
    ];
    for (const [input, name, message] of cases) {
      const refused = await sdkRefusal(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'orders', ...input } as never)));
      expect(refused, JSON.stringify(input)).toEqual({ name, message, status: 400, type: 'User' });
    }
    const several = await sdkRefusal(
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'orders', EventSourceArn: streamArn('s'), StartingPosition: 'LATEST', ParallelizationFactor: 11, MaximumRecordAgeInSeconds: 5 })),
    );
    expect(several.message).toContain('ParallelizationFactor: must be between 1 and 10 (got 11)');
    expect(several.message).toContain('MaximumRecordAgeInSeconds:');
    expect(await sdkRefusal(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'orders', EventSourceArn: streamArn('s'), StartingPosition: 'SOMETIME' as never })))).toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value 'SOMETIME' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
      status: 400,
    });
  });

  it('refuses a second mapping of the same source and function, and changes to a mapping from the config file', async () => {
    const first = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'orders', EventSourceArn: queueArn('twice') }));
    const second = await sdkRefusal(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'orders', EventSourceArn: queueArn('twice') })));
    expect(second).toEqual({
      name: 'ResourceConflictException',
      message: `An event source mapping with SQS arn (" ${queueArn('twice')} ") and function (" orders ") already exists. Please update or delete the existing mapping with UUID ${first.UUID}`,
      status: 409,
      type: 'User',
    });
    const declared = '00000000-0000-4000-8000-000000000001';
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: declared }))).LastProcessingResult).toBe('OK');
    expect(await sdkRefusal(lambda.send(new UpdateEventSourceMappingCommand({ UUID: declared, BatchSize: 1 })))).toMatchObject({ name: 'ResourceConflictException', status: 409 });
    expect(await sdkRefusal(lambda.send(new DeleteEventSourceMappingCommand({ UUID: declared })))).toMatchObject({ name: 'ResourceConflictException', status: 409 });
    // Enabled: true on a mapping that is enabled by default changes nothing about its state: an update, not Enabling.
    const writableFile = '00000000-0000-4000-8000-000000000002';
    expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID: writableFile, Enabled: true, BatchSize: 3 }))).State).toBe('Updating');
    expect((await lambda.send(new UpdateEventSourceMappingCommand({ UUID: writableFile, Enabled: false }))).State).toBe('Disabling');
  });

  it('lists with FunctionName / EventSourceArn filters and pages with Marker / MaxItems', async () => {
    const uuids: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const created = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'chatty', EventSourceArn: queueArn(`page-${i}`), Enabled: i % 2 === 0 }));
      uuids.push(created.UUID ?? '');
    }
    const first = await lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'chatty', MaxItems: 3 }));
    expect(first.EventSourceMappings).toHaveLength(3);
    expect(first.NextMarker).toEqual(expect.any(String));
    const all: EventSourceMappingConfiguration[] = [];
    for await (const page of paginateListEventSourceMappings({ client: lambda, pageSize: 3 }, { FunctionName: 'chatty' })) all.push(...(page.EventSourceMappings ?? []));
    expect(all.map((mapping) => mapping.UUID).sort()).toEqual([...uuids].sort());
    expect(new Set(all.map((mapping) => mapping.State))).toEqual(new Set(['Enabled', 'Disabled']));
    const one = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: queueArn('page-4') }));
    expect(one.EventSourceMappings?.map((mapping) => mapping.UUID)).toEqual([uuids[4]]);
    expect(one.NextMarker).toBeUndefined();
    expect(await sdkRefusal(lambda.send(new ListEventSourceMappingsCommand({ MaxItems: 0 })))).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(await sdkRefusal(lambda.send(new ListEventSourceMappingsCommand({ Marker: 'not-a-marker' })))).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
  });
});
