/**
 * Rules of `functions.<name>.eventInvokeConfig` that look at more than one field: a function destination must name a
 * declared function (other than itself: AWS refuses a function as its own destination), `extendedRetries` replaces
 * `maximumRetryAttempts` (so not both), and its first wait cannot be longer than its longest.
 */
import { parseAsyncDestination } from '../async-destination.js';
import type { PathIssue } from '../field-path.js';
import { asRecord } from './pipeline-view.js';

export function asyncInvokeRules(config: unknown): PathIssue[] {
  const functions = asRecord(asRecord(config)['functions']);
  const declared = Object.keys(functions);
  const issues: PathIssue[] = [];
  for (const [name, raw] of Object.entries(functions)) {
    const settings = asRecord(asRecord(raw)['eventInvokeConfig']);
    const at = ['functions', name, 'eventInvokeConfig'];
    for (const condition of ['onSuccess', 'onFailure'] as const) {
      const destination = asRecord(asRecord(asRecord(settings['destinationConfig'])[condition]))['destination'];
      if (typeof destination !== 'string') continue;
      const parsed = parseAsyncDestination(destination);
      if (!parsed.ok || parsed.kind !== 'function') continue;
      const path = [...at, 'destinationConfig', condition, 'destination'];
      if (parsed.functionName === name) issues.push({ path, message: 'a function cannot be its own destination' });
      else if (!declared.includes(parsed.functionName)) issues.push({ path, message: `names function "${parsed.functionName}", which functions: does not declare (declared: ${declared.join(', ')})` });
    }
    const extended = asRecord(settings['extendedRetries']);
    if (settings['extendedRetries'] !== undefined && settings['maximumRetryAttempts'] !== undefined) {
      issues.push({ path: [...at, 'maximumRetryAttempts'], message: 'extendedRetries.maximumRetryAttempts replaces it: set only one of them' });
    }
    const initial = Number(extended['initialDelaySeconds'] ?? NaN);
    const maximum = Number(extended['maximumDelaySeconds'] ?? NaN);
    if (Number.isFinite(initial) && Number.isFinite(maximum) && initial > maximum) {
      issues.push({ path: [...at, 'extendedRetries', 'initialDelaySeconds'], message: `must be at most maximumDelaySeconds (${maximum})` });
    }
  }
  return issues;
}
