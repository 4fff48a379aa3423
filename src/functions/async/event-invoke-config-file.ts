/**
 * The `EventInvokeConfigStore` of a service (Put / Update / Delete FunctionEventInvokeConfig): one JSON document,
 * `api.event-invoke-configs.json`, in the state directory beside the asynchronous queue, replaced atomically on every
 * write (checkpoint/atomic-write.ts) so a crash leaves the old or the new settings, never a mix. Settings live in
 * memory, the file is their durable copy; writes are applied one at a time and memory changes only after the file was
 * written. One process per state directory, as the embedded queue (the queue's database lock keeps a second out).
 *
 * ```json
 * { "format": "tributary-event-invoke-configs/1", "configs": [ { "functionName": "orders", "qualifier": "$LATEST", … } ] }
 * ```
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventInvokeConfig, EventInvokeConfigStore } from '../../api/ports.js';
import { writeFileAtomic } from '../../checkpoint/atomic-write.js';
import { TributaryError, errorMessage } from '../../errors.js';

export const EVENT_INVOKE_CONFIGS_FILE = 'api.event-invoke-configs.json';
const FORMAT = 'tributary-event-invoke-configs/1';

const keyOf = (functionName: string, qualifier: string): string => `${functionName}:${qualifier}`;

export class FileEventInvokeConfigs implements EventInvokeConfigStore {
  readonly #directory: string;
  readonly #path: string;
  #loaded: Promise<Map<string, EventInvokeConfig>> | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(directory: string) {
    this.#directory = directory;
    this.#path = join(directory, EVENT_INVOKE_CONFIGS_FILE);
  }

  async get(functionName: string, qualifier: string): Promise<EventInvokeConfig | null> {
    return (await this.#load()).get(keyOf(functionName, qualifier)) ?? null;
  }

  async list(functionName: string): Promise<readonly EventInvokeConfig[]> {
    return [...(await this.#load()).values()].filter((config) => config.functionName === functionName);
  }

  put(config: EventInvokeConfig): Promise<EventInvokeConfig> {
    return this.#write((configs) => {
      configs.set(keyOf(config.functionName, config.qualifier), config);
      return config;
    });
  }

  delete(functionName: string, qualifier: string): Promise<boolean> {
    return this.#write((configs) => configs.delete(keyOf(functionName, qualifier)));
  }

  /** Applies `change` to a copy, stores the copy, then makes it current. */
  #write<T>(change: (configs: Map<string, EventInvokeConfig>) => T): Promise<T> {
    const run = this.#queue.then(async () => {
      const current = await this.#load();
      const next = new Map(current);
      const result = change(next);
      await mkdir(this.#directory, { recursive: true });
      await writeFileAtomic(this.#path, `${JSON.stringify({ format: FORMAT, configs: [...next.values()] }, null, 2)}\n`);
      this.#loaded = Promise.resolve(next);
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #load(): Promise<Map<string, EventInvokeConfig>> {
    this.#loaded ??= this.#read().catch((error: unknown) => {
      this.#loaded = null;
      throw error;
    });
    return this.#loaded;
  }

  async #read(): Promise<Map<string, EventInvokeConfig>> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw new TributaryError('CHECKPOINT_FAILED', `cannot read ${this.#path}: ${errorMessage(error)}`, { cause: error });
    }
    const document = JSON.parse(text) as { format?: unknown; configs?: unknown };
    if (document.format !== FORMAT || !Array.isArray(document.configs)) {
      throw new TributaryError('CHECKPOINT_FAILED', `${this.#path} is not a ${FORMAT} document`);
    }
    return new Map((document.configs as EventInvokeConfig[]).map((config) => [keyOf(config.functionName, config.qualifier), config]));
  }
}
