/** What a CLI command may touch, injected so commands are testable without a subprocess. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** A command takes its own argv (after the command name) and resolves to an exit code. */
export type CliCommand = (argv: readonly string[], io: CliIo) => Promise<number>;

/** Exit codes: 0 ok, 1 runtime failure, 2 usage or invalid configuration. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
