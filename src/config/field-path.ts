/** A path to a field of the configuration, e.g. `['pipelines', 0, 'batchSize']`. */
export type FieldPath = readonly (string | number)[];

/** A problem found at a field, before it is located in a file. */
export interface PathIssue {
  readonly path: FieldPath;
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['pipelines', 0, 'batchSize']` → `pipelines[0].batchSize`; odd keys use `["X-Api-Key"]`. */
export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** True when `path` equals `prefix` or lies below it. */
export function isUnder(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}
