/**
 * The `EventInvokeConfigStore` port until asynchronous invocation exists (issue 14): asynchronous-invocation
 * settings only mean something to the asynchronous queue, so storing them now would accept settings that do nothing
 * — and lose them on restart. Reads answer that the function has none (AWS's ResourceNotFoundException); writes
 * answer 501 NotImplementedException saying so.
 */
import { notImplemented } from '../api/api-errors.js';
import type { EventInvokeConfig, EventInvokeConfigStore } from '../api/ports.js';

const NOT_YET = 'Asynchronous invocation settings (FunctionEventInvokeConfig) are not implemented yet in Tributary: asynchronous invocation is not either';

export class PendingEventInvokeConfigs implements EventInvokeConfigStore {
  get(): Promise<EventInvokeConfig | null> {
    return Promise.resolve(null);
  }

  list(): Promise<readonly EventInvokeConfig[]> {
    return Promise.resolve([]);
  }

  put(): Promise<EventInvokeConfig> {
    return Promise.reject(notImplemented(NOT_YET));
  }

  delete(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
