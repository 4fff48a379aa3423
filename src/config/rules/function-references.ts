/**
 * `function: <name>` must name an entry of the top-level `functions:` map; a misspelt name gets a suggestion, like
 * an unknown field does.
 */
import type { PathIssue } from '../field-path.js';
import { FUNCTION_NAME } from '../schema/pipeline.js';
import { closest } from '../schema/zod-issues.js';
import { asRecord, isGiven } from './pipeline-view.js';

/** One issue per pipeline whose `function:` names no declared function, at `pipelines[i].function`. */
export function functionReferenceRules(config: unknown): PathIssue[] {
  const root = asRecord(config);
  const pipelines = root['pipelines'];
  const functions = root['functions'];
  // A `functions:` that is not a mapping is the schema's to report; names checked against it would only add noise.
  if (!Array.isArray(pipelines) || (isGiven(functions) && (typeof functions !== 'object' || Array.isArray(functions)))) return [];
  const declared = Object.keys(asRecord(functions));
  const issues: PathIssue[] = [];
  pipelines.forEach((pipeline: unknown, index) => {
    const name = asRecord(pipeline)['function'];
    // A name that is not a function name at all is the schema's to report.
    if (typeof name !== 'string' || !FUNCTION_NAME.test(name) || declared.includes(name)) return;
    issues.push({ path: ['pipelines', index, 'function'], message: unknownFunction(name, declared) });
  });
  return issues;
}

function unknownFunction(name: string, declared: readonly string[]): string {
  if (declared.length === 0) return `unknown function "${name}": there is no functions: map to declare it in (or define the function inline)`;
  const suggestion = closest(name, declared);
  const hint = suggestion === null ? '' : ` (did you mean "${suggestion}"?)`;
  return `unknown function "${name}"${hint}; functions: declares ${declared.join(', ')}`;
}
