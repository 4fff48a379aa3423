/**
 * What `validate` and `run` print when a configuration cannot be loaded (issue 19): one line per issue,
 * `file:line:column path: message`, and exit 2. Messages only, never a stack trace.
 */
import { ConfigError, TributaryError, errorMessage, formatConfigIssue } from '../errors.js';
import { EXIT_USAGE } from './io.js';

/** The text to print and the exit code, or null when `error` is not about the configuration. */
export function configErrorReport(error: unknown): { readonly text: string; readonly exitCode: number } | null {
  if (error instanceof ConfigError) return { text: `${error.issues.map(formatConfigIssue).join('\n')}\n`, exitCode: EXIT_USAGE };
  if (error instanceof TributaryError && error.code === 'CONFIG_NOT_FOUND') return { text: `${error.message}\n`, exitCode: EXIT_USAGE };
  return null;
}

/**
 * `validate` exits 0 or 2, whatever happens: an unexpected failure is reported as a bug, with its message
 * and the file, and exit 2 (the file was not shown to be valid).
 */
export function internalErrorReport(file: string, error: unknown): { readonly text: string; readonly exitCode: number } {
  return { text: `${file}: internal error while loading the configuration (please report it): ${errorMessage(error)}\n`, exitCode: EXIT_USAGE };
}
