/**
 * The container image, built from the Dockerfile without a Docker daemon (buildah, .ci/image/build.sh) and run with
 * podman (issue 17): its configuration (non-root user, HEALTHCHECK, the 0.0.0.0 server override), the demo in a
 * network namespace of its own, the default command with a mounted /config against kinesis-local (SIGTERM drains,
 * exits 0, checkpoints written to /data), a handler's npm dependency from /config/node_modules, and the README's
 * documented `docker run … -v $PWD/config:/config` command against ElasticMQ.
 *
 * Containers that reach the shared test services use the host's network (`--network host`): the services listen on
 * 127.0.0.1 only, so these containers set TRIBUTARY_SERVER_HOST=127.0.0.1 and a port of this file's range.
 */
import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStream, deleteStream, kinesisClient, kinesisEndpoint, putAll } from '../integration/helpers/kinesis.ts';
import { createQueue, queueDepth, sendAll, sqsClient, sqsEndpoint, uniqueName } from '../integration/helpers/sqs.ts';
import { waitFor } from '../integration/helpers/wait.ts';
import { IMAGE, ROOT, imageScript, podman, podmanOk } from './helpers/podman.ts';

const RUN = `${process.pid}`;
const names: string[] = [];
const name = (what: string): string => {
  const full = `tributary-test-${what}-${RUN}`;
  names.push(full);
  return full;
};
// The ops helper's port range (21300-21399); 21300-21349 belong to other files.
const PORT_PIPELINES = 21350 + (process.pid % 20);
const PORT_SQS = 21370 + (process.pid % 20);

interface ImageConfig {
  readonly User: string;
  readonly Env: readonly string[];
  readonly ExposedPorts: Record<string, unknown>;
  readonly Entrypoint: readonly string[];
  readonly Cmd: readonly string[];
  readonly WorkingDir: string;
}

/** `podman image inspect` puts a Docker-format image's HEALTHCHECK beside Config, not in it. */
interface Healthcheck {
  readonly Test: readonly string[];
  readonly Interval: number;
  readonly Retries: number;
}

let sizeBytes = 0;
let config: ImageConfig;
let healthcheck: Healthcheck | undefined;
let work: string;

beforeAll(async () => {
  const built = await imageScript('build.sh');
  process.stderr.write(built);
  const inspected = JSON.parse(await podmanOk(['image', 'inspect', IMAGE])) as { Size: number; Config: ImageConfig; Healthcheck?: Healthcheck }[];
  const image = inspected[0];
  if (image === undefined) throw new Error(`${IMAGE} is not in the store after the build`);
  sizeBytes = image.Size;
  config = image.Config;
  healthcheck = image.Healthcheck;
  work = mkdtempSync(join(tmpdir(), 'tributary-image-'));
}, 1_800_000);

afterAll(async () => {
  for (const each of names) await podman(['rm', '--force', '--time', '0', each]);
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** A folder the image's uid 1000 can write (the host's temp dirs belong to root). */
function writableDir(path: string): string {
  mkdirSync(path, { recursive: true });
  chownSync(path, 1000, 1000);
  return path;
}

async function httpStatus(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2_000) })).status;
  } catch {
    return 0;
  }
}

/** `waitFor`, with the container's logs in the error when it times out. */
async function waitForContainer(container: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  try {
    await waitFor(condition, timeoutMs, what);
  } catch (error) {
    const logs = await podman(['logs', container]);
    throw new Error(`${(error as Error).message}\n--- ${container} logs ---\n${logs.stdout}${logs.stderr}`, { cause: error });
  }
}

/** Sends SIGTERM (`podman stop`, as Docker and the kubelet do) and returns the exit code and the logs. */
async function stop(container: string): Promise<{ exitCode: number; logs: string }> {
  await podmanOk(['stop', '--time', '60', container]);
  const state = JSON.parse(await podmanOk(['inspect', '--format', '{{json .State}}', container])) as { ExitCode: number };
  const logs = await podman(['logs', container]);
  return { exitCode: state.ExitCode, logs: logs.stdout + logs.stderr };
}

