/**
 * Once `run` has stopped, every record is settled and the process should end as its event loop drains. A handle
 * that something failed to close — a client's reconnect timer or socket after a broker restart, say — keeps it
 * alive past "stopped": a SIGTERM that never exits, which the supervisor then answers with kill -9 (the full chaos
 * campaign saw it on Kafka: "stopped" logged, no exit in 15 s). The watchdog gives the loop `graceMs` to drain, then
 * logs what is still open (Node's process.getActiveResourcesInfo()) and exits with the command's code. Its timer
 * is unref()ed, so it never keeps the process alive itself; nothing is lost by exiting, since stop() returned.
 */

/** Default time the event loop gets to drain after "stopped". */
export const EXIT_GRACE_MS = 3_000;

export interface ExitWatchdogOptions {
  readonly graceMs: number;
  readonly exit: (code: number) => void;
  /** Told what is still open when the grace ran out. */
  readonly warn: (openResources: readonly string[]) => void;
  readonly openResources?: () => readonly string[];
  readonly setTimer?: (run: () => void, ms: number) => { unref(): unknown };
}

/** Arms the watchdog for a command that returned `code` after its service stopped. */
export function armExitWatchdog(code: number, options: ExitWatchdogOptions): void {
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const openResources = options.openResources ?? (() => process.getActiveResourcesInfo());
  setTimer(() => {
    options.warn(openResources());
    options.exit(code);
  }, options.graceMs).unref();
}
