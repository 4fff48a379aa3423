/**
 * The log of one invocation, for Invoke's `X-Amz-Log-Type: Tail` ("the last 4 KB of the execution log", API_Invoke).
 * A `module` runner sends each `console.*` line of its handler to its logger as `{ requestId, source: 'function' }`
 * and ends every invocation with a REPORT entry (`report`, with the line in `line`); `tap()` wraps that logger so the
 * entries of the request ids being captured are also kept here, whatever the service's log level. The captured log
 * has Lambda's shape:
 *
 *   START RequestId: <id> Version: $LATEST
 *   <ISO time>\t<id>\tINFO\t<message>
 *   END RequestId: <id>
 *   REPORT RequestId: <id>\tDuration: …
 *
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html. Only the tail is ever sent, so a capture keeps at
 * most {@link MAX_CAPTURED_CHARS} of the newest lines.
 */
import type { Logger } from '../observability/logger.js';

/** Enough for the 4 KB tail whatever the encoding. */
export const MAX_CAPTURED_CHARS = 16 * 1024;

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

interface Capture {
  readonly lines: string[];
  chars: number;
  report: string | null;
}

export class InvocationLogs {
  readonly #open = new Map<string, Capture>();

  /** Starts keeping the entries of `requestId`. */
  begin(requestId: string): void {
    this.#open.set(requestId, { lines: [], chars: 0, report: null });
  }

  /** Stops keeping them and returns the invocation's log (START … REPORT). */
  end(requestId: string, version = '$LATEST'): string {
    const capture = this.#open.get(requestId);
    this.#open.delete(requestId);
    const lines = [`START RequestId: ${requestId} Version: ${version}`, ...(capture?.lines ?? []), `END RequestId: ${requestId}`];
    if (capture?.report !== null && capture?.report !== undefined) lines.push(capture.report);
    return `${lines.join('\n')}\n`;
  }

  /** `logger`, with the entries of captured invocations also kept here (children too). */
  tap(logger: Logger): Logger {
    return new Proxy(logger, {
      get: (target, property, receiver) => {
        if (property === 'child') {
          return (bindings: Record<string, unknown>) => this.tap(target.child(bindings));
        }
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof property !== 'string' || !LEVELS.has(property) || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          this.#observe(args[0], args[1]);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  #observe(fields: unknown, message: unknown): void {
    if (typeof fields !== 'object' || fields === null) return;
    const entry = fields as { readonly requestId?: unknown; readonly source?: unknown; readonly line?: unknown };
    if (typeof entry.requestId !== 'string') return;
    const capture = this.#open.get(entry.requestId);
    if (capture === undefined) return;
    if (entry.source === 'function' && typeof message === 'string') {
      capture.lines.push(message);
      capture.chars += message.length + 1;
      while (capture.chars > MAX_CAPTURED_CHARS && capture.lines.length > 1) capture.chars -= (capture.lines.shift()?.length ?? 0) + 1;
    } else if (message === 'report' && typeof entry.line === 'string') {
      capture.report = entry.line;
    }
  }
}
