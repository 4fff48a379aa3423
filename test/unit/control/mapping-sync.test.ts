/**
 * The control plane (MappingControl over MappingSync) on a real file mapping store and checkpoint store, with the
 * service replaced by a host that records what it is asked to do:
 * - `fileMappings: writable`: a change of a file pipeline is stored without its source (its SASL password stays in
 *   the file), a restarted replica starts that pipeline as changed, a deleted one stays deleted;
 * - a change is applied once, in order: a pause/resume of an unchanged pipeline is `setEnabled`, anything else `update`;
 * - a writer that read an older version loses (409) instead of overwriting;
 * - a delete gives the checkpoints back only once no other live replica holds a lease (or they expired).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MappingChange } from '../../../src/api/ports.ts';
import { FileMappingStore, MAPPINGS_FILE } from '../../../src/checkpoint/file-mapping-store.ts';
import { FileCheckpointStore } from '../../../src/checkpoint/file-store.ts';
import { resolveConfigObject } from '../../../src/config/index.ts';
import type { PipelineConfig, TributaryConfig } from '../../../src/config/types.ts';
import { ServiceMappingControl } from '../../../src/control/mapping-control.ts';
import { MappingSync } from '../../../src/control/mapping-sync.ts';
import type { PipelineHost } from '../../../src/control/pipeline-host.ts';
import type { PipelineStatus } from '../../../src/pipeline/pipeline.ts';
import { silentLogger } from '../../../src/observability/logger.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

class RecordingHost implements PipelineHost {
  readonly workerId = 'me';
  readonly calls: string[] = [];
  readonly running = new Map<string, PipelineConfig>();
  readonly checkpoints: FileCheckpointStore;

  constructor(dir: string) {
    this.checkpoints = new FileCheckpointStore({ directory: dir });
  }

  status(name: string): PipelineStatus | null {
    const config = this.running.get(name);
    if (config === undefined) return null;
    return { name, state: config.enabled ? 'Enabled' : 'Disabled', stateReason: null, sourceType: config.source.type, sourceArn: null, lanes: 1, lastProcessingResult: 'OK', lastError: null, failing: null, retrying: false };
  }

  add(config: PipelineConfig): void {
    this.calls.push(`add ${config.name}`);
    this.running.set(config.name, config);
  }

  async update(name: string, config: PipelineConfig): Promise<void> {
    this.calls.push(`update ${name} batchSize=${config.batchSize}`);
    this.running.set(name, config);
  }

  async setEnabled(name: string, enabled: boolean): Promise<void> {
    this.calls.push(`${enabled ? 'enable' : 'disable'} ${name}`);
    const config = this.running.get(name);
    if (config !== undefined) this.running.set(name, { ...config, enabled });
  }

  async remove(name: string): Promise<void> {
    this.calls.push(`remove ${name}`);
    this.running.delete(name);
  }

  checkpointStore(): Promise<FileCheckpointStore> {
    return Promise.resolve(this.checkpoints);
  }

  onStateChanged(): () => void {
    return () => undefined;
  }
}

function configOf(dir: string, fileMappings: 'read-only' | 'writable'): TributaryConfig {
  return resolveConfigObject(
    {
      checkpoints: { type: 'file', path: join(dir, 'state') },
      functions: { f: { type: 'http', url: 'http://127.0.0.1:1/' }, g: { type: 'http', url: 'http://127.0.0.1:2/' } },
      api: { fileMappings },
      pipelines: [
        {
          name: 'from-file',
          function: 'f',
          source: { type: 'kafka', bootstrapServers: ['b:9092'], topics: ['orders'], sasl: { mechanism: 'plain', username: 'u', password: '${KAFKA_PASSWORD}' } },
          startingPosition: 'LATEST',
        },
      ],
    },
    { env: { KAFKA_PASSWORD: 'file-only-secret' }, baseDir: dir },
  );
}

function plane(dir: string, options: { fileMappings?: 'read-only' | 'writable'; now?: () => number; host?: RecordingHost } = {}) {
  const config = configOf(dir, options.fileMappings ?? 'writable');
  const host = options.host ?? new RecordingHost(join(dir, 'state'));
  // The service runs the file's pipelines before the sync starts.
  for (const pipeline of config.pipelines) if (!host.running.has(pipeline.name)) host.running.set(pipeline.name, pipeline);
  const store = new FileMappingStore(join(dir, 'state'));
  const now = options.now ?? Date.now;
  const sync = new MappingSync({ config, store, host, logger: silentLogger(), now, baseDir: dir, releaseGraceMs: 10_000 });
  const control = new ServiceMappingControl({
    sync,
    host,
    resolution: () => ({ functions: config.functions, baseDir: dir, nowMs: now() }),
    fileMappingsWritable: (options.fileMappings ?? 'writable') === 'writable',
    now,
    functionArn: (name) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  });
  closers.push(async () => {
    await sync.close();
    await store.close();
  });
  return { config, host, store, sync, control };
}

const change = (pipeline: Record<string, unknown>, extra: Partial<MappingChange> = {}): MappingChange => ({ functionName: 'f', qualifier: null, pipeline, awsOnly: {}, enabledChanged: false, ...extra });

describe('the control plane on a file store', () => {
  it('a file pipeline changed and then deleted through the API: stored without its secret, restarted as changed, then staying deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-sync-file-'));
    const first = plane(dir);
    expect(await first.sync.load(AbortSignal.timeout(5000))).toEqual(new Map());
    const uuid = first.config.pipelines[0]?.uuid ?? '';
    const current = await first.control.get(uuid);
    expect(current).toMatchObject({ writable: true, functionName: 'f' });
    const updated = await first.control.update(uuid, change({ ...current?.pipeline, batchSize: 7 }, { functionName: 'g' }));
    expect(updated).toMatchObject({ state: 'Updating', functionName: 'g', pipeline: { batchSize: 7 } });
    await first.sync.idle();
    expect(first.host.calls).toEqual(['update from-file batchSize=7']);
    expect(first.host.running.get('from-file')?.function).toBe(first.config.functions['g']);
    const stored = readFileSync(join(dir, 'state', MAPPINGS_FILE), 'utf8');
    expect(stored).not.toContain('file-only-secret');
    expect(stored).not.toContain('bootstrapServers');
    await first.sync.close();
    await first.store.close();

    // A restart starts the file pipeline as changed, with the file's source (its password) and the stored parameters.
    const second = plane(dir);
    const overrides = await second.sync.load(AbortSignal.timeout(5000));
    const restarted = overrides.get('from-file');
    expect(restarted?.kind).toBe('run');
    const config = restarted?.kind === 'run' ? restarted.config : null;
    expect(config).toMatchObject({ batchSize: 7, functionRef: 'g', source: { type: 'kafka', sasl: { password: 'file-only-secret' } } });
    expect(await second.control.delete(uuid)).toMatchObject({ state: 'Deleting' });
    await second.sync.idle();
    await second.sync.idle();
    expect(second.host.calls).toEqual(['remove from-file']);
    expect(await second.control.get(uuid)).toBeNull();
    await second.sync.close();
    await second.store.close();

    const third = plane(dir);
    expect((await third.sync.load(AbortSignal.timeout(5000))).get('from-file')).toEqual({ kind: 'deleted' });
    expect(await third.control.list()).toEqual([]);
  });

  it('read-only file pipelines answer 409; API mappings apply pause/resume as setEnabled and other changes as update, once each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-sync-api-'));
    const { control, sync, host, config } = plane(dir, { fileMappings: 'read-only' });
    await sync.load(AbortSignal.timeout(5000));
    await expect(control.update(config.pipelines[0]?.uuid ?? '', change({ name: 'from-file' }))).rejects.toMatchObject({ awsType: 'ResourceConflictException' });
    const uuid = '0f0c2d8e-3a5b-4c6d-8e9f-0a1b2c3d4e5f';
    const pipeline = { name: uuid, enabled: true, source: { type: 'sqs', queueUrl: 'http://127.0.0.1:9324/000000000000/q' }, batchSize: 5 };
    expect(await control.create({ uuid, functionName: 'f', qualifier: null, pipeline, awsOnly: { Tags: { a: 'b' } } })).toMatchObject({ state: 'Creating', writable: true });
    await sync.idle();
    const tags = { awsOnly: { Tags: { a: 'b' } } };
    await control.update(uuid, change({ ...pipeline, enabled: false }, { enabledChanged: true, ...tags }));
    await sync.idle();
    await control.update(uuid, change({ ...pipeline, enabled: true }, { enabledChanged: true, ...tags }));
    await sync.idle();
    await control.update(uuid, change({ ...pipeline, batchSize: 2 }, tags));
    await sync.idle();
    await sync.sync();
    await sync.idle();
    expect(host.calls).toEqual([`add ${uuid}`, `disable ${uuid}`, `enable ${uuid}`, `update ${uuid} batchSize=2`]);
    expect(await control.get(uuid)).toMatchObject({ state: 'Enabled', awsOnly: { Tags: { a: 'b' } }, lastProcessingResult: 'OK' });
    // The same queue and function once more: AWS's conflict.
    await expect(control.create({ uuid: '1f0c2d8e-3a5b-4c6d-8e9f-0a1b2c3d4e5f', functionName: 'f', qualifier: null, pipeline: { ...pipeline, name: 'x' }, awsOnly: {} })).rejects.toMatchObject({
      awsType: 'ResourceConflictException',
    });
  });

  it('a writer that read an older version gets 409 instead of overwriting the newer change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-sync-race-'));
    const { control, sync, store } = plane(dir);
    await sync.load(AbortSignal.timeout(5000));
    const uuid = '2f0c2d8e-3a5b-4c6d-8e9f-0a1b2c3d4e5f';
    const pipeline = { name: uuid, enabled: true, source: { type: 'sqs', queueUrl: 'http://127.0.0.1:9324/000000000000/r' } };
    await control.create({ uuid, functionName: 'f', qualifier: null, pipeline, awsOnly: {} });
    // Another replica writes version 2 behind this replica's back.
    const [record] = await store.list(AbortSignal.timeout(5000));
    if (record === undefined) throw new Error('no record');
    const realPut = store.put.bind(store);
    let raced = false;
    store.put = async (next, expected, signal) => {
      if (!raced) {
        raced = true;
        await realPut({ ...record, version: 2, pipeline: { ...pipeline, batchSize: 9 } }, 1, signal);
      }
      return realPut(next, expected, signal);
    };
    await expect(control.update(uuid, change({ ...pipeline, batchSize: 4 }))).rejects.toMatchObject({ awsType: 'ResourceConflictException' });
    expect(await control.get(uuid)).toMatchObject({ pipeline: { batchSize: 9 } });
  });

  it("a delete removes the checkpoints only once no other replica holds a lease, or the grace for a dead one's ran out", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tributary-sync-delete-'));
    let clock = 1_000_000;
    const { control, sync, host } = plane(dir, { now: () => clock });
    await sync.load(AbortSignal.timeout(5000));
    const uuid = '3f0c2d8e-3a5b-4c6d-8e9f-0a1b2c3d4e5f';
    await control.create({ uuid, functionName: 'f', qualifier: null, pipeline: { name: uuid, enabled: true, source: { type: 'kinesis', streamName: 's' }, startingPosition: 'TRIM_HORIZON' }, awsOnly: {} });
    await sync.idle();
    const signal = AbortSignal.timeout(5000);
    await host.checkpoints.ensureShards(uuid, [{ shardId: 'shard-0', parentShardIds: [] }, { shardId: 'shard-1', parentShardIds: [] }], signal);
    await host.checkpoints.take(uuid, 'shard-1', 'other-replica', 0, signal);
    await control.delete(uuid);
    await sync.idle();
    await sync.idle();
    expect(host.calls).toEqual([`add ${uuid}`, `remove ${uuid}`]);
    expect(await control.get(uuid)).toMatchObject({ state: 'Deleting' });
    expect(await host.checkpoints.list(uuid, signal)).toHaveLength(2);
    clock += 10_001;
    await sync.sync();
    await sync.idle();
    expect(await host.checkpoints.list(uuid, signal)).toEqual([]);
    expect(await control.get(uuid)).toBeNull();
    await host.checkpoints.close();
  });
});