describe('the image', () => {
  it(`is small enough and configured for production: non-root, HEALTHCHECK, server on every interface`, () => {
    process.stderr.write(`[image] ${IMAGE}: ${(sizeBytes / 1e6).toFixed(1)} MB uncompressed\n`);
    // The stand-in base alone (Debian minbase + Node 24 + npm) is ~225 MB; the app adds ~40 MB.
    expect(sizeBytes).toBeLessThan(350e6);
    expect(config.User).toBe('1000:1000');
    expect(config.Env).toContain('TRIBUTARY_SERVER_HOST=0.0.0.0');
    expect(config.Env).toContain('NODE_ENV=production');
    expect(Object.keys(config.ExposedPorts)).toEqual(['9400/tcp']);
    expect(config.Entrypoint).toEqual(['node', '/app/dist/src/cli/main.js']);
    expect(config.Cmd).toEqual(['run', '-c', '/config/pipelines.yaml']);
    expect(config.WorkingDir).toBe('/data');
    expect(healthcheck?.Test[0]).toBe('CMD');
    expect(healthcheck?.Retries).toBe(3);
  });

  it('ships production dependencies and the demo emulator, without dev tools or the native leveldown', async () => {
    const listing = await podmanOk(['run', '--rm', '--network', 'none', '--no-healthcheck', '--entrypoint', 'sh', IMAGE, '-c', 'ls /app/node_modules; id -u; test -w /data && echo data-writable']);
    const lines = listing.trim().split('\n');
    expect(lines).toEqual(expect.arrayContaining(['kafkajs', 'pino', 'prom-client', 'kinesalite', 'memdown', '1000', 'data-writable']));
    for (const absent of ['leveldown', 'typescript', 'vitest', 'eslint', 'playwright-core', 'kinesis-local']) expect(lines).not.toContain(absent);
  });

  it('runs the demo in its own network namespace: healthy, Enabled, listening on 0.0.0.0 as uid 1000; SIGTERM exits 0', async () => {
    const demo = name('demo');
    // --network none: only the container's loopback, so 0.0.0.0 reaches nothing outside it.
    await podmanOk(['run', '--detach', '--name', demo, '--network', 'none', IMAGE, 'demo']);
    await waitFor(async () => (await podman(['healthcheck', 'run', demo])).code === 0, 60_000, 'the HEALTHCHECK to pass');
    const health = await podmanOk(['inspect', '--format', '{{.State.Health.Status}}', demo]);
    expect(health.trim()).toBe('healthy');
    const status = await podmanOk(['exec', demo, 'node', '-e', 'fetch("http://127.0.0.1:9400/status").then(r=>r.json()).then(s=>process.stdout.write(JSON.stringify(s.pipelines.map(p=>[p.name,p.state]))))']);
    expect(JSON.parse(status)).toEqual([['orders', 'Enabled']]);
    const proc = await podmanOk(['exec', demo, 'sh', '-c', 'grep ^Uid: /proc/1/status; cat /proc/net/tcp /proc/net/tcp6 2>/dev/null']);
    expect(proc).toMatch(/^Uid:\s+1000\s+1000/m);
    // 9400 = 0x24B8, state 0A = LISTEN, local address 0.0.0.0.
    expect(proc).toMatch(/: 00000000:24B8 00000000:0000 0A /);

    // The image's own HEALTHCHECK command fails when the server does not answer.
    const test = healthcheck?.Test.slice(1) ?? [];
    const unhealthy = await podman(['exec', '--env', 'TRIBUTARY_HEALTHCHECK_URL=http://127.0.0.1:9/healthz', demo, ...test]);
    expect(unhealthy.code).toBe(1);

    const { exitCode, logs } = await stop(demo);
    expect(exitCode).toBe(0);
    expect(logs).toMatch(/stopping \(SIGTERM\)/);
    expect(logs).toMatch(/demo\s+stopped\. \d+ orders produced/);
  });

  it('the default command runs /config/pipelines.yaml; SIGTERM drains, exits 0 and leaves checkpoints in /data', async () => {
    const kinesis = kinesisClient();
    const stream = `image-${RUN}-${Date.now()}`;
    try {
      await createStream(kinesis, stream, 2);
      const dir = join(work, 'pipelines');
      mkdirSync(join(dir, 'config', 'handlers'), { recursive: true });
      // A handler dependency the way docs/operations.md says: npm packages in /config/node_modules.
      cpSync(join(ROOT, 'node_modules', 'yaml'), join(dir, 'config', 'node_modules', 'yaml'), { recursive: true });
      writeFileSync(
        join(dir, 'config', 'handlers', 'ledger.mjs'),
        `import { appendFileSync } from 'node:fs';
import YAML from 'yaml';
export const handler = async (event) => {
  appendFileSync('/data/ledger.txt', event.Records.map((r) => YAML.parse(Buffer.from(r.kinesis.data, 'base64').toString()).id + '\\n').join(''));
  return {};
};
`,
      );
      writeFileSync(
        join(dir, 'config', 'pipelines.yaml'),
        `# server.host left at its default: the image's TRIBUTARY_SERVER_HOST decides.
checkpoints: { type: file, path: /data/checkpoints }
shutdownTimeoutSeconds: 20
pipelines:
  - name: ledger
    source: { type: kinesis, streamName: "\${STREAM_NAME}", endpoint: "\${KINESIS_ENDPOINT}", region: us-east-1 }
    function: { type: module, handler: ./handlers/ledger.handler, timeout: 10 }
    startingPosition: TRIM_HORIZON
    batchSize: 20
`,
      );
      const data = writableDir(join(dir, 'data'));
      const ids = Array.from({ length: 60 }, (_, i) => `r${i}`);
      await putAll(kinesis, stream, ids.map((id) => ({ key: id, data: `id: ${id}` })));

      const container = name('pipelines');
      await podmanOk([
        'run', '--detach', '--name', container, '--network', 'host',
        '--volume', `${join(dir, 'config')}:/config:ro`, '--volume', `${data}:/data`,
        '--env', 'TRIBUTARY_SERVER_HOST=127.0.0.1', '--env', `TRIBUTARY_SERVER_PORT=${PORT_PIPELINES}`,
        '--env', `STREAM_NAME=${stream}`, '--env', `KINESIS_ENDPOINT=${kinesisEndpoint()}`,
        '--env', 'AWS_ACCESS_KEY_ID=test', '--env', 'AWS_SECRET_ACCESS_KEY=test', '--env', 'LOG_LEVEL=info',
        IMAGE,
      ]);
      const ledger = (): string[] => (existsSync(join(data, 'ledger.txt')) ? readFileSync(join(data, 'ledger.txt'), 'utf8').split('\n').filter((l) => l !== '') : []);
      await waitForContainer(container, async () => (await httpStatus(`http://127.0.0.1:${PORT_PIPELINES}/readyz`)) === 200, 60_000, '/readyz 200 from the container');
      // The HEALTHCHECK follows TRIBUTARY_SERVER_PORT.
      expect((await podman(['healthcheck', 'run', container])).code).toBe(0);
      await waitForContainer(container, () => new Set(ledger()).size >= ids.length, 60_000, 'every record in the ledger');

      const { exitCode, logs } = await stop(container);
      expect(exitCode, logs).toBe(0);
      expect(new Set(ledger())).toEqual(new Set(ids));
      expect(logs).toContain('shutting down: draining in-flight batches');
      const checkpoints = readdirSync(join(data, 'checkpoints'), { recursive: true }).map(String).filter((f) => f.endsWith('.json'));
      expect(checkpoints.length).toBeGreaterThan(0);
      const text = checkpoints.map((f) => readFileSync(join(data, 'checkpoints', f), 'utf8')).join('\n');
      expect(text).toMatch(/shardId-00000000000[01]/);
    } finally {
      await deleteStream(kinesis, stream).catch(() => undefined);
      kinesis.destroy();
    }
  });

  it("runs the README's `docker run -v $PWD/config:/config … run -c /config/sqs.yaml` against ElasticMQ", async () => {
    const client = sqsClient();
    try {
      const { url } = await createQueue(client, uniqueName('image'));
      await sendAll(client, url, Array.from({ length: 12 }, (_, i) => ({ body: JSON.stringify({ type: 'order', id: `o-${i}` }) })));
      const container = name('sqs');
      await podmanOk([
        'run', '--detach', '--name', container, '--network', 'host',
        '--volume', `${join(ROOT, 'config')}:/config:ro`,
        '--env', 'TRIBUTARY_SERVER_HOST=127.0.0.1', '--env', `TRIBUTARY_PORT=${PORT_SQS}`,
        '--env', `QUEUE_URL=${url}`, '--env', `SQS_ENDPOINT=${sqsEndpoint()}`,
        '--env', 'AWS_ACCESS_KEY_ID=test', '--env', 'AWS_SECRET_ACCESS_KEY=test',
        IMAGE, 'run', '-c', '/config/sqs.yaml',
      ]);
      await waitForContainer(container, async () => {
        const depth = await queueDepth(client, url);
        return depth.visible === 0 && depth.inFlight === 0;
      }, 60_000, 'the queue to drain');
      const { exitCode, logs } = await stop(container);
      expect(exitCode, logs).toBe(0);
      // The handler's console line, as Lambda prints it, is the `msg` of a service log line (its quotes escaped).
      expect(logs).toMatch(/\\"order\\":\\"o-11\\"/);
    } finally {
      client.destroy();
    }
  });
});
