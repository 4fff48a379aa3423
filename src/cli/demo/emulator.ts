/**
 * An in-process Kinesis emulator for the demo: kinesalite, in memory, on 127.0.0.1 and a free port. It speaks plain
 * HTTP/1.1, which is what the Kinesis connector uses (NodeHttpHandler). Nothing is written to disk.
 */
import type { AddressInfo } from 'node:net';
import type kinesaliteFactory from 'kinesalite';
import { TributaryError } from '../../errors.js';

export interface KinesisEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** Stops listening and drops every stream. Close clients first. */
  close(): Promise<void>;
}

/** Shown when kinesalite is not installed: it is an optional peer dependency, for the demo only. */
export const KINESALITE_MISSING =
  'the demo needs the kinesalite package (an in-memory Kinesis emulator, not installed with tributary-esm so production installs stay free of it): ' +
  'run `npm install kinesalite` next to tributary-esm, or `npx -p tributary-esm -p kinesalite tributary demo`; the container image includes it';

async function loadKinesalite(): Promise<typeof kinesaliteFactory> {
  try {
    return (await import('kinesalite')).default;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes("'kinesalite'")) {
      throw new TributaryError('SERVICE_START_FAILED', KINESALITE_MISSING, { cause: error });
    }
    throw error;
  }
}

/** Starts kinesalite on `host` (default 127.0.0.1) and an ephemeral port. */
export async function startKinesisEmulator(host = '127.0.0.1'): Promise<KinesisEmulator> {
  const kinesalite = await loadKinesalite();
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
