/**
 * Runners report handler failures as data, but a runner bug (or an event the runner cannot serialise) could still
 * throw. The executors call through this so a lane never dies with records in flight: an unexpected exception is
 * a crashed invocation, handled by the same retry rules as any other function error.
 */
import { errorMessage } from '../errors.js';
import type { FunctionRunner, InvokeOptions, InvokeResult } from './types.js';

export async function safeInvoke(runner: FunctionRunner, event: unknown, options: InvokeOptions): Promise<InvokeResult> {
  const started = Date.now();
  try {
    return await runner.invoke(event, options);
  } catch (error) {
    return { status: 'error', kind: 'crashed', error: { errorType: 'Tributary.InvokeFailed', errorMessage: errorMessage(error) }, durationMs: Date.now() - started, coldStart: false };
  }
}
