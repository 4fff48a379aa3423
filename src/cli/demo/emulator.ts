/**
 * An in-process Kinesis emulator for the demo: kinesalite, in memory, on 127.0.0.1 and a free port. It speaks plain
 * HTTP/1.1, which is what the Kinesis connector uses (NodeHttpHandler). Nothing is written to disk.
 */
import type { AddressInfo } from 'node:net';
import { TributaryError } from '../../errors.js';

export interface KinesisEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** Stops listening and drops every stream. Close clients first. */
  close(): Promise<void>;
}

/** Starts kinesalite on `host` (default 127.0.0.1) and an ephemeral port. */
export async function startKinesisEmulator(host = '127.0.0.1'): Promise<KinesisEmulator> {
  const { default: kinesalite } = await import('kinesalite');
  // Short simulated durations: the demo's stream is ACTIVE almost at once.
  const server = kinesalite({ createStreamMs: 50, deleteStreamMs: 50, updateStreamMs: 50, shardLimit: 20 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new TributaryError('SERVER_FAILED', `cannot start the Kinesis emulator on ${host}`, { cause: error })));
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | null = null;
  return {
    endpoint: `http://${host}:${port}`,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
