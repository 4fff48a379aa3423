/**
 * Issue 18 item 7: running an example of config/ from a clone writes its state (checkpoints, the on-failure file)
 * into the clone's git-ignored .tributary/, not into config/ (where it showed up in `git status`, and which a
 * container mounts read-only); TRIBUTARY_STATE_DIR moves it (a container's /data).
 */
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/config/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const EXAMPLES = ['sqs', 'kinesis', 'dynamodb-streams', 'kafka'];
const ENV = { QUEUE_URL: 'http://127.0.0.1:19324/000000000000/orders', STREAM_NAME: 'orders', TABLE_NAME: 'orders', KAFKA_BROKERS: '127.0.0.1:19092' };

/**
 * Every path a run of the example writes to: file destinations, and the checkpoint folder of stream sources (SQS
 * keeps no positions, Kafka commits them to its consumer group: neither writes the folder).
 */
async function statePaths(example: string, env: Record<string, string>): Promise<string[]> {
  const config = await loadConfigFile(join(ROOT, 'config', `${example}.yaml`), { env, cwd: ROOT });
  const streams = config.pipelines.some((p) => p.source.type === 'kinesis' || p.source.type === 'dynamodb-streams');
  const onFailure = config.pipelines.flatMap((p) => (p.onFailure?.type === 'file' ? [p.onFailure.path] : []));
  return [...(streams && config.checkpoints.type === 'file' ? [config.checkpoints.path] : []), ...onFailure];
}

describe('the examples in config/', () => {
  it.each(EXAMPLES)('%s writes under .tributary/ of the clone, nothing into config/', async (example) => {
    for (const path of await statePaths(example, ENV)) expect(relative(ROOT, path)).toMatch(/^\.tributary(\/|$)/);
  });

  it.each(['kinesis', 'dynamodb-streams'])('%s writes under TRIBUTARY_STATE_DIR when it is set', async (example) => {
    const paths = await statePaths(example, { ...ENV, TRIBUTARY_STATE_DIR: '/data' });
    expect(paths.length).toBeGreaterThanOrEqual(2);
    for (const path of paths) expect(path.startsWith('/data/')).toBe(true);
  });
});
