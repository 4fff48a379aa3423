/**
 * A handler's `console.*` output, as Lambda's Node.js runtime prints it (the runtime interface client's LogPatch,
 * text format): one entry per call, `<ISO time>\t<request id>\t<LEVEL>\t<util.format(message, ...params)>`, with
 * `console.log` = INFO, and `AWS_LAMBDA_LOG_LEVEL` (TRACE … FATAL, default everything) dropping lower levels. The
 * request id is the current (or last) invocation's, `undefined` during init, as on Lambda.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html
 *
 * Entries go to the service's logger instead of stdout (see `LogMessage`), so they sit with the REPORT lines.
 */
import { format } from 'node:util';

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type LambdaLogLevel = (typeof LOG_LEVELS)[number];

/** The RIC's text line (newlines kept: the service logs each entry as one structured record). */
export function formatLogLine(time: Date, requestId: string | null, level: LambdaLogLevel, message: unknown, params: readonly unknown[]): string {
  return `${time.toISOString()}\t${requestId ?? 'undefined'}\t${level}\t${format(message, ...params)}`;
}

/** The lowest level `AWS_LAMBDA_LOG_LEVEL` lets through (an unknown value lets everything through, as the RIC). */
export function minimumLevel(setting: string | undefined): number {
  const index = LOG_LEVELS.indexOf((setting ?? '').toUpperCase() as LambdaLogLevel);
  return index < 0 ? 0 : index;
}

export interface ConsolePatchOptions {
  readonly requestId: () => string | null;
  readonly emit: (level: LambdaLogLevel, line: string) => void;
  readonly logLevel: string | undefined;
  readonly now?: () => Date;
}

type ConsoleMethod = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'log';
const METHODS: readonly (readonly [ConsoleMethod, LambdaLogLevel])[] = [
  ['trace', 'TRACE'],
  ['debug', 'DEBUG'],
  ['info', 'INFO'],
  ['log', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
];

/** Replaces this thread's console methods (and adds the RIC's `console.fatal`). */
export function patchConsole(target: Console, options: ConsolePatchOptions): void {
  const minimum = minimumLevel(options.logLevel);
  const now = options.now ?? (() => new Date());
  const writer = (level: LambdaLogLevel) =>
    LOG_LEVELS.indexOf(level) < minimum
      ? () => undefined
      : (message?: unknown, ...params: unknown[]) => options.emit(level, formatLogLine(now(), options.requestId(), level, message, params));
  for (const [method, level] of METHODS) target[method] = writer(level);
  Object.assign(target, { fatal: writer('FATAL') });
}

/** The RIC's `Invoke Error` entry for a failed invocation: `Invoke Error \t{"errorType":…,"errorMessage":…,"stack":[…]}`. */
export function invokeErrorDocument(error: unknown, maxStackLines = 50): string {
  if (error instanceof Error) {
    const stack = typeof error.stack === 'string' ? error.stack.split('\n').slice(0, maxStackLines) : [];
    return `\t${JSON.stringify({ errorType: error.name, errorMessage: error.message, stack })}`;
  }
  return `\t${JSON.stringify({ errorType: typeof error, errorMessage: safeString(error), stack: [] })}`;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'unknown';
  }
}
