// The supervisor and the lifecycle through the real service, on in-memory sources: a dead queue lane gives back its
// messages and is replaced; a group source that gives up makes the pipeline Failed (readyz false) and recovers; a
// lease table that is unreachable at start is retried; a function that cannot initialise never polls; the function
// runs in the source's region; failed invocations are logged at warn with what happens next. Each failed on the
// engine before this change (issue 11, issue 18 items 1-2 and 6, issue 19).
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { FileCheckpointStore } from '../../../src/checkpoint/file-store.js';
import type { ConnectorDefinition } from '../../../src/connector/definition.js';
import type { GroupHost, GroupSource, Source } from '../../../src/connector/types.js';
import { TributaryError } from '../../../src/errors.js';
import { createService } from '../../../src/index.js';
import type { TributaryService } from '../../../src/pipeline/service.js';
import { MemoryQueue, MemoryStream, memoryQueueConnector, memoryStreamConnector } from '../../support/memory-sources.ts';
import { waitFor } from '../../integration/helpers/wait.js';
import { untypedPipeline } from '../../support/untyped-input.ts';

const services: TributaryService[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const QUEUE = { type: 'sqs', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/memory' };
const STREAM = { type: 'kinesis', streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/memory' };

function connectorFor(definition: ConnectorDefinition, source: Source): ConnectorDefinition {
  return { ...definition, create: async () => source };
}

function serviceWith(pipeline: Record<string, unknown>, connector: ConnectorDefinition, options: { logLines?: string[]; store?: FileCheckpointStore } = {}): TributaryService {
  const lines = options.logLines;
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines?.push(...String(chunk).split('\n').filter((l) => l !== ''));
        callback();
      },
    }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'tributary-supervisor-'));
  dirs.push(dir);
  const service = createService(
    { server: { enabled: false }, checkpoints: { type: 'file', path: dir }, pipelines: [untypedPipeline({ name: 'p', ...pipeline })] },
    { logger, loadConnector: async () => connector, failureBudgetMs: 300, backoff: { baseMs: 10, maxMs: 10 }, ...(options.store === undefined ? {} : { checkpointStore: options.store }) },
  );
  services.push(service);
  return service;
}

describe('queue lanes', () => {
  it('a lane that dies between read and settle releases what it held at once and is replaced', async () => {
    const queue = new MemoryQueue();
    queue.send(['a', 'b']);
    let crashes = 0;
    queue.toEventHook = () => {
      if (crashes++ === 0) throw new Error('a bug while building the event');
    };
    const handled: string[] = [];
    const service = serviceWith(
      {
        source: QUEUE,
        function: async (event: { Records: { body: string }[] }) => {
          handled.push(...event.Records.map((r) => r.body));
          return {};
        },
      },
      connectorFor(memoryQueueConnector, queue),
    );
    await service.start();
    await waitFor(() => queue.deleted.length === 2, 10_000, 'both messages deleted by the replacement lane');
    // The dead lane's messages were made visible again at once, not left behind a heartbeat.
    expect(queue.released.sort()).toEqual(['m-0', 'm-1']);
    expect(handled.sort()).toEqual(['a', 'b']);
    expect(queue.inFlight.size).toBe(0);
  });
});

