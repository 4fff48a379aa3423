// kinesis-local (kinesis-mock compiled to JavaScript, npm) run with the current Node binary from
// node_modules. Plain HTTP on the Kinesis port; its TLS listener is moved to a second, unused port.
// Both listeners bind all interfaces (hard-coded in kinesis-mock); clients use 127.0.0.1.

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { RUN_DIR, hostPortOfUrl } from './common.ts';
import type { ServiceDefinition } from './common.ts';
import { AWS_REGION, AWS_TEST_CREDENTIALS } from './endpoints.ts';
import type { TestEndpoints } from './endpoints.ts';

/** Simulated duration of every asynchronous Kinesis operation (kinesis-mock default: 500ms). */
const OPERATION_DURATION = '10ms';
const DURATION_VARIABLES = [
  'CREATE_STREAM_DURATION',
  'DELETE_STREAM_DURATION',
  'REGISTER_STREAM_CONSUMER_DURATION',
  'DEREGISTER_STREAM_CONSUMER_DURATION',
  'START_STREAM_ENCRYPTION_DURATION',
  'STOP_STREAM_ENCRYPTION_DURATION',
  'MERGE_SHARDS_DURATION',
  'SPLIT_SHARD_DURATION',
  'UPDATE_SHARD_COUNT_DURATION',
  'UPDATE_STREAM_MODE_DURATION',
] as const;

function kinesisLocalPackage(): { main: string; version: string; dir: string } {
  const require = createRequire(import.meta.url);
  const main = require.resolve('kinesis-local');
  const pkg = require('kinesis-local/package.json') as { version?: string };
  return { main, version: pkg.version ?? '?', dir: dirname(main) };
}

export function createKinesisLocalService(endpoints: TestEndpoints): ServiceDefinition {
  const { host, port } = hostPortOfUrl(endpoints.kinesis);
  const pkg = kinesisLocalPackage();
  return {
    name: 'kinesis',
    label: `kinesis-local ${pkg.version}`,
    endpoint: endpoints.kinesis,
    host,
    ports: [port, endpoints.kinesisTlsPort],
    cmdlineMarker: join('kinesis-local', 'main.js'),

    // Installed by npm with the dev dependencies; nothing to download.
    fetch: () => Promise.resolve(false),

    prepare() {
      const durations = Object.fromEntries(DURATION_VARIABLES.map((v) => [v, OPERATION_DURATION]));
      return Promise.resolve({
        command: process.execPath,
        args: ['--max-old-space-size=384', pkg.main],
        cwd: RUN_DIR,
        env: {
          ...durations,
          KINESIS_MOCK_PLAIN_PORT: String(port),
          KINESIS_MOCK_TLS_PORT: String(endpoints.kinesisTlsPort),
          KINESIS_MOCK_CERT_PATH: join(pkg.dir, 'server.json'),
          SHOULD_PERSIST_DATA: 'false',
          AWS_REGION,
          LOG_LEVEL: 'INFO',
        },
      });
    },

    async probe() {
      const client = new KinesisClient({
        region: AWS_REGION,
        endpoint: endpoints.kinesis,
        credentials: AWS_TEST_CREDENTIALS,
        maxAttempts: 1,
        // The default NodeHttp2Handler fails against plain-HTTP emulators.
        requestHandler: new NodeHttpHandler({ connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true }),
      });
      try {
        await client.send(new ListStreamsCommand({}));
      } finally {
        client.destroy();
      }
    },
  };
}
