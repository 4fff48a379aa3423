/**
 * `tributary demo`: a self-contained demonstration — an in-memory Kinesis emulator, sample orders every second, and
 * a pipeline whose handler fails some records — with the status page on 127.0.0.1:9400 (or the next free port).
 * Runs until SIGTERM / SIGINT (or `--duration`), then stops cleanly and exits 0.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { LogLevel } from '../../config/types.js';
import { errorMessage } from '../../errors.js';
import { EXIT_OK, EXIT_USAGE, type CliCommand } from '../io.js';
import { readServerEnv } from '../server-env.js';
import type { SignalSource } from './run.js';

export const DEMO_HELP = `Usage: tributary demo [options]

Runs a Kinesis event source mapping end to end in this process: an in-memory Kinesis
emulator (kinesalite) with a 2-shard stream, sample orders every second, and a handler
that fails some of them, showing batching, retries, bisect, the on-failure file and
checkpoints. Open the printed status page URL to watch it.

Options:
  --duration SECONDS  stop by itself after SECONDS (default: run until Ctrl-C / SIGTERM)
  --port PORT         status page port (default: 9400, or the next free port)
  --dir DIR           folder for the on-failure file and checkpoints (default: ./.tributary-demo)
  -h, --help          show this help

Environment:
  LOG_LEVEL           also print Tributary's JSON logs at this level to stderr (default: silent)
  TRIBUTARY_SERVER_HOST
                      status page address (default 127.0.0.1; the image sets 0.0.0.0)
`;

const LOG_LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

type Parsed = { readonly ok: true; readonly value: number | null } | { readonly ok: false; readonly message: string };

/** An optional numeric option: absent → null; otherwise a number in [min, max] (an integer when asked). */
function numberOption(name: string, raw: string | undefined, range: { min: number; max: number; integer: boolean }): Parsed {
  if (raw === undefined) return { ok: true, value: null };
  const value = Number(raw);
  const valid = raw.trim() !== '' && Number.isFinite(value) && value >= range.min && value <= range.max && (!range.integer || Number.isInteger(value));
  if (valid) return { ok: true, value };
  return { ok: false, message: `${name} must be ${range.integer ? 'an integer' : 'a number'} between ${range.min} and ${range.max} (got ${JSON.stringify(raw)})` };
}

export function demoCommand(signals: SignalSource, forceExit: (code: number) => void): CliCommand {
  return async (argv, io) => {
    let values: { duration?: string | undefined; port?: string | undefined; dir?: string | undefined; help?: boolean | undefined };
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: { duration: { type: 'string' }, port: { type: 'string' }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        strict: true,
      }));
    } catch (error) {
      io.stderr(`${errorMessage(error)}\n\n${DEMO_HELP}`);
      return EXIT_USAGE;
    }
    if (values.help === true) {
      io.stdout(DEMO_HELP);
      return EXIT_OK;
    }
    const duration = numberOption('--duration', values.duration, { min: 1, max: 86_400, integer: false });
    const port = numberOption('--port', values.port, { min: 1, max: 65_535, integer: true });
    const level = io.env['LOG_LEVEL'] ?? 'silent';
    const problems = [
      ...(duration.ok ? [] : [duration.message]),
      ...(port.ok ? [] : [port.message]),
      ...(LOG_LEVELS.includes(level) ? [] : [`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(level)})`]),
    ];
    const server = readServerEnv(io.env);
    if (!server.ok) problems.push(...server.issues.map((issue) => `${issue.path}: ${issue.message}`));
    if (problems.length > 0 || !duration.ok || !port.ok || !server.ok) {
      io.stderr(`${problems.join('\n')}\n\n${DEMO_HELP}`);
      return EXIT_USAGE;
    }
    const stopRequested = new Promise<string>((done) => {
      signals.once('SIGTERM', () => done('SIGTERM'));
      signals.once('SIGINT', () => done('SIGINT'));
    });
    void stopRequested.then(() => {
      // A second signal exits at once, as `tributary run` does.
      const again = (): void => forceExit(130);
      signals.once('SIGTERM', again);
      signals.once('SIGINT', again);
    });
    // Loaded on demand: the emulator and the Kinesis SDK are only needed here.
    const { runDemo } = await import('../demo/run-demo.js');
    return runDemo({
      dir: resolve(io.cwd, values.dir ?? '.tributary-demo'),
      port: port.value ?? server.port,
      serverHost: server.host,
      durationMs: duration.value === null ? null : duration.value * 1000,
      logLevel: level as LogLevel,
      stopRequested,
      io,
    });
  };
}
