// The on-failure destination contract (test/contract/destination.contract.ts) for the `file://` destination, on a
// real file system in a temporary folder. Cut off: the file's folder is replaced by a plain file (open fails with
// ENOTDIR); restored: that file is removed again. The SQS and Kafka destinations run the same suite against
// ElasticMQ and Kafka in test/integration/destination-contract.test.ts.

import { mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileDestination } from '../../../src/destination/file-destination.js';
import { silentLogger } from '../../../src/observability/logger.js';
import { describeDestinationContract } from '../../contract/destination.contract.ts';

describeDestinationContract('file (JSON lines)', { kind: 'file', keys: 'ignored', order: 'total' }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'tributary-destination-contract-'));
  const folder = join(root, 'failures');
  const path = join(folder, 'failed.jsonl');
  return {
    destination: new FileDestination(path, silentLogger()),
    // A resolved delivery is on disk (fsync'ed): nothing to wait for.
    read: async () => {
      const text = await readFile(path, 'utf8').catch(() => '');
      return text.split('\n').filter((line) => line !== '').map((json) => ({ json, key: null }));
    },
    cut: async () => {
      await rm(folder, { recursive: true, force: true });
      await writeFile(folder, 'a file where the folder was');
    },
    restore: () => rm(folder, { force: true }),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
});
