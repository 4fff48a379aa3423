/**
 * The pure rules of the control plane: AWS's checks across mappings (same source + function, a shared Kafka consumer
 * group), Lambda's state view of a pipeline, and what is stored for a change of a file pipeline (never its source).
 */
import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../../src/config/types.ts';
import { mappingConflict, sameSource } from '../../../src/control/mapping-conflicts.ts';
import { fileMappingInput, storableFileInput } from '../../../src/control/mapping-config.ts';
import { mappingStateOf, updateState } from '../../../src/control/mapping-state.ts';
import type { PipelineStatus } from '../../../src/pipeline/pipeline.ts';
import type { StoredMapping } from '../../../src/checkpoint/mapping-store.ts';

const sqs = (queueUrl: string, queueArn: string | null = null): SourceConfig => ({ type: 'sqs', queueUrl, queueArn, fifo: false, region: null, endpoint: null, maximumConcurrency: null });
const kinesis = (streamName: string, region: string | null = null): SourceConfig => ({ type: 'kinesis', streamName, streamArn: null, region, endpoint: null });
const kafka = (servers: string[], topics: string[], group: string, clusterArn: string | null = null): SourceConfig => ({
  type: 'kafka',
  bootstrapServers: servers,
  topics,
  consumerGroupId: group,
  clusterArn,
  ssl: false,
  sasl: null,
});

describe('mappingConflict', () => {
  it("refuses the same queue mapped to the same function, with AWS's message naming the existing mapping", () => {
    const existing = { uuid: 'u-1', functionName: 'orders', source: sqs('http://127.0.0.1:9324/000000000000/q') };
    const candidate = { uuid: 'u-2', functionName: 'orders', source: sqs('https://sqs.us-east-1.amazonaws.com/000000000000/q', 'arn:aws:sqs:us-east-1:000000000000:q') };
    expect(mappingConflict(candidate, [existing])).toMatchObject({
      awsType: 'ResourceConflictException',
      status: 409,
      message: 'An event source mapping with SQS arn (" arn:aws:sqs:us-east-1:000000000000:q ") and function (" orders ") already exists. Please update or delete the existing mapping with UUID u-1',
    });
    // Another function, another account's queue of the same name, or the mapping itself: allowed.
    expect(mappingConflict({ ...candidate, functionName: 'audit' }, [existing])).toBeNull();
    expect(mappingConflict({ ...candidate, source: sqs('http://127.0.0.1:9324/111111111111/q') }, [existing])).toBeNull();
    expect(mappingConflict({ ...existing }, [existing])).toBeNull();
  });

  it('streams: same name (and region when both know it)', () => {
    expect(sameSource(kinesis('s', 'us-east-1'), kinesis('s'))).toBe(true);
    expect(sameSource(kinesis('s', 'us-east-1'), kinesis('s', 'eu-west-1'))).toBe(false);
    const message = mappingConflict({ uuid: 'b', functionName: 'f', source: kinesis('s') }, [{ uuid: 'a', functionName: 'f', source: kinesis('s') }])?.message;
    expect(message).toBe('The event source arn (" s ") and function (" f ") provided mapping already exists. Please update or delete the existing mapping with UUID a');
  });

  it('Kafka: a consumer group used on the same cluster by another mapping is refused, whatever the topic or function', () => {
    const first = { uuid: 'a', functionName: 'f', source: kafka(['b1:9092', 'b2:9092'], ['orders'], 'group-1') };
    const shared = mappingConflict({ uuid: 'b', functionName: 'g', source: kafka(['b2:9092'], ['audit'], 'group-1') }, [first]);
    expect(shared).toMatchObject({ awsType: 'ResourceConflictException', message: expect.stringContaining('The consumer group group-1 is already used') as unknown });
    expect(mappingConflict({ uuid: 'b', functionName: 'g', source: kafka(['other:9092'], ['audit'], 'group-1') }, [first])).toBeNull();
    expect(mappingConflict({ uuid: 'b', functionName: 'g', source: kafka(['b1:9092'], ['orders'], 'group-2') }, [first])).toBeNull();
    // Same topic and function on the same cluster: the duplicate rule.
    expect(mappingConflict({ uuid: 'b', functionName: 'f', source: kafka(['b1:9092'], ['orders'], 'group-2') }, [first])?.message).toContain('already exists');
    // MSK clusters compare by ARN.
    const msk = (arn: string): SourceConfig => kafka(['b1:9092'], ['t'], 'g', arn);
    expect(sameSource(msk('arn:aws:kafka:us-east-1:000000000000:cluster/a/1'), msk('arn:aws:kafka:us-east-1:000000000000:cluster/b/2'))).toBe(false);
  });
});

