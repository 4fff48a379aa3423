/**
 * `tributary demo`, the whole thing in one process: an in-memory Kinesis emulator (kinesalite), a 2-shard stream,
 * a producer writing sample orders every second, and a Tributary pipeline whose handler fails some records — so
 * batching, retries, bisect, the on-failure file, checkpoints and the status page can all be watched live.
 * Runs until `stopRequested` resolves (Ctrl-C / SIGTERM) or `durationMs` passes, then stops cleanly.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveConfigObject } from '../../config/index.js';
import type { LogLevel } from '../../config/types.js';
import { createLogger } from '../../observability/logger.js';
import { TributaryService } from '../../pipeline/service.js';
import { sleep } from '../../connector/kit/sleep.js';
import { readCounters, zeroTotals } from '../../server/metric-readings.js';
import type { CliIo } from '../io.js';
import { checkpointFile, readCheckpoints, shortSequence } from './checkpoints-view.js';
import { startKinesisEmulator, type KinesisEmulator } from './emulator.js';
import { handler } from './handler.js';
import { findFreePort } from './ports.js';
import { DemoPrinter, shortShard } from './printer.js';
import { createDemoStream, emulatorClient, startProducer, type Producer } from './producer.js';

const STREAM = 'orders';
const PIPELINE = 'orders';
const SHARDS = 2;
const HOST = '127.0.0.1';
const SUMMARY_EVERY_MS = 10_000;

export interface DemoOptions {
  /** Absolute folder for the on-failure file and checkpoints; emptied of a previous demo's files first. */
  readonly dir: string;
  /** Status page port; null = 9400 or the next free one. */
  readonly port: number | null;
  /** Stop by itself after this long; null = run until `stopRequested`. */
  readonly durationMs: number | null;
  /** Tributary's own JSON logs (to stderr); `silent` leaves only the demo's lines. */
  readonly logLevel: LogLevel;
  /** Resolves with the signal name when the user asks to stop. */
  readonly stopRequested: Promise<string>;
  readonly io: CliIo;
  /** Status page address (TRIBUTARY_SERVER_HOST); null = 127.0.0.1. The emulator always stays on 127.0.0.1. */
  readonly serverHost?: string | null;
}

export async function runDemo(options: DemoOptions): Promise<number> {
  const out = new DemoPrinter((text) => options.io.stdout(text));
  const failedFile = join(options.dir, 'failed-orders.jsonl');
  const checkpointsDir = join(options.dir, 'checkpoints');
  // The emulator is in memory: a previous demo's checkpoints point into a stream that no longer exists.
  await mkdir(options.dir, { recursive: true });
  await rm(checkpointsDir, { recursive: true, force: true });
  await rm(failedFile, { force: true });

  let emulator: KinesisEmulator | null = null;
  let client: ReturnType<typeof emulatorClient> | null = null;
  let service: TributaryService | null = null;
  let producer: Producer | null = null;
  let summaries: ReturnType<typeof setInterval> | null = null;
  try {
    emulator = await startKinesisEmulator(HOST);
    client = emulatorClient(emulator.endpoint);
    const streamArn = await createDemoStream(client, STREAM, SHARDS, AbortSignal.timeout(30_000));
    const port = options.port ?? (await findFreePort(HOST, 9400));
    const config = resolveConfigObject(
      {
        server: { host: options.serverHost ?? HOST, port },
        checkpoints: { type: 'file', path: checkpointsDir },
        shutdownTimeoutSeconds: 5,
        logLevel: options.logLevel,
        pipelines: [
          {
            name: PIPELINE,
            source: { type: 'kinesis', streamName: STREAM, endpoint: emulator.endpoint, region: 'us-east-1' },
            function: { type: 'in-process', handler, timeout: 10 },
            startingPosition: 'TRIM_HORIZON',
            batchSize: 10,
            maximumBatchingWindowInSeconds: 1,
            bisectBatchOnFunctionError: true,
            maximumRetryAttempts: 2,
            destinationConfig: { onFailure: { destination: `file://${failedFile}` } },
          },
        ],
      },
      { baseDir: options.dir },
    );
    service = new TributaryService(config, { logger: createLogger(options.logLevel, process.stderr) });
    const running = service;
    out.follow(running);
    await running.start();
    out.text(
      [
        '',
        'Tributary demo — a Kinesis event source mapping with Lambda semantics, all in this process',
        '',
        `  status page      ${running.url ?? '(server disabled)'}/`,
        `  Kinesis          kinesalite (in memory) at ${emulator.endpoint}, stream "${STREAM}" with ${SHARDS} shards`,
        `                   ${streamArn}`,
        '  pipeline         batchSize 10, 1 s batching window, bisectBatchOnFunctionError, maximumRetryAttempts 2',
        '  handler          fails every order with a negative amount (always) and some payments once (transient)',
        `  on-failure file  ${failedFile}`,
        `  checkpoints      ${checkpointFile(checkpointsDir, PIPELINE)}`,
        '',
        options.durationMs === null ? 'Press Ctrl-C to stop.\n\n' : `Stopping by itself after ${options.durationMs / 1000} s.\n\n`,
      ].join('\n'),
    );
    producer = startProducer({
      client,
      streamName: STREAM,
      intervalMs: 1_000,
      now: Date.now,
      onProduced: (batch) => out.produced(batch),
      onError: (message) => out.line('producer', message),
    });
    summaries = setInterval(() => void summary(out, running, checkpointsDir), SUMMARY_EVERY_MS);
    const timer = new AbortController();
    const duration = options.durationMs;
    const reason = await Promise.race([
      options.stopRequested,
      ...(duration === null ? [] : [sleep(duration, timer.signal).then(() => `--duration ${duration / 1000}`)]),
    ]);
    timer.abort();
    out.line('demo', `stopping (${reason}): no new batches, in-flight ones finish and checkpoint`);
  } finally {
    if (summaries !== null) clearInterval(summaries);
    await producer?.stop();
    await service?.stop();
    client?.destroy();
    await emulator?.close();
  }
  await summary(out, service, checkpointsDir);
  const failed = await readFile(failedFile, 'utf8').then((text) => text.split('\n').filter((l) => l.trim() !== '').length, () => 0);
  out.line('demo', `stopped. ${producer?.produced() ?? 0} orders produced; ${failed} on-failure record${failed === 1 ? '' : 's'} in ${failedFile}`);
  return 0;
}

/** One line of totals (from the metrics registry) and one of checkpoint positions (from the checkpoint file). */
async function summary(out: DemoPrinter, service: TributaryService | null, checkpointsDir: string): Promise<void> {
  if (service === null) return;
  const totals = (await readCounters(service.metrics.registry)).get(PIPELINE) ?? zeroTotals();
  out.line('totals', `${totals.polled} polled, ${totals.invoked} invoked, ${totals.failed} in failed invokes, ${totals.onFailure} sent to on-failure`);
  const checkpoints = await readCheckpoints(checkpointsDir, PIPELINE);
  if (checkpoints.length > 0) {
    out.line('checkpoint', checkpoints.map((c) => `${shortShard(c.shardId)} at ${c.checkpoint === null ? '(start)' : shortSequence(c.checkpoint)}`).join(', '));
  }
}
