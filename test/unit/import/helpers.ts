/** Shared helpers of the import tests. */
import { expect } from 'vitest';
import { resolveParameters } from '../../../src/import/parameters.js';
import { TemplateScope } from '../../../src/import/scope.js';
import { stackContext } from '../../../src/import/stack.js';
import { parseTemplate, type Template } from '../../../src/import/template.js';

/** Parse a template text (fails the test when it does not load). */
export function templateOf(text: string, file = 'template.yaml', dir = '/srv/app'): Template {
  const loaded = parseTemplate(text, file, dir);
  if (!loaded.ok) expect.fail(JSON.stringify(loaded.issues));
  return loaded.template;
}

/** The evaluation scope of a template, as stack `demo` in us-east-1 / account 123456789012. */
export function scopeOf(text: string, parameters: Record<string, string> = {}, region = 'us-east-1'): TemplateScope {
  const template = templateOf(text);
  const resolved = resolveParameters(template, new Map(Object.entries(parameters)));
  return new TemplateScope(template, stackContext(region, '123456789012', 'demo'), resolved.values);
}

/** Evaluate `value` in `scope`; the value on success, `{ unresolved: reason }` otherwise. */
export function evaluated(scope: TemplateScope, value: unknown): unknown {
  const result = scope.evaluate(value, ['Test']);
  return result.ok ? result.value : { unresolved: result.reason };
}
