/**
 * An in-memory EventInvokeConfigStore (tests; embedding the API before the durable, shared store exists).
 */
import type { EventInvokeConfig, EventInvokeConfigStore } from '../ports.js';

export class MemoryEventInvokeConfigStore implements EventInvokeConfigStore {
  private readonly configs = new Map<string, EventInvokeConfig>();

  get(functionName: string, qualifier: string): Promise<EventInvokeConfig | null> {
    return Promise.resolve(this.configs.get(key(functionName, qualifier)) ?? null);
  }

  list(functionName: string): Promise<readonly EventInvokeConfig[]> {
    return Promise.resolve([...this.configs.values()].filter((config) => config.functionName === functionName));
  }

  put(config: EventInvokeConfig): Promise<EventInvokeConfig> {
    this.configs.set(key(config.functionName, config.qualifier), config);
    return Promise.resolve(config);
  }

  delete(functionName: string, qualifier: string): Promise<boolean> {
    return Promise.resolve(this.configs.delete(key(functionName, qualifier)));
  }
}

function key(functionName: string, qualifier: string): string {
  return `${functionName}\u0000${qualifier}`;
}