const status = (state: PipelineStatus['state'], extra: Partial<PipelineStatus> = {}): PipelineStatus => ({
  name: 'p',
  state,
  stateReason: null,
  sourceType: 'sqs',
  sourceArn: null,
  lanes: 1,
  lastProcessingResult: 'OK',
  lastError: null,
  failing: null,
  retrying: false,
  ...extra,
});

describe('mappingStateOf', () => {
  const base = { sourceType: 'sqs', deleting: false, settledOnce: false } as const;

  it("is Creating until the mapping first settles, then Lambda's states", () => {
    expect(mappingStateOf(null, base)).toEqual({ state: 'Creating', stateTransitionReason: 'USER_INITIATED', lastProcessingResult: 'No records processed' });
    expect(mappingStateOf(status('Enabling'), base).state).toBe('Creating');
    expect(mappingStateOf(status('Enabling'), { ...base, settledOnce: true }).state).toBe('Enabling');
    for (const state of ['Enabled', 'Disabling', 'Disabled', 'Updating'] as const) expect(mappingStateOf(status(state), base).state).toBe(state);
    expect(mappingStateOf(status('Enabled'), { ...base, deleting: true }).state).toBe('Deleting');
    expect(mappingStateOf(status('Enabled'), { ...base, sourceType: 'kinesis' }).stateTransitionReason).toBe('User action');
  });

  it('a Failed pipeline is Enabled with a PROBLEM processing result, as Lambda reports a mapping that cannot work', () => {
    expect(mappingStateOf(status('Failed', { stateReason: 'start: source: queue does not exist' }), base)).toMatchObject({
      state: 'Enabled',
      lastProcessingResult: 'PROBLEM: start: source: queue does not exist',
    });
  });

  it('Update answers Enabling / Disabling when it switched Enabled, else Updating', () => {
    expect(updateState(true, true)).toBe('Enabling');
    expect(updateState(true, false)).toBe('Disabling');
    expect(updateState(false, false)).toBe('Updating');
  });
});

describe('file pipelines changed through the API', () => {
  const input = { name: 'orders', source: { type: 'kafka', bootstrapServers: ['b:9092'], topics: ['t'], sasl: { mechanism: 'plain', username: 'u', password: 'secret' } }, batchSize: 10 };

  it('store their parameters and of the source only scalingConfig: never the credentials', () => {
    const stored = storableFileInput({ ...input, batchSize: 3 });
    expect(stored).toEqual({ name: 'orders', source: {}, batchSize: 3 });
    expect(JSON.stringify(storableFileInput({ ...input, source: { ...input.source, scalingConfig: { maximumConcurrency: 5 } } }))).not.toContain('secret');
  });

  it("run with the file's source and the stored parameters", () => {
    const record: StoredMapping = { uuid: 'u', origin: 'file', functionName: 'f', qualifier: null, pipeline: { name: 'orders', source: { scalingConfig: { maximumConcurrency: 4 } }, batchSize: 3 }, awsOnly: {}, status: 'active', lastModifiedMs: 1, version: 1 };
    const file = { input, config: { name: 'orders' } as never };
    expect(fileMappingInput(file, record)).toEqual({ name: 'orders', batchSize: 3, source: { ...input.source, scalingConfig: { maximumConcurrency: 4 } } });
  });
});
