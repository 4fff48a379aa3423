/**
 * What GetFunction / ListFunctions show of a declared function (src/api/ports.ts `FunctionDescription`). Pure. The
 * environment is deliberately left out: its values may be secrets.
 */
import type { DeclaredFunctionConfig } from '../config/types.js';
import type { FunctionDescription } from '../api/ports.js';

/** The description of the `functions:` entry `name`, loaded (or last changed) at `loadedAtMs`. */
export function describeFunction(name: string, config: DeclaredFunctionConfig, loadedAtMs: number): FunctionDescription {
  return {
    name,
    runner: config.type,
    handler: config.type === 'module' ? config.handler : null,
    timeoutSeconds: config.timeoutMs / 1000,
    // MemorySize is the sandbox's heap limit for `module`; Tributary controls no memory of the other runners.
    memorySizeMb: config.type === 'module' || config.type === 'in-process' ? config.memorySizeMb : null,
    reservedConcurrency: config.reservedConcurrency,
    description: config.description ?? '',
    lastModifiedMs: loadedAtMs,
  };
}
