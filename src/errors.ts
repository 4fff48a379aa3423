/**
 * Typed errors (DESIGN §7.4). Branch on `code`, never on message text.
 * Messages must never contain secrets: callers pass already-redacted context.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_INTERPOLATION'
  | 'HANDLER_NOT_FOUND'
  | 'HANDLER_LOAD_FAILED'
  | 'SOURCE_NOT_FOUND'
  | 'SOURCE_UNAVAILABLE'
  | 'SOURCE_THROTTLED'
  | 'SOURCE_READ_FAILED'
  | 'SETTLE_FAILED'
  | 'DESTINATION_FAILED'
  | 'CHECKPOINT_FAILED'
  | 'LEASE_LOST'
  | 'SERVER_FAILED'
  | 'SERVICE_START_FAILED'
  | 'STOPPED'
  | 'INTERNAL'
  | 'API_REQUEST_REFUSED';

export interface TributaryErrorOptions {
  readonly retryable?: boolean;
  readonly cause?: unknown;
}

/** Base error of every failure Tributary raises itself. */
export class TributaryError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: TributaryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TributaryError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** One problem found in a configuration file, located as precisely as we can. */
export interface ConfigIssue {
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  /** Field path such as `pipelines[0].batchSize`. */
  readonly path: string;
  readonly message: string;
}

/** Raised with every problem of a configuration at once, never just the first. */
export class ConfigError extends TributaryError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super('CONFIG_INVALID', formatConfigIssues(issues));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** `pipelines.yaml:14:5 pipelines[0].batchSize: must be between 1 and 10000 (got 20000)` */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.file === null ? '' : `${issue.file}${issue.line === null ? '' : `:${issue.line}:${issue.column ?? 1}`} `;
  return `${where}${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
}

export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  return issues.map(formatConfigIssue).join('\n');
}

/** Narrow an unknown thrown value to a message that is safe to log. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unknown error';
}

/** True when `error` is a TributaryError, with `code` when given: the one way to branch on a failure. */
export function isTributaryError(error: unknown, code?: ErrorCode): error is TributaryError {
  return error instanceof TributaryError && (code === undefined || error.code === code);
}
