/**
 * Entry point of one contender's child process: receives a ChildRequest over IPC, imports
 * bench/contenders/<module>.ts, runs it, replies with its Measurement and exits (clients may leave handles open;
 * the process must end for `--cpu-prof` to write its profile).
 */
import type { ChildReply, ChildRequest, Measurement, Params } from './types.ts';

interface ContenderModule {
  run(params: Params): Promise<Measurement>;
}

function reply(message: ChildReply): void {
  if (process.send === undefined) {
    process.stderr.write('bench child: started without an IPC channel (run through bench/main.ts)\n');
    process.exit(2);
  }
  process.send(message, undefined, {}, () => process.exit(message.ok ? 0 : 1));
}

process.once('message', (raw: unknown) => {
  const request = raw as ChildRequest;
  void (async () => {
    try {
      if (!/^[a-z0-9-]+$/.test(request.module)) throw new Error(`bad contender module name ${JSON.stringify(request.module)}`);
      const contender = (await import(new URL(`../contenders/${request.module}.ts`, import.meta.url).href)) as ContenderModule;
      const measurement = await contender.run(request.params);
      reply({ ok: true, measurement });
    } catch (error) {
      reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  })();
});
