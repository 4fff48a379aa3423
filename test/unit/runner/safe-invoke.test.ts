import { describe, expect, it } from 'vitest';
import { safeInvoke } from '../../../src/runner/safe-invoke.js';
import type { FunctionRunner } from '../../../src/runner/types.js';

describe('safeInvoke', () => {
  const opts = { deadlineMs: Date.now() + 1000, signal: new AbortController().signal };
  it('passes results through', async () => {
    const runner: FunctionRunner = { functionName: 'f', invoke: async () => ({ status: 'ok', payload: 1, durationMs: 1, coldStart: false }), close: async () => undefined };
    expect(await safeInvoke(runner, {}, opts)).toEqual({ status: 'ok', payload: 1, durationMs: 1, coldStart: false });
  });
  it('turns a runner that throws into a crashed invocation', async () => {
    const runner: FunctionRunner = {
      functionName: 'f',
      invoke: async () => {
        throw new Error('runner bug');
      },
      close: async () => undefined,
    };
    expect(await safeInvoke(runner, {}, opts)).toMatchObject({ status: 'error', kind: 'crashed', error: { errorType: 'Tributary.InvokeFailed', errorMessage: 'runner bug' } });
  });
});
