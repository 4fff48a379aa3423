/**
 * `tributary run -c FILE`: runs every pipeline until SIGTERM / SIGINT, then stops polling, lets in-flight
 * batches finish (bounded by `shutdownTimeoutSeconds`), settles and exits 0. A second signal exits at once
 * without waiting for unsettled work (its records are redelivered later: at-least-once).
 *
 * The process lives until it is told to stop, whatever its pipelines hold: a standby replica that owns no lease
 * yet has nothing else keeping Node's event loop alive (lease and shard-sync timers are unref()ed), so the command
 * holds it itself. It gives up on its own only as exit-policy.ts says (every pipeline failed for good with the
 * operations server off, or exitOnFailed — `--exit-on-failed`, TRIBUTARY_EXIT_ON_FAILED=1 or `exitOnFailed: true`
 * in the file): exit 1 with the reason. Once stopped, it exits even if a handle was left open (exit-watchdog.ts).
 */
import { parseArgs } from 'node:util';
import { apiCredentialsFromEnv } from '../../api/credentials.js';
import { loadConfigFile } from '../../config/index.js';
import { errorMessage, formatConfigIssue } from '../../errors.js';
import { createLogger } from '../../observability/logger.js';
import { startTracing } from '../../observability/tracing/start.js';
import { TributaryService } from '../../pipeline/service.js';
import { configErrorReport } from '../config-errors.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliCommand } from '../io.js';
import { armExitWatchdog, EXIT_GRACE_MS } from '../exit-watchdog.js';
import { watchForGivingUp } from '../give-up-watch.js';
import { configWithServerEnv } from '../server-env.js';

export const RUN_HELP = `Usage: tributary run -c FILE [--exit-on-failed]

Runs every pipeline in FILE until SIGTERM or SIGINT, then drains and exits 0.
Exits 1 with the reason when every pipeline failed for good and the operations server
is off, or as soon as one did with --exit-on-failed (or exitOnFailed: true in FILE).

Options:
  -c, --config FILE   pipelines file (YAML)
  --exit-on-failed    when a pipeline becomes Failed, drain and exit 1, for supervisors that
                      restart on exit (systemd, a container's restart policy); also
                      TRIBUTARY_EXIT_ON_FAILED=1. Default: stay up, /readyz 503, /status says why
  -h, --help          show this help

Environment:
  LOG_LEVEL           overrides logLevel from the file (trace, debug, info, warn, error)
  TRIBUTARY_SERVER_HOST, TRIBUTARY_SERVER_PORT
                      override server.host / server.port from the file (the image sets
                      TRIBUTARY_SERVER_HOST=0.0.0.0 so published ports and probes reach the server)
  TRIBUTARY_API_ACCESS_KEY_ID, TRIBUTARY_API_SECRET_ACCESS_KEY
                      the key the Lambda API (api: in the file) accepts SigV4 signatures from;
                      required when api.host is not a loopback address
`;

export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): void;
}

export function runCommand(signals: SignalSource, forceExit: (code: number) => void): CliCommand {
  return async (argv, io) => {
    let values: { config?: string | undefined; help?: boolean | undefined; 'exit-on-failed'?: boolean | undefined };
    try {
      ({ values } = parseArgs({
        args: [...argv],
        options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' }, 'exit-on-failed': { type: 'boolean' } },
        strict: true,
      }));
    } catch (error) {
      io.stderr(`${errorMessage(error)}\n\n${RUN_HELP}`);
      return EXIT_USAGE;
    }
    if (values.help === true) {
      io.stdout(RUN_HELP);
      return EXIT_OK;
    }
    if (values.config === undefined) {
      io.stderr(`missing -c FILE\n\n${RUN_HELP}`);
      return EXIT_USAGE;
    }
    let service: TributaryService;
    try {
      const config = configWithServerEnv(await loadConfigFile(values.config, { env: io.env, cwd: io.cwd }), io.env);
      const level = io.env['LOG_LEVEL'];
      // The Lambda API (api:) starts with the service; its credentials never come from the file.
      const apiCredentials = apiCredentialsFromEnv(io.env);
      const leveled = level === undefined ? config : { ...config, logLevel: level as typeof config.logLevel };
      const logger = createLogger(leveled.logLevel);
      // Off unless the OTEL_* variables configure it (README "Tracing"); never fails the start.
      const tracing = await startTracing({ env: io.env, logger });
      service = new TributaryService(leveled, { apiCredentials, logger, tracing });
      for (const warning of config.warnings) service.logger.warn({ warning: formatConfigIssue(warning) }, 'configuration warning');
    } catch (error) {
      // A configuration problem exits 2, as `validate` does; anything else is a runtime failure (1).
      const report = configErrorReport(error);
      io.stderr(report?.text ?? `${errorMessage(error)}\n`);
      return report?.exitCode ?? EXIT_FAILURE;
    }
    const stopRequested = new Promise<string>((resolve) => {
      signals.once('SIGTERM', () => resolve('SIGTERM'));
      signals.once('SIGINT', () => resolve('SIGINT'));
    });
    const exitOnFailed = values['exit-on-failed'] === true || io.env['TRIBUTARY_EXIT_ON_FAILED'] === '1' || service.config.exitOnFailed;
    // Held until the service stopped: nothing else may be keeping the process alive (see the file comment).
    const keepAlive = setInterval(() => undefined, 2 ** 30);
    try {
      try {
        await service.start();
      } catch (error) {
        io.stderr(`${errorMessage(error)}\n`);
        await service.stop();
        return EXIT_FAILURE;
      }
      const watch = watchForGivingUp(service, { exitOnFailed, serverEnabled: service.config.server.enabled });
      const outcome = await Promise.race([
        stopRequested.then((signal) => ({ kind: 'signal', signal }) as const),
        watch.reason.then((reason) => ({ kind: 'give-up', reason }) as const),
      ]);
      watch.dispose();
      if (outcome.kind === 'give-up') {
        service.logger.error({ reason: outcome.reason }, 'giving up: exiting 1, draining the other pipelines first');
        io.stderr(`tributary: ${outcome.reason}\n`);
      } else {
        service.logger.info({ signal: outcome.signal }, 'shutting down: draining in-flight batches');
      }
      const again = (): void => {
        service.logger.warn('second signal: exiting without waiting for in-flight batches');
        forceExit(130);
      };
      signals.once('SIGTERM', again);
      signals.once('SIGINT', again);
      await service.stop();
      const code = outcome.kind === 'give-up' ? EXIT_FAILURE : EXIT_OK;
      armExitWatchdog(code, {
        graceMs: EXIT_GRACE_MS,
        exit: forceExit,
        warn: (open) => service.logger.warn({ open }, `still running ${EXIT_GRACE_MS} ms after stopping (a handle left open): exiting ${code}`),
      });
      return code;
    } finally {
      clearInterval(keepAlive);
    }
  };
}
