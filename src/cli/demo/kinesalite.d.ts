/**
 * Minimal types of `kinesalite` (an in-memory Kinesis emulator on node:http; the package ships no types). Only what
 * the demo uses: the factory that returns an unstarted `http.Server`.
 */
declare module 'kinesalite' {
  import type { Server } from 'node:http';

  interface KinesaliteOptions {
    /** Store on disk under this folder (needs the optional `leveldown`); omitted = in memory. */
    readonly path?: string;
    readonly ssl?: boolean;
    /** Simulated duration of CreateStream, DeleteStream and resharding (default 500 ms). */
    readonly createStreamMs?: number;
    readonly deleteStreamMs?: number;
    readonly updateStreamMs?: number;
    /** Maximum shards per account (default 10). */
    readonly shardLimit?: number;
  }

  function kinesalite(options?: KinesaliteOptions): Server;
  export = kinesalite;
}
