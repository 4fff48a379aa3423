/**
 * MetricsConfig and ProvisionedPollerConfig through the real @aws-sdk/client-lambda: created, returned with AWS's
 * defaults, updated, removed, and refused with the configuration's rules (AWS's ranges, which source allows which
 * value, not with ScalingConfig.MaximumConcurrency).
 */
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, LambdaClient, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, REGION, sdkRefusal, startApiFixture, TEST_CREDENTIALS, type ApiFixture } from './api-fixture.ts';

let api: ApiFixture;
let lambda: LambdaClient;

beforeAll(async () => {
  api = await startApiFixture();
  lambda = new LambdaClient({ endpoint: api.server.url, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
});
afterAll(async () => {
  lambda.destroy();
  await api.close();
});

const queueArn = (name: string): string => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
const kafkaSource = { SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ['127.0.0.1:19092'] } }, StartingPosition: 'LATEST' as const };

describe('MetricsConfig and ProvisionedPollerConfig through @aws-sdk/client-lambda', () => {
  it('SQS: created with AWS defaults filled in, read back, updated, and provisioned mode turned off with {}', async () => {
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: 'orders', EventSourceArn: queueArn('knobs'), MetricsConfig: { Metrics: ['EventCount'] }, ProvisionedPollerConfig: { MaximumPollers: 20 } }),
    );
    expect(created).toMatchObject({ MetricsConfig: { Metrics: ['EventCount'] }, ProvisionedPollerConfig: { MinimumPollers: 2, MaximumPollers: 20 } });
    expect(created.ScalingConfig).toBeUndefined();
    const uuid = created.UUID ?? '';
    expect(await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).toMatchObject({ MetricsConfig: { Metrics: ['EventCount'] }, ProvisionedPollerConfig: { MinimumPollers: 2, MaximumPollers: 20 } });

    const updated = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, ProvisionedPollerConfig: { MinimumPollers: 5, MaximumPollers: 50 }, MetricsConfig: { Metrics: [] } }));
    expect(updated).toMatchObject({ MetricsConfig: { Metrics: [] }, ProvisionedPollerConfig: { MinimumPollers: 5, MaximumPollers: 50 } });
    // Another update leaves both alone.
    expect(await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, BatchSize: 5 }))).toMatchObject({ BatchSize: 5, ProvisionedPollerConfig: { MinimumPollers: 5, MaximumPollers: 50 } });

    const onDemand = await lambda.send(new UpdateEventSourceMappingCommand({ UUID: uuid, ProvisionedPollerConfig: {}, ScalingConfig: { MaximumConcurrency: 4 } }));
    expect(onDemand.ProvisionedPollerConfig).toBeUndefined();
    expect(onDemand.ScalingConfig).toEqual({ MaximumConcurrency: 4 });
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: uuid }))).ProvisionedPollerConfig).toBeUndefined();
  });

  it('Kafka: every metric group, one poller, and the poller group name kept', async () => {
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'orders',
        ...kafkaSource,
        Topics: ['knobs'],
        MetricsConfig: { Metrics: ['EventCount', 'ErrorCount', 'KafkaMetrics'] },
        ProvisionedPollerConfig: { MaximumPollers: 1, PollerGroupName: 'shared' },
      }),
    );
    expect(created).toMatchObject({
      MetricsConfig: { Metrics: ['EventCount', 'ErrorCount', 'KafkaMetrics'] },
      ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 1, PollerGroupName: 'shared' },
    });
    expect(await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID ?? '' }))).toMatchObject({ ProvisionedPollerConfig: { MinimumPollers: 1, MaximumPollers: 1, PollerGroupName: 'shared' } });
  });

  it("refuses what AWS refuses, with the configuration's messages and AWS's ranges", async () => {
    const cases: readonly [Record<string, unknown>, string][] = [
      [{ EventSourceArn: queueArn('r1'), ProvisionedPollerConfig: { MinimumPollers: 1 } }, 'ProvisionedPollerConfig.MinimumPollers: must be between 2 and 200 for an SQS source (got 1)'],
      [{ EventSourceArn: queueArn('r2'), ProvisionedPollerConfig: { MaximumPollers: 2001 } }, 'ProvisionedPollerConfig.MaximumPollers: must be between 1 and 2000 (got 2001)'],
      [
        { EventSourceArn: queueArn('r3'), ProvisionedPollerConfig: { MinimumPollers: 10, MaximumPollers: 5 } },
        'ProvisionedPollerConfig.MinimumPollers: minimumPollers (10) must not be more than maximumPollers (5)',
      ],
      [
        { EventSourceArn: queueArn('r4'), ScalingConfig: { MaximumConcurrency: 5 }, ProvisionedPollerConfig: { MinimumPollers: 2 } },
        'ProvisionedPollerConfig: cannot be combined with source.scalingConfig.maximumConcurrency: provisioned mode and maximum concurrency are mutually exclusive, as on AWS',
      ],
      [
        { EventSourceArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/s`, StartingPosition: 'LATEST', ProvisionedPollerConfig: { MinimumPollers: 2 } },
        'ProvisionedPollerConfig: is not supported for Kinesis sources (SQS and Kafka only), as on AWS',
      ],
      [
        { EventSourceArn: queueArn('r5'), MetricsConfig: { Metrics: ['EventCount', 'KafkaMetrics'] } },
        'MetricsConfig.Metrics[1]: KafkaMetrics is only for Kafka sources (Amazon MSK and self-managed Apache Kafka), as on AWS; SQS pipelines have EventCount',
      ],
      [{ ...kafkaSource, Topics: ['t'], MetricsConfig: { Metrics: ['EventCount', 'EventCount'] } }, 'MetricsConfig.Metrics[1]: lists EventCount twice'],
    ];
    for (const [input, message] of cases) {
      const refused = await sdkRefusal(lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'orders', ...input } as never)));
      expect(refused, JSON.stringify(input)).toEqual({ name: 'InvalidParameterValueException', message, status: 400, type: 'User' });
    }
  });
});
