// DynamoDB Local 3.x from the Maven Central jars: DynamoDB and DynamoDB Streams on one port,
// in memory. It has no bind-address option and listens on all interfaces; clients use 127.0.0.1.

import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fetchMavenArtifacts, hostPortOfUrl, javaBin, jvmArgs, libDir, pomProperty } from './common.ts';
import type { ServiceDefinition } from './common.ts';
import { AWS_REGION, DYNAMODB_TEST_CREDENTIALS } from './endpoints.ts';
import type { TestEndpoints } from './endpoints.ts';

const ARTIFACT_SET = 'dynamodb-local';

export function createDynamoDbLocalService(endpoints: TestEndpoints): ServiceDefinition {
  const { host, port } = hostPortOfUrl(endpoints.dynamodb);
  const lib = libDir(ARTIFACT_SET);
  return {
    name: 'dynamodb',
    label: `DynamoDB Local ${pomProperty(ARTIFACT_SET, 'dynamodb-local.version')}`,
    endpoint: endpoints.dynamodb,
    host,
    ports: [port],
    cmdlineMarker: 'software.amazon.dynamodb.services.local.main.ServerRunner',

    fetch: (log) => fetchMavenArtifacts(ARTIFACT_SET, log),

    prepare() {
      return Promise.resolve({
        command: javaBin(),
        args: [
          ...jvmArgs('384m'),
          // The Maven copy of the native library is libsqlite4java-linux-amd64-1.0.392.so, a name
          // sqlite4java tries (it looks for the versioned and the unversioned file).
          `-Dsqlite4java.library.path=${lib}`,
          '-cp', join(lib, '*'),
          'software.amazon.dynamodb.services.local.main.ServerRunner',
          '-inMemory', '-sharedDb', '-disableTelemetry', '-port', String(port),
        ],
      });
    },

    async probe() {
      const client = new DynamoDBClient({
        region: AWS_REGION,
        endpoint: endpoints.dynamodb,
        credentials: DYNAMODB_TEST_CREDENTIALS,
        maxAttempts: 1,
        requestHandler: new NodeHttpHandler({ connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true }),
      });
      try {
        await client.send(new ListTablesCommand({}));
      } finally {
        client.destroy();
      }
    },
  };
}
