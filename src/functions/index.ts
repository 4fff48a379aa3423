/**
 * Declared functions (`functions:`): the shared runners, their reserved concurrency, and Invoke (src/functions).
 */
export { ConcurrencyGate, type Slot } from './concurrency-gate.js';
export { FunctionInvoker, type FunctionInvokerOptions } from './function-invoker.js';
export { FunctionRegistry, type DeclaredFunction, type FunctionRegistryOptions } from './function-registry.js';
export { GatedRunner, throttledResult } from './gated-runner.js';
export { InvocationLogs } from './invocation-logs.js';