/** A group source whose client gives up `failures` times, then consumes (reports healthy) until stopped. */
class FlakyGroup implements GroupSource {
  readonly kind = 'group' as const;
  readonly capabilities = { ordering: 'per-shard' as const, maxBatchSize: 100, pageSize: 100 };
  readonly sourceArn = 'kafka://memory:9092';
  readonly region = null;
  readonly retentionMs = null;
  failing = true;
  runs = 0;
  async open(): Promise<void> {}
  async run(host: GroupHost, signal: AbortSignal): Promise<void> {
    this.runs += 1;
    if (this.failing) throw new TributaryError('SOURCE_UNAVAILABLE', 'the brokers are gone', { retryable: true });
    host.health({ kind: 'healthy' });
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  toEvent(): unknown {
    return {};
  }
  async close(): Promise<void> {}
}

describe('group sources', () => {
  it('a client that gives up for good makes the pipeline Failed (not ready) within the budget, and it recovers by itself', async () => {
    const group = new FlakyGroup();
    const kafka: ConnectorDefinition = { ...memoryStreamConnector, type: 'kafka', laneLabel: 'partition', lagMetric: 'offset-lag', create: async () => group };
    const service = serviceWith({ source: { type: 'kafka', bootstrapServers: ['memory:9092'], topics: ['t'] }, startingPosition: 'TRIM_HORIZON', function: async () => ({}) }, kafka);
    await service.start();
    const pipeline = service.pipelines[0];
    await waitFor(() => pipeline?.state === 'Failed', 10_000, 'Failed');
    expect(service.ready()).toBe(false);
    expect(pipeline?.status()).toMatchObject({ state: 'Failed', retrying: true, failing: { component: 'consumer group', message: 'the brokers are gone' } });
    expect(group.runs).toBeGreaterThan(1); // restarted with back-off
    group.failing = false;
    await waitFor(() => pipeline?.state === 'Enabled', 10_000, 'Enabled again');
    expect(service.ready()).toBe(true);
  });
});

describe('stream pipelines', () => {
  it('a lease table unreachable at start is retried: the pipeline runs once it answers, instead of Failed for good', async () => {
    const stream = new MemoryStream();
    stream.put('shard-0', [{ key: 'k', data: 'x' }]);
    const dir = mkdtempSync(join(tmpdir(), 'tributary-store-'));
    dirs.push(dir);
    const real = new FileCheckpointStore({ directory: dir });
    let refusals = 2;
    // The DynamoDB store says "CHECKPOINT_FAILED … ECONNREFUSED" (retryable) while DynamoDB restarts.
    real.open = async (signal: AbortSignal) => {
      if (refusals-- > 0) throw new TributaryError('CHECKPOINT_FAILED', 'DynamoDB DescribeTable on leases failed: Error: connect ECONNREFUSED', { retryable: true });
      return FileCheckpointStore.prototype.open.call(real, signal);
    };
    const seen: unknown[] = [];
    const service = serviceWith({ source: STREAM, startingPosition: 'TRIM_HORIZON', function: async (event: unknown) => (seen.push(event), {}) }, connectorFor(memoryStreamConnector, stream), { store: real });
    await service.start();
    await waitFor(() => seen.length === 1, 10_000, 'the record processed after the lease table came back');
    expect(service.pipelines[0]?.state).toBe('Enabled');
    expect(refusals).toBeLessThan(0);
  });
});

describe('the function', () => {
  it('a handler that cannot initialise fails the pipeline at once with Lambda’s init error; nothing is read', async () => {
    const queue = new MemoryQueue();
    queue.send(['a']);
    const service = serviceWith({ source: QUEUE, function: { type: 'module', handler: './no-such-file.handler' } }, connectorFor(memoryQueueConnector, queue));
    await service.start();
    const pipeline = service.pipelines[0];
    await waitFor(() => pipeline?.state === 'Failed', 10_000, 'Failed');
    expect(pipeline?.status().stateReason).toMatch(/Runtime\.ImportModuleError/);
    expect(queue.inFlight.size).toBe(0);
    expect(queue.deleted).toEqual([]);
  });

  it('runs in the source’s region (the queue ARN’s), not a constant us-east-1', async () => {
    const queue = new MemoryQueue();
    queue.send(['a']);
    const arns: string[] = [];
    const service = serviceWith(
      { source: QUEUE, function: async (_event: unknown, context: { invokedFunctionArn: string }) => (arns.push(context.invokedFunctionArn), {}) },
      connectorFor(memoryQueueConnector, queue),
    );
    await service.start();
    await waitFor(() => arns.length === 1, 10_000, 'the invocation');
    expect(arns[0]).toMatch(/^arn:aws:lambda:eu-west-1:/);
  });

  it('logs every failed invocation at warn with the error, the lane, the batch and what happens next', async () => {
    const stream = new MemoryStream();
    stream.put('shard-0', [{ key: 'k', data: 'x' }]);
    const lines: string[] = [];
    let calls = 0;
    const service = serviceWith(
      {
        source: STREAM,
        startingPosition: 'TRIM_HORIZON',
        function: async () => {
          calls += 1;
          throw new ReferenceError('orderTotal is not defined');
        },
      },
      connectorFor(memoryStreamConnector, stream),
      { logLines: lines },
    );
    await service.start();
    await waitFor(() => calls >= 2, 10_000, 'a retry');
    const warn = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['level'] === 40 && String(l['msg']).startsWith('function failed'));
    expect(warn).toMatchObject({ pipeline: 'p', shard: 'shard-0', size: 1, attempt: 1, errorType: 'ReferenceError', errorMessage: 'orderTotal is not defined' });
    expect(String(warn?.['next'])).toMatch(/^retry in \d/);
  });
});
